"""``grip addin lite``: main.py, requirements.txt and a begrotingsmodel carrying them."""

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from importlib import metadata

import pytest
from openpyxl import load_workbook

from calc.errors import InputError
from grip.cli import main
from grip.jobs import addin_lite
from grip.jobs.addin_lite import MAIN_PY, add_lite_parts, build_lite, lite_settings, requirement_line

WHEEL = "https://intern.voorbeeld.nl/grip/grip-0.1.0-py3-none-any.whl"

#: Distributions with compiled code that Pyodide 0.27 ships (pyodide.org, "Packages built in
#: Pyodide", 0.27.x; check again when Lite moves to a newer Pyodide), plus xlwings, which
#: xlwings Lite brings itself.
PYODIDE_COMPILED = {
    "numpy", "pandas", "scipy", "statsmodels", "pydantic-core", "lxml", "duckdb", "regex",
    "wrapt", "pyarrow", "scikit-learn", "matplotlib", "pillow", "kiwisolver", "cffi",
    "cryptography", "pyyaml", "markupsafe", "msgpack", "xlwings",
}


@pytest.fixture(scope="module")
def lite_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("lite")
    build_lite(out, WHEEL)
    return out


def test_workbook_carries_main_py_and_requirements(lite_dir):
    """The code is in the workbook as Lite keeps it: JSON text in webextension properties."""
    settings = lite_settings(lite_dir / "begrotingsmodel_lite.xlsx")
    assert settings == {"main.py": MAIN_PY,
                        "requirements.txt": (lite_dir / "requirements.txt").read_text()}
    assert (lite_dir / "main.py").read_text() == MAIN_PY
    assert WHEEL in settings["requirements.txt"].splitlines()


def test_parts_relationships_and_content_types(lite_dir):
    """The package relationship, the task pane part and both content-type overrides exist,
    and the rest of the workbook is untouched: openpyxl still reads every sheet."""
    path = lite_dir / "begrotingsmodel_lite.xlsx"
    with zipfile.ZipFile(path) as z:
        rels = z.read("_rels/.rels").decode()
        types = z.read("[Content_Types].xml").decode()
        pane_rels = z.read("xl/webextensions/_rels/taskpanes.xml.rels").decode()
        ext = z.read(addin_lite.WEBEXTENSION_PART).decode()
    assert f'Type="{addin_lite.TASKPANES_REL}" Target="{addin_lite.TASKPANES_PART}"' in rels
    assert len(set(re.findall(r'Id="([^"]+)"', rels))) == rels.count("<Relationship ")
    assert addin_lite.TASKPANES_TYPE in types and addin_lite.WEBEXTENSION_TYPE in types
    assert 'Target="webextension1.xml"' in pane_rels
    assert 'id="wa200008175"' in ext and 'storeType="OMEX"' in ext
    assert "<we:containsCustomFunctions/>" in ext
    wb = load_workbook(path)
    assert "Parameters" in wb.sheetnames and len(wb.sheetnames) > 5


def test_script_outputs_are_allowed_edit_ranges_on_their_protected_sheets(lite_dir):
    """Office.js cannot unprotect a sheet through xlwings: each Lite script's output table is
    an allowed edit range (no password) right after the sheet protection; nothing else is."""
    assert set(addin_lite.script_outputs()) == {"grip_uit_scenario", "grip_uit_begroting"}
    with zipfile.ZipFile(lite_dir / "begrotingsmodel_lite.xlsx") as z:
        files = {n: z.read(n) for n in z.namelist()}
    parts = addin_lite._sheet_parts(files)
    found = {}
    for sheet, part in parts.items():
        xml = files[part].decode()
        for name, ref in re.findall(r'<protectedRange sqref="([^"]+)" name="([^"]+)"/>', xml):
            found[ref] = (sheet, name)
            assert re.search(r"<sheetProtection\b[^>]*/><protectedRanges>", xml)
    wb = load_workbook(lite_dir / "begrotingsmodel_lite.xlsx")
    for output in addin_lite.script_outputs():
        (sheet, ref), = list(wb.defined_names[output].destinations)
        assert found[output] == (wb[sheet.strip("'").replace("''", "'")].title, ref.replace("$", ""))
    assert len(found) == 2


def test_existing_workbook_is_copied_never_changed(lite_dir, tmp_path):
    """--werkmap: the copy carries the code; the original's bytes stay as they were."""
    original = lite_dir / "begrotingsmodel_lite.xlsx"
    plain = tmp_path / "model.xlsx"
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(plain, "w") as dst:
        for info in src.infolist():
            if "webextension" not in info.filename:
                dst.writestr(info, src.read(info.filename))
    before = plain.read_bytes()
    files = build_lite(tmp_path / "uit", WHEEL, workbook=plain)
    assert plain.read_bytes() == before
    assert files.workbook.name == "model_lite.xlsx"
    assert lite_settings(files.workbook)["main.py"] == MAIN_PY
    with pytest.raises(InputError, match="al een Office-invoegtoepassing"):
        add_lite_parts(original.read_bytes(), MAIN_PY, "x\n")


@pytest.mark.parametrize("wheel, message", [
    ("http://intern.nl/grip-0.1.0-py3-none-any.whl", "https"),
    ("https://jan:geheim@intern.nl/grip-0.1.0-py3-none-any.whl", "wachtwoord"),
    ("https://intern.nl/grip.zip", ".whl"),
    ("grip", "ander pakket"),
    ("grip==0.1.0", "ander pakket"),
    ("../grip.whl", "geen adres"),
])
def test_wheel_address_is_checked(wheel, message):
    """No plain http, no credentials, only a .whl, never the public index's other 'grip'."""
    with pytest.raises(InputError, match=re.escape(message)):
        requirement_line(wheel)


def test_private_index_name_is_accepted():
    assert requirement_line("grip-gemeente==0.1.0") == "grip-gemeente==0.1.0"


def test_command(tmp_path, capsys):
    assert main(["addin", "lite", "--uit", str(tmp_path), "--wiel", WHEEL]) == 0
    assert "Niet in Excel getest" in capsys.readouterr().out
    assert main(["addin", "lite", "--uit", str(tmp_path / "x"), "--wiel", "grip"]) == 2
    assert not (tmp_path / "x").exists()


def test_importing_main_py_exposes_everything_and_loads_only_pyodide_packages(lite_dir):
    """In a fresh process as Lite runs it (XLWINGS_ON_SERVER=true): main.py's metadata has
    every SD_ function and both scripts, and its import loads no compiled package beyond
    xlwings' own that Pyodide does not ship."""
    probe = textwrap.dedent("""
        import json, site, sys
        from pathlib import Path
        from importlib import metadata

        def compiled():
            roots = [Path(p) for p in site.getsitepackages()]
            found = set()
            for module in list(sys.modules.values()):
                f = getattr(module, "__file__", None) or ""
                if f.endswith((".so", ".pyd")):
                    p = Path(f)
                    found |= {p.relative_to(r).parts[0] for r in roots if r in p.parents}
            return found

        import xlwings, xlwings.server
        before = compiled()
        import main
        from xlwings import server
        dists = metadata.packages_distributions()
        print(json.dumps({
            "functions": sorted(f["name"] for f in server.custom_functions_meta(main)["functions"]),
            "scripts": sorted(s["name"] for s in server.custom_scripts_meta(main)),
            "compiled": sorted({d.lower().replace("_", "-") for top in compiled() - before
                                for d in dists.get(top, [top])}),
        }))
    """)
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=lite_dir, env=env, check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out.splitlines()[-1])
    import addin.udfs  # noqa: F401
    from addin.policy import REGISTRY

    assert result["functions"] == sorted(REGISTRY)
    assert result["scripts"] == ["Begroting doorrekenen", "Scenario doorrekenen"]
    assert set(result["compiled"]) <= PYODIDE_COMPILED, result["compiled"]


def test_wheel_dependencies_are_pure_python_or_shipped_by_pyodide():
    """Every distribution the Grip wheel pulls in under Pyodide (markers evaluated for
    emscripten) is pure Python or one Pyodide ships: micropip can install it."""
    from packaging.requirements import Requirement

    env = {"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
           "platform_machine": "wasm32", "implementation_name": "cpython", "extra": "",
           "python_version": "3.12", "python_full_version": "3.12.7"}
    seen, todo = set(), ["grip"]
    while todo:
        for text in metadata.requires(todo.pop()) or []:
            req = Requirement(text)
            if req.marker and not req.marker.evaluate(env):
                continue
            name = req.name.lower().replace("_", "-")
            if name not in seen:
                seen.add(name)
                todo.append(name)
    compiled = {name for name in seen
                if any(str(f).endswith((".so", ".pyd")) for f in metadata.files(name) or [])}
    assert {"numpy", "pandas", "scipy", "pydantic-core"} <= compiled
    assert compiled <= PYODIDE_COMPILED, compiled - PYODIDE_COMPILED


def test_headless_button_and_update_keep_the_lite_code(lite_dir, tmp_path, capsys):
    """openpyxl drops Lite's parts: `grip werkmap knop` and `bijwerken` put them back byte
    for byte (Lite's own settings included), with the scripts' allowed edit ranges."""
    source = lite_dir / "begrotingsmodel_lite.xlsx"
    out = tmp_path / "bijgewerkt.xlsx"
    assert main(["werkmap", "knop", str(source), "grip_begroting", "--uit", str(out)]) == 0
    assert "code van xlwings Lite" in capsys.readouterr().out
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(out) as b:
        for name in a.namelist():
            if name.startswith("xl/webextensions/"):
                assert a.read(name) == b.read(name), name
        assert b.read("[Content_Types].xml").count(addin_lite.WEBEXTENSION_TYPE.encode()) == 1
        assert sum(b.read(n).count(b"<protectedRange ") for n in b.namelist()
                   if n.startswith("xl/worksheets/")) == 2
    assert lite_settings(out) == lite_settings(source)
    assert not addin_lite.carry_lite_parts(out, out)          # already there: untouched
    plain = tmp_path / "plain.xlsx"
    load_workbook(source).save(plain)
    assert not addin_lite.carry_lite_parts(plain, out)        # nothing to carry
