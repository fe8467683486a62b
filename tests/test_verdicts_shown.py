"""An unattainable target is shown as such in the briefs: never "không đạt", never red."""

from __future__ import annotations

import pytest

from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.briefs import sections


@pytest.fixture(scope="module")
def inputs(bundled_inputs: bi.BriefInputs) -> bi.BriefInputs:
    return bundled_inputs


@pytest.mark.parametrize(("lang", "words"), [("vi", "không khả thi"), ("en", "unattainable")])
def test_city_headline_explains_the_unattainable_target(inputs: bi.BriefInputs, lang: str, words: str) -> None:
    section = sections.headline(br.district_brief(inputs, "Thành phố Bắc Kạn", 2024, lang))
    assert section.verdict is not None
    text, ok = section.verdict
    assert ok is None and words in text
    assert "không đạt:" not in text and "not met" not in text
    page = section._repr_html_()
    assert 'class="verdict na"' in page and 'class="verdict bad"' not in page


def test_province_table_counts_it_apart(inputs: bi.BriefInputs) -> None:
    section = sections.district_verdicts(br.province_brief(inputs, 2024, "vi"))
    assert "1 mục tiêu không khả thi" in section.paragraphs[0]
    assert section.table is not None
    city = section.table[section.table.iloc[:, 0] == "Thành phố Bắc Kạn"].iloc[0]
    assert "mục tiêu không khả thi" in city.tolist() and "không đạt" not in city.tolist()


def test_index_row_marks_it_neither_pass_nor_fail(inputs: bi.BriefInputs) -> None:
    from pathlib import Path

    from analysis.briefs.batch.index import index_row
    from analysis.briefs.batch.plan import Unit

    unit = Unit("thanh-pho-bac-kan", "Thành phố Bắc Kạn", Path("x.ipynb"), {}, "Thành phố Bắc Kạn")
    row = index_row(inputs, unit, None, year=2024, lang="vi")
    assert row["verdict"] == "mục tiêu không khả thi" and row["verdict_class"] == "na"


@pytest.mark.parametrize(("district", "lang", "words"), [
    ("Pác Nặm", "vi", "(giả định: mục tiêu của các huyện nghèo)"),
    ("Pác Nặm", "en", "(assumed: the poor districts' target)"),
    ("Ba Bể", "en", "(assumed: the province's target)"),
])
def test_borrowed_targets_are_named_as_assumed(inputs: bi.BriefInputs, district: str, lang: str, words: str) -> None:
    section = sections.headline(br.district_brief(inputs, district, 2024, lang))
    assert section.verdict is not None and words in section.verdict[0]
    assert f"mục tiêu của {district}" not in section.verdict[0] and f"target for {district}" not in section.verdict[0]


def test_assumed_from_must_name_another_row(tmp_path) -> None:
    from analysis.errors import DataError
    from analysis.measures.targets import load_targets

    path = tmp_path / "targets.csv"
    path.write_text("scope,baseline_year,end_year,reduction_low_pp,reduction_high_pp,source,assumed_from\n"
                    "province,2021,2025,2,2.5,plan,\nPác Nặm,2021,2025,3.5,4,plan,poor districts\n", encoding="utf-8")
    with pytest.raises(DataError, match="assumed_from"):
        load_targets(path)


@pytest.mark.parametrize(("lang", "words"), [("vi", "không có huyện, thành phố 'Pac Nam' (có phải 'Pác Nặm'?)"),
                                            ("en", "unknown district 'Pac Nam' (did you mean 'Pác Nặm'?)")])
def test_parameter_errors_speak_the_briefs_language(inputs: bi.BriefInputs, lang: str, words: str) -> None:
    with pytest.raises(br.BriefParameterError) as failure:
        br.district_brief(inputs, "Pac Nam", None, lang)
    assert words in str(failure.value)
    with pytest.raises(br.BriefParameterError, match="năm rà soát 1999" if lang == "vi" else "review year 1999"):
        br.district_brief(inputs, "Pác Nặm", 1999, lang)
