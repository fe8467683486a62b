"""Words of the briefs: labels and generated sentences, in Vietnamese and English.

Every sentence a brief shows is built here from numbers, never typed into a notebook, so a
new review year or another district gets correct text without anyone editing prose. Numbers
follow each language's conventions (``21.946`` and ``26,93%`` in Vietnamese, ``21,946`` and
``26.93%`` in English). All text is NFC; :func:`nfc` is applied to whatever leaves the module.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from ..errors import UsageError
from ..measures.targets import STATUS_LABELS

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"


def check_lang(lang: str) -> str:
    """The language code, or a usage error naming the valid ones."""
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    return lang


def nfc(text: str) -> str:
    """Text in NFC, the form every output of the briefs uses."""
    return unicodedata.normalize("NFC", text)


# --- numbers ---------------------------------------------------------------------------


def _missing(x: float | int | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _known(x: float | int | None) -> float | None:
    """The value as a float, or None when it is missing (None or NaN)."""
    return None if x is None or math.isnan(x) else float(x)


def _swap_separators(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_int(n: float | int | None, lang: str) -> str:
    """A whole number with the language's thousands separator (``21.946`` / ``21,946``)."""
    value = _known(n)
    if value is None:
        return "–"
    text = f"{round(value):,}"
    return _swap_separators(text) if lang == "vi" else text


def fmt_num(x: float | None, lang: str, digits: int = 2) -> str:
    """A decimal number with the language's decimal mark (``26,93`` / ``26.93``)."""
    known = _known(x)
    if known is None:
        return "–"
    value = round(known, digits) + 0.0  # no "-0.00"
    text = f"{value:,.{digits}f}"
    return _swap_separators(text) if lang == "vi" else text


def fmt_pct(x: float | None, lang: str, digits: int = 2) -> str:
    """A percentage (``26,93%`` / ``26.93%``)."""
    return "–" if _missing(x) else fmt_num(x, lang, digits) + "%"


def fmt_pp(x: float | None, lang: str, digits: int = 2, *, signed: bool = False) -> str:
    """Percentage points, short form for tables (``-2,66 điểm %`` / ``-2.66 pp``)."""
    known = _known(x)
    if known is None:
        return "–"
    number = fmt_num(abs(known) if not signed else known, lang, digits)
    if signed and round(known, digits) > 0:
        number = "+" + number
    return f"{number} {'điểm %' if lang == 'vi' else 'pp'}"


def _pp_words(x: float, lang: str) -> str:
    """Percentage points spelt out for sentences."""
    return f"{fmt_num(abs(x), lang)} {'điểm phần trăm' if lang == 'vi' else 'percentage points'}"


def fmt_range_pp(low: float | None, high: float | None, lang: str) -> str:
    """A target range in pp a year (``2–2,5 điểm %/năm``, ``more than 3 pp a year``)."""
    if _missing(low):
        return "–"
    low_text = _trim(fmt_num(low, lang, 2), lang)
    if _missing(high):
        return f"trên {low_text} điểm %/năm" if lang == "vi" else f"more than {low_text} pp a year"
    high_text = _trim(fmt_num(high, lang, 2), lang)
    return f"{low_text}–{high_text} điểm %/năm" if lang == "vi" else f"{low_text}–{high_text} pp a year"


def _trim(text: str, lang: str) -> str:
    """``2,50`` → ``2,5`` and ``4,00`` → ``4`` (target figures as plans write them)."""
    mark = "," if lang == "vi" else "."
    if mark in text:
        text = text.rstrip("0").rstrip(mark)
    return text


# --- labels ----------------------------------------------------------------------------

_LABELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # section titles
        "headline": ("Số liệu chính", "Headline figures"),
        "communes": ("Hộ nghèo theo xã, phường, thị trấn", "Poverty by commune"),
        "ethnic": ("Hộ dân tộc thiểu số và hộ dân tộc Kinh", "Ethnic-minority and Kinh households"),
        "deprivation": ("Thiếu hụt dịch vụ xã hội cơ bản của hộ nghèo", "Deprivations of poor households"),
        "af": ("Nghèo đa chiều theo phương pháp Alkire-Foster", "Multidimensional poverty (Alkire-Foster)"),
        "trend": ("Xu hướng so với mục tiêu", "Trend against the target"),
        "flows": ("Biến động hộ nghèo", "Movements into and out of poverty"),
        "notes": ("Ghi chú về dữ liệu", "Data notes"),
        "ranking": ("Xếp hạng các huyện, thành phố", "District ranking"),
        "poor_districts": ("Huyện nghèo và các huyện khác", "Poor districts and the other districts"),
        "province_trend": ("Xu hướng toàn tỉnh so với số liệu công bố và mục tiêu", "Province trend against the published series and the targets"),
        "verdicts": ("Đánh giá kết quả giảm nghèo theo huyện", "Districts against their targets"),
        # titles of briefs
        "district_brief": ("Tóm tắt tình hình nghèo", "Poverty brief"),
        "province_brief": ("Tổng quan tình hình nghèo", "Poverty overview"),
        "index_title": ("Báo cáo tóm tắt tình hình nghèo", "Poverty briefs"),
        # table headers
        "indicator": ("Chỉ tiêu", "Measure"),
        "value": ("Giá trị", "Value"),
        "unit": ("Đơn vị", "Unit"),
        "district": ("Huyện, thành phố", "District"),
        "commune": ("Xã, phường, thị trấn", "Commune"),
        "group": ("Nhóm hộ", "Group"),
        "households": ("Tổng số hộ", "Households"),
        "poor": ("Hộ nghèo", "Poor households"),
        "near_poor": ("Hộ cận nghèo", "Near-poor households"),
        "poor_rate": ("Tỷ lệ hộ nghèo", "Poor-household rate"),
        "near_poor_rate": ("Tỷ lệ hộ cận nghèo", "Near-poor rate"),
        "poor_or_near_poor_rate": ("Tỷ lệ hộ nghèo và cận nghèo", "Poor or near-poor rate"),
        "change_pp": ("Thay đổi tỷ lệ hộ nghèo", "Change in poor-household rate"),
        "poor_short": ("Hộ nghèo", "Poor"),
        "near_poor_short": ("Hộ cận nghèo", "Near-poor"),
        "poor_rate_pct": ("Tỷ lệ nghèo (%)", "Poor rate (%)"),
        "near_poor_rate_pct": ("Tỷ lệ cận nghèo (%)", "Near-poor rate (%)"),
        "change_pp_short": ("Thay đổi (điểm %)", "Change (pp)"),
        "rank": ("Xếp hạng (1 = tỷ lệ nghèo cao nhất)", "Rank (1 = highest poor rate)"),
        "is_poor_district": ("Huyện nghèo (QĐ 353/QĐ-TTg)", "Poor district (Decision 353/QĐ-TTg)"),
        "target": ("Mục tiêu giảm", "Target fall"),
        "verdict": ("Đánh giá năm", "Verdict for the year"),
        "period_verdict": ("Đánh giá cả giai đoạn", "Verdict for the period"),
        "average_fall": ("Giảm bình quân (điểm %/năm)", "Average fall (pp a year)"),
        "required_fall": ("Cần giảm/năm để đạt mục tiêu", "Fall a year still needed"),
        "projected": ("Dự báo cuối kỳ (%)", "Projected end rate (%)"),
        "dimension": ("Chiều", "Dimension"),
        "share_all": ("Hộ thiếu hụt (% tổng số hộ)", "Deprived (% of all households)"),
        "share_poor": ("Hộ nghèo thiếu hụt (% hộ nghèo)", "Deprived (% of poor households)"),
        "censored": ("Nghèo đa chiều và thiếu hụt (%)", "Censored headcount (%)"),
        "contribution": ("Đóng góp vào M0 (%)", "Contribution to M0 (%)"),
        "measure": ("Chỉ số", "Measure"),
        "year": ("Năm", "Year"),
        "flow": ("Biến động", "Movement"),
        "count": ("Số hộ", "Households"),
        "scope": ("Phạm vi", "Scope"),
        "source": ("Nguồn", "Source"),
        "standard": ("Chuẩn nghèo", "Poverty standard"),
        "review_year": ("Năm rà soát", "Review year"),
        "links": ("Tệp", "Files"),
        "failed": ("Lỗi khi tạo báo cáo", "Failed to build"),
        "generated": ("Ngày tạo", "Generated on"),
        "province_row": ("Toàn tỉnh", "Province"),
        "yes": ("Có", "Yes"),
        # the new division (since 1 July 2025)
        "commune_brief_section_trend": ("Xu hướng từ năm 2021 trên địa giới mới", "Trend since 2021 on the new units"),
        "commune_ranking": ("Xếp hạng các xã, phường (địa giới mới)", "Communes ranked (new units)"),
        "commune_unit": ("Xã, phường", "Commune"),
        "in_poor_district": ("Thuộc huyện nghèo cũ (QĐ 353/QĐ-TTg)", "In a former poor district (Decision 353/QĐ-TTg)"),
        "commune_rank": ("Tỷ lệ hộ nghèo đứng thứ {rank}/{of} xã, phường có số liệu (thứ 1 là cao nhất). {status}",
                         "Its poor-household rate ranks {rank} of the {of} communes in the data (1 = highest). {status}"),
        "commune_in_poor": ("Xã nằm trọn trong huyện nghèo cũ theo Quyết định 353/QĐ-TTg.",
                            "It lies wholly in a former poor district of Decision 353/QĐ-TTg."),
        "commune_not_poor": ("Xã không thuộc huyện nghèo cũ theo Quyết định 353/QĐ-TTg.",
                             "It does not lie in a former poor district of Decision 353/QĐ-TTg."),
        "group_communes": ("Xã, phường (địa giới từ 1/7/2025)", "Communes (units since 1 July 2025)"),
        "group_districts": ("Huyện, thành phố cũ: đánh giá cuối giai đoạn", "Former districts: end-of-period assessment"),
        "group_province": ("Toàn tỉnh", "Province"),
        "note_covers": ("Số liệu năm {year} chỉ gồm phần tỉnh {old} cũ của tỉnh {new} ({communes} xã, phường); "
                        "các phạm vi của chương trình 2021–2025 (tỉnh, huyện nghèo, hộ dân tộc thiểu số) tính trên phần này.",
                        "The {year} figures cover only the former {old} part of {new} province ({communes} communes); "
                        "the 2021–2025 programme's scopes (province, poor districts, ethnic-minority households) are computed on it."),
        "note_assumed": ("Số liệu năm {year} là dữ liệu mô phỏng: chưa có số liệu công bố cuối năm {year}, tỷ lệ hộ nghèo "
                         "được giả định giảm {fall} điểm phần trăm so với năm {previous}{near}.",
                         "The {year} figures are synthetic: no end-{year} figure is published, and the poor rate is assumed "
                         "to fall {fall} percentage points from {previous}{near}."),
        "note_assumed_near": (", tỷ lệ hộ cận nghèo {rate}%", ", with near-poor at {rate}%"),
        "note_former_district": ("Từ năm {year} không còn cấp huyện: số liệu huyện năm {year} tính theo huyện cũ của hộ "
                                 "(theo xã cũ, hoặc theo xã mới nằm trọn trong một huyện cũ).",
                                 "From {year} there are no districts: a district's {year} figures count households in their "
                                 "former district (from their former commune, or from a new commune lying in one former district)."),
        "note_rebased": ("Các năm trước {year} được quy đổi sang địa giới mới theo bảng chuyển đổi đơn vị hành chính.",
                         "Years before {year} are re-based onto the new units through the crosswalk of administrative units."),
        "note_unplaced": ("Năm {year}: {households} hộ của {commune} không xác định được huyện cũ nên không tính vào số liệu huyện.",
                          "{year}: {households} households of {commune} cannot be placed in a former district and are left out of district figures."),
        "note_not_exact": ("Năm {year}: {commune} không tính được chính xác trên địa giới mới (xã cũ bị chia tách) nên không hiển thị.",
                           "{year}: {commune} is not exact on the new units (an old commune was split) and is left out."),
        "no": ("Không", "No"),
        # chart words
        "observed": ("Thực tế (dữ liệu hộ)", "Observed (household data)"),
        "observed_synthetic": ("Dữ liệu hộ mô phỏng", "Synthetic household data"),
        "standard_change": ("Đổi chuẩn nghèo", "Change of standard"),
        "published": ("Số liệu công bố", "Published"),
        "target_band": ("Khoảng mục tiêu", "Target band"),
        "projection": ("Dự báo theo tốc độ hiện tại", "Projection at the observed pace"),
        "rate_axis": ("Tỷ lệ (% số hộ)", "Rate (% of households)"),
        "share_axis": ("% số hộ", "% of households"),
        "contribution_axis": ("% đóng góp vào M0", "% contribution to M0"),
        "average": ("Bình quân", "Average"),
        # flows
        "exited_poverty": ("Thoát nghèo", "Exited poverty"),
        "newly_poor": ("Hộ nghèo phát sinh mới", "Newly poor"),
        "fallen_back_poor": ("Tái nghèo", "Fallen back into poverty"),
        "exited_near_poor": ("Thoát cận nghèo", "Left near-poverty"),
        "newly_near_poor": ("Hộ cận nghèo phát sinh mới", "Newly near-poor"),
        "fallen_back_near_poor": ("Tái cận nghèo", "Fallen back into near-poverty"),
        # policy groups
        "ethnic_minority_households": ("Hộ dân tộc thiểu số", "Ethnic-minority households"),
        "kinh_households": ("Hộ dân tộc Kinh", "Kinh households"),
        "poor_districts_group": ("Các huyện nghèo", "Poor districts"),
        "other_districts_group": ("Các huyện, thành phố khác", "Other districts"),
        # the same groups inside a sentence
        "ethnic_minority_phrase": ("hộ dân tộc thiểu số", "ethnic-minority households"),
        "kinh_phrase": ("hộ dân tộc Kinh", "Kinh households"),
        "poor_districts_phrase": ("các huyện nghèo", "the poor districts"),
        "other_districts_phrase": ("các huyện, thành phố khác", "the other districts"),
        # data notes
        "synthetic": ("Dữ liệu mô phỏng", "Synthetic data"),
    }
)

#: Verdict words, from the measures' own table (one source for both).
_STATUS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {status: (STATUS_LABELS["vi"][status], STATUS_LABELS["en"][status]) for status in STATUS_LABELS["en"]}
)

_INDICATORS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "employment": ("Việc làm", "Employment"),
        "dependants": ("Người phụ thuộc trong hộ", "Dependants"),
        "nutrition": ("Dinh dưỡng", "Nutrition"),
        "health_insurance": ("Bảo hiểm y tế", "Health insurance"),
        "adult_education": ("Trình độ giáo dục của người lớn", "Adult education"),
        "child_schooling": ("Tình trạng đi học của trẻ em", "Children's school attendance"),
        "housing_quality": ("Chất lượng nhà ở", "Housing quality"),
        "housing_area": ("Diện tích nhà ở bình quân đầu người", "Housing area per person"),
        "water": ("Nguồn nước sinh hoạt", "Domestic water"),
        "sanitation": ("Nhà tiêu hợp vệ sinh", "Hygienic latrine"),
        "telecom": ("Sử dụng dịch vụ viễn thông", "Telecommunication use"),
        "information_access": ("Phương tiện tiếp cận thông tin", "Means of access to information"),
        "health_service_access": ("Tiếp cận dịch vụ y tế", "Access to health services"),
    }
)

_DIMENSIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "employment": ("Việc làm", "Employment"),
        "health": ("Y tế", "Health"),
        "education": ("Giáo dục", "Education"),
        "housing": ("Nhà ở", "Housing"),
        "water_sanitation": ("Nước sinh hoạt và vệ sinh", "Water and sanitation"),
        "information": ("Thông tin", "Information"),
    }
)


def _pick(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = table.get(key)
    if pair is None:
        return nfc(str(key).replace("_", " "))
    return pair[0] if lang == "vi" else pair[1]


def label(key: str, lang: str) -> str:
    """A label of the briefs (section titles, table headers, chart words)."""
    return _pick(_LABELS, key, lang)


def fact_note(key: str, lang: str, **params: object) -> str:
    """A data note of the new division (``note_*`` labels) with its numbers filled in."""
    return nfc(label(key, lang).format(**params))


def status_label(status: str | None, lang: str) -> str:
    """A verdict in the words review reports use (``vượt mục tiêu``, ``đạt``, ``không đạt``)."""
    if status is None or (isinstance(status, float) and math.isnan(status)):
        return "–"
    return _pick(_STATUS, str(status), lang)


def indicator_label(indicator: str, lang: str) -> str:
    """The name of a deprivation indicator as the standards word it."""
    return _pick(_INDICATORS, indicator, lang)


def dimension_label(dimension: str, lang: str) -> str:
    """The name of a dimension of a standard."""
    return _pick(_DIMENSIONS, dimension, lang)


def all_labels() -> dict[str, Mapping[str, tuple[str, str]]]:
    """Every label table (for tests: complete, NFC, both languages)."""
    return {"labels": _LABELS, "status": _STATUS, "indicators": _INDICATORS, "dimensions": _DIMENSIONS}


# --- unit names ------------------------------------------------------------------------


def unit_name(name: str, division_type: str, lang: str) -> str:
    """A district as a sentence names it: ``huyện Pác Nặm`` / ``Pác Nặm district``.

    Reference names of cities already start with their level word (``Thành phố Bắc Kạn``),
    which Vietnamese keeps and English turns into ``Bắc Kạn city``.
    """
    kind = nfc(division_type or "Huyện")
    has_prefix = nfc(name).lower().startswith(kind.lower() + " ")
    if lang == "vi":
        return nfc(name if has_prefix else f"{kind.lower()} {name}")
    bare = name[len(kind) + 1 :] if has_prefix else name
    noun = {"thành phố": "city", "thị xã": "town", "huyện": "district", "xã": "commune", "phường": "ward",
            "thị trấn": "township", "đặc khu": "special zone"}.get(kind.lower(), "district")
    return nfc(f"{bare} {noun}")


def province_name(name: str, lang: str) -> str:
    """``tỉnh Bắc Kạn`` / ``Bắc Kạn province``."""
    return nfc(f"tỉnh {name}" if lang == "vi" else f"{name} province")


def capitalize(text: str) -> str:
    """First letter upper case, the rest untouched (for a sentence that starts with a name)."""
    return text[:1].upper() + text[1:]


def fmt_date(day: date, lang: str) -> str:
    """A date as each language writes it (``29/11/2026`` / ``29 November 2026``)."""
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def brief_title(unit: str, year: int, lang: str, *, province: bool = False) -> str:
    """The title of a brief: ``Tóm tắt tình hình nghèo huyện Pác Nặm năm 2024``."""
    key = "province_brief" if province else "district_brief"
    if lang == "vi":
        return nfc(f"{label(key, lang)} {unit} năm {year}")
    return nfc(f"{label(key, lang)}: {capitalize(unit)}, {year}")


# --- sentences -------------------------------------------------------------------------


def change_clause(change_pp: float | None, previous_year: int | None, previous_rate: float | None, lang: str) -> str:
    """How the poor rate moved since the previous review (a clause, no final stop)."""
    change_pp = _known(change_pp)
    if change_pp is None or previous_year is None:
        return "chưa có số liệu năm trước để so sánh" if lang == "vi" else "no earlier review to compare with"
    before = fmt_pct(previous_rate, lang)
    if round(change_pp, 2) == 0:
        if lang == "vi":
            return f"không đổi so với năm {previous_year} ({before})"
        return f"unchanged from {previous_year} ({before})"
    if lang == "vi":
        verb = "giảm" if change_pp < 0 else "tăng"
        return f"{verb} {_pp_words(change_pp, lang)} so với năm {previous_year} ({before})"
    verb = "down" if change_pp < 0 else "up"
    return f"{verb} {_pp_words(change_pp, lang)} from {previous_year} ({before})"


def headline_sentence(
    unit: str,
    year: int,
    households: int,
    poor: int,
    poor_rate: float,
    near_poor: int,
    near_poor_rate: float,
    change_pp: float | None,
    previous_year: int | None,
    previous_rate: float | None,
    lang: str,
) -> str:
    """``Năm 2024, huyện Pác Nặm còn … hộ nghèo (…%), giảm … điểm phần trăm so với năm 2023 …``."""
    change = change_clause(change_pp, previous_year, previous_rate, lang)
    if lang == "vi":
        return nfc(
            f"Năm {year}, {unit} còn {fmt_int(poor, lang)} hộ nghèo ({fmt_pct(poor_rate, lang)} "
            f"trong tổng số {fmt_int(households, lang)} hộ), {change}; "
            f"và {fmt_int(near_poor, lang)} hộ cận nghèo ({fmt_pct(near_poor_rate, lang)})."
        )
    return nfc(
        f"In {year}, {unit} had {fmt_int(poor, lang)} poor households ({fmt_pct(poor_rate, lang)} "
        f"of {fmt_int(households, lang)} households), {change}, "
        f"and {fmt_int(near_poor, lang)} near-poor households ({fmt_pct(near_poor_rate, lang)})."
    )


def rank_sentence(rank: int, of: int, is_poor_district: bool, lang: str) -> str:
    """Where the district stands among the province's districts, and its poor-district status."""
    if lang == "vi":
        status = (
            "Đây là huyện nghèo theo Quyết định 353/QĐ-TTg."
            if is_poor_district
            else "Đây không phải huyện nghèo theo Quyết định 353/QĐ-TTg."
        )
        return nfc(f"Tỷ lệ hộ nghèo đứng thứ {rank}/{of} huyện, thành phố của tỉnh (thứ 1 là cao nhất). {status}")
    status = (
        "It is one of the poor districts of Decision 353/QĐ-TTg."
        if is_poor_district
        else "It is not one of the poor districts of Decision 353/QĐ-TTg."
    )
    return nfc(f"Its poor-household rate ranks {rank} of the province's {of} districts (1 = highest). {status}")


def verdict_sentence(
    year: int,
    reduction_pp: float | None,
    low: float | None,
    high: float | None,
    status: str | None,
    scope_text: str,
    lang: str,
) -> str:
    """The year's fall against the target that applies (``đạt`` / ``không đạt`` / ``vượt mục tiêu``)."""
    target = fmt_range_pp(low, high, lang)
    reduction_pp = _known(reduction_pp)
    if reduction_pp is None or status is None:
        if lang == "vi":
            return nfc(f"Mục tiêu áp dụng ({scope_text}): giảm {target}; chưa đủ số liệu để đánh giá năm {year}.")
        return nfc(f"Target that applies ({scope_text}): a fall of {target}; not enough data to judge {year}.")
    verdict = status_label(status, lang)
    if lang == "vi":
        moved = f"giảm {_pp_words(reduction_pp, lang)}" if reduction_pp >= 0 else f"tăng {_pp_words(reduction_pp, lang)}"
        if status == "unattainable":
            return nfc(
                f"Năm {year} tỷ lệ hộ nghèo {moved}. Mục tiêu giảm {target} ({scope_text}) không khả thi: tổng mức giảm "
                "yêu cầu lớn hơn chính tỷ lệ hộ nghèo, nên kể cả khi không còn hộ nghèo cũng không đạt được; "
                "vì vậy kết quả không bị đánh giá là không đạt."
            )
        return nfc(
            f"So với mục tiêu giảm {target} ({scope_text}), năm {year} tỷ lệ hộ nghèo {moved}: {verdict}."
        )
    moved = f"fell by {_pp_words(reduction_pp, lang)}" if reduction_pp >= 0 else f"rose by {_pp_words(reduction_pp, lang)}"
    if status == "unattainable":
        return nfc(
            f"In {year} the poor rate {moved}. The target of a fall of {target} ({scope_text}) is unattainable: the total fall "
            "it requires is larger than the poor rate itself, so even ending poverty would not meet it; "
            "the result is therefore not judged a failure."
        )
    return nfc(f"Against the target of a fall of {target} ({scope_text}), in {year} the poor rate {moved}: {verdict}.")


def extremes_sentence(
    highest: tuple[str, float], lowest: tuple[str, float], count: int, lang: str, *, kind: str = "commune"
) -> str:
    """Which unit has the highest and which the lowest poor rate."""
    (hi_name, hi_rate), (lo_name, lo_rate) = highest, lowest
    if lang == "vi":
        noun = "xã, phường, thị trấn" if kind == "commune" else "huyện, thành phố"
        return nfc(
            f"Trong {count} {noun}, tỷ lệ hộ nghèo cao nhất ở {hi_name} ({fmt_pct(hi_rate, lang)}) "
            f"và thấp nhất ở {lo_name} ({fmt_pct(lo_rate, lang)})."
        )
    noun = "communes" if kind == "commune" else "districts"
    return nfc(
        f"Of {count} {noun}, the poor-household rate is highest in {hi_name} ({fmt_pct(hi_rate, lang)}) "
        f"and lowest in {lo_name} ({fmt_pct(lo_rate, lang)})."
    )


def gap_sentence(
    group: str, group_rate: float, group_households: int, other: str, other_rate: float, other_households: int, lang: str
) -> str:
    """Two groups' poor rates side by side, with the gap in pp (``group``/``other``: phrases
    as they read inside a sentence, e.g. ``label("kinh_phrase", lang)``)."""
    if not other_households:
        if lang == "vi":
            return nfc(f"Toàn bộ số hộ là {group}, tỷ lệ hộ nghèo {fmt_pct(group_rate, lang)}; không có {other} để so sánh.")
        return nfc(f"All households are {group}, with a poor rate of {fmt_pct(group_rate, lang)}; there are no {other} to compare with.")
    if not group_households:
        if lang == "vi":
            return nfc(f"Không có {group}; tỷ lệ hộ nghèo của {other} là {fmt_pct(other_rate, lang)}.")
        return nfc(f"There are no {group}; the poor rate of {other} is {fmt_pct(other_rate, lang)}.")
    gap = group_rate - other_rate
    if round(gap, 2) == 0:
        if lang == "vi":
            return nfc(f"Tỷ lệ hộ nghèo của {group} ({fmt_pct(group_rate, lang)}) bằng {other}.")
        return nfc(f"The poor rate of {group} ({fmt_pct(group_rate, lang)}) equals that of {other}.")
    if lang == "vi":
        comparison = "cao hơn" if gap > 0 else "thấp hơn"
        return nfc(
            f"Tỷ lệ hộ nghèo của {group} là {fmt_pct(group_rate, lang)} "
            f"({fmt_int(group_households, lang)} hộ), {comparison} {_pp_words(gap, lang)} "
            f"so với {other} ({fmt_pct(other_rate, lang)}, {fmt_int(other_households, lang)} hộ)."
        )
    comparison = "higher" if gap > 0 else "lower"
    return nfc(
        f"The poor rate of {group} is {fmt_pct(group_rate, lang)} "
        f"({fmt_int(group_households, lang)} households), {_pp_words(gap, lang)} {comparison} "
        f"than that of {other} ({fmt_pct(other_rate, lang)}, {fmt_int(other_households, lang)} households)."
    )


def profile_sentence(top: Sequence[tuple[str, float]], poor: int, lang: str) -> str:
    """The commonest deprivations of poor households (``top``: indicator label, % of poor)."""
    if not poor or not top:
        return nfc("Không có hộ nghèo để phân tích thiếu hụt." if lang == "vi" else "There are no poor households to profile.")
    parts = [f"{_lower_first(name)} ({fmt_pct(share, lang, 1)})" for name, share in top]
    joined = _join(parts, lang)
    if lang == "vi":
        return nfc(f"Trong {fmt_int(poor, lang)} hộ nghèo, các thiếu hụt phổ biến nhất là {joined}.")
    return nfc(f"Among the {fmt_int(poor, lang)} poor households, the commonest deprivations are {joined}.")


def _lower_first(text: str) -> str:
    """A label inside a sentence: first letter lower case (``Nhà tiêu…`` → ``nhà tiêu…``)."""
    return text[:1].lower() + text[1:]


def _join(parts: Sequence[str], lang: str) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    word = " và " if lang == "vi" else " and "
    return ", ".join(parts[:-1]) + word + parts[-1]


def af_sentence(H: float, A: float, M0: float, cutoff: int, indicators: int, top_dimension: tuple[str, float] | None, lang: str) -> str:
    """The Alkire-Foster figures in words, with why they differ from the official rate."""
    dim_name, dim_share = top_dimension or ("–", float("nan"))
    if lang == "vi":
        text = (
            f"Với ngưỡng k = {cutoff}/{indicators} chỉ số, {fmt_pct(H * 100, lang, 1)} số hộ nghèo đa chiều "
            f"theo thiếu hụt (H); bình quân mỗi hộ này thiếu hụt {fmt_pct(A * 100, lang, 1)} tổng trọng số (A); "
            f"chỉ số M0 = H × A = {fmt_num(M0, lang, 3)}."
        )
        if top_dimension:
            text += f" Chiều {_lower_first(dim_name)} đóng góp nhiều nhất vào M0 ({fmt_pct(dim_share, lang, 1)})."
        text += " H chỉ xét thiếu hụt, không xét thu nhập, nên khác tỷ lệ hộ nghèo chính thức."
        return nfc(text)
    text = (
        f"With a cut-off of k = {cutoff} of {indicators} indicators, {fmt_pct(H * 100, lang, 1)} of households are "
        f"multidimensionally poor by deprivations (H); on average they are deprived in {fmt_pct(A * 100, lang, 1)} "
        f"of the weighted indicators (A); M0 = H × A = {fmt_num(M0, lang, 3)}."
    )
    if top_dimension:
        text += f" The {_lower_first(dim_name)} dimension contributes most to M0 ({fmt_pct(dim_share, lang, 1)})."
    text += " H counts deprivations only, not income, so it differs from the official poor-household rate."
    return nfc(text)


def trend_sentences(
    baseline_year: int,
    baseline_rate: float,
    latest_year: int,
    latest_rate: float,
    average_fall: float | None,
    status: str | None,
    target_text: str,
    end_year: int,
    projected_observed: float | None,
    required_fall: float | None,
    households_to_exit: float | None,
    impossible: bool,
    lang: str,
) -> list[str]:
    """The period so far: average fall, verdict, projection and what is still needed."""
    out: list[str] = []
    average_fall, required_fall = _known(average_fall), _known(required_fall)
    if latest_year <= baseline_year or average_fall is None:
        if lang == "vi":
            out.append(f"Chưa có đủ năm rà soát sau năm gốc {baseline_year} để đánh giá xu hướng.")
        else:
            out.append(f"There are not yet enough reviews after the {baseline_year} baseline to judge the trend.")
        return [nfc(s) for s in out]
    verdict = status_label(status, lang)
    if lang == "vi":
        moved = "giảm" if average_fall >= 0 else "tăng"
        out.append(
            f"Từ năm gốc {baseline_year} ({fmt_pct(baseline_rate, lang)}) đến năm {latest_year} ({fmt_pct(latest_rate, lang)}), "
            f"tỷ lệ hộ nghèo {moved} bình quân {_pp_words(average_fall, lang)} mỗi năm, "
            f"so với mục tiêu giảm {target_text}: {verdict}."
        )
        if not _missing(projected_observed) and end_year > latest_year:
            out.append(f"Nếu giữ tốc độ này, năm {end_year} tỷ lệ hộ nghèo sẽ còn khoảng {fmt_pct(projected_observed, lang)}.")
        if required_fall is not None and end_year > latest_year:
            if impossible:
                out.append("Mục tiêu tính bằng điểm phần trăm không thể đạt được vì tỷ lệ hộ nghèo sẽ xuống dưới 0; cần đưa tỷ lệ về 0%.")
            elif required_fall <= 0:
                out.append(f"Tỷ lệ hộ nghèo đã thấp hơn mức mục tiêu của năm {end_year}.")
            else:
                need = f"Để đạt mức thấp của mục tiêu, từ nay đến {end_year} cần giảm {_pp_words(required_fall, lang)} mỗi năm"
                if not _missing(households_to_exit):
                    need += f", tức khoảng {fmt_int(households_to_exit, lang)} hộ thoát nghèo mỗi năm (giả định tổng số hộ không đổi)"
                out.append(need + ".")
        return [nfc(s) for s in out]
    moved = "fell" if average_fall >= 0 else "rose"
    out.append(
        f"From the {baseline_year} baseline ({fmt_pct(baseline_rate, lang)}) to {latest_year} ({fmt_pct(latest_rate, lang)}), "
        f"the poor-household rate {moved} by {_pp_words(average_fall, lang)} a year on average, "
        f"against a target fall of {target_text}: {verdict}."
    )
    if not _missing(projected_observed) and end_year > latest_year:
        out.append(f"At this pace the rate would be about {fmt_pct(projected_observed, lang)} in {end_year}.")
    if required_fall is not None and end_year > latest_year:
        if impossible:
            out.append("The target in percentage points cannot be met: it would take the rate below zero; the rate would have to reach 0%.")
        elif required_fall <= 0:
            out.append(f"The rate is already below the target rate for {end_year}.")
        else:
            need = f"To reach the low end of the target by {end_year}, the rate must fall by {_pp_words(required_fall, lang)} a year"
            if not _missing(households_to_exit):
                need += f", about {fmt_int(households_to_exit, lang)} households leaving poverty each year (assuming the number of households stays the same)"
            out.append(need + ".")
    return [nfc(s) for s in out]


def flows_sentence(year: int, previous_year: int | None, exited: int, newly: int, fallen_back: int, lang: str) -> str:
    """The review's movements: exited poverty, newly poor, fallen back."""
    if previous_year is None:
        if lang == "vi":
            return nfc(f"Năm {year} là năm rà soát đầu tiên trong dữ liệu nên chưa có số liệu biến động.")
        return nfc(f"{year} is the first review in the data, so there are no movements to report.")
    if lang == "vi":
        return nfc(
            f"So với năm {previous_year}, có {fmt_int(exited, lang)} hộ thoát nghèo, "
            f"{fmt_int(newly, lang)} hộ nghèo phát sinh mới và {fmt_int(fallen_back, lang)} hộ tái nghèo."
        )
    return nfc(
        f"Since {previous_year}, {fmt_int(exited, lang)} households exited poverty, "
        f"{fmt_int(newly, lang)} became newly poor and {fmt_int(fallen_back, lang)} fell back into poverty."
    )


def data_notes(source: str, standard_title: str, year: int, synthetic: bool, lang: str) -> list[str]:
    """Where the numbers come from, under which standard, and — when so — that they are synthetic."""
    if lang == "vi":
        notes = [
            f"Nguồn dữ liệu: {source}.",
            f"Chuẩn nghèo: {standard_title}.",
            f"Năm rà soát: {year} (rà soát cuối năm).",
            "Tỷ lệ tính theo số hộ (% số hộ); thay đổi tính bằng điểm phần trăm. Báo cáo chỉ có số liệu tổng hợp, không có thông tin của từng hộ.",
        ]
        if synthetic:
            notes.append(
                "Dữ liệu mô phỏng: số liệu cấp huyện và xã là dữ liệu mô phỏng, không phải số liệu thực của hộ gia đình; "
                "chỉ tổng số toàn tỉnh khớp với số liệu công bố."
            )
        return [nfc(n) for n in notes]
    notes = [
        f"Data source: {source}.",
        f"Poverty standard: {standard_title}.",
        f"Review year: {year} (end-of-year review).",
        "Rates are percent of households; changes are percentage points (pp). The brief shows aggregates only, no household records.",
    ]
    if synthetic:
        notes.append(
            "Synthetic data: the district and commune figures are synthetic, not real household records; "
            "only the province totals match the published figures."
        )
    return [nfc(n) for n in notes]


def province_sentence(
    province: str, year: int, households: int, poor: int, poor_rate: float, change_pp: float | None,
    previous_year: int | None, previous_rate: float | None, lang: str,
) -> str:
    """The province headline."""
    change = change_clause(change_pp, previous_year, previous_rate, lang)
    if lang == "vi":
        return nfc(
            f"Năm {year}, toàn {province} còn {fmt_int(poor, lang)} hộ nghèo ({fmt_pct(poor_rate, lang)} "
            f"trong tổng số {fmt_int(households, lang)} hộ), {change}."
        )
    return nfc(
        f"In {year}, {province} had {fmt_int(poor, lang)} poor households ({fmt_pct(poor_rate, lang)} "
        f"of {fmt_int(households, lang)} households), {change}."
    )


def verdict_count_sentence(counts: Mapping[str, int], year: int, lang: str) -> str:
    """How many districts exceeded, met or missed their target in the year."""
    parts = [f"{counts.get(s, 0)} {status_label(s, lang)}" for s in ("exceeded", "met", "not_met", "unattainable")
             if s != "unattainable" or counts.get(s, 0)]
    if lang == "vi":
        return nfc(f"Năm {year}, số huyện, thành phố theo kết quả so với mục tiêu: {', '.join(parts)}.")
    return nfc(f"In {year}, districts by result against their target: {', '.join(parts)}.")


def published_note(
    lang: str, review: tuple[int, float] | None = None, programme: float | None = None, first: tuple[int, float] | None = None,
) -> str:
    """Why the published series and the household data may differ, and which baseline is which.

    ``review`` is (year, rate) of the approved review that opens the period, ``programme``
    the programme's own baseline for that year and ``first`` (year, rate) the first
    published rate after it: the same fall reads differently from the two baselines, and
    the page says so with the numbers (all read from ``data/published.csv``).
    """
    if review is None or programme is None:
        if lang == "vi":
            return nfc("Số liệu công bố lấy từ báo cáo của tỉnh. Đường còn lại tính từ dữ liệu hộ.")
        return nfc("The published series comes from the province's reports. The other line is computed from the household data.")
    year, base = review
    if lang == "vi":
        text = (f"Số liệu công bố lấy từ báo cáo của tỉnh. Năm {year} có hai mốc: {fmt_pct(base, lang)} (kết quả rà soát "
                f"cuối năm {year} được phê duyệt) và {fmt_pct(programme, lang)} (mốc gốc chương trình, theo đó tỉnh báo cáo "
                "tiến độ); cột công bố đánh giá từ mốc chương trình, cột dữ liệu hộ từ kết quả rà soát.")
        if first is not None:
            y, r = first
            text += (f" Vì vậy cùng tỷ lệ {fmt_pct(r, lang)} năm {y} là giảm {fmt_num(programme - r, lang)} điểm phần trăm so với "
                     f"mốc chương trình nhưng giảm {fmt_num(base - r, lang)} điểm phần trăm so với kết quả rà soát.")
        return nfc(text)
    text = (f"The published series comes from the province's reports. {year} has two baselines: {fmt_pct(base, lang)} (the approved "
            f"end-{year} review) and {fmt_pct(programme, lang)} (the programme baseline the province reports progress from); the "
            "published columns are judged from the programme baseline, the household-data columns from the review.")
    if first is not None:
        y, r = first
        text += (f" So the same {fmt_pct(r, lang)} in {y} is a fall of {fmt_num(programme - r, lang)} percentage points from the "
                 f"programme baseline but {fmt_num(base - r, lang)} from the review.")
    return nfc(text)
