"""The package's layers: each part imports only from the parts below it.

Read bottom to top, the layers are the flow of the work: shared foundations, the words a
reader sees, what a review file holds, the numbers computed from it, the synthetic data and
the summary tables built on those numbers, the briefs, and the command line on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "analysis"

# Bottom first. A module may import from its own layer and any layer listed before it.
LAYERS: list[set[str]] = [
    {"errors", "paths", "files", "spreadsheet"},
    {"words"},
    {"review"},
    {"measures"},
    {"synth", "tables"},
    {"briefs"},
    {"cli", "__init__", "__main__"},
]


def _layer_of(part: str) -> int:
    for index, names in enumerate(LAYERS):
        if part in names:
            return index
    raise AssertionError(f"analysis/{part} belongs to no layer: add it to LAYERS in {__file__}")


def _part(module: Path) -> str:
    relative = module.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imported_parts(module: Path) -> set[tuple[str, int]]:
    """The top-level parts of ``analysis`` this module imports, with their line numbers."""
    package = module.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    return _parts_in(module.read_text(encoding="utf-8"), package)


def _parts_in(source: str, package: tuple[str, ...]) -> set[tuple[str, int]]:
    tree = ast.parse(source)
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
            if target[:1] != ["analysis"]:
                continue
            if len(target) == 1:  # from analysis import x / from . import x
                for alias in node.names:
                    found.add((alias.name, node.lineno))
            else:
                found.add((target[1], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == "analysis" and len(names) > 1:
                    found.add((names[1], node.lineno))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_part_has_a_layer() -> None:
    for module in MODULES:
        _layer_of(_part(module))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(module: Path) -> None:
    own = _layer_of(_part(module))
    wrong = []
    for part, line in sorted(_imported_parts(module)):
        if part == _part(module) or (not (PACKAGE / part).exists() and not (PACKAGE / f"{part}.py").exists()):
            continue
        if _layer_of(part) > own:
            wrong.append(f"line {line}: imports analysis.{part} (a higher layer)")
    assert not wrong, f"{module.relative_to(PACKAGE)}: " + "; ".join(wrong)


def test_the_checker_sees_an_upward_import() -> None:
    """The rule must be able to fail: a measures module importing from briefs is caught."""
    source = "from ..briefs import sections\nimport analysis.cli\nfrom . import groups\n"
    parts = {p for p, _ in _parts_in(source, ("analysis", "measures"))}
    assert parts == {"briefs", "cli", "measures"}
    assert _layer_of("briefs") > _layer_of("measures")
