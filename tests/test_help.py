"""The help a new analyst reads: every file it points to exists, and it names what the
commands do today (commune briefs from the end-2025 review)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def helps() -> dict[str, str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))
    return {"": parser.format_help(), **{name: p.format_help() for name, p in sub.choices.items()}}


@pytest.mark.parametrize("command", sorted(helps()))
def test_files_named_in_help_exist(command: str) -> None:
    text = re.sub(r"\s+", "", helps()[command])  # argparse wraps lines
    for path in re.findall(r"(?:analysis|data)/[\w/]+\.(?:py|csv|toml|md)", text):
        assert (ROOT / path).exists(), f"{command or 'analysis'} --help names {path}"


def test_reports_help_names_commune_briefs() -> None:
    assert "commune brief" in re.sub(r"\s+", " ", helps()[""])
