"""Rebuild data/units.csv from the GSO division list shipped in vietnam-provinces 0.6.0.

    pip download --no-deps -d /tmp/vp vietnam-provinces==0.6.0
    python scripts/extract_units.py /tmp/vp/vietnam_provinces-0.6.0-py3-none-any.whl

Version 0.6.0 is the last that holds the division before 1 July 2025 (108 communes).
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
import zipfile
from pathlib import Path

PROVINCE_CODE = 6
POOR_DISTRICT_CODES = {60, 62}  # Pác Nặm, Ngân Sơn: Decision 353/QĐ-TTg, 15/03/2022
LEVEL_WORDS = ("Tỉnh ", "Huyện ", "Xã ", "Phường ", "Thị trấn ")
SOURCE = "GSO division codes via vietnam-provinces 0.6.0 (data/nested-divisions.json)"
POOR_SOURCE = "Decision 353/QĐ-TTg, 15/03/2022"


def split_level(full_name: str) -> tuple[str, str]:
    full_name = unicodedata.normalize("NFC", full_name).replace("Thành Phố", "Thành phố")
    for word in LEVEL_WORDS:
        if full_name.startswith(word):
            return word.strip(), full_name[len(word):]
    if full_name.startswith("Thành phố"):
        return "Thành phố", full_name  # keep: "Bắc Kạn" alone would be the province
    raise ValueError(f"no level word in {full_name!r}")


def main(wheel: str) -> None:
    nested = json.loads(zipfile.ZipFile(wheel).read("vietnam_provinces/data/nested-divisions.json"))
    province = next(p for p in nested if p["code"] == PROVINCE_CODE)
    rows = []
    kind, name = split_level(province["name"])
    rows.append(["province", province["code"], name, kind, "", "", SOURCE])
    for district in province["districts"]:
        kind, name = split_level(district["name"])
        poor = "1" if district["code"] in POOR_DISTRICT_CODES else "0"
        source = SOURCE + ("; poor district: " + POOR_SOURCE if poor == "1" else "")
        rows.append(["district", district["code"], name, kind, province["code"], poor, source])
        for ward in district["wards"]:
            kind, name = split_level(ward["name"])
            rows.append(["commune", ward["code"], name, kind, district["code"], "", SOURCE])
    out = Path(__file__).resolve().parents[1] / "data" / "units.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["level", "code", "name", "division_type", "parent_code", "poor_district", "source"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} units to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
