"""Per-brief manifests: which briefs of a year folder are complete, and how the index lists them.

A brief's files are published in one order: its manifest is removed (the brief is now
incomplete), its HTML and PDF are renamed into place, formats this run did not build are
removed (no stale PDF beside a new HTML), and a new manifest naming each file with its
SHA-256 is written last. A brief is complete when its manifest exists and every file it
names has that digest, so an index built from the manifests lists every complete brief of
the folder, whichever run built it, and a brief's files always come from the same run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import render

MANIFEST_DIR = "manifests"
#: The formats a brief can have on disk (kept in step with ``render.FORMATS``).
FORMATS = render.FORMATS


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def manifest_path(out_dir: Path, slug: str) -> Path:
    return out_dir / MANIFEST_DIR / f"{slug}.json"


def publish(out_dir: Path, slug: str, payloads: Mapping[str, bytes | str]) -> dict[str, str]:
    """Write a brief's files (format -> content) into ``out_dir``; file name -> SHA-256.

    The manifest is removed first and written by :func:`write_manifest` once the whole
    brief is in place; files of other formats from an earlier run are removed.
    """
    manifest_path(out_dir, slug).unlink(missing_ok=True)
    files = {}
    for fmt, data in payloads.items():
        target = out_dir / f"{slug}.{fmt}"
        render.write_atomic(target, data)
        files[target.name] = digest(data)
    for fmt in FORMATS:
        if fmt not in payloads:
            (out_dir / f"{slug}.{fmt}").unlink(missing_ok=True)
    return files


def withdraw(out_dir: Path, slug: str) -> None:
    """A brief that failed: its manifest and files go, so nothing stale is listed or left."""
    manifest_path(out_dir, slug).unlink(missing_ok=True)
    for fmt in FORMATS:
        (out_dir / f"{slug}.{fmt}").unlink(missing_ok=True)


def write_manifest(out_dir: Path, slug: str, record: Mapping[str, Any]) -> None:
    path = manifest_path(out_dir, slug)
    path.parent.mkdir(exist_ok=True)
    render.write_atomic(path, json.dumps(dict(record), ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def complete_briefs(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Every complete brief in the folder (slug -> manifest record), files checked."""
    found: dict[str, dict[str, Any]] = {}
    folder = out_dir / MANIFEST_DIR
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            record = json.loads(path.read_text(encoding="utf-8"))
            files = record["files"]
            if record["slug"] == path.stem and files and all(
                (out_dir / name).is_file() and digest((out_dir / name).read_bytes()) == sha for name, sha in files.items()
            ):
                found[record["slug"]] = record
    return found


def manifest_provinces(out_dir: Path) -> dict[str, int]:
    """The provinces the folder's briefs are of (province -> number of briefs), from their
    manifests; a manifest written before manifests named their province counts for none."""
    found: dict[str, int] = {}
    for path in sorted((out_dir / MANIFEST_DIR).glob("*.json")):
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            province = json.loads(path.read_text(encoding="utf-8")).get("province")
            if isinstance(province, str) and province:
                found[province] = found.get(province, 0) + 1
    return found
