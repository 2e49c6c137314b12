"""The dependency rules of the design card, checked on the source.

The packages form one order, lowest first: ``calc`` (the pure core) < ``berichten`` (the
store) < ``addin`` (the UDFs) < ``workbooks`` (builders, recalculation, workbook I/O) <
``grip`` (jobs, buttons, command line). A module imports only packages below its own, and
the libraries that only one layer may use stay in it, without exceptions: Excel's ribbon
reaches the dispatcher ``grip.buttons`` through a Python statement inside the VBA callback
(``addin.vba.render_ribbon_module``), not through an import in ``addin``.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
ORDER = ("calc", "berichten", "addin", "workbooks", "grip")
FORBIDDEN_IN_CALC = {"addin", "workbooks", "xlwings", "openpyxl", "berichten", "grip",
                     "duckdb", "lxml", "formulas"}
#: Libraries that belong to one layer (and the layers above it that may use them).
LIBRARY_HOME = {"duckdb": {"berichten"}, "lxml": {"berichten"}, "formulas": {"workbooks"},
                "openpyxl": {"berichten", "workbooks", "grip"},
                "xlwings": {"addin", "workbooks", "grip"}}


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


SOURCES = sorted(p for pkg in ORDER for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", sorted((ROOT / "calc").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_calc_stays_pure(path):
    """calc/ imports none of addin, workbooks, xlwings, openpyxl, the store or the XML parser."""
    assert not imported_roots(path) & FORBIDDEN_IN_CALC


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_runs_upward(path):
    """Every module imports only packages below its own in ORDER, and libraries only in their layer."""
    rel = path.relative_to(ROOT)
    own = rel.parts[0]
    rank = ORDER.index(own)
    roots = imported_roots(path)
    upward = {r for r in roots if r in ORDER and ORDER.index(r) > rank}
    assert not upward, f"{rel} imports {sorted(upward)}, which lie above {own}"
    misplaced = {lib for lib, homes in LIBRARY_HOME.items() if lib in roots and own not in homes}
    assert not misplaced, f"{rel} imports {sorted(misplaced)} outside its layer"


def test_the_checker_sees_imports():
    """The import scan is not blind: it finds known imports, lazy ones inside functions too."""
    assert "calc" in imported_roots(ROOT / "addin" / "udfs" / "dwarsverbanden.py")
    assert {"addin", "workbooks"} <= imported_roots(ROOT / "grip" / "buttons.py")
    assert "xlwings" in imported_roots(ROOT / "grip" / "buttons.py")  # inside run_from_excel
