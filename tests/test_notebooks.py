"""The notebooks, executed with papermill on a real kernel: the numbers they show are analysis's.

Expected values are computed here straight from the measures (``breakdowns``, ``flows``,
``mpi``), not through ``analysis.briefs.brief``, so a brief that showed the wrong slice, year or
rounding would fail.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import pytest

from analysis import words
from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.measures.breakdowns import poverty_rates
from analysis.measures.classification import classify
from analysis.measures.flows import poverty_flows
from analysis.measures.groups import with_groups
from analysis.measures.mpi import af_measures
from analysis.paths import NOTEBOOKS_DIR, PROJECT_DIR
from analysis.review.loading import load_households
from analysis.tables.figures import row_id
from analysis.tables.workbook import release

DISTRICT_NB = NOTEBOOKS_DIR / "district_brief.ipynb"
PROVINCE_NB = NOTEBOOKS_DIR / "province_overview.ipynb"
COMMUNE_NB = NOTEBOOKS_DIR / "commune_brief.ipynb"
DISTRICT = "Ngân Sơn"
YEAR = 2024


def execute(notebook: Path, out: Path, **parameters: Any) -> nbformat.NotebookNode:
    """papermill as an analyst runs it: a fresh kernel, the notebook's own defaults."""
    return pm.execute_notebook(str(notebook), str(out), parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(PROJECT_DIR))


def section(nb: nbformat.NotebookNode, anchor: str) -> str:
    """The HTML a section cell displayed."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")
            if f'id="{anchor}"' in page:
                return page
    raise AssertionError(f"no section {anchor!r} in the executed notebook")


def rows(page: str) -> list[list[str]]:
    """Table body rows as cell texts (unescaped)."""
    body = page.split("<tbody>", 1)[1]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)] for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


@pytest.fixture(scope="session")
def panel():
    return with_groups(classify(load_households(), "decree-07-2021"))


@pytest.fixture(scope="session")
def district_nb(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    return execute(DISTRICT_NB, tmp_path_factory.mktemp("nb") / "district.ipynb", district=DISTRICT)


@pytest.fixture(scope="session")
def province_nb(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    return execute(PROVINCE_NB, tmp_path_factory.mktemp("nb") / "province.ipynb", lang="en")


# --- the committed notebooks ---------------------------------------------------------------


@pytest.mark.parametrize("path", [DISTRICT_NB, PROVINCE_NB, COMMUNE_NB], ids=lambda p: p.stem)
def test_committed_without_outputs_and_thin(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    for cell in code[2:]:
        assert len(cell.source.splitlines()) <= 3 and re.fullmatch(r"sections\.\w+\(b\)", cell.source.strip()), cell.source
    assert all(unicodedata.is_normalized("NFC", c.source) for c in nb.cells)


@pytest.mark.parametrize("path,names", [
    (DISTRICT_NB, ["district", "year", "data_path", "standard", "lang", "targets_path", "division"]),
    (PROVINCE_NB, ["year", "data_path", "standard", "lang", "targets_path", "division", "threshold"]),
    (COMMUNE_NB, ["commune", "year", "data_path", "standard", "lang", "targets_path", "division", "threshold"]),
], ids=["district", "province", "commune"])
def test_parameters_are_documented_for_papermill(path: Path, names: list[str]) -> None:
    params = pm.inspect_notebook(str(path))
    for name in names:
        assert name in params and params[name]["help"], name
    if "district" in params:
        assert params["district"]["default"] == '"Pác Nặm"' and params["district"]["inferred_type_name"] == "str"
    assert params["year"]["default"] == "None" and params["lang"]["default"] == '"vi"'


# --- a district brief -----------------------------------------------------------------------


def test_headline_numbers_are_analysis_numbers(district_nb: nbformat.NotebookNode, panel) -> None:
    rates = poverty_rates(panel, "district", year=YEAR)
    row = rates[rates["district"] == DISTRICT].iloc[0]
    before = poverty_rates(panel, "district", year=YEAR - 1)
    previous = before.loc[before["district"] == DISTRICT, "poor_rate"].iloc[0]
    rank = int(rates["poor_rate"].rank(ascending=False, method="min")[rates["district"] == DISTRICT].iloc[0])
    page = html.unescape(section(district_nb, "headline"))
    for shown in (
        words.fmt_int(row["households"], "vi"), words.fmt_int(row["poor"], "vi"), words.fmt_pct(row["poor_rate"], "vi"),
        words.fmt_int(row["near_poor"], "vi"), words.fmt_pct(row["near_poor_rate"], "vi"),
        words.fmt_pp(row["poor_rate"] - previous, "vi", signed=True), f"{rank}/{len(rates)}",
    ):
        assert f'<span class="kpi-value" style="display:block">{shown}</span>' in page, shown
    assert f"Năm {YEAR}, huyện {DISTRICT} còn {words.fmt_int(row['poor'], 'vi')} hộ nghèo ({words.fmt_pct(row['poor_rate'], 'vi')}" in page
    assert "huyện nghèo theo Quyết định 353/QĐ-TTg" in page
    # The verdict, decided here by hand from the two rates and Pác Nặm's 3.5–4 pp target.
    fall = previous - row["poor_rate"]
    status, css = ("vượt mục tiêu", "ok") if fall > 4 else ("đạt mục tiêu", "ok") if fall >= 3.5 else ("không đạt mục tiêu", "bad")
    moved = f"giảm {words.fmt_num(fall, 'vi')}" if fall > 0 else f"tăng {words.fmt_num(-fall, 'vi')}"
    assert (f'class="verdict {css}">Năm {YEAR}, tỷ lệ hộ nghèo {moved} điểm phần trăm, {status} giảm '
            "3,5–4 điểm phần trăm mỗi năm") in page


def test_commune_table_is_analysis_table(district_nb: nbformat.NotebookNode, panel) -> None:
    here = panel[(panel["district"] == DISTRICT) & (panel["year"] == YEAR)]
    expected = poverty_rates(here, "commune")
    shown = {r[0]: r for r in rows(section(district_nb, "communes"))}
    assert shown.pop("Tổng")[1] == words.fmt_int(expected["households"].sum(), "vi")
    assert set(shown) == set(expected["commune"])
    for _, e in expected.iterrows():
        r = shown[e["commune"]]
        assert r[1:4] == [words.fmt_int(e["households"], "vi"), words.fmt_int(e["poor"], "vi"), words.fmt_num(e["poor_rate"], "vi")]
        assert r[5:7] == [words.fmt_int(e["near_poor"], "vi"), words.fmt_num(e["near_poor_rate"], "vi")]
    assert "data:image/svg+xml;base64," in section(district_nb, "communes")


def test_ethnic_flows_and_alkire_foster_are_analysis_numbers(district_nb: nbformat.NotebookNode, panel) -> None:
    here = panel[(panel["district"] == DISTRICT) & (panel["year"] == YEAR)]
    groups = poverty_rates(here, "ethnic_minority")
    minority = groups[groups["ethnic_minority"]].iloc[0]
    ethnic = html.unescape(section(district_nb, "ethnic"))
    assert f"hộ dân tộc thiểu số là {words.fmt_pct(minority['poor_rate'], 'vi')} (trên tổng số {words.fmt_int(minority['households'], 'vi')} hộ)" in ethnic

    flows = poverty_flows(panel, YEAR, "district")
    f = flows[flows["district"] == DISTRICT].iloc[0]
    shown = html.unescape(section(district_nb, "flows"))
    sentence = (f"có {words.fmt_int(f['exited_poverty'], 'vi')} hộ thoát nghèo, {words.fmt_int(f['newly_poor'], 'vi')} hộ nghèo phát sinh mới "
                f"và {words.fmt_int(f['fallen_back_poor'], 'vi')} hộ tái nghèo")
    # The year's disclosure protection may hide newly poor and fallen back (a small split of them):
    # then the table shows "–" and no sentence quotes them.
    if release(panel, YEAR, "decree-07-2021").protection.hides(row_id(DISTRICT), "flow:newly_poor", "flow:fallen_back_poor"):
        cells = re.sub(r"<td[^>]*>", "<td>", shown)
        assert "hộ tái nghèo" not in shown and "<td>–</td>" in cells
        assert f"<td>{words.fmt_int(f['exited_poverty'], 'vi')}</td>" in cells
    else:
        assert sentence in shown

    af = af_measures(here, "decree-07-2021").iloc[0]
    page = section(district_nb, "alkire-foster")
    for value in (words.fmt_pct(af["H"] * 100, "vi", 1), words.fmt_pct(af["A"] * 100, "vi", 1), words.fmt_num(af["M0"], "vi", 3)):
        assert f'<span class="kpi-value" style="display:block">{value}</span>' in page


def test_every_section_and_the_synthetic_note_are_shown(district_nb: nbformat.NotebookNode) -> None:
    for anchor in ("headline", "communes", "ethnic", "deprivation", "alkire-foster", "trend", "flows", "notes"):
        assert section(district_nb, anchor)
    assert "Dữ liệu mô phỏng" in section(district_nb, "notes")
    meta = [o["data"]["application/vnd.brief+json"] for c in district_nb.cells for o in c.get("outputs", []) if "application/vnd.brief+json" in o.get("data", {})]
    assert meta and meta[0]["unit"] == DISTRICT and meta[0]["year"] == YEAR and meta[0]["synthetic"] is True


def test_no_household_record_reaches_the_notebook(district_nb: nbformat.NotebookNode, panel) -> None:
    ids = panel.loc[(panel["district"] == DISTRICT) & (panel["year"] == YEAR), "household_id"].astype(str).head(200)
    text = nbformat.writes(district_nb)
    assert not [i for i in ids if i in text]


# --- the province overview, in English -------------------------------------------------------


def test_province_overview_in_english_shows_analysis_numbers(province_nb: nbformat.NotebookNode, panel) -> None:
    rates = poverty_rates(panel, "district", year=YEAR)
    shown = {r[1]: r for r in rows(section(province_nb, "ranking"))}
    for _, e in rates.iterrows():
        assert shown[e["district"]][2:5] == [words.fmt_int(e["households"], "en"), words.fmt_int(e["poor"], "en"), words.fmt_num(e["poor_rate"], "en")]
    total = poverty_rates(panel, year=YEAR).iloc[0]
    headline = html.unescape(section(province_nb, "headline"))
    assert f"In {YEAR}, Bắc Kạn province had {words.fmt_int(total['poor'], 'en')} poor households ({words.fmt_pct(total['poor_rate'], 'en')}" in headline
    everything = "".join(section(province_nb, a) for a in ("headline", "ranking", "poor-districts", "province-trend", "verdicts", "notes"))
    assert "Synthetic data" in everything and "Published" in everything
    for vietnamese in ("Tỷ lệ hộ nghèo", "hộ nghèo", "Năm "):
        assert vietnamese not in everything
    # as rich as a district brief: the province's own profile, AF measures, flows, poorest communes
    af = af_measures(panel, "decree-07-2021", year=YEAR).iloc[0]
    assert f'<span class="kpi-value" style="display:block">{words.fmt_num(af["M0"], "en", 3)}</span>' in section(province_nb, "alkire-foster")
    assert "Exited poverty" in section(province_nb, "flows") and "Deprivations of poor households" in section(province_nb, "deprivation")
    assert "Communes with the highest poor rates province-wide" in section(province_nb, "poorest-communes")


# --- parameters that name nothing in the data -----------------------------------------------


def test_unknown_district_fails_in_the_first_cell_naming_the_choices(tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as failure:
        execute(DISTRICT_NB, tmp_path / "bad.ipynb", district="Pac Nam")
    assert failure.value.ename == "BriefParameterError"
    # in the brief's language (Vietnamese by default): the analyst reads it in the notebook
    assert "có phải 'Pác Nặm'?" in failure.value.evalue and "các huyện, thành phố có: Thành phố Bắc Kạn, Pác Nặm" in failure.value.evalue
    nb = nbformat.read(tmp_path / "bad.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    failed = [i for i, c in enumerate(code) if any(o.get("output_type") == "error" for o in c.outputs)]
    tags = [c.metadata.get("tags", []) for c in code]
    first_after_parameters = max(i for i, t in enumerate(tags) if "parameters" in t or "injected-parameters" in t) + 1
    assert failed == [first_after_parameters]


def test_year_and_language_checks_name_the_choices(bundled_inputs: bi.BriefInputs) -> None:
    inputs = bundled_inputs
    assert br.check_year(inputs, None) == inputs.years[-1]
    with pytest.raises(br.BriefParameterError, match=r"valid years: 2021, 2022, 2023, 2024"):
        br.check_year(inputs, 2019)
    with pytest.raises(br.BriefParameterError, match=r"valid languages: vi, en"):
        br.check_lang("fr")
    assert br.BriefParameterError("x")._render_traceback_() == ["BriefParameterError: x"]
