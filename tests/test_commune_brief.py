"""The commune brief (new division): a real papermill run, its numbers against the measures,
and its parameters checked."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from analysis import words
from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections
from analysis.measures.breakdowns import poverty_rates
from analysis.measures.classification import classify
from analysis.measures.rebase import rebase
from analysis.paths import BUNDLED_ALL, NOTEBOOKS_DIR, PROJECT_DIR
from analysis.review import columns as c
from analysis.review.loading import load_households

COMMUNE_NB = NOTEBOOKS_DIR / "commune_brief.ipynb"
FILES = [str(p) for p in BUNDLED_ALL]


@pytest.fixture(scope="module")
def on_new():
    """Both bundled files, every year on the new units, straight from the measures."""
    return rebase(classify(load_households(FILES), "decree-07-2021"), "new").households


@pytest.fixture(scope="module")
def inputs(bundled_inputs_all: bi.BriefInputs) -> bi.BriefInputs:
    return bundled_inputs_all  # prepare_inputs(FILES)


def _section(nb: nbformat.NotebookNode, anchor: str) -> str:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")
            if f'id="{anchor}"' in page:
                return page
    raise AssertionError(f"no section {anchor!r}")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_commune_notebook_runs_with_papermill(tmp_path: Path, on_new):
    out = tmp_path / "xa-bang-thanh.ipynb"
    nb = pm.execute_notebook(str(COMMUNE_NB), str(out), parameters={"commune": "Xã Bằng Thành", "year": 2025},
                             kernel_name="python3", progress_bar=False, cwd=str(PROJECT_DIR))
    rates = poverty_rates(on_new, ["year", "commune"]).set_index(["year", c.COMMUNE])
    now, before = rates.loc[(2025, "Bằng Thành")], rates.loc[(2024, "Bằng Thành")]
    head = _section(nb, "headline")
    values = [html.unescape(v) for v in re.findall(r'<span class="kpi-value"[^>]*>(.*?)</span>', head)]
    assert values[:3] == [words.fmt_int(now["households"], "vi"), words.fmt_int(now["poor"], "vi"), words.fmt_pct(now["poor_rate"], "vi")]
    assert words.fmt_pp(now["poor_rate"] - before["poor_rate"], "vi", signed=True) in values[3]
    # The trend runs from 2021 on the new units: the 2021 rate is the four old communes' together.
    trend = _text(_section(nb, "trend"))
    assert words.fmt_num(rates.loc[(2021, "Bằng Thành"), "poor_rate"], "vi") in trend
    assert "vượt mục tiêu" in trend or "đạt" in trend
    notes = _text(_section(nb, "notes"))
    assert "giả định giảm 2,25 điểm phần trăm" in notes and "phần tỉnh Bắc Kạn cũ" in notes
    assert "mục tiêu của huyện Pác Nặm cũ" in notes  # districts ended on 1 July 2025
    for anchor in ("ethnic", "deprivation", "alkire-foster", "flows"):
        _section(nb, anchor)


def test_commune_parameters_are_checked(inputs):
    b = br.commune_brief(inputs, "Phường Đức Xuân", 2025, "en")
    assert (b.district, b.slug, b.unit) == ("Đức Xuân", "phuong-duc-xuan", "Đức Xuân ward")
    assert br.commune_brief(inputs, "Bằng Thành", 2021, "vi").slug == "xa-bang-thanh"
    with pytest.raises(br.BriefParameterError, match=r"unknown commune 'Bang Than'.*did you mean 'Bằng Thành'"):
        br.commune_brief(inputs, "Bang Than", lang="en")
    with pytest.raises(br.BriefParameterError, match="division must be \"new\", not 'old'"):
        br.commune_brief(inputs, "Bằng Thành", lang="en", division="old")


def test_straddling_commune_takes_the_province_target(inputs):
    view = inputs.communes
    row = view.targets.set_index("scope").loc["Phong Quang"]
    assert row["assumed_from"] == "province"
    # districts ended on 1 July 2025: the note names former ones, and the former province's target
    assert row["note_vi"].endswith("xã thuộc huyện Bạch Thông cũ và thành phố Bắc Kạn cũ nên áp dụng mục tiêu của tỉnh Bắc Kạn cũ")
    assert row["note"].endswith("it lies in former Bạch Thông district and former Bắc Kạn city, so the former Bắc Kạn province's target applied")
    nghien_loan = view.targets.set_index("scope").loc["Nghiên Loan"]
    assert nghien_loan["assumed_from"] == "Pác Nặm" and nghien_loan["note_vi"].endswith("áp dụng mục tiêu của huyện Pác Nặm cũ")


def test_former_district_brief_for_2025(inputs, on_new):
    """A district brief of 2025 is the former district's end-of-period assessment."""
    b = br.district_brief(inputs, "Pác Nặm", 2025, "vi")
    former = on_new[on_new["former_district"] == "Pác Nặm"]
    rates = poverty_rates(former, "year").set_index("year")
    f = sections.headline_figures(b)
    assert (f["households"], f["poor"]) == (int(rates.loc[2025, "households"]), int(rates.loc[2025, "poor"]))
    trend = sections.trend(b)
    average = (rates.loc[2021, "poor_rate"] - rates.loc[2025, "poor_rate"]) / 4
    assert words.fmt_num(average, "vi") in " ".join(trend.paragraphs)
    notes = " ".join(sections.data_notes(b).paragraphs)
    assert "huyện cũ của hộ" in notes and "giả định giảm 2,25" in notes

    # Its communes are new units, compared with the previous year on the same units.
    d = br.district_brief(inputs, "Bạch Thông", 2025, "vi")
    table = sections.communes(d).table.set_index("Xã")  # the kinds of its new units
    part = poverty_rates(on_new[on_new["former_district"] == "Bạch Thông"], ["year", "commune"]).set_index(["year", c.COMMUNE])["poor_rate"]
    change = part[(2025, "Cẩm Giàng")] - part[(2024, "Cẩm Giàng")]
    assert table.loc["Cẩm Giàng", "Thay đổi (điểm %)"] == words.fmt_pp(change, "vi", signed=True).split()[0]


# --- reports on a year of the new division ---------------------------------------------------

def test_plan_of_a_new_division_year(inputs):
    from analysis.briefs.batch.plan import default_notebooks, plan_units

    units = plan_units(inputs, 2025, None, lang="vi", data=FILES, targets=None, cache_path=Path("inputs.pkl"), notebooks=default_notebooks())
    kinds = [u.level for u in units]
    assert kinds == ["province"] + ["commune"] * 37 + ["district"] * 8
    slugs = [u.slug for u in units]
    assert len(set(slugs)) == len(slugs) and all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)
    assert {"bac-kan-cu-thai-nguyen", "xa-bang-thanh", "phuong-duc-xuan", "phuong-bac-kan", "thanh-pho-bac-kan", "xa-bach-thong", "bach-thong"} <= set(slugs)
    commune = next(u for u in units if u.slug == "xa-bang-thanh")
    assert commune.parameters["commune"] == "Bằng Thành" and commune.parameters["division"] == "new"
    assert commune.notebook.name == "commune_brief.ipynb" and commune.name == "Xã Bằng Thành"
    # An old-division year plans as before: the overview and the districts, no headings.
    old = plan_units(inputs, 2024, None, lang="vi", data=FILES, targets=None, cache_path=Path("inputs.pkl"), notebooks=default_notebooks())
    assert [u.level for u in old] == ["province"] + ["district"] * 8 and not any(u.group for u in old)
    # The batch's division reaches the notebooks: the overview's, and "old" the district briefs'.
    args = dict(lang="vi", data=FILES, targets=None, cache_path=Path("inputs.pkl"), notebooks=default_notebooks())
    assert plan_units(inputs, 2024, None, division="new", **args)[0].parameters["division"] == "new"
    assert {u.parameters.get("division") for u in plan_units(inputs, 2025, None, division="old", **args)} == {"old"}


def test_reports_on_the_new_division_end_to_end(tmp_path: Path, on_new, capsys):
    from analysis.cli import main

    code = main(["reports", "--data", FILES[0], "--data", FILES[1], "--commune", "Bằng Thành", "--formats", "html",
                 "--out", str(tmp_path), "--jobs", "2"])
    assert code == 0, capsys.readouterr().err
    out = tmp_path / "2025"
    # The end-2025 data are of Thái Nguyên, the former Bắc Kạn's 37 communes: so says every name of the overview.
    assert {p.name for p in out.glob("*.html")} == {"index.html", "bac-kan-cu-thai-nguyen.html", "xa-bang-thanh.html"}
    index = _text((out / "index.html").read_text(encoding="utf-8"))
    area = "khu vực tỉnh Bắc Kạn cũ (nay thuộc tỉnh Thái Nguyên)"
    assert f"Báo cáo tóm tắt tình hình nghèo – {area}, 2025" in index and not re.search(r"tỉnh Bắc Kạn(?! cũ)", index)
    assert index.index("Toàn khu vực tỉnh cũ") < index.index("Xã, phường (địa giới từ 1/7/2025)") < index.index("Xã Bằng Thành")
    rates = poverty_rates(on_new, ["year", "commune"]).set_index(["year", c.COMMUNE]).loc[(2025, "Bằng Thành")]
    row = re.search(r"Xã Bằng Thành(.*?)HTML", index, re.S).group(1).split()
    assert row[:3] == [words.fmt_int(rates["households"], "vi"), words.fmt_int(rates["poor"], "vi"), words.fmt_num(rates["poor_rate"], "vi")]
    overview = _text((out / "bac-kan-cu-thai-nguyen.html").read_text(encoding="utf-8"))
    assert f"Tổng quan tình hình nghèo {area} năm 2025" in overview
    assert "Xếp hạng các xã, phường (địa giới mới)" in overview and "giả định giảm 2,25 điểm phần trăm" in overview
    brief = _text((out / "xa-bang-thanh.html").read_text(encoding="utf-8"))
    assert "phần tỉnh Bắc Kạn cũ" in brief and "mô phỏng" in brief


def test_commune_brief_of_an_old_division_year_on_the_new_units(on_new):
    """division='new' briefs a commune for 2024 from the panel alone, re-based."""
    b = br.start(commune="Đức Xuân", year=2024, data_path=FILES[0], lang="en")
    rates = poverty_rates(on_new, ["year", "commune"]).set_index(["year", c.COMMUNE]).loc[(2024, "Đức Xuân")]
    f = sections.headline_figures(b)
    assert (f["households"], f["poor"]) == (int(rates["households"]), int(rates["poor"]))
    notes = " ".join(sections.data_notes(b).paragraphs)
    assert "re-based onto the new units" in notes and "2.25" not in notes  # no 2025 file: nothing assumed


def test_reports_plan_with_division(inputs):
    from analysis.briefs.batch.plan import default_notebooks, plan_units

    def levels(year, division):
        units = plan_units(inputs, year, None, lang="vi", data=FILES, targets=None, cache_path=Path("x"), notebooks=default_notebooks(), division=division)
        return [u.level for u in units]

    assert levels(2024, "new") == ["province"] + ["commune"] * 37
    assert levels(2025, "old") == ["province"] + ["district"] * 8
