"""Every word the summary tables show, in Vietnamese and English.

Kept in one place so that they move as one block into the language catalogues
(``analysis/words``) when those exist.
"""

from __future__ import annotations

from ..errors import UsageError

LANGUAGES = ("vi", "en")

WORDS: dict[str, dict[str, str]] = {
    "vi": {
        # sheet names (the contract)
        "sheet_summary": "Tổng hợp",
        "sheet_movement_poor": "Diễn biến hộ nghèo",
        "sheet_movement_near_poor": "Diễn biến hộ cận nghèo",
        "sheet_deprivation_poor": "Thiếu hụt hộ nghèo",
        "sheet_deprivation_near_poor": "Thiếu hụt hộ cận nghèo",
        "sheet_ethnic": "Dân tộc",
        "sheet_targets": "Mục tiêu",
        "sheet_notes": "Ghi chú",
        # titles
        "title_summary": "Kết quả rà soát hộ nghèo, hộ cận nghèo, hộ có mức sống trung bình năm {year}",
        "title_movement_poor": "Diễn biến hộ nghèo năm {year} so với kết quả rà soát năm {previous}",
        "title_movement_near_poor": "Diễn biến hộ cận nghèo năm {year} so với kết quả rà soát năm {previous}",
        "title_deprivation_poor": "Hộ nghèo thiếu hụt các chỉ số dịch vụ xã hội cơ bản năm {year}",
        "title_deprivation_near_poor": "Hộ cận nghèo thiếu hụt các chỉ số dịch vụ xã hội cơ bản năm {year}",
        "title_ethnic": "Hộ nghèo, hộ cận nghèo theo dân tộc của chủ hộ năm {year}",
        "title_targets": "Tỷ lệ hộ nghèo và mục tiêu giảm nghèo đến năm {year}",
        "title_notes": "Ghi chú",
        "synthetic_mark": "DỮ LIỆU MÔ PHỎNG – không phải số liệu thật",
        "no_previous": "Không có kỳ rà soát trước trong dữ liệu: không có diễn biến để tính.",
        # common columns
        "number": "STT",
        "unit": "Đơn vị",
        "province_row": "Toàn tỉnh",
        "households": "Số hộ",
        "persons": "Số nhân khẩu",
        "count_households": "Số hộ",
        "count_persons": "Số khẩu",
        "rate_households": "Tỷ lệ (%)",
        "rate_persons": "Tỷ lệ khẩu (%)",
        "total": "Tổng số",
        "poor": "Hộ nghèo",
        "near_poor": "Hộ cận nghèo",
        "average": "Hộ có mức sống trung bình",
        "ethnic_minority": "Hộ dân tộc thiểu số",
        "em_households": "Số hộ",
        "em_poor": "Hộ nghèo",
        "em_near_poor": "Hộ cận nghèo",
        "kinh": "Kinh",
        "all_minorities": "Các dân tộc thiểu số",
        # movement
        "start": "Đầu kỳ",
        "end": "Cuối kỳ",
        "check": "Kiểm tra: đầu kỳ − giảm + tăng − cuối kỳ (= 0)",
        "poor.decrease_to_other": "Giảm: thoát nghèo thành hộ cận nghèo",
        "poor.decrease_above": "Giảm: thoát nghèo vượt chuẩn cận nghèo",
        "poor.decrease_other": "Giảm khác (ra khỏi danh sách)",
        "poor.increase_from_other": "Tăng: từ hộ cận nghèo",
        "poor.increase_fallen_back": "Tăng: tái nghèo",
        "poor.increase_newly": "Tăng: phát sinh mới",
        "poor.increase_other": "Tăng khác (hộ mới)",
        "near_poor.decrease_to_other": "Giảm: thành hộ nghèo",
        "near_poor.decrease_above": "Giảm: thoát cận nghèo",
        "near_poor.decrease_other": "Giảm khác (ra khỏi danh sách)",
        "near_poor.increase_from_other": "Tăng: từ hộ nghèo",
        "near_poor.increase_fallen_back": "Tăng: tái cận nghèo",
        "near_poor.increase_newly": "Tăng: phát sinh mới",
        "near_poor.increase_other": "Tăng khác (hộ mới)",
        # deprivation
        "group_poor": "Số hộ nghèo",
        "group_near_poor": "Số hộ cận nghèo",
        "deprived_count": "Số hộ thiếu hụt",
        "deprived_share": "Tỷ lệ thiếu hụt (%)",
        # targets
        "scope": "Phạm vi",
        "rate_year": "Tỷ lệ hộ nghèo (%)",
        "fall_year": "Mức giảm (điểm %)",
        "verdict_year": "Đánh giá",
        "period": "Cả giai đoạn {base}–{latest}",
        "average_fall": "Giảm bình quân (điểm %/năm)",
        "target_band": "Mục tiêu (điểm %/năm)",
        "verdict": "Đánh giá",
        "projection": "Dự báo năm {end} (%)",
        "projected_low": "Theo mục tiêu thấp",
        "projected_high": "Theo mục tiêu cao",
        "projected_observed": "Theo tốc độ thực tế",
        "required": "Còn phải giảm mỗi năm",
        "required_pp": "Điểm %",
        "required_households": "Số hộ",
        "scope.province": "Toàn tỉnh",
        "scope.province (published)": "Toàn tỉnh (số liệu công bố)",
        "scope.poor districts": "Các huyện nghèo",
        "scope.ethnic minority households": "Hộ dân tộc thiểu số",
        "status.exceeded": "vượt mục tiêu",
        "status.met": "đạt",
        "status.not_met": "không đạt",
        # notes
        "note_item": "Nội dung",
        "note_value": "Thông tin",
        "note_source": "Nguồn dữ liệu",
        "note_synthetic": "Dữ liệu mô phỏng",
        "note_synthetic_text": "Có: số liệu trong các bảng là dữ liệu mô phỏng (data/SYNTHETIC.md), không phải kết quả rà soát thật.",
        "note_standard": "Chuẩn nghèo",
        "note_year": "Năm rà soát",
        "note_previous": "Kỳ rà soát trước (diễn biến)",
        "note_division": "Địa giới hành chính",
        "division.old": "Trước 1/7/2025 (tỉnh – huyện – xã)",
        "division.new": "Từ 1/7/2025 (tỉnh – xã)",
        "note_level": "Cấp chi tiết",
        "level.district": "Huyện",
        "level.commune": "Xã (kèm tổng huyện)",
        "note_disclosure": "Bảo vệ thông tin hộ",
        "note_threshold": "Ngưỡng ẩn số liệu",
        "note_threshold_text": "{threshold} hộ (tùy chọn --threshold)",
        "note_ethnic_detail": "Chi tiết theo dân tộc",
        "note_ethnic_detail_text": "Từng dân tộc chỉ công bố đến cấp huyện; cấp xã chỉ có Kinh và các dân tộc thiểu số (gộp nhóm nhỏ).",
        "note_movement": "Diễn biến",
        "note_movement_text": (
            "Hộ được theo dõi theo mã hộ giữa hai kỳ rà soát. Nhân khẩu: đầu kỳ và các mục giảm tính theo kỳ trước, "
            "các mục tăng và cuối kỳ theo kỳ này; thay đổi số nhân khẩu của hộ vẫn ở lại được tính vào tăng khác / giảm khác."
        ),
        "note_forms": "Mẫu biểu",
        "note_forms_text": (
            "Bố cục theo các biểu tổng hợp của Thông tư 07/2021/TT-BLĐTBXH (sửa đổi bởi Thông tư 02/2022/TT-BLĐTBXH) "
            "trong phạm vi đã biết; cần đối chiếu với phiên bản chính thức của các biểu mẫu trước khi nộp."
        ),
        "note_numbers": "Định dạng số",
        "note_numbers_text": "Số là giá trị số thật; tỷ lệ tính theo phần trăm, làm tròn hai chữ số thập phân khi hiển thị.",
        "note_made_by": "Tạo bởi",
        "suppressed_comment": "Để trống để bảo vệ thông tin hộ (ô nhỏ hơn {threshold} hộ hoặc ô bổ sung).",
        "footnote_suppressed": "Ô để trống: ẩn để bảo vệ thông tin hộ (xem trang Ghi chú).",
    },
    "en": {
        "sheet_summary": "Summary",
        "sheet_movement_poor": "Poor households movement",
        "sheet_movement_near_poor": "Near-poor movement",
        "sheet_deprivation_poor": "Poor deprivations",
        "sheet_deprivation_near_poor": "Near-poor deprivations",
        "sheet_ethnic": "Ethnic groups",
        "sheet_targets": "Targets",
        "sheet_notes": "Notes",
        "title_summary": "Review results: poor, near-poor and average-living-standard households, {year}",
        "title_movement_poor": "Poor households in {year}: movement since the {previous} review",
        "title_movement_near_poor": "Near-poor households in {year}: movement since the {previous} review",
        "title_deprivation_poor": "Poor households deprived in each basic social service indicator, {year}",
        "title_deprivation_near_poor": "Near-poor households deprived in each basic social service indicator, {year}",
        "title_ethnic": "Poor and near-poor households by ethnic group of the head, {year}",
        "title_targets": "Poor-household rates and poverty-reduction targets to {year}",
        "title_notes": "Notes",
        "synthetic_mark": "SYNTHETIC DATA – not real figures",
        "no_previous": "No earlier review in the data: no movement to count.",
        "number": "No.",
        "unit": "Unit",
        "province_row": "Province",
        "households": "Households",
        "persons": "Persons",
        "count_households": "Households",
        "count_persons": "Persons",
        "rate_households": "Rate (%)",
        "rate_persons": "Rate of persons (%)",
        "total": "Total",
        "poor": "Poor households",
        "near_poor": "Near-poor households",
        "average": "Average living standard",
        "ethnic_minority": "Ethnic-minority households",
        "em_households": "Households",
        "em_poor": "Poor",
        "em_near_poor": "Near-poor",
        "kinh": "Kinh",
        "all_minorities": "All ethnic minorities",
        "start": "Start of period",
        "end": "End of period",
        "check": "Check: start − decreases + increases − end (= 0)",
        "poor.decrease_to_other": "Decrease: exited to near-poor",
        "poor.decrease_above": "Decrease: exited above the near-poor line",
        "poor.decrease_other": "Other decreases (left the list)",
        "poor.increase_from_other": "Increase: from near-poor",
        "poor.increase_fallen_back": "Increase: fallen back",
        "poor.increase_newly": "Increase: newly poor",
        "poor.increase_other": "Other increases (new households)",
        "near_poor.decrease_to_other": "Decrease: became poor",
        "near_poor.decrease_above": "Decrease: exited near-poverty",
        "near_poor.decrease_other": "Other decreases (left the list)",
        "near_poor.increase_from_other": "Increase: from poor",
        "near_poor.increase_fallen_back": "Increase: fallen back",
        "near_poor.increase_newly": "Increase: newly near-poor",
        "near_poor.increase_other": "Other increases (new households)",
        "group_poor": "Poor households",
        "group_near_poor": "Near-poor households",
        "deprived_count": "Households deprived",
        "deprived_share": "Share deprived (%)",
        "scope": "Scope",
        "rate_year": "Poor rate (%)",
        "fall_year": "Fall (pp)",
        "verdict_year": "Verdict",
        "period": "Period {base}–{latest}",
        "average_fall": "Average fall (pp a year)",
        "target_band": "Target (pp a year)",
        "verdict": "Verdict",
        "projection": "Projected {end} (%)",
        "projected_low": "At the low target",
        "projected_high": "At the high target",
        "projected_observed": "At the observed pace",
        "required": "Still needed each year",
        "required_pp": "pp",
        "required_households": "Households",
        "scope.province": "Province",
        "scope.province (published)": "Province (published)",
        "scope.poor districts": "Poor districts",
        "scope.ethnic minority households": "Ethnic-minority households",
        "status.exceeded": "exceeded",
        "status.met": "met",
        "status.not_met": "not met",
        "note_item": "Item",
        "note_value": "Information",
        "note_source": "Source data",
        "note_synthetic": "Synthetic data",
        "note_synthetic_text": "Yes: the tables hold synthetic data (data/SYNTHETIC.md), not real review results.",
        "note_standard": "Poverty standard",
        "note_year": "Review year",
        "note_previous": "Previous review (movement)",
        "note_division": "Administrative division",
        "division.old": "Before 1/07/2025 (province – district – commune)",
        "division.new": "From 1/07/2025 (province – commune)",
        "note_level": "Level of detail",
        "level.district": "District",
        "level.commune": "Commune (with district subtotals)",
        "note_disclosure": "Disclosure control",
        "note_threshold": "Threshold",
        "note_threshold_text": "{threshold} households (option --threshold)",
        "note_ethnic_detail": "Detail by ethnic group",
        "note_ethnic_detail_text": "Each ethnic group is shown down to districts; communes show Kinh and all ethnic minorities only (small groups merged).",
        "note_movement": "Movement",
        "note_movement_text": (
            "Households are followed by household id between the two reviews. Persons: the start and decreases count "
            "the previous review's members, increases and the end this review's; changes in the members of households "
            "that stayed go to other increases / other decreases."
        ),
        "note_forms": "Forms",
        "note_forms_text": (
            "The layout follows the summary forms of Circular 07/2021/TT-BLĐTBXH (amended by Circular 02/2022/TT-BLĐTBXH) "
            "as far as they are known here; check it against the official versions of the forms before filing."
        ),
        "note_numbers": "Numbers",
        "note_numbers_text": "Numbers are real numeric values; rates are percent, shown to two decimals.",
        "note_made_by": "Made by",
        "suppressed_comment": "Left blank to protect households (a cell under {threshold} households, or a complementary cell).",
        "footnote_suppressed": "Blank cells are hidden to protect households (see the Notes sheet).",
    },
}


def word(key: str, lang: str, **fields: object) -> str:
    """A label in ``lang``, with ``{fields}`` filled in."""
    if lang not in WORDS:
        raise UsageError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    text = WORDS[lang].get(key)
    if text is None:
        text = key
    return text.format(**fields) if fields else text


def indicator_label(indicator: str, lang: str) -> str:
    return INDICATORS.get(lang, {}).get(indicator, indicator)


def dimension_label(dimension: str, lang: str) -> str:
    return DIMENSIONS.get(lang, {}).get(dimension, dimension)


INDICATORS: dict[str, dict[str, str]] = {
    "vi": {
        "employment": "Việc làm", "dependants": "Người phụ thuộc", "nutrition": "Dinh dưỡng",
        "health_insurance": "Bảo hiểm y tế", "health_service_access": "Tiếp cận dịch vụ y tế",
        "adult_education": "Trình độ giáo dục người lớn", "child_schooling": "Tình trạng đi học của trẻ em",
        "housing_quality": "Chất lượng nhà ở", "housing_area": "Diện tích nhà ở", "water": "Nguồn nước sinh hoạt",
        "sanitation": "Nhà tiêu hợp vệ sinh", "telecom": "Dịch vụ viễn thông", "information_access": "Phương tiện tiếp cận thông tin",
    },
    "en": {
        "employment": "Employment", "dependants": "Dependants", "nutrition": "Nutrition",
        "health_insurance": "Health insurance", "health_service_access": "Access to health services",
        "adult_education": "Adult education", "child_schooling": "Child schooling",
        "housing_quality": "Housing quality", "housing_area": "Housing area", "water": "Domestic water",
        "sanitation": "Sanitation", "telecom": "Telecommunications", "information_access": "Access to information",
    },
}

DIMENSIONS: dict[str, dict[str, str]] = {
    "vi": {
        "employment": "Việc làm", "health": "Y tế", "education": "Giáo dục", "housing": "Nhà ở",
        "water_sanitation": "Nước sinh hoạt và vệ sinh", "information": "Thông tin",
    },
    "en": {
        "employment": "Employment", "health": "Health", "education": "Education", "housing": "Housing",
        "water_sanitation": "Water and sanitation", "information": "Information",
    },
}
