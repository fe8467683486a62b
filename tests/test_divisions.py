"""Validation by division: each review year is checked against the division in force for it
(old up to the end-2024 review, new from the end-2025 review), for any province."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import records

from analysis import DataError, check_files, load_households
from analysis.review import columns as c
from analysis.review.units import NEW, OLD, division_of_year, load_units, national_units

NEW_RECORD = {c.YEAR: 2025, c.PROVINCE: "Thái Nguyên", c.DISTRICT: "", c.COMMUNE: "Đức Xuân"}


def problems(path) -> list[str]:
    return [str(p) for p in check_files([path]).problems]


def test_division_of_a_review_year() -> None:
    assert [division_of_year(y) for y in (2021, 2024, 2025, 2026)] == [OLD, OLD, NEW, NEW]


def test_new_division_file_without_district_column(write_csv) -> None:
    frame = records(
        NEW_RECORD,
        {**NEW_RECORD, c.COMMUNE: "Phường Bắc Kạn", c.AREA: "urban"},
        {**NEW_RECORD, c.COMMUNE: "xa phong quang"},  # no diacritics: not matched (as before), see below
    ).drop(columns=[c.DISTRICT])
    found = problems(write_csv(frame))
    assert len(found) == 1 and "column 'commune': found 'xa phong quang'" in found[0] and "did you mean 'Phong Quang'?" in found[0]
    loaded = load_households(write_csv(frame.iloc[:2]))
    assert loaded[c.PROVINCE].tolist() == ["Thái Nguyên"] * 2
    assert loaded[c.COMMUNE].tolist() == ["Đức Xuân", "Bắc Kạn"]
    assert loaded[c.DISTRICT].tolist() == ["", ""]
    assert loaded[c.FORMER_COMMUNE].tolist() == ["", ""]


def test_mixed_file_each_year_in_its_division(write_csv) -> None:
    frame = records(
        {},  # 2024, Bắc Kạn, Pác Nặm, Nghiên Loan
        {c.DISTRICT: "Thành phố Bắc Kạn", c.COMMUNE: "Nguyễn Thị Minh Khai"},
        {**NEW_RECORD, c.HOUSEHOLD_ID: "H1", c.FORMER_COMMUNE: "Nguyễn Thị Minh Khai"},
        {**NEW_RECORD, c.HOUSEHOLD_ID: "H2", c.COMMUNE: "Nghiên Loan", c.FORMER_COMMUNE: "Xã Nghiên Loan"},
    )
    loaded = load_households(write_csv(frame))
    assert loaded[c.PROVINCE].tolist() == ["Bắc Kạn", "Bắc Kạn", "Thái Nguyên", "Thái Nguyên"]
    assert loaded[c.DISTRICT].tolist() == ["Pác Nặm", "Thành phố Bắc Kạn", "", ""]
    assert loaded[c.COMMUNE].tolist() == ["Nghiên Loan", "Nguyễn Thị Minh Khai", "Đức Xuân", "Nghiên Loan"]
    assert loaded[c.FORMER_COMMUNE].tolist() == ["", "", "Nguyễn Thị Minh Khai", "Nghiên Loan"]
    assert list(loaded.columns[:9]) == list(c.IDENTITY_COLUMNS)


def test_a_name_of_the_other_division_says_so(write_csv) -> None:
    frame = records(
        {c.DISTRICT: "Thành phố Bắc Kạn", c.COMMUNE: "Phường Bắc Kạn"},  # a new ward, in 2024
        {**NEW_RECORD, c.COMMUNE: "Nguyễn Thị Minh Khai"},  # an old ward, in 2025
        {**NEW_RECORD, c.PROVINCE: "Bắc Kạn"},  # an old province, in 2025
    )
    found = problems(write_csv(frame))
    assert len(found) == 3, found
    assert found[0].endswith(
        "row 2, column 'commune': found 'Phường Bắc Kạn', expected a commune of Thành phố Bắc Kạn: "
        "Bắc Kạn is a commune of the new division; the 2024 review uses the old one"
    )
    assert found[1].endswith(
        "row 3, column 'commune': found 'Nguyễn Thị Minh Khai', expected a commune of Thái Nguyên: "
        "Nguyễn Thị Minh Khai is a commune of the old division; the 2025 review uses the new one "
        "(Nguyễn Thị Minh Khai is now part of Đức Xuân)"
    )
    assert found[2].endswith(
        "row 4, column 'province': found 'Bắc Kạn', expected a province of the new division: "
        "Bắc Kạn is a province of the old division; the 2025 review uses the new one"
    )


def test_district_in_a_new_year_and_missing_for_an_old_year(write_csv) -> None:
    found = problems(write_csv(records({**NEW_RECORD, c.DISTRICT: "Thành phố Bắc Kạn"})))
    assert len(found) == 1 and "column 'district': found 'Thành phố Bắc Kạn', expected an empty cell: the 2025 review uses the new division" in found[0]
    found = problems(write_csv(records({}, NEW_RECORD).drop(columns=[c.DISTRICT])))
    assert len(found) == 1 and "missing column 'district' (review years up to 2024, such as 2024, use the old division" in found[0]


def test_a_split_commune_and_former_commune(write_csv) -> None:
    """Phường Cống Vị (Hà Nội) was divided between Ngọc Hà and Giảng Võ: both accept it as
    former commune; Vĩnh Phúc went whole to Ngọc Hà, so Giảng Võ does not."""
    base = {c.YEAR: 2025, c.PROVINCE: "Thành phố Hà Nội", c.DISTRICT: "", c.AREA: "urban", c.ETHNICITY: "Kinh"}
    frame = records(
        {**base, c.COMMUNE: "Ngọc Hà", c.FORMER_COMMUNE: "Cống Vị"},
        {**base, c.COMMUNE: "Giảng Võ", c.FORMER_COMMUNE: "phường Cống Vị"},
        {**base, c.COMMUNE: "Ngọc Hà", c.FORMER_COMMUNE: "Vĩnh Phúc"},
    )
    loaded = load_households(write_csv(frame))
    assert loaded[c.PROVINCE].tolist() == ["Hà Nội"] * 3
    assert loaded[c.FORMER_COMMUNE].tolist() == ["Cống Vị", "Cống Vị", "Vĩnh Phúc"]
    wrong = records({**base, c.COMMUNE: "Giảng Võ", c.FORMER_COMMUNE: "Vĩnh Phúc"})
    (found,) = problems(write_csv(wrong))
    assert "column 'former_commune': found 'Vĩnh Phúc', expected a former commune of Giảng Võ (one of: " in found
    assert found.endswith("; Vĩnh Phúc went to Ngọc Hà")


def test_a_straddling_commune_without_former_commune(write_csv) -> None:
    """Xã Phong Quang took communes of two former districts; without former_commune the file
    is still valid (the former district is then unknown, which re-basing must say)."""
    loaded = load_households(write_csv(records({**NEW_RECORD, c.COMMUNE: "Phong Quang"})))
    assert loaded[c.COMMUNE].tolist() == ["Phong Quang"] and loaded[c.FORMER_COMMUNE].tolist() == [""]


def test_same_name_two_level_words_in_one_district(write_csv) -> None:
    """Gia Lâm (Hà Nội) had both Thị trấn and Xã Yên Viên: the level word tells them apart."""
    base = {c.PROVINCE: "Hà Nội", c.DISTRICT: "Huyện Gia Lâm"}
    loaded = load_households(write_csv(records({**base, c.COMMUNE: "Thị trấn Yên Viên"}, {**base, c.COMMUNE: "xã Yên Viên"})))
    assert loaded[c.COMMUNE].tolist() == ["Thị trấn Yên Viên", "Xã Yên Viên"]


def generated_file(division: str, provinces: list[str], rows_per_province: int, seed: int) -> pd.DataFrame:
    """Households spread over random units of other provinces, from the national tables."""
    rng = np.random.default_rng(seed)
    table = national_units(division)
    out = []
    for name in provinces:
        units = load_units(province=name, division=division)
        for n in range(rows_per_province):
            change = {c.HOUSEHOLD_ID: f"{name}-{n}", c.PROVINCE: units.province, c.YEAR: 2023 if division == OLD else 2025}
            if division == OLD:
                district = units.districts[rng.integers(len(units.districts))]
                change |= {c.DISTRICT: district, c.COMMUNE: rng.choice(units.communes_by_district[district])}
            else:
                change |= {c.DISTRICT: "", c.COMMUNE: rng.choice(units.communes)}
            out.append(change)
    assert not table.empty
    return records(*out)


@pytest.mark.parametrize("division", [OLD, NEW])
def test_another_provinces_generated_file(write_csv, division) -> None:
    provinces = ["Hà Giang", "Sơn La", "Hồ Chí Minh"] if division == OLD else ["Tuyên Quang", "Lâm Đồng", "Hồ Chí Minh"]
    frame = generated_file(division, provinces, 40, seed=7)
    loaded = load_households(write_csv(frame))
    assert sorted(loaded[c.PROVINCE].unique()) == sorted(provinces)
    assert (loaded[c.COMMUNE] != "").all()
    # a commune of one province named under another is refused, with a suggestion
    bad = frame.copy()
    bad.loc[0, c.COMMUNE] = "Đức Xuân" if division == NEW else "Nghiên Loan"
    with pytest.raises(DataError) as err:
        load_households(write_csv(bad, "bad.csv"))
    assert "bad.csv, row 2, column 'commune': found" in str(err.value)


def test_province_units_of_both_divisions() -> None:
    old = load_units(province="Tỉnh Bắc Kạn", division=OLD)
    assert old.poor_districts == ["Pác Nặm", "Ngân Sơn"] and len(old.communes) == 108
    bundled = load_units()
    assert old.districts == bundled.districts and old.communes == list(bundled.commune_district)
    new = load_units(province="tỉnh Thái Nguyên", division=NEW)
    assert new.province == "Thái Nguyên" and len(new.communes) == 92 and new.districts == []


def test_former_commune_of_another_unit_says_where_it_went(write_csv) -> None:
    """Two old communes were called Sông Cầu (a ward of Thành phố Bắc Kạn and a town of Đồng
    Hỷ, Thái Nguyên): the message names both, each with its former district."""
    found = problems(write_csv(records({**NEW_RECORD, c.FORMER_COMMUNE: "Sông Cầu"})))
    assert len(found) == 1
    assert found[0].endswith(
        "column 'former_commune': found 'Sông Cầu', expected a former commune of Đức Xuân "
        "(one of: Nguyễn Thị Minh Khai, Đức Xuân, Huyền Tụng); "
        "Sông Cầu went to Bắc Kạn (from Thành phố Bắc Kạn) and Đồng Hỷ (from Đồng Hỷ)"
    )


def test_a_former_commune_two_old_communes_share_is_never_guessed(write_csv) -> None:
    """Real cases of data/crosswalk_2025.csv: Phường Kinh Môn (Hải Phòng) took two old communes
    named Long Xuyên, a ward of Thị xã Kinh Môn and a commune of Bình Giang, and Xã Phù Đổng
    (Hà Nội) Thị trấn and Xã Yên Viên: the level word tells them apart. Xã Tân Phú Trung (Đồng
    Tháp) took two communes Tân Phú, each of a district named Châu Thành (of two old provinces),
    and a row of the new division has no district to tell them apart. A bare name is refused,
    never settled by the crosswalk's order."""
    base = {c.YEAR: 2025, c.DISTRICT: "", c.AREA: "urban", c.ETHNICITY: "Kinh"}
    kinh_mon = {**base, c.PROVINCE: "Hải Phòng", c.COMMUNE: "Phường Kinh Môn"}
    phu_dong = {**base, c.PROVINCE: "Hà Nội", c.COMMUNE: "Xã Phù Đổng"}
    tan_phu = {**base, c.PROVINCE: "Đồng Tháp", c.COMMUNE: "Tân Phú Trung"}
    frame = records({**kinh_mon, c.FORMER_COMMUNE: "An Lưu"}, {**kinh_mon, c.FORMER_COMMUNE: "long xuyên"},
                    {**phu_dong, c.FORMER_COMMUNE: "Yên Viên"}, {**tan_phu, c.FORMER_COMMUNE: "Xã Tân Phú"},
                    {**kinh_mon, c.FORMER_COMMUNE: "Phú Thứ"})
    found = problems(write_csv(frame))
    assert len(found) == 4, found
    assert found[0].endswith(
        "row 3, column 'former_commune': found 'long xuyên', expected the full name of one former commune of Kinh Môn "
        "(Phường Long Xuyên or Xã Long Xuyên): 'long xuyên' names two of them")
    assert found[1].endswith(
        "row 4, column 'former_commune': found 'Yên Viên', expected the full name of one former commune of Phù Đổng "
        "(Thị trấn Yên Viên or Xã Yên Viên): 'Yên Viên' names two of them")
    assert found[2].endswith(
        "row 5, column 'former_commune': found 'Xã Tân Phú', expected a name of one former commune of Tân Phú Trung: "
        "two of them are named Tân Phú (one of Châu Thành (Đồng Tháp), one of Châu Thành (An Giang)), and a row of the "
        "new division has no district to tell them apart (leave the cell empty rather than name one of them)")
    assert "(one of: An Lưu, Hiệp An, Phường Long Xuyên, Xã Long Xuyên);" in found[3]
    loaded = load_households(write_csv(records({**phu_dong, c.FORMER_COMMUNE: "xã Yên Viên"}, {**phu_dong, c.FORMER_COMMUNE: "Thị trấn Yên Viên"},
                                               {**kinh_mon, c.FORMER_COMMUNE: "phường Long Xuyên"}, {**kinh_mon, c.FORMER_COMMUNE: "An Lưu"},
                                               {**tan_phu, c.FORMER_COMMUNE: ""})))
    assert loaded[c.FORMER_COMMUNE].tolist() == ["Xã Yên Viên", "Thị trấn Yên Viên", "Phường Long Xuyên", "An Lưu", ""]
