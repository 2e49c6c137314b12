"""The dependency rules of the design card, checked on the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
FORBIDDEN_IN_CALC = {"addin", "workbooks", "xlwings", "openpyxl", "berichten", "grip",
                     "duckdb", "lxml", "formulas"}


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a Python file imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", sorted((ROOT / "calc").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_calc_stays_pure(path):
    """calc/ imports none of addin, workbooks, xlwings, openpyxl, the store or the XML parser."""
    assert not imported_roots(path) & FORBIDDEN_IN_CALC


def test_the_checker_sees_imports():
    """The import scan is not blind: it finds a known import in a known file."""
    assert "calc" in imported_roots(ROOT / "addin" / "udfs" / "dwarsverbanden.py")
