"""Simplified district boundaries of a province for the briefs' maps, from dvhcvn's GIS data.

Source: the ``daohoangson/dvhcvn`` repository (GPL-3.0), ``data/gis/<code>.json``, district
boundaries extracted from the government's administrative map system (gis.chinhphu.vn).
Each ring is simplified (Douglas-Peucker, ``TOLERANCE`` degrees, about 400 m) and rounded
to 4 decimals, so a province's file is a few kilobytes; the map is an overview, not a survey.

    python scripts/extract_boundaries.py /path/to/dvhcvn/repo 06 data/geo/bac-kan-districts.json
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TOLERANCE = 0.004
SOURCE = "daohoangson/dvhcvn, data/gis/{code}.json (gis.chinhphu.vn)"


def _simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker on one ring (first and last points kept)."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    far, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        dist = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm if norm else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        if dist > far:
            far, index = dist, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: index + 1], tolerance)[:-1] + _simplify(points[index:], tolerance)


def main(repo: str, code: str, out: str) -> None:
    text = subprocess.run(["git", "-C", repo, "show", f"HEAD:data/gis/{code}.json"], capture_output=True, text=True, check=True).stdout
    commit = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    data = json.loads(text)
    units = []
    for level2 in data["level2s"]:
        polygons = level2["coordinates"] if level2.get("type") == "MultiPolygon" else [level2["coordinates"]]
        if level2.get("type") != "MultiPolygon" and polygons and isinstance(polygons[0][0][0], float):
            polygons = [polygons]
        rings = []
        for polygon in polygons:
            outer = polygon[0]
            ring = [[round(x, 4), round(y, 4)] for x, y in _simplify(outer, TOLERANCE)]
            if len(ring) >= 4:
                rings.append(ring)
        units.append({"code": level2["level2_id"], "name": level2["name"], "rings": rings})
    payload = {
        "province": data["name"],
        "source": SOURCE.format(code=code),
        "commit": commit,
        "licence": "GPL-3.0",
        "simplified": f"Douglas-Peucker, {TOLERANCE} degrees; coordinates rounded to 4 decimals (WGS 84 longitude, latitude)",
        "units": units,
    }
    Path(out).write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:4])
