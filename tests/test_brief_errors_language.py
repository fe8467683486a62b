"""A wrong notebook parameter stops the first cell with one clean line in the brief's
language: the catalogue's sentence, no traceback, in Vietnamese under ``lang="vi"`` and in
English under ``lang="en"`` (papermill on the real notebooks, as an analyst runs them)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import pytest
from test_notebooks import COMMUNE_NB, DISTRICT_NB, execute

from analysis import words
from analysis.briefs import brief as br
from analysis.briefs import inputs as bi
from analysis.review.units import NEW_DIVISION_FROM_YEAR


def fails_with(notebook: Path, out: Path, **parameters: Any) -> str:
    """The message the first cell stopped with, checked to be the one line the analyst sees."""
    with pytest.raises(pm.PapermillExecutionError) as failure:
        execute(notebook, out, **parameters)
    assert failure.value.ename == "BriefParameterError"
    message = str(failure.value.evalue)
    shown = [o for cell in nbformat.read(out, as_version=4).cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert [o["traceback"] for o in shown] == [[f"BriefParameterError: {message}"]]  # no traceback, one line
    assert "\n" not in message
    return message


def said(lang: str, key: str, **fields: Any) -> str:
    return words.catalogue(lang).text(key, **fields)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_commune_brief_on_the_old_division(tmp_path: Path, lang: str) -> None:
    message = fails_with(COMMUNE_NB, tmp_path / "commune.ipynb", division="old", lang=lang)
    assert message == said(lang, "error_commune_division", value="'old'")
    assert ("địa giới mới" if lang == "vi" else "new division") in message


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_threshold_and_standard(tmp_path: Path, lang: str) -> None:
    message = fails_with(DISTRICT_NB, tmp_path / "threshold.ipynb", threshold=0, lang=lang)
    assert message == said(lang, "error_threshold", value="0")
    message = fails_with(DISTRICT_NB, tmp_path / "standard.ipynb", standard="decree-99", lang=lang)
    assert message == said(lang, "error_standard", value="'decree-99'", valid="decree-07-2021, decision-59-2015, decree-351-2025")
    assert ("chuẩn nghèo" if lang == "vi" else "unknown standard") in message


def test_unknown_language_is_said_in_every_language(tmp_path: Path) -> None:
    message = fails_with(DISTRICT_NB, tmp_path / "lang.ipynb", lang="fr")
    assert message == "không có ngôn ngữ 'fr'; các ngôn ngữ có: vi, en / unknown language 'fr'; valid languages: vi, en"


def test_unknown_commune_in_vietnamese(tmp_path: Path) -> None:
    message = fails_with(COMMUNE_NB, tmp_path / "commune.ipynb", commune="Bang Than", lang="vi")
    assert message.startswith("không có xã, phường 'Bang Than' (có phải 'Bằng Thành'?); các xã, phường có: ")
    assert "Đức Xuân" in message


# --- the same checks through the functions the first cell calls (the data loaded once) ----------


@pytest.fixture(scope="module")
def old_only(bundled_inputs: bi.BriefInputs) -> bi.BriefInputs:
    """The bundled 2021–2024 panel: no year on the new division."""
    return bundled_inputs


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_commune_checks_speak_the_briefs_language(old_only: bi.BriefInputs, lang: str) -> None:
    with pytest.raises(br.BriefParameterError) as failure:
        br.commune_view(old_only, "new", lang)
    assert str(failure.value) == said(lang, "error_commune_no_new_year", first=NEW_DIVISION_FROM_YEAR, valid="2021, 2022, 2023, 2024")
    assert str(failure.value) == {"vi": "dữ liệu không có năm rà soát nào theo địa giới mới (từ năm 2025); các năm có: 2021, 2022, 2023, 2024",
                                  "en": "the data hold no review year on the new division (from 2025); years in the data: 2021, 2022, 2023, 2024"}[lang]
    with pytest.raises(br.BriefParameterError) as failure:
        br.check_commune(old_only, "Pac Nam", lang)
    hint = said(lang, "error_hint", hint="'Pác Nặm'")
    units = {"vi": "xã", "en": "communes"}[lang]  # the units' kinds: districts are none of a commune's
    assert str(failure.value) == said(lang, "error_commune_unknown", name="'Pac Nam'", hint=hint, valid=", ".join(old_only.districts), units=units)
    assert str(failure.value).startswith("không có xã 'Pac Nam' (có phải 'Pác Nặm'?)" if lang == "vi"
                                         else "unknown commune 'Pac Nam' (did you mean 'Pác Nặm'?)")


@pytest.fixture(scope="module")
def tables_of_2024(old_only: bi.BriefInputs) -> bi.BriefInputs:
    """What the batch caches: the 2024 tables, here without the households."""
    cached = bi.with_year_tables(old_only, 2024)
    return replace(cached, panel=cached.panel.iloc[0:0])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_cache_and_tables_errors_speak_the_briefs_language(old_only: bi.BriefInputs, tables_of_2024: bi.BriefInputs,
                                                           tmp_path: Path, lang: str) -> None:
    cache = bi.save_inputs(old_only, tmp_path / "inputs.pickle")
    with pytest.raises(br.BriefParameterError) as failure:
        br.start(district="Pác Nặm", cache_path=str(cache), standard="decision-59-2015", lang=lang)
    assert str(failure.value) == said(lang, "error_cache_standard", path=str(cache), standard="'decision-59-2015'")
    brief = br.Brief(tables_of_2024, 2023, lang, "Pác Nặm")
    with pytest.raises(br.BriefParameterError) as failure:
        _ = brief.tables
    assert str(failure.value) == {"vi": "dữ liệu đã chuẩn bị chỉ có bảng số liệu năm 2024, không có năm 2023",
                                  "en": "the prepared data hold the tables of 2024 only, not of 2023"}[lang]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_cache_at_another_threshold_is_refused(old_only: bi.BriefInputs, tmp_path: Path, lang: str) -> None:
    """The notebook's threshold is never silently replaced by the batch cache's: both are named."""
    cache = bi.save_inputs(old_only, tmp_path / "inputs.pickle")
    other = old_only.threshold + 5
    with pytest.raises(br.BriefParameterError) as failure:
        br.start(district="Pác Nặm", cache_path=str(cache), threshold=other, lang=lang)
    assert str(failure.value) == said(lang, "error_cache_threshold", path=str(cache), threshold=str(other), cached=str(old_only.threshold))
    assert str(failure.value) == {
        "vi": f"dữ liệu đã chuẩn bị ({cache}) ẩn số liệu nhỏ theo ngưỡng {old_only.threshold} hộ, không theo ngưỡng {other} hộ của tham số threshold",
        "en": f"the prepared data ({cache}) are protected at a disclosure threshold of {old_only.threshold} households, "
              f"not at the notebook's threshold of {other}"}[lang]
