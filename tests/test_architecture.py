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


#: A call that imports the module named by its first argument.
DYNAMIC_IMPORTS = {"import_module", "__import__"}
#: Dynamic imports whose name is not written in the call, by file: what they may import.
#: ``addin/vba.py`` tries the Windows modules of ``_WINDOWS_ONLY`` (pythoncom, win32com ...).
UNNAMED_IMPORTS = {"addin/vba.py": "the Windows modules pythoncom, pywintypes, win32com"}


def _dynamic_target(node: ast.Call) -> str | None:
    """The module an ``importlib.import_module(...)`` or ``__import__(...)`` call names, as far
    as the call writes it: a literal, or an f-string's literal start (``f"addin.udfs.{x}"``);
    ``""`` for a name computed elsewhere; ``None`` for any other call."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None
    if name not in DYNAMIC_IMPORTS or not node.args:
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
        return str(arg.values[0].value) if "." in str(arg.values[0].value) else ""
    return ""


def imported_roots(path: Path) -> set[str]:
    """Top-level package names a Python file imports (absolute imports only), also through
    ``importlib.import_module`` / ``__import__`` with the name written in the call; a dynamic
    import whose name is computed elsewhere counts as the root ``"?"``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and (target := _dynamic_target(node)) is not None:
            roots.add(target.split(".")[0] or "?")
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
    # a computed module name could lie above: only the top layer, or a file listed with
    # what it imports, may use one
    assert "?" not in roots or own == ORDER[-1] or rel.as_posix() in UNNAMED_IMPORTS, \
        f"{rel} imports a module by a computed name; write the name in the call"
    misplaced = {lib for lib, homes in LIBRARY_HOME.items() if lib in roots and own not in homes}
    assert not misplaced, f"{rel} imports {sorted(misplaced)} outside its layer"


def test_the_checker_sees_imports():
    """The import scan is not blind: it finds known imports, lazy ones inside functions too."""
    assert "calc" in imported_roots(ROOT / "addin" / "udfs" / "dwarsverbanden.py")
    assert {"addin", "workbooks"} <= imported_roots(ROOT / "grip" / "buttons.py")
    assert "xlwings" in imported_roots(ROOT / "grip" / "buttons.py")  # inside run_from_excel


def test_the_checker_sees_imports_through_importlib(tmp_path):
    """An import by name (importlib, __import__) counts like an import statement: the
    button dispatcher once reached grip.jobs from addin/ that way, unseen by a scan of
    import statements."""
    assert "addin" in imported_roots(ROOT / "addin" / "udfs" / "__init__.py")  # f"addin.udfs.{x}"
    assert "?" in imported_roots(ROOT / "grip" / "buttons.py")  # the job module by button id
    module = tmp_path / "m.py"
    module.write_text("import importlib\n\n\ndef job():\n"
                      "    return importlib.import_module('grip.jobs.prognose')\n\n\n"
                      "def book():\n    return __import__(f'workbooks.{1}')\n\n\n"
                      "def any_(name):\n    return importlib.import_module(name)\n",
                      encoding="utf-8")
    assert {"grip", "workbooks", "?"} <= imported_roots(module)
