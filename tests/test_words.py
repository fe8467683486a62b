"""The words layer: one catalogue per language, numbers and dates through Babel, no language
branches in the code that writes sentences or tables."""

from __future__ import annotations

import re
import string
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from analysis.errors import UsageError
from analysis.words import LANGS, MINUS, catalogue, check_lang, formatter, nfc, status_label

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"


def test_vietnamese_numbers_through_babel_with_true_minus() -> None:
    vi, en = formatter("vi"), formatter("en")
    assert vi.num(1234.5, 1) == "1.234,5" and en.num(1234.5, 1) == "1,234.5"
    assert vi.count(21946) == "21.946" and en.count(21946) == "21,946"
    assert vi.pct(26.931573) == "26,93%" and en.pct(26.931573) == "26.93%"
    assert vi.signed(-0.26) == MINUS + "0,26" and en.signed(1.5) == "+1.50"
    assert vi.pp(-2.656, signed=True) == "−2,66 điểm %" and en.pp(2.656, signed=True) == "+2.66 pp"
    assert en.num(-0.001) == "0.00"  # no "−0.00"
    assert vi.pct(None) == "–" and en.count(float("nan")) == "–"
    assert "-" not in vi.num(-3.5, 1)  # never a hyphen-minus


def test_target_bands_as_plans_write_them() -> None:
    vi, en = formatter("vi"), formatter("en")
    assert vi.range_pp(2, 2.5) == "2–2,5 điểm %/năm"
    assert en.range_pp(3.5, 4) == "3.5–4 pp a year"
    assert vi.range_pp(3, None) == "trên 3 điểm %/năm"
    assert en.range_pp(3, float("nan"), long=True) == "more than 3 percentage points a year"
    assert vi.range_pp(2, 2.5, long=True) == "2–2,5 điểm phần trăm mỗi năm"


def test_dates_and_ordinals() -> None:
    assert formatter("vi").date(date(2025, 1, 1)) == "01/01/2025"
    assert formatter("en").date(date(2025, 11, 29)) == "29 November 2025"
    assert [formatter("en").ordinal(n) for n in (1, 2, 3, 4, 11, 22)] == ["1st", "2nd", "3rd", "4th", "11th", "22nd"]
    assert formatter("vi").ordinal(3) == "thứ 3" and formatter("vi").ordinal(1) == "thứ 1"  # CLDR "one": the catalogue's general form


def test_one_language_check() -> None:
    assert check_lang("vi") == "vi"
    with pytest.raises(UsageError, match="valid languages: vi, en"):
        check_lang("fr")


def test_catalogues_hold_the_same_keys_and_fields_in_nfc() -> None:
    vi, en = catalogue("vi").tables, catalogue("en").tables
    assert vi.keys() == en.keys()
    for table in vi:
        # English may add "_one" plural forms and its ordinal categories; nothing else differs.
        extra = {k for k in en[table].keys() - vi[table].keys() if not (k.endswith("_one") or k.startswith("ordinal_"))}
        assert vi[table].keys() - en[table].keys() == set() and extra == set(), table
        for key in vi[table]:
            for text in (vi[table][key], en[table][key]):
                assert text and unicodedata.is_normalized("NFC", text), (table, key)
            # the same fields (a name may be capitalised where it starts the sentence)
            fields = {f.lower() for _, f, _, _ in string.Formatter().parse(vi[table][key]) if f}
            assert fields == {f.lower() for _, f, _, _ in string.Formatter().parse(en[table][key]) if f}, (table, key)


def test_vietnamese_catalogue_has_its_diacritics() -> None:
    words = catalogue("vi")
    assert words.label("labels", "poor_rate") == "Tỷ lệ hộ nghèo"
    assert words.label("deprived", "sanitation") == "thiếu nhà tiêu hợp vệ sinh"
    assert nfc("Bă\u0301c Ka\u0323n") == "Bắc Kạn"


def test_every_verdict_has_words_including_unattainable() -> None:
    for lang in LANGS:
        for status in ("exceeded", "met", "not_met", "unattainable"):
            assert catalogue(lang).has("status", status)
    assert status_label("unattainable", "vi") == "mục tiêu không khả thi"
    assert status_label(None, "vi") == "–" and status_label(None, "en", empty="") == ""


@pytest.mark.parametrize("part", ["briefs", "tables"])
def test_no_language_branches_in_briefs_or_tables(part: str) -> None:
    """Sentence logic is written once: the language only picks a catalogue."""
    found = [f"{p.relative_to(PACKAGE)}:{n}" for p in (PACKAGE / part).rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if re.search(r"lang\w*\s*[!=]=", line)]
    assert found == []


def test_no_hand_formatted_numbers_in_briefs() -> None:
    """Numbers reach the reader through the formatter: no decimal-mark swapping by hand."""
    pattern = re.compile(r"""replace\(\s*["'][.,]["']\s*,""")
    found = [str(p.relative_to(PACKAGE)) for p in (PACKAGE / "briefs").rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == []
