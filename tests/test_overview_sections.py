"""The province overview as rich as a district brief: deprivation profile, Alkire-Foster
measures, flows and the poorest communes province-wide, for the 2024 review (old division:
communes under districts) and the end-2025 review (new division: the 37 communes).

Every number is checked against a hand computation on the parquet files (pandas, here) and
against the ``mpi``, ``profile``, ``flows`` and ``summary`` commands a user would run.
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest
from print_helpers import PROVINCE_2025_SECTIONS, PROVINCE_SECTIONS, brief_html

from analysis import words
from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.briefs.sections.figures import FLOW_ROWS
from analysis.briefs.sections.poorest import TOP_COMMUNES
from analysis.measures.classification import classify
from analysis.paths import BUNDLED_2025, BUNDLED_HOUSEHOLDS, PROJECT_DIR
from analysis.review.loading import load_households

#: Decree 07/2021's twelve indicators: six dimensions of two, each weighing 1/12.
INDICATORS = ("employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling",
              "housing_quality", "housing_area", "water", "sanitation", "telecom", "information_access")
BOTH = (str(BUNDLED_HOUSEHOLDS), str(BUNDLED_2025))
FILES = {2024: (str(BUNDLED_HOUSEHOLDS),), 2025: BOTH}


@functools.cache  # the same command twice prints the same: profile and flows of a year are run once for the module
def cli(*args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR))
    done = subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, check=True, cwd=PROJECT_DIR, env=env)
    return done.stdout


def data_args(year: int) -> list[str]:
    return [a for path in FILES[year] for a in ("--data", path)] + ["--year", str(year)]


@pytest.fixture(scope="module")
def prepared(bundled_inputs: bi.BriefInputs, bundled_inputs_all: bi.BriefInputs) -> dict[int, bi.BriefInputs]:
    return {2024: bundled_inputs, 2025: bundled_inputs_all}  # prepare_inputs() and prepare_inputs(list(BOTH))


@pytest.fixture(scope="module")
def households() -> dict[int, pd.DataFrame]:
    """Each year's households as the parquet files hold them."""
    return {2024: pd.read_parquet(BUNDLED_HOUSEHOLDS).query("year == 2024"), 2025: pd.read_parquet(BUNDLED_2025)}


@pytest.fixture(scope="module")
def classified() -> pd.DataFrame:
    return classify(load_households(list(BOTH)), "decree-07-2021")


def province(prepared: dict[int, bi.BriefInputs], year: int, lang: str = "vi") -> br.Brief:
    return br.province_brief(prepared[year], year, lang)


@pytest.mark.parametrize("year", [2024, 2025])
def test_af_measures_are_the_province_by_hand_and_mpi(prepared, households, year: int) -> None:
    frame = households[year]
    score = frame[list(INDICATORS)].fillna(0).astype(int).sum(axis=1) / 12
    poor = score >= 3 / 12 - 1e-12
    H, A, M0 = poor.mean(), score[poor].mean(), score.where(poor, 0).mean()
    shown = json.loads(cli("mpi", *data_args(year), "--format", "json"))[0]
    assert shown["H"] == pytest.approx(H, abs=1e-12) and shown["A"] == pytest.approx(A, abs=1e-12) and shown["M0"] == pytest.approx(M0, abs=1e-12)
    for lang in ("vi", "en"):
        section = sections.alkire_foster(province(prepared, year, lang))
        assert section.kpis == ((words.fmt_pct(H * 100, lang, 1), "H"), (words.fmt_pct(A * 100, lang, 1), "A"), (words.fmt_num(M0, lang, 3), "M0 = H × A"))
        table = section.table
        assert table is not None
        uncensored = [words.fmt_num(frame[i].fillna(0).astype(bool).mean() * 100, lang, 1) for i in INDICATORS]
        assert table.iloc[:, 2].tolist() == uncensored  # deprived, % of all households
        assert table.iloc[:, 5].tolist() == [words.fmt_num(shown["indicators"][i]["contribution_pct"], lang, 1) for i in INDICATORS]
    assert year == 2024 or abs(H - 0.2134274) < 1e-7  # the end-2025 review's own H, not 2024's


@pytest.mark.parametrize("year", [2024, 2025])
def test_deprivation_profile_is_the_province_profile(prepared, classified, year: int) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("profile", *data_args(year), "--format", "csv"))))
    assert len(rows) == len(INDICATORS)
    now = classified[classified["year"] == year]
    poor = now[now["status"] == "poor"]
    by_hand = {i: 100 * poor[i].fillna(0).astype(bool).mean() for i in INDICATORS}
    for r in rows:
        assert float(r["share_poor_pct"]) == pytest.approx(by_hand[r["indicator"]], abs=1e-9)
    top = sorted(rows, key=lambda r: (-float(r["share_poor_pct"]), r["indicator"]))[:3]
    for lang in ("vi", "en"):
        section = sections.deprivations(province(prepared, year, lang))
        sentence = section.paragraphs[0]
        assert words.fmt_int(len(poor), lang) in sentence
        for r in top:
            assert f"({words.fmt_pct(float(r['share_poor_pct']), lang, 1)})" in sentence
        assert section.chart is not None
        for r in rows:
            name = words.indicator_label(r["indicator"], lang)
            pair = f"{name} {words.fmt_num(float(r['share_poor_pct']), lang, 1)}% / {words.fmt_num(float(r['share_all_pct']), lang, 1)}%"
            assert pair in section.chart.alt, pair


@pytest.mark.parametrize("year", [2024, 2025])
def test_flows_are_the_province_flows_by_hand_and_flows(prepared, classified, year: int) -> None:
    shown = json.loads(cli("flows", *data_args(year), "--format", "json"))[0]
    before, now = (classified[classified["year"] == y].set_index("household_id")["status"] for y in (year - 1, year))
    both = pd.concat([before.rename("before"), now.rename("now")], axis=1, join="inner")
    exited = int(((both["before"] == "poor") & (both["now"] != "poor")).sum())
    assert shown["exited_poverty"] == exited
    b = province(prepared, year)
    protection = b.tables.protection
    assert protection is not None
    section = sections.flows(b)
    table = section.table
    assert table is not None
    for key, count in zip(FLOW_ROWS, table.iloc[:, 1]):
        hidden = protection.hides("*", f"flow:{key}")
        assert count == ("–" if hidden else words.fmt_int(shown[key], "vi")), key
    assert table.iloc[0, 1] == words.fmt_int(exited, "vi")
    messages = " ".join(sections.key_messages(b).bullets)
    assert f"{words.fmt_int(exited, 'vi')} hộ thoát nghèo" in messages
    for key in ("newly_poor", "fallen_back_poor"):  # what the flows table hides, no key message says
        if protection.hides("*", f"flow:{key}"):
            assert f"{words.fmt_int(shown[key], 'vi')} hộ" not in messages, key
    if year == 2025:
        assert protection.hides("*", "flow:newly_poor")  # the bundled 2025 review has one to keep from the messages


def _summary_by_commune(year: int) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(cli("summary", *data_args(year), "--by", "commune", "--format", "csv")))
    return {f"{r['district']}/{r['unit']}": r for r in rows}


@pytest.mark.parametrize("year", [2024, 2025])
def test_poorest_communes_are_the_highest_rates_of_summary_by_commune(prepared, classified, year: int) -> None:
    now = classified[classified["year"] == year]
    keys = ["commune"] if year == 2025 else ["district", "commune"]
    by_hand = now.groupby(keys).agg(households=("status", "size"), poor=("status", lambda s: int((s == "poor").sum())),
                                    near=("status", lambda s: int((s == "near_poor").sum())))
    by_hand["rate"] = 100 * by_hand["poor"] / by_hand["households"]
    assert len(by_hand) == (37 if year == 2025 else 108)
    summary = _summary_by_commune(year)
    # the year's protection: the new communes' (as their briefs) on the new division
    protection = br.Brief(prepared[2025].communes, 2025, "vi").tables.protection if year == 2025 else province(prepared, 2024).tables.protection
    assert protection is not None
    for vi_en in ("vi", "en"):
        b = province(prepared, year, vi_en)
        section = sections.poorest_communes(b)
        table = section.table
        assert table is not None and len(table) == TOP_COMMUNES
        names = table.iloc[:, 1].tolist()
        place = table.iloc[:, 2].tolist()
        ranked = by_hand.assign(_name=[k if year == 2025 else k[1] for k in by_hand.index])
        ranked = ranked.sort_values(["rate", "_name"], ascending=[False, True], kind="mergesort")
        # the highest rates the protection shows (a hidden rate is never ranked)
        expected = [n for k, n in zip(ranked.index, ranked["_name"]) if not protection.hides(k if year == 2025 else f"{k[0]}/{k[1]}", "poor", "households")]
        assert names == expected[:TOP_COMMUNES], (names, expected[:TOP_COMMUNES])
        for n, p, row in zip(names, place, table.itertuples(index=False)):
            key = n if year == 2025 else (p, n)
            e = by_hand.loc[key]
            cells = list(row)
            assert cells[3:6] == [words.fmt_int(int(e["households"]), vi_en), words.fmt_int(int(e["poor"]), vi_en), words.fmt_num(float(e["rate"]), vi_en)]
            assert cells[7:9] == [words.fmt_int(int(e["near"]), vi_en), words.fmt_num(100 * float(e["near"]) / float(e["households"]), vi_en)]
            s = summary[f"/{n}" if year == 2025 else f"{p}/{n}"]
            assert (int(s["households"]), int(s["poor"])) == (int(e["households"]), int(e["poor"]))
        assert table.iloc[:, 0].tolist() == [str(i) for i in range(1, TOP_COMMUNES + 1)]
        first = names[0]
        assert f"{first} ({words.fmt_pct(float(by_hand.loc[first if year == 2025 else (place[0], first), 'rate']), vi_en)})" in section.paragraphs[0]
        poor_top = sum(int(by_hand.loc[n if year == 2025 else (p, n), "poor"]) for n, p in zip(names, place))
        assert words.fmt_int(poor_top, vi_en) in section.paragraphs[0]
        assert words.fmt_pct(100 * poor_top / int((now["status"] == "poor").sum()), vi_en, 1) in section.paragraphs[0]
        assert section.chart is not None
    if year == 2025:
        assert place[0] and "Huyện cũ" not in place  # each new commune's former district(s), from the crosswalk


def test_poorest_communes_rank_only_communes_whose_rate_is_shown(prepared) -> None:
    strict = replace(prepared[2024], threshold=150, tables=None)
    b = br.province_brief(strict, 2024, "vi")
    protection = b.tables.protection
    assert protection is not None
    section = sections.poorest_communes(b)
    table = section.table
    assert table is not None
    communes = b.tables.communes.set_index("commune")
    hidden = [m for d, m in zip(communes["district"], communes.index) if protection.hides(f"{d}/{m}", "poor", "households")]
    assert hidden and not set(hidden) & set(table.iloc[:, 1])
    for text in table.iloc[:, 4]:
        assert not 0 < int(text.replace(".", "")) < 150
    assert f"{words.fmt_int(len(hidden), 'vi')} đơn vị có số liệu bị ẩn" in section.notes[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_html_has_the_new_sections_in_both_languages(prepared, lang: str) -> None:
    b = province(prepared, 2024, lang)
    page = brief_html(b, PROVINCE_SECTIONS)
    nav = page[page.index('<nav class="contents"'):page.index("</nav>")]
    titles = {"poorest-communes": sections.poorest_communes(b).title, "deprivation": words.label("deprivation", lang),
              "alkire-foster": words.label("af", lang), "flows": words.label("flows", lang)}
    for anchor, title in titles.items():
        assert f'id="{anchor}"' in page and f'href="#{anchor}"' in nav
        assert html.escape(title) in page
    if lang == "vi":  # Vietnamese charts: comma decimals, in the chart text and its alt text
        chart = sections.poorest_communes(b).chart
        assert chart is not None
        assert not re.search(r"\d\.\d", chart.alt) and re.search(r"\d,\d", chart.alt)
        labels = [html.unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", chart.svg, re.S)]
        assert not [t for t in labels if re.search(r"\d\.\d", t)] and any(re.search(r"\d,\d", t) for t in labels)


def test_commune_ranking_on_the_new_division_hides_and_never_ranks_small_cells(prepared) -> None:
    inputs = prepared[2025]
    assert inputs.communes is not None
    strict = replace(inputs, threshold=400, tables=None, communes=replace(inputs.communes, threshold=400, tables=None))
    b = br.province_brief(strict, 2025, "vi")
    protection = br.Brief(strict.communes, 2025, "vi").tables.protection
    assert protection is not None
    ranking = sections.commune_ranking(b)
    assert ranking is not None and ranking.table is not None
    hidden = [r for r in ranking.table.itertuples(index=False) if protection.hides(r[1], "poor", "households")]
    assert hidden and all(r[0] == "–" and r[4] == "–" for r in hidden)
    for text in ranking.table.iloc[:, 3]:
        assert text == "–" or not 0 < int(text.replace(".", "")) < 400
    assert "bảo vệ thông tin" in ranking.notes[-1]
    poorest = sections.poorest_communes(b).table
    assert poorest is not None and not {r[1] for r in hidden} & set(poorest.iloc[:, 1])


@pytest.mark.parametrize(("lang", "units"), [("vi", "Trong 37 xã, phường, tỷ lệ hộ nghèo"), ("en", "Of 37 communes and wards, the poor-household rate")])
def test_commune_ranking_names_the_new_units_by_their_types(prepared, lang: str, units: str) -> None:
    """The new division has no thị trấn: the 37 units are communes and wards (data/units_new.csv)."""
    ranking = sections.commune_ranking(br.province_brief(prepared[2025], 2025, lang))
    assert ranking is not None and ranking.paragraphs[0].startswith(units), ranking.paragraphs


def test_province_key_messages_name_districts_as_sentences_do(prepared) -> None:
    bullets = sections.key_messages(province(prepared, 2024)).bullets
    assert "cao nhất ở huyện Pác Nặm (42,79%), thấp nhất ở thành phố Bắc Kạn (1,71%)" in bullets[2]
    en = sections.key_messages(province(prepared, 2024, "en")).bullets
    assert "highest in Pác Nặm district (42.79%) and lowest in Bắc Kạn city (1.71%)" in en[2]
    assert en[3] == "The commonest deprivation of poor households is no hygienic latrine, affecting 83.6% of them."


def test_af_table_and_chart_hide_the_same_small_censored_counts(prepared) -> None:
    strict = replace(prepared[2024], threshold=150, tables=None)
    b = br.province_brief(strict, 2024, "en")
    section = sections.alkire_foster(b)
    table, chart = section.table, section.chart
    assert table is not None and chart is not None
    af = b.own("af_indicators").set_index("indicator")
    households = int(b.own("af")["households"].iloc[0])
    small = [i for i in INDICATORS if 0 < round(float(af.loc[i, "censored"]) * households) < 150]
    assert small == ["health_insurance"]  # 0.1% of 83,288 households: 83, under the threshold
    hidden = [i for i, text in zip(INDICATORS, table.iloc[:, 5]) if text == "–"]
    assert len(hidden) == 2 and set(small) < set(hidden)  # with one more, so 100% minus the rest tells nothing
    for i in INDICATORS:
        name = words.indicator_label(i, "en")
        assert (f"{name} " in chart.alt) == (i not in hidden), i


@pytest.mark.parametrize("year", [2024, 2025])
def test_poorest_communes_say_how_many_lie_in_poor_districts(prepared, year: int) -> None:
    poor = pd.read_csv(PROJECT_DIR / "data" / "poor_districts.csv")
    section = sections.poorest_communes(province(prepared, year, "en"))
    table = section.table
    assert table is not None
    names, places = table.iloc[:, 1].tolist(), table.iloc[:, 2].tolist()
    if year == 2024:
        inside = sum(p in set(poor["district"]) for p in places)
    else:  # a new commune counts when every old commune it came from lay in a poor district (crosswalk)
        cross = pd.read_csv(PROJECT_DIR / "data" / "crosswalk_2025.csv")
        cross = cross[cross["old_province_code"] == int(poor["province_code"].iloc[0])]
        bare = cross["new_commune"].str.replace(r"^(Xã|Phường) ", "", regex=True)
        wholly = cross["old_district_code"].isin(set(poor["district_code"])).groupby(bare).all()
        inside = sum(bool(wholly[n]) for n in names)
        assert 0 < inside < len(names)
    expected = {len(names): f"All {len(names)} are", 0: "None of them"}.get(inside, f"wholly contain {inside} of these {len(names)}")
    assert expected in section.paragraphs[1], (inside, section.paragraphs[1])


# --- the end-2025 overview: the former Bắc Kạn, now part of Thái Nguyên ---------------------

VI_2025 = "khu vực tỉnh Bắc Kạn cũ (nay thuộc tỉnh Thái Nguyên)"


def _page_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_end_2025_overview_names_the_former_province_within_thai_nguyen(prepared, households, classified) -> None:
    # The data say it: the end-2025 review's households are of Thái Nguyên, from Bắc Kạn's communes.
    assert set(households[2025]["province"]) == {"Thái Nguyên"} and households[2025]["commune"].nunique() == 37
    old, vi, en = province(prepared, 2024), province(prepared, 2025), province(prepared, 2025, "en")
    assert (old.unit, old.slug, old.title) == ("tỉnh Bắc Kạn", "tinh-bac-kan", "Tổng quan tình hình nghèo tỉnh Bắc Kạn năm 2024")
    assert vi.unit == VI_2025 and vi.title == f"Tổng quan tình hình nghèo {VI_2025} năm 2025"
    assert en.unit == "the former Bắc Kạn province (now part of Thái Nguyên)"
    assert en.title == "Poverty overview: Former Bắc Kạn province (now part of Thái Nguyên), 2025"
    assert vi.slug == en.slug == "bac-kan-cu-thai-nguyen"
    meta = vi.metadata()
    assert (meta["province"], meta["unit"], meta["slug"]) == ("Thái Nguyên", "Bắc Kạn cũ", "bac-kan-cu-thai-nguyen")
    for b, lang in ((vi, "vi"), (en, "en")):
        page = brief_html(b, PROVINCE_2025_SECTIONS)
        assert f"<title>{html.escape(b.title)}</title>" in page and f"<h1>{html.escape(b.title)}</h1>" in page
        text = _page_text(page)
        if lang == "vi":
            poor = int((classified.loc[classified["year"] == 2025, "status"] == "poor").sum())
            assert f"Năm 2025, {VI_2025} còn {words.fmt_int(poor, 'vi')} hộ nghèo" in text
            assert "Thái Nguyên · Bắc Kạn cũ · 2025" in text and "(mục tiêu của tỉnh Bắc Kạn cũ)" in text
            # "tỉnh Bắc Kạn" only as the former province, or as the name of its 2022 plan
            assert not re.findall(r"(?<!năm 2022 của )tỉnh Bắc Kạn(?! cũ)", text)
            assert "toàn khu vực" in text.lower() and "Trong 37 xã, phường của khu vực" in text
            assert "toàn tỉnh" not in text.lower()  # the area is part of a province, not the province
            # districts ended on 1 July 2025: the key messages and the ranking name former ones
            assert "cao nhất ở huyện Pác Nặm cũ (37,84%), thấp nhất ở thành phố Bắc Kạn cũ (1,51%)" in text
            assert "Trong 8 huyện, thành phố cũ, tỷ lệ hộ nghèo cao nhất ở huyện Pác Nặm cũ" in text
            assert not re.findall(r"(?:huyện|thành phố) (?:Pác Nặm|Ngân Sơn|Ba Bể|Bắc Kạn)(?! cũ)", text)
            assert "Đánh giá kết quả giảm nghèo theo huyện, thành phố cũ" in text and "kết quả so với mục tiêu của các huyện, thành phố cũ:" in text
            assert "Tỷ lệ hộ nghèo của các huyện nghèo cũ là" in text and "so với các huyện, thành phố cũ khác" in text
        else:
            assert "In 2025, the former Bắc Kạn province (now part of Thái Nguyên) had" in text
            assert not re.findall(r"(?<![Ff]ormer )Bắc Kạn province", text) and "province-wide" not in text
            assert "highest in former Pác Nặm district (37.84%) and lowest in former Bắc Kạn city (1.51%)" in text
            assert not re.findall(r"(?<![Ff]ormer )(?:Pác Nặm|Ngân Sơn|Ba Bể) district", text)
            assert "Former districts against their targets" in text and "In 2025, the former districts against their targets:" in text


@pytest.mark.parametrize(("lang", "title", "rank"), [
    ("vi", "Tóm tắt tình hình nghèo huyện Pác Nặm cũ năm 2025",
     "Huyện Pác Nặm cũ có tỷ lệ hộ nghèo cao nhất trong 8 huyện, thành phố cũ có số liệu. Huyện Pác Nặm cũ là huyện nghèo"),
    ("en", "Poverty brief: Former Pác Nặm district, 2025",
     "Former Pác Nặm district has the highest poor-household rate of the 8 former districts in the data. Former Pác Nặm district was one"),
])
def test_end_2025_district_brief_is_of_a_former_district_within_the_area(prepared, lang: str, title: str, rank: str) -> None:
    """A 2025 district brief is the former district's (no districts since 1 July 2025) and
    links the area's workbook, not a province's."""
    brief = br.district_brief(prepared[2025], "Pác Nặm", 2025, lang)
    assert brief.title == title and brief.slug == "pac-nam"
    headline = sections.headline(brief).paragraphs
    assert headline[0].startswith(("Năm 2025, huyện Pác Nặm cũ còn", "In 2025, former Pác Nặm district had")) and headline[1].startswith(rank)
    workbook = dict(sections.data_notes(brief).links)
    assert workbook.get(("Bảng tổng hợp toàn khu vực (Excel)", "The former province's summary tables (Excel)")[lang == "en"]) == "bang-tong-hop-2025.xlsx"
    assert br.district_brief(prepared[2024], "Pác Nặm", 2024, lang).title.endswith(("huyện Pác Nặm năm 2024", "Pác Nặm district, 2024"))


# --- near-poor households in the overview, measured over the whole province ------------------


@pytest.mark.parametrize("year", [2024, 2025])
def test_near_poor_sections_are_the_province_by_hand_and_the_commands(prepared, classified, year: int) -> None:
    from analysis.briefs.sections.nearpoor import near_poor_shares, person_figures, transition_counts

    flows = json.loads(cli("flows", *data_args(year), "--format", "json"))[0]
    persons = json.loads(cli("summary", *data_args(year), "--by", "province", "--persons", "--format", "json"))[0]
    profile = {r["indicator"]: r for r in csv.DictReader(io.StringIO(cli("profile", *data_args(year), "--format", "csv")))}
    before, now = (classified[classified["year"] == y].set_index("household_id") for y in (year - 1, year))
    both = pd.concat([before["status"].rename("before"), now["status"].rename("now")], axis=1, join="inner")
    hand = {(a, b): int(((both["before"] == a) & (both["now"] == b)).sum()) for a in ("poor", "near_poor") for b in ("poor", "near_poor")}
    hand |= {(a, "neither"): int(((both["before"] == a) & ~both["now"].isin(["poor", "near_poor"])).sum()) for a in ("poor", "near_poor")}
    assert (flows["poor_to_near_poor"], flows["poor_to_neither"], flows["near_poor_to_poor"], flows["near_poor_to_neither"]) == (
        hand[("poor", "near_poor")], hand[("poor", "neither")], hand[("near_poor", "poor")], hand[("near_poor", "neither")])
    b = province(prepared, year)
    counts = transition_counts(b)
    assert counts is not None
    for key, value in hand.items():
        assert counts[key] in (None, value), key  # the whole province's, or hidden
    assert counts[("poor", "near_poor")] == flows["poor_to_near_poor"] and counts[("poor", "total")] == flows["poor_previous"]
    assert sections.transitions(b).paragraphs[0].startswith(f"Trong {words.fmt_int(flows['poor_previous'], 'vi')} hộ nghèo năm {year - 1}")
    # People: members of poor households over all members, as `summary --persons` gives it.
    members = now["members"]
    poor_people = int(members[now["status"] == "poor"].sum())
    people = person_figures(b)
    assert people is not None and people["poor"]["people"] == poor_people == persons["poor_persons"]
    assert people["poor"]["person_rate"] == pytest.approx(100 * poor_people / members.sum()) and persons["persons"] == members.sum()
    assert people["poor"]["gap_pp"] == pytest.approx(persons["poor_persons_gap_pp"])
    row = sections.person_rates(b).table.iloc[0].tolist()
    assert row[3:5] == [words.fmt_int(poor_people, "vi"), words.fmt_num(persons["poor_persons_rate"], "vi")]
    # Near-poor deprivations: the province's profile (`profile`), near-poor against poor.
    indicators, near, poor = near_poor_shares(b)
    assert len(indicators) == len(profile)
    near_now = now[now["status"] == "near_poor"]
    for i, n, p in zip(indicators, near, poor):
        assert n is None or n == pytest.approx(float(profile[i]["share_near_poor_pct"])), i
        assert n is None or n == pytest.approx(100 * near_now[i].fillna(0).astype(bool).mean()), i
        assert p is None or p == pytest.approx(float(profile[i]["share_poor_pct"])), i
    assert sum(n is not None for n in near) >= len(near) // 2  # most shown (the 2025 review hides 3 small ones)


def test_near_poor_sections_of_the_overview_hide_small_cells(prepared) -> None:
    from analysis.briefs.sections.nearpoor import person_figures, transition_counts

    strict = br.province_brief(replace(prepared[2024], threshold=2000, tables=None), 2024, "vi")
    counts = transition_counts(strict)
    assert counts is not None and any(v is None for v in counts.values())
    assert all(v is None or v == 0 or v >= 2000 for v in counts.values()), counts
    assert "bảo vệ thông tin" in " ".join(sections.transitions(strict).notes)
    people = person_figures(strict)
    assert people is not None
    for group in ("poor", "near_poor"):
        shown = people[group]["households"]
        assert shown is None or shown >= 2000
