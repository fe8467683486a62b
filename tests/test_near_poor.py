"""Near-poor households beside poor ones, and rates by people beside rates by households
(issue 11): every number the new sections show against a count made here with pandas
straight from the parquet files (the statuses from ``classify``), in both languages, with
the disclosure protection applied.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analysis import words
from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.briefs.sections.nearpoor import near_poor_shares, person_figures, transition_counts
from analysis.briefs.settings import load_material_gap
from analysis.errors import DataError
from analysis.measures.classification import classify
from analysis.measures.disclosure import DEFAULT_THRESHOLD, recoverable
from analysis.measures.flows import poverty_flows
from analysis.measures.groups import with_groups
from analysis.measures.transitions import transition_matrix
from analysis.paths import BUNDLED_HOUSEHOLDS, DATA_DIR
from analysis.review import columns as c
from analysis.review.loading import load_households
from analysis.tables.workbook import release

STANDARD = "decree-07-2021"
DISTRICT = "Pác Nặm"
YEAR = 2024
T = DEFAULT_THRESHOLD


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2023 and 2024 of the bundled review (synthetic): every district, so the protection
    hides what the province's does."""
    frame = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    frame = frame[frame[c.YEAR].isin([YEAR - 1, YEAR])]
    path = tmp_path_factory.mktemp("review") / "review.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table.replace_schema_metadata({**(table.schema.metadata or {}), b"synthetic": b"true"}), path)
    return path


@pytest.fixture(scope="module")
def statuses(review: Path) -> pd.DataFrame:
    """Every household record of the file with its status (the only measure used here)."""
    frame = pd.read_parquet(review)
    return frame.assign(status=classify(frame, STANDARD)[c.STATUS].astype(str).to_numpy())


@pytest.fixture(scope="module")
def briefs(review: Path) -> dict[str, br.Brief]:
    vi = br.start(district=DISTRICT, year=YEAR, data_path=str(review), lang="vi")
    return {"vi": vi, "en": br.Brief(vi.inputs, vi.year, "en", vi.district)}


def by_hand(statuses: pd.DataFrame, district: str) -> pd.DataFrame:
    """2023 and 2024 statuses side by side, households matched by id (absent: NaN), grouped
    under their 2024 district (their 2023 one if they left)."""
    before = statuses[statuses[c.YEAR] == YEAR - 1].set_index(c.HOUSEHOLD_ID)
    now = statuses[statuses[c.YEAR] == YEAR].set_index(c.HOUSEHOLD_ID)
    both = pd.DataFrame({"before": before["status"], "now": now["status"]})
    both["district"] = now[c.DISTRICT].reindex(both.index).fillna(before[c.DISTRICT].reindex(both.index))
    return both[both["district"] == district]


# --- the measures ---------------------------------------------------------------------------


def test_flows_count_the_transitions_households_make(review: Path, statuses: pd.DataFrame) -> None:
    flows = poverty_flows(with_groups(classify(load_households([review]), STANDARD)), YEAR, "district")
    row = flows[flows[c.DISTRICT] == DISTRICT].iloc[0]
    hand = by_hand(statuses, DISTRICT)
    listed = {"poor", "near_poor"}
    neither_before = hand["before"].notna() & ~hand["before"].isin(listed)
    neither_now = hand["now"].notna() & ~hand["now"].isin(listed)
    assert row["poor_to_near_poor"] == ((hand["before"] == "poor") & (hand["now"] == "near_poor")).sum() > 0
    assert row["near_poor_to_poor"] == ((hand["before"] == "near_poor") & (hand["now"] == "poor")).sum() > 0
    assert row["poor_to_neither"] == ((hand["before"] == "poor") & neither_now).sum() > 0
    assert row["near_poor_to_neither"] == ((hand["before"] == "near_poor") & neither_now).sum() > 0
    assert row["neither_to_poor"] == (neither_before & (hand["now"] == "poor")).sum() > 0
    assert row["neither_to_near_poor"] == (neither_before & (hand["now"] == "near_poor")).sum() > 0
    # The matrix adds up: each row to the previous count, each column to this year's.
    m = transition_matrix(row)
    assert m.loc["poor", ["poor", "near_poor", "neither", "left"]].sum() == m.at["poor", "total"] == (hand["before"] == "poor").sum()
    assert m.loc[["poor", "near_poor", "neither", "new_household"], "poor"].sum() == m.at["total", "poor"] == (hand["now"] == "poor").sum()
    assert m.loc[["poor", "near_poor", "neither", "new_household"], "near_poor"].sum() == (hand["now"] == "near_poor").sum()
    assert pd.isna(m.at["neither", "neither"]) and pd.isna(m.at["new_household", "left"])  # not followed: never 0
    for state, exited in (("poor", "exited_poverty"), ("near_poor", "exited_near_poor")):
        other = "near_poor" if state == "poor" else "poor"
        assert (flows[exited] == flows[f"{state}_to_{other}"] + flows[f"{state}_to_neither"]).all()
        assert (flows[f"newly_{state}"] + flows[f"fallen_back_{state}"] == flows[f"{other}_to_{state}"] + flows[f"neither_to_{state}"]).all()


def test_the_audit_finds_nothing_the_sums_determine(review: Path) -> None:
    panel = with_groups(classify(load_households([review]), STANDARD))
    published = release(panel, YEAR, STANDARD, T)
    assert published.protection.hidden_small
    assert recoverable(published.system, published.protection) == []


# --- the sections -----------------------------------------------------------------------------


def test_transition_section_shows_the_hand_counts_or_hides_them(briefs: dict[str, br.Brief], statuses: pd.DataFrame) -> None:
    b = briefs["vi"]
    counts = transition_counts(b)
    assert counts is not None
    hand = by_hand(statuses, DISTRICT)
    expected = {
        ("poor", "poor"): ((hand["before"] == "poor") & (hand["now"] == "poor")).sum(),
        ("poor", "near_poor"): ((hand["before"] == "poor") & (hand["now"] == "near_poor")).sum(),
        ("near_poor", "near_poor"): ((hand["before"] == "near_poor") & (hand["now"] == "near_poor")).sum(),
        ("new_household", "poor"): (hand["before"].isna() & (hand["now"] == "poor")).sum(),
        ("poor", "total"): (hand["before"] == "poor").sum(),
        ("total", "near_poor"): (hand["now"] == "near_poor").sum(),
    }
    protection = b.tables.protection
    assert protection is not None
    # Who stayed is start − decreases or end − increases: shown only with all the cells of
    # either, and not when small.
    stayed_poor = ("mov:poor:start", "flow:poor_to_near_poor", "mov:poor:decrease_above", "mov:poor:decrease_other")
    stayed_near = ("mov:near_poor:start", "flow:near_poor_to_poor", "mov:near_poor:decrease_above", "mov:near_poor:decrease_other")
    stayed_poor_end = ("poor", "flow:near_poor_to_poor", "mov:poor:increase_fallen_back", "mov:poor:increase_newly", "mov:poor:increase_other")
    stayed_near_end = ("near_poor", "flow:poor_to_near_poor", "mov:near_poor:increase_fallen_back", "mov:near_poor:increase_newly",
                       "mov:near_poor:increase_other")
    cells = {("poor", "poor"): stayed_poor, ("poor", "near_poor"): ("flow:poor_to_near_poor",),
             ("near_poor", "near_poor"): stayed_near,
             ("new_household", "poor"): ("mov:poor:increase_other",),
             ("poor", "total"): ("mov:poor:start",), ("total", "near_poor"): ("near_poor",)}
    for key, value in expected.items():
        # Shown as counted by hand, or hidden exactly where the year's one protection hides it.
        small = key[0] == key[1] and 0 < value < T
        hidden = protection.hides(DISTRICT, *cells[key])
        if key in (("poor", "poor"), ("near_poor", "near_poor")):
            hidden = hidden and protection.hides(DISTRICT, *(stayed_poor_end if key[0] == "poor" else stayed_near_end))
        assert counts[key] == (None if small or hidden else int(value)), key
    assert sum(counts[k] is not None for k in expected) >= 3
    for key, shown in counts.items():
        assert shown is None or not 0 < shown < T, key
    # A hidden count is hidden by the year's one protection.
    assert counts[("poor", "near_poor")] is None or not protection.hides(DISTRICT, "flow:poor_to_near_poor")
    section = sections.transitions(b)
    assert section.table is not None
    shown = section.table.set_index(section.table.columns[0])
    assert shown.at[f"Tổng năm {YEAR}", "Cận nghèo"] == words.fmt_int(expected[("total", "near_poor")], "vi")
    assert shown.at["Hộ nghèo", f"Tổng năm {YEAR - 1}"] in ("–", words.fmt_int(expected[("poor", "total")], "vi"))
    assert section.table.columns[0] == f"Năm {YEAR - 1} → năm {YEAR}"
    assert list(section.table.iloc[:, 0]) == ["Hộ nghèo", "Hộ cận nghèo", "Hộ ngoài diện nghèo, cận nghèo",
                                             "Hộ mới (tách hộ, chuyển đến)", f"Tổng năm {YEAR}"]
    assert section.table.iat[2, 3] == ""  # neither → neither: not followed, blank (not "–", not 0)
    assert any("mã hộ" in n for n in section.notes) and any("Không theo dõi được" in n for n in section.notes)


def test_person_rates_are_the_share_of_members(briefs: dict[str, br.Brief], statuses: pd.DataFrame) -> None:
    here = statuses[(statuses[c.YEAR] == YEAR) & (statuses[c.DISTRICT] == DISTRICT)]
    people = here[c.MEMBERS].sum()
    poor_people = here.loc[here["status"] == "poor", c.MEMBERS].sum()
    near_people = here.loc[here["status"] == "near_poor", c.MEMBERS].sum()
    poor_rate = poor_people / people * 100
    household_rate = (here["status"] == "poor").mean() * 100
    figures = person_figures(briefs["vi"])
    assert figures is not None
    assert figures["poor"]["people"] == poor_people and figures["poor"]["person_rate"] == pytest.approx(poor_rate)
    assert figures["poor"]["gap_pp"] == pytest.approx(poor_rate - household_rate)
    assert figures["near_poor"]["people"] == near_people and figures["total"]["people"] == people
    vi = sections.person_rates(briefs["vi"])
    en = sections.person_rates(briefs["en"])
    assert vi.table is not None and en.table is not None
    row = vi.table.iloc[0].tolist()
    assert row == ["Hộ nghèo", words.fmt_int((here["status"] == "poor").sum(), "vi"), words.fmt_num(household_rate, "vi"),
                   words.fmt_int(poor_people, "vi"), words.fmt_num(poor_rate, "vi"), words.fmt_signed(poor_rate - household_rate, "vi")]
    gap = load_material_gap()
    assert abs(poor_rate - household_rate) >= gap  # Pác Nặm's poor households are larger than average
    assert vi.paragraphs[0] == (f"Tính theo nhân khẩu, {words.fmt_pct(poor_rate, 'vi')} dân số ({words.fmt_int(poor_people, 'vi')} người) "
                                f"sống trong hộ nghèo, cao hơn {words.fmt_num(poor_rate - household_rate, 'vi')} điểm phần trăm so với "
                                f"tỷ lệ tính theo hộ ({words.fmt_pct(household_rate, 'vi')}): các hộ này đông người hơn bình quân.")
    assert en.paragraphs[0].startswith(f"Counting people rather than households, {words.fmt_pct(poor_rate, 'en')} of the population")
    near_gap = near_people / people * 100 - (here["status"] == "near_poor").mean() * 100
    assert abs(near_gap) < gap and "không đáng kể" in vi.paragraphs[1] and "not a material difference" in en.paragraphs[1]


def test_near_poor_deprivations_beside_the_poor(briefs: dict[str, br.Brief], statuses: pd.DataFrame) -> None:
    here = statuses[(statuses[c.YEAR] == YEAR) & (statuses[c.DISTRICT] == DISTRICT)]
    near = here[here["status"] == "near_poor"]
    poor = here[here["status"] == "poor"]
    indicators, near_shares, poor_shares = near_poor_shares(briefs["vi"])
    i = indicators.index("sanitation")
    assert near_shares[i] == pytest.approx(near["sanitation"].astype(bool).mean() * 100)
    assert poor_shares[i] == pytest.approx(poor["sanitation"].astype(bool).mean() * 100)
    protection = briefs["vi"].tables.protection
    assert protection is not None
    for indicator, share in zip(indicators, near_shares):
        deprived = int(near[indicator].astype(bool).sum())
        if 0 < deprived < T:
            assert share is None, indicator  # a small count is never shown, not even as a share
    for lang in ("vi", "en"):
        section = sections.near_poor_deprivations(briefs[lang])
        assert section.chart is not None
        alt = section.chart.alt
        assert words.fmt_num(near_shares[i], lang, 1) in alt
        if lang == "vi":
            assert "." not in alt.split(":", 1)[1].replace("...", "")  # comma decimals only
            assert section.paragraphs[0].startswith(f"Trong {words.fmt_int(len(near), 'vi')} hộ cận nghèo, thiếu hụt phổ biến nhất là")
        else:
            assert section.paragraphs[0].startswith(f"Of the {words.fmt_int(len(near), 'en')} near-poor households")
        hidden = [n for n, s in zip(indicators, near_shares) if s is None]
        for indicator in hidden:  # no value (and no bar): a dash
            assert re.search(re.escape(words.indicator_label(indicator, lang)) + r" [^;]*/ –(;|$)", alt), indicator
        assert "–%" not in alt


def test_sections_in_both_languages(briefs: dict[str, br.Brief]) -> None:
    titles = {"vi": ("Tỷ lệ tính theo hộ và theo nhân khẩu", "Chuyển dịch giữa hộ nghèo, hộ cận nghèo và ngoài diện",
                     "Thiếu hụt của hộ cận nghèo so với hộ nghèo"),
              "en": ("Rates by households and by people", "Moves between poor, near-poor and neither",
                     "Deprivations of near-poor households beside poor households")}
    for lang, expected in titles.items():
        made = (sections.person_rates(briefs[lang]), sections.transitions(briefs[lang]), sections.near_poor_deprivations(briefs[lang]))
        assert tuple(s.title for s in made) == expected
        for s in made:
            page = s._repr_html_()
            assert f'id="{s.anchor}"' in page and "{" not in page


def test_first_year_has_no_transitions(review: Path) -> None:
    b = br.start(district=DISTRICT, year=YEAR - 1, data_path=str(review), lang="en")
    section = sections.transitions(b)
    assert section.table is None and section.paragraphs == (f"{YEAR - 1} is the first review in the data, so no household can yet be followed from one group to another.",)


def test_material_gap_is_a_documented_setting(tmp_path: Path) -> None:
    assert "material_gap_pp" in (DATA_DIR / "brief_settings.toml").read_text(encoding="utf-8")
    good = tmp_path / "ok.toml"
    good.write_text("[persons]\nmaterial_gap_pp = 2.5\n", encoding="utf-8")
    assert load_material_gap(good) == 2.5
    bad = tmp_path / "bad.toml"
    bad.write_text('[persons]\nmaterial_gap_pp = "lots"\n', encoding="utf-8")
    with pytest.raises(DataError, match="material_gap_pp"):
        load_material_gap(bad)
    assert load_material_gap(tmp_path / "none.toml") == 1.0


# --- a commune brief on the new division (2025 against 2024 re-based) -----------------------


COMMUNE = "Bằng Thành"


@pytest.fixture(scope="module")
def commune_brief(bundled_inputs_all: bi.BriefInputs) -> br.Brief:
    """What ``br.start(commune=COMMUNE, year=2025, lang="vi")`` opens (both bundled files), on
    the session's shared inputs of those files (shared_builds.bundled_inputs_all)."""
    return br.commune_brief(bundled_inputs_all, COMMUNE, 2025, "vi")


def test_commune_brief_follows_households_into_the_new_commune(commune_brief: br.Brief) -> None:
    before = pd.read_parquet(BUNDLED_HOUSEHOLDS)
    before = before[before[c.YEAR] == 2024]
    now = pd.read_parquet(DATA_DIR / "households_2025.parquet")
    now = now[now[c.COMMUNE] == COMMUNE]
    was = pd.Series(classify(before, STANDARD)[c.STATUS].astype(str).to_numpy(), index=before[c.HOUSEHOLD_ID])
    status = pd.Series(classify(now, STANDARD)[c.STATUS].astype(str).to_numpy(), index=now[c.HOUSEHOLD_ID])
    prev = was.reindex(status.index)
    counts = transition_counts(commune_brief)
    assert counts is not None and commune_brief.previous_year == 2024
    protection = commune_brief.tables.protection
    assert protection is not None
    before_cells = ("mov:poor:start", "flow:poor_to_near_poor", "mov:poor:decrease_above", "mov:poor:decrease_other")
    after_cells = ("poor", "flow:near_poor_to_poor", "mov:poor:increase_fallen_back", "mov:poor:increase_newly", "mov:poor:increase_other")
    stayed = int(((prev == "poor") & (status == "poor")).sum())
    hidden = protection.hides(COMMUNE, *before_cells) and protection.hides(COMMUNE, *after_cells)
    assert counts[("poor", "poor")] == (None if hidden else stayed)
    above = int(((prev == "poor") & prev.notna() & ~status.isin({"poor", "near_poor"})).sum())
    assert counts[("poor", "neither")] == (None if protection.hides(COMMUNE, "mov:poor:decrease_above") else above)
    # Bằng Thành: 3 of its 2024 poor are no longer listed and 3 near-poor became poor, so who
    # stayed poor (worked out either way) would give one of them back: hidden.
    assert counts[("poor", "poor")] is None and counts[("poor", "total")] is not None
    assert counts[("total", "poor")] == int((status == "poor").sum())
    figures = person_figures(commune_brief)
    assert figures is not None
    members = now[c.MEMBERS].to_numpy()
    poor_people = int(members[(status == "poor").to_numpy()].sum())
    assert figures["poor"]["people"] == poor_people
    assert figures["poor"]["person_rate"] == pytest.approx(poor_people / members.sum() * 100)
    for make in (sections.person_rates, sections.transitions, sections.near_poor_deprivations):
        assert make(commune_brief).title


# --- the command line ------------------------------------------------------------------------


def test_summary_persons_and_flows_json_give_the_hand_counts(review: Path, statuses: pd.DataFrame, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analysis.cli import main

    here = statuses[(statuses[c.YEAR] == YEAR) & (statuses[c.DISTRICT] == DISTRICT)]
    poor_people = int(here.loc[here["status"] == "poor", c.MEMBERS].sum())
    assert main(["summary", "--data", str(review), "--year", str(YEAR), "--persons", "--format", "json"]) == 0
    rows = {r["unit"]: r for r in json.loads(capsys.readouterr().out)}
    row = rows[DISTRICT]
    assert row["poor"] == (here["status"] == "poor").sum()  # the existing keys are kept
    assert row["persons"] == here[c.MEMBERS].sum() and row["poor_persons"] == poor_people
    assert row["poor_persons_rate"] == pytest.approx(poor_people / here[c.MEMBERS].sum() * 100, abs=1e-12)
    assert row["poor_persons_gap_pp"] == pytest.approx(row["poor_persons_rate"] - row["poor_rate"], abs=1e-12)
    assert main(["summary", "--data", str(review), "--year", str(YEAR), "--format", "json"]) == 0
    assert "persons" not in json.loads(capsys.readouterr().out)[0]  # unchanged without --persons

    hand = by_hand(statuses, DISTRICT)
    assert main(["flows", "--data", str(review), "--year", str(YEAR), "--by", "district", "--format", "json"]) == 0
    flows = {r["unit"]: r for r in json.loads(capsys.readouterr().out)}[DISTRICT]
    assert flows["poor_to_near_poor"] == ((hand["before"] == "poor") & (hand["now"] == "near_poor")).sum()
    assert flows["neither_to_poor"] == (hand["before"].notna() & ~hand["before"].isin({"poor", "near_poor"}) & (hand["now"] == "poor")).sum()
    assert flows["exited_poverty"] == flows["poor_to_near_poor"] + flows["poor_to_neither"]
