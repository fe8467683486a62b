"""Rebuild the reference units in data/ from pinned public sources, and check them.

    pip download --no-deps -d /tmp/vp vietnam-provinces==0.6.0
    pip download --no-deps -d /tmp/vp vietnam-provinces==2025.10.1
    python scripts/extract_units.py /tmp/vp /path/to/dvhcvn-20250701.git [facts.csv]

Sources (pinned; the script refuses others):

- ``vietnam-provinces`` 0.6.0 (``nested-divisions.json``): GSO codes and names of the division
  before 1 July 2025 (63 provinces, 696 districts, 10,051 communes as of early 2025).
- ``vietnam-provinces`` 2025.10.1: the division from 1 July 2025 (34 provinces, 3,321 communes).
- ``dvhcvn/20250701`` (MIT), commit ``PINNED_COMMIT``: ``mapping/splits.json`` (each of the
  10,047 communes of 1/03/2025 → its new unit or units), ``mapping/merges.json`` (each new unit
  ← its old communes, ``full``/``partial``) and ``output/<province>/<district>/<commune>.json``
  (the old district of each commune and its full address).

The old division written is that of 1/03/2025 (GSO: 10,047 communes): the communes of
``splits.json``, with province and district codes and names from ``vietnam-provinces`` 0.6.0
(district renames by 1/03/2025 taken from the crosswalk's addresses). The communes where the
two sources differ are printed and listed in data/README.md.

Writes ``units_old.csv``, ``units_new.csv``, ``crosswalk_2025.csv`` and ``units.csv`` (the
Bắc Kạn slice of the old division, kept for callers that read it) and checks every count
against GSO's published counts and the Bắc Kạn crosswalk of the project's facts (108 rows).
Poor districts are not derived here: ``poor_districts.csv`` is edited by hand, with sources.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

OLD_VERSION = "0.6.0"
NEW_VERSION = "2025.10.1"
PINNED_COMMIT = "dd94887ce32324380bc5bb0a76fe39867dafc73b"
DATA = Path(__file__).resolve().parents[1] / "data"

#: GSO's published counts (1/03/2025 and 1/07/2025).
OLD_COUNTS = {"province": 63, "district": 696, "commune": 10047, "Xã": 7706, "Phường": 1724, "Thị trấn": 617}
NEW_COUNTS = {"province": 34, "commune": 3321, "Xã": 2621, "Phường": 687, "Đặc khu": 13}

#: The 1/03/2025 list types 2 more units as phường (and 2 fewer as xã) than GSO's count; which
#: two is not known (Tân Hoà and Tân Hải of Phú Mỹ, typed anew, are candidates). Recorded in data/README.md.
KNOWN_TYPE_GAP = {"Xã": -2, "Phường": 2}

#: One commune listed under two codes (in both sources): Xã Đông Khê of Thành phố Thanh Hóa,
#: stale code → its code. 16387 was Đông Khê's code until Xã Đông Anh (16408) was merged into it
#: (Resolution 786/NQ-UBTVQH14, in force 1/12/2019); from the 1/03/2020 list the merged commune is
#: 16408, the only Đông Khê of the lists until 1/11/2024. The 1/01/2025 list (Đông Sơn district
#: joined the city) brought 16387 back beside it, and the 1/03/2025 list and vietnam-provinces
#: 0.6.0 keep both. It is one commune: Resolution 1686/NQ-UBTVQH15 (art. 1, item 130) names one
#: xã Đông Khê, and no two units of one name and level may share a district. The stale code is
#: left out of units_old.csv and the crosswalk (both go whole into Phường Đông Sơn). History from
#: dvhcvn's data/sorted.json (github.com/daohoangson/dvhcvn), recorded in data/README.md.
STALE_CODES = {"16387": "16408"}

#: The facts' crosswalk covers Bắc Kạn, now part of Thái Nguyên (new province code 19).
THAI_NGUYEN_NEW = 19

#: The bundled review's province (data/units.csv keeps its old-division slice).
BUNDLED_PROVINCE_CODE = 6

PROVINCE_WORDS = ("Thành phố", "Tỉnh")
DISTRICT_WORDS = ("Huyện", "Quận")  # "Thành phố X" and "Thị xã X" keep their word in the name
COMMUNE_WORDS = ("Thị trấn", "Phường", "Xã", "Đặc khu")
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # compared at a syllable's end (Thủy = Thuỷ)
ALL_WORDS = ("Thành phố", "Thị xã", "Thị trấn", "Tỉnh", "Huyện", "Quận", "Phường", "Xã", "Đặc khu")


def clean(name: str) -> str:
    """NFC, single spaces, one spelling of level words and dashes."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    text = text.replace("–", "-").replace("’", "'")
    for word in ALL_WORDS:
        text = re.sub("^" + word + r"\b", word, text, flags=re.IGNORECASE)
    return text


def split_level(full_name: str, words: tuple[str, ...]) -> tuple[str, str]:
    """(level word, name): the word is dropped from the name only if it is in ``words``
    and what remains is not a bare number (``Phường 14`` keeps its word)."""
    text = clean(full_name)
    for word in ALL_WORDS:
        if text.startswith(word + " "):
            rest = text[len(word) + 1:]
            if word in words and not rest.isdigit():
                return word, rest
            return word, text
    if words == PROVINCE_WORDS:
        return "", text  # vietnam-provinces 2025.10.1 names provinces without "Tỉnh"
    raise ValueError(f"no level word in {full_name!r}")


def key(name: str) -> str:
    """Comparison key: level word, case, dashes and apostrophes ignored."""
    text = clean(name)
    for word in ALL_WORDS:
        if text.startswith(word + " ") and not text[len(word) + 1:].isdigit():
            text = text[len(word) + 1:]
            break
    words = re.sub(r"[-']", " ", unicodedata.normalize("NFD", text.lower())).split()
    return " ".join("".join(ch for ch in w if ch not in TONES) + "".join(ch for ch in w if ch in TONES) for w in words)


def wheel_json(folder: Path, version: str) -> list[dict]:
    wheel = folder / f"vietnam_provinces-{version}-py3-none-any.whl"
    if not wheel.exists():
        raise SystemExit(f"{wheel} not found: pip download --no-deps -d {folder} vietnam-provinces=={version}")
    return json.loads(zipfile.ZipFile(wheel).read("vietnam_provinces/data/nested-divisions.json"))


def git(repo: str, *args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["git", "-C", repo, *args], input=data, capture_output=True, check=True).stdout


def commune_addresses(repo: str) -> dict[str, tuple[str, str, str]]:
    """Old commune code → (province code, district code, address) from ``output/``."""
    listing = git(repo, "ls-tree", "-r", PINNED_COMMIT, "output").decode().splitlines()
    blobs = []
    for line in listing:
        meta, path = line.split("\t")
        parts = path[:-5].split("/")
        if len(parts) == 4:
            blobs.append((meta.split()[2], parts[1], parts[2], parts[3]))
    out = git(repo, "cat-file", "--batch", data="".join(b[0] + "\n" for b in blobs).encode())
    pos, found = 0, {}
    for _blob, province, district, commune in blobs:
        end = out.index(b"\n", pos)
        size = int(out[pos:end].split()[2])
        found[commune] = (province, district, json.loads(out[end + 1:end + 1 + size])["address"])
        pos = end + 1 + size + 1
    return found


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (DATA / name).open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to data/{name}")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit("check failed: " + message)


def main(wheels: str, repo: str, facts: str | None = None) -> None:
    head = git(repo, "rev-parse", "HEAD").decode().strip()
    check(git(repo, "cat-file", "-t", PINNED_COMMIT).strip() == b"commit", f"commit {PINNED_COMMIT} not in {repo}")
    if head != PINNED_COMMIT:
        print(f"note: {repo} HEAD is {head}; reading the pinned {PINNED_COMMIT}")
    splits = json.loads(git(repo, "show", f"{PINNED_COMMIT}:mapping/splits.json"))["data"]
    merges = json.loads(git(repo, "show", f"{PINNED_COMMIT}:mapping/merges.json"))["data"]
    addresses = commune_addresses(repo)
    old_vp = wheel_json(Path(wheels), OLD_VERSION)
    new_vp = wheel_json(Path(wheels), NEW_VERSION)

    # --- new division (vietnam-provinces 2025.10.1) ---
    new_rows: list[list[object]] = []
    new_by_key: dict[tuple[int, str], int] = {}
    new_name: dict[int, str] = {}
    new_province: dict[int, int] = {}
    for p in new_vp:
        kind, name = split_level(p["name"], PROVINCE_WORDS)
        if p["division_type"] == "tỉnh":
            kind = "Tỉnh"
        new_rows.append(["province", p["code"], name, kind, ""])
        for w in p["wards"]:
            kind, name = split_level(w["name"], COMMUNE_WORDS)
            new_rows.append(["commune", w["code"], name, kind, p["code"]])
            new_by_key[(p["code"], key(w["name"]))] = w["code"]
            new_name[w["code"]] = clean(w["name"])
            new_province[w["code"]] = p["code"]
    kinds = Counter(r[3] for r in new_rows if r[0] == "commune")
    check(sum(r[0] == "province" for r in new_rows) == NEW_COUNTS["province"], "34 new provinces")
    check(len(new_by_key) == NEW_COUNTS["commune"], "3,321 new communes, names unique within a province")
    for kind in ("Xã", "Phường", "Đặc khu"):
        check(kinds[kind] == NEW_COUNTS[kind], f"{NEW_COUNTS[kind]} new units of type {kind} (got {kinds[kind]})")

    # dvhcvn's new ids → vietnam-provinces codes (matched by province and name; GSO re-issued some codes)
    dv_new: dict[str, int] = {}
    recoded = []
    for p in merges:
        for unit in p["level2s"]:
            code = new_by_key.get((int(p["level1_id"]), key(unit["name"])))
            check(code is not None, f"new unit {unit['level2_id']} {unit['name']} not in vietnam-provinces {NEW_VERSION}")
            dv_new[unit["level2_id"]] = int(code)  # type: ignore[arg-type]
            if int(unit["level2_id"]) != code:
                recoded.append((unit["level2_id"], unit["name"], code))
    check(len(set(dv_new.values())) == NEW_COUNTS["commune"], "merges.json names every new unit once")
    print(f"{len(recoded)} new units carry another code in dvhcvn than in vietnam-provinces {NEW_VERSION}")
    partial = {(o["old_id"], u["level2_id"]): o["type"] for p in merges for u in p["level2s"] for o in u["merges"]}

    # --- old division: vietnam-provinces 0.6.0 and dvhcvn's 1/03/2025 list ---
    vp_commune: dict[str, tuple[int, int, str]] = {}
    vp_district: dict[int, tuple[int, str]] = {}
    old_rows: list[list[object]] = []
    for p in old_vp:
        kind, name = split_level(p["name"], PROVINCE_WORDS)
        if not p["name"].startswith("Thành phố"):
            kind = "Tỉnh"
        old_rows.append(["province", p["code"], name, kind, ""])
        for d in p["districts"]:
            vp_district[d["code"]] = (p["code"], clean(d["name"]))
            for w in d["wards"]:
                vp_commune[f"{w['code']:05d}"] = (p["code"], d["code"], clean(w["name"]))
    dv_commune = {c["level3_id"]: (int(p["level1_id"]), clean(c["name"]), c["splits"]) for p in splits for c in p["level3s"]}
    check(len(dv_commune) == OLD_COUNTS["commune"], "splits.json lists 10,047 communes")
    check(set(dv_commune) <= set(addresses), "every commune of splits.json has its district in output/")

    district_name = {code: name for code, (_, name) in vp_district.items()}
    renamed_districts = {}
    for _prov, dist, address in addresses.values():
        parts = [clean(x) for x in address.split(",")]
        d = int(dist)
        # the same name under a new level word (not merely a capital letter)
        if len(parts) == 3 and key(parts[1]) == key(district_name[d]) and parts[1].lower() != district_name[d].lower():
            renamed_districts[d] = parts[1]
    for d, name in renamed_districts.items():
        print(f"district {d}: {district_name[d]} → {name} (by 1/03/2025, from the crosswalk's addresses)")
        district_name[d] = name
    for d, (prov, _) in sorted(vp_district.items()):
        kind, name = split_level(district_name[d], DISTRICT_WORDS)
        old_rows.append(["district", d, name, kind, prov])

    only_vp = sorted(set(vp_commune) - set(dv_commune))
    only_dv = sorted(set(dv_commune) - set(vp_commune))
    renamed = sorted(c for c in set(vp_commune) & set(dv_commune) if key(vp_commune[c][2]) != key(dv_commune[c][1]) or split_level(vp_commune[c][2], COMMUNE_WORDS)[0] != split_level(dv_commune[c][1], COMMUNE_WORDS)[0])
    print(f"communes only in vietnam-provinces {OLD_VERSION} (gone by 1/03/2025): {len(only_vp)}")
    for c in only_vp:
        print(f"  {c} {vp_commune[c][2]}, {district_name[vp_commune[c][1]]}")
    print(f"communes only in the 1/03/2025 list: {len(only_dv)}")
    for c in only_dv:
        print(f"  {c} {dv_commune[c][1]}, {district_name[int(addresses[c][1])]}")
    print(f"communes renamed or re-typed by 1/03/2025: {len(renamed)}")
    for c in renamed:
        print(f"  {c} {vp_commune[c][2]} → {dv_commune[c][1]}")

    for stale, kept in STALE_CODES.items():
        check(stale in dv_commune and kept in dv_commune and dv_commune[stale][1] == dv_commune[kept][1]
              and addresses[stale][1] == addresses[kept][1], f"commune {stale} is {kept} listed twice")
        check({t["new_id"] for t in dv_commune[stale][2]} == {t["new_id"] for t in dv_commune[kept][2]}, f"{stale} and {kept} go to the same new units")
    listed_kinds = Counter(split_level(full, COMMUNE_WORDS)[0] for _, full, _ in dv_commune.values())  # as the list counts them

    crosswalk: list[list[object]] = []
    for code in sorted(set(dv_commune) - set(STALE_CODES)):
        prov, full, targets = dv_commune[code]
        _, dist, _ = addresses[code]
        if code in vp_commune:
            check(vp_commune[code][1] == int(dist), f"commune {code}: same district in both sources")
        kind, name = split_level(full, COMMUNE_WORDS)
        old_rows.append(["commune", int(code), name, kind, int(dist)])
        news = sorted({dv_new[t["new_id"]] for t in targets})
        check(len(news) == len(targets), f"commune {code}: distinct new units")
        whole = len(news) == 1
        for t in targets:
            kind_in_merges = partial.get((code, t["new_id"]))
            check(kind_in_merges is not None, f"commune {code} → {t['new_id']} is in merges.json")
            check((kind_in_merges == "full") == whole, f"commune {code} → {t['new_id']}: splits.json and merges.json agree (whole or split)")
        for n in news:
            crosswalk.append([prov, int(dist), int(code), clean(full), new_province[n], n, new_name[n], "whole" if whole else "split"])
    # Five island districts had no communes; each became a special zone (đặc khu) whole.
    for p in splits:
        for unit in p.get("level2s", []):
            (target,) = unit["splits"]
            check(partial.get((unit["level2_id"], target["new_id"])) == "full", f"district {unit['level2_id']} went whole")
            code = dv_new[target["new_id"]]
            crosswalk.append([int(p["level1_id"]), int(unit["level2_id"]), "", clean(unit["name"]), new_province[code], code, new_name[code], "whole"])
    # Where two communes of one district share a name (Thị trấn and Xã Yên Viên), both keep the word;
    # never two of one type (the law forbids it: a unit listed twice, as STALE_CODES).
    same = Counter((r[4], r[2], r[3]) for r in old_rows if r[0] == "commune")
    check(max(same.values()) == 1, f"no two communes of a district share name and type: {[k for k, n in same.items() if n > 1]}")
    seen = Counter((r[4], r[2]) for r in old_rows if r[0] == "commune")
    for r in old_rows:
        if r[0] == "commune" and seen[(r[4], r[2])] > 1:
            r[2] = f"{r[3]} {r[2]}"
    commune_kinds = Counter(r[3] for r in old_rows if r[0] == "commune")
    print("old communes by type:", dict(commune_kinds), f"(the list's {len(dv_commune):,} less {len(STALE_CODES)} listed twice)")
    check(sum(r[0] == "commune" for r in old_rows) == OLD_COUNTS["commune"] - len(STALE_CODES), "the list's communes, each once")
    check(sum(r[0] == "province" for r in old_rows) == OLD_COUNTS["province"], "63 old provinces")
    check(sum(r[0] == "district" for r in old_rows) == OLD_COUNTS["district"], "696 old districts")
    for kind in ("Xã", "Phường", "Thị trấn"):  # GSO's counts against the list's rows, the code listed twice included
        check(listed_kinds[kind] - OLD_COUNTS[kind] == KNOWN_TYPE_GAP.get(kind, 0), f"{OLD_COUNTS[kind]} old communes of type {kind} (got {listed_kinds[kind]})")
    covered = {r[5] for r in crosswalk}
    uncovered = sorted(set(new_name) - covered)
    print("new units made of no old commune:", [new_name[n] for n in uncovered])
    check(len(covered) == NEW_COUNTS["commune"], "every new unit receives at least one old commune")

    header = ["level", "code", "name", "division_type", "parent_code"]
    write("units_old.csv", header, old_rows)
    write("units_new.csv", header, new_rows)
    write("crosswalk_2025.csv", ["old_province_code", "old_district_code", "old_commune_code", "old_commune",
                                 "new_province_code", "new_commune_code", "new_commune", "change"], crosswalk)
    split_count = len({r[2] for r in crosswalk if r[7] == "split"})
    print("old communes by number of new units:", dict(Counter(Counter(r[2] for r in crosswalk if r[2] != "").values())))
    print(f"old communes split between new units: {split_count}; whole: {OLD_COUNTS['commune'] - len(STALE_CODES) - split_count}")

    # data/units.csv: the bundled province's old-division slice, in its earlier layout
    poor = {(int(r["province_code"]), r["district"]) for r in csv.DictReader((DATA / "poor_districts.csv").open(encoding="utf-8"))}
    source = f"GSO division codes via vietnam-provinces {OLD_VERSION} (data/nested-divisions.json)"
    slice_rows: list[list[object]] = []
    districts = [r for r in old_rows if r[0] == "district" and r[4] == BUNDLED_PROVINCE_CODE]
    for r in old_rows:
        if r[0] == "province" and r[1] == BUNDLED_PROVINCE_CODE:
            slice_rows.append([*r, "", source])
    for d in districts:
        flag = int((BUNDLED_PROVINCE_CODE, d[2]) in poor)
        slice_rows.append([*d, flag, source + ("; poor district: Decision 353/QĐ-TTg, 15/03/2022" if flag else "")])
        slice_rows.extend([*r, "", source] for r in old_rows if r[0] == "commune" and r[4] == d[1])
    write("units.csv", [*header, "poor_district", "source"], slice_rows)

    if facts:
        check_facts(Path(facts), crosswalk)


def check_facts(path: Path, crosswalk: list[list[object]]) -> None:
    """Every row of the project's checked Bắc Kạn crosswalk agrees with the national one."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    ours = {r[2]: r for r in crosswalk if r[2] != ""}
    agree = 0
    for r in rows:
        mine = ours.get(int(r["old_commune_code"]))
        ok = (
            mine is not None
            and sum(1 for x in crosswalk if x[2] == int(r["old_commune_code"])) == 1
            and mine[7] == "whole"
            and mine[1] == int(r["old_district_code"])
            and key(str(mine[3])) == key(r["old_commune"])
            and mine[4] == THAI_NGUYEN_NEW
            and mine[5] == int(r["new_commune_code"])
            and key(str(mine[6])) == key(r["new_commune"])
        )
        if not ok:
            print(f"  differs: {r} vs {mine}")
        agree += ok
    print(f"facts crosswalk: {agree}/{len(rows)} rows agree")
    check(agree == len(rows), "the Bắc Kạn crosswalk of the facts agrees row for row")


if __name__ == "__main__":
    main(*sys.argv[1:4])
