"""Formula-like text from data never becomes a formula, in any file Grip writes.

Names from an export or a register may start with ``=``, ``+``, ``-``, ``@`` (also after a
tab, CR/LF or a space, or as the full-width forms) or be a ``=HYPERLINK(..)`` or DDE
``=cmd|..`` payload. Each is fed through every writer of a workbook, HTML page or CSV file
Grip has; ``test_every_writer_is_covered`` fails when a new writer appears unlisted.
"""

import csv
import html
import io
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from calc.text import FORMULA_STARTS, restore_text, safe_frame, safe_text

ROOT = Path(__file__).parents[1]
EVIL = ['=HYPERLINK("http://x.invalid","klik")', "=cmd|' /C calc'!A0", "+SUM(1,1)", "-2+3",
        "@SUM(1)", "\t=1+1", "\r\n=2+2", " =3+3", "\uff1d4+4", "'=5+5"]
#: What a payload looks like inside a formula, were one to slip through.
MARKERS = ("HYPERLINK", "cmd|", "SUM(1", "2+3", "1+1", "2+2", "3+3", "4+4", "5+5")


def dangerous(text) -> bool:
    """Would a spreadsheet take this cell or field as a formula?"""
    return isinstance(text, str) and text.lstrip(" \t\r\n\u00a0")[:1] in FORMULA_STARTS \
        and len(text) > 1


def check_workbook(path: Path) -> int:
    """No formula carries a payload; no text cell would become one when typed or pasted.
    Returns how many cells carried a payload (as text)."""
    seen = 0
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                text = value if isinstance(value, str) else getattr(value, "text", None)
                if cell.data_type == "f" or type(value).__name__ == "ArrayFormula":
                    assert not any(m in str(text) for m in MARKERS), (ws.title, cell.coordinate)
                elif isinstance(value, str):
                    assert not dangerous(value), (path.name, ws.title, cell.coordinate, value)
                    seen += any(m in value for m in MARKERS)
    return seen


def check_csv(path: Path, **kwargs) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), **kwargs))
    for row in rows:
        for field in row:
            assert not dangerous(field) or is_number(field), (path.name, field)
    return rows


def is_number(field: str) -> bool:
    """A plain number such as -3 or -0.5 is a number in a spreadsheet, not a formula."""
    try:
        float(field)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("text", EVIL)
def test_safe_text_quotes_every_payload_and_restores_it(text):
    """Quoted with Excel's text mark, restored exactly by the reader of Grip's own files."""
    assert not dangerous(safe_text(text)) and restore_text(safe_text(text)) == text


@pytest.mark.parametrize("dtype", [object, "string", "str", "category"])
def test_safe_frame_guards_every_text_dtype(dtype):
    """pandas 3 text columns are not object: the guard looks at every non-numeric column."""
    frame = pd.DataFrame({"naam": pd.Series(EVIL, dtype=dtype), "bedrag": range(len(EVIL))})
    out = safe_frame(frame)
    assert not any(dangerous(v) for v in out["naam"])
    assert out["bedrag"].tolist() == list(range(len(EVIL)))


class EvilStore:
    """The synthetic municipality with formula-like AGB codes (pandas string dtype)."""

    def __init__(self, path):
        from berichten.synth import synthetic_tables

        if not hasattr(EvilStore, "tables"):
            tables = synthetic_tables(seed=3, scale=0.05).tables
            codes = sorted(set(tables["claim_lines"]["provider"]))
            self.__class__.mapping = {c: EVIL[k] for k, c in enumerate(codes[:len(EVIL)])}
            for name, frame in tables.items():
                if "provider" in frame:
                    frame["provider"] = frame["provider"].replace(self.mapping).astype("string")
            EvilStore.tables = tables

    def __getattr__(self, name):
        if name not in self.tables:
            raise AttributeError(name)
        return lambda: self.tables[name]


@pytest.fixture(scope="module")
def evil_run(tmp_path_factory):
    """A prognose on formula-like codes and names, with its provider exports."""
    from grip.jobs import prognose

    folder = tmp_path_factory.mktemp("evil")
    EvilStore(None)
    names = {c: EVIL[-1 - k] for k, c in enumerate(sorted(set(
        EvilStore.tables["claim_lines"]["provider"]) - set(EVIL))[:len(EVIL)])}
    result = prognose.run_prognose(folder / "s.duckdb", as_of="2025-06-01", open_store=EvilStore,
                                   export=folder / "export", provider_names=names,
                                   municipality=EVIL[0])
    return folder, result


def test_provider_exports_hold_payloads_as_text_one_file_each(evil_run):
    """Every provider gets its own file (codes that clean to the same text still differ);
    codes and names stand in the cells as text."""
    folder, result = evil_run
    files = sorted((folder / "export").glob("*.xlsx"))
    assert len(files) == len(result.providers) == len({f.name.lower() for f in files})
    assert sum(check_workbook(f) for f in files) > 2 * len(EVIL)


def test_model_values_copy_and_button_output_hold_payloads_as_text(evil_run, tmp_path):
    """The begrotingsmodel (municipality, register, provider table), its values copy and
    the button's write into the provider table."""
    from workbooks.bookio import OpenpyxlBook
    from workbooks.tables.prognose import provider_rows
    from grip.jobs.waarden import values_copy
    from workbooks import layout
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext
    from workbooks.files import save

    _, result = evil_run
    ctx = BuildContext(municipality=EVIL[1], data={"prognose": result,
                                                    "aanbieders": result.provider_names})
    path = save(build_workbook(ctx), tmp_path / "model.xlsx")
    assert check_workbook(path) > 2 * len(EVIL)
    copy = values_copy(path, tmp_path / "kopie.xlsx").path
    assert check_workbook(copy) > 2 * len(EVIL)
    book = OpenpyxlBook(path)
    book.write(layout.NAME_OUT_PROVIDERS, provider_rows(result, layout.PROV_TABLE_ROWS))
    written = book.save(tmp_path / "knop.xlsx")
    assert check_workbook(written) > 2 * len(EVIL)


def test_snapshot_csv_quotes_payloads_and_reads_them_back(tmp_path, evil_run):
    """The prognoses kept next to the store: quoted on disk, the same keys read back."""
    from grip.jobs import prognose

    _, result = evil_run
    snap = result.snapshot.copy()
    snap["key"] = [EVIL[k % len(EVIL)] for k in range(len(snap))]
    path = tmp_path / "s.prognoses.csv"
    prognose.save_snapshot(path, prognose.read_snapshots(path), snap)
    check_csv(path, delimiter=";")
    assert prognose.read_snapshots(path)["key"].tolist() == snap["key"].tolist()


def test_measure_and_model_csv_files_quote_payloads_and_read_them_back(tmp_path):
    """save_scenarios / save_model (the measure, theme and link files) and the table of
    grip scenario --uit."""
    from calc.cross_effects import Measure, Scenario, load_model, load_scenarios, save_scenarios
    from calc.cross_effects.model import save_model
    from grip.cli import main

    measures = tuple(Measure(name=text, theme="Schuldhulpverlening", low=1e5, mode=1e5,
                             high=1e5, start_year=2027) for text in EVIL)
    names = [t for t in EVIL if "," not in t]
    path = save_scenarios([Scenario(name=n, measures=measures) for n in names[:2]],
                          tmp_path / "m.csv")
    check_csv(path, delimiter=";")
    back = load_scenarios(path)
    # the measure reader strips surrounding spaces from a name, as it always did
    assert [m.name for m in back[0].measures] == [t.strip() for t in EVIL]
    assert [s.name for s in back] == [t.strip() for t in names[:2]]
    model = load_model()
    catalogue = model.catalogue.override({model.names[0]: {"source": EVIL[0]}})
    for written in save_model(model.model_copy(update={"catalogue": catalogue}), tmp_path):
        check_csv(written, delimiter=";")
    assert load_model(tmp_path / "themas.csv", tmp_path / "dwarsverbanden.csv"
                      ).catalogue.themes[0].source == EVIL[0]
    out = tmp_path / "uit.csv"
    assert main(["scenario", str(path), "--jaren", "2", "--trekkingen", "50",
                 "--uit", str(out)]) == 0
    rows = check_csv(out, delimiter=";")
    assert {r[0] for r in rows[1:]} == {safe_text(n.strip()) for n in names[:2]}


def test_quick_scan_html_escapes_and_quotes_payloads(tmp_path):
    """The gripniveau quick scan: every text is HTML-escaped and never starts a formula."""
    from grip.jobs.gripniveau import quick_scan, report_html

    from calc.grip_level.rubric import demo_assessment

    page = report_html(quick_scan(demo_assessment(), municipality=EVIL[0]))
    assert "<script" not in page.lower()
    for text in re.findall(r"<(?:td|h1|title|b)[^>]*>(.*?)</", page, flags=re.S):
        plain = html.unescape(text)
        assert not dangerous(plain), plain
    assert html.escape(safe_text(EVIL[0])) in page


def test_every_writer_is_covered():
    """Each place that writes a file is one this module feeds payloads through, or writes
    no text from data (generated code, XML messages, the key file)."""
    covered = {
        "grip/jobs/prognose.py",        # snapshot CSV, provider exports (via workbooks.files)
        "grip/commands/scenario.py",    # grip scenario --uit
        "grip/jobs/gripniveau.py",      # quick scan HTML
        "calc/cross_effects/model.py",  # theme, link and measure CSV files
        "workbooks/files.py",           # every workbook (model, values copy, exports)
        "grip/commands/werkmap.py",     # OpenpyxlBook.save -> workbooks.files
        "workbooks/bookio.py",          # the button's writes (BookIO.write: safe_text)
        "grip/jobs/demo.py",            # the demo register CSV (safe_frame)
        "workbooks/recalc.py",          # a temporary copy for the engine, never shown
    }
    no_data_text = {"addin/vba.py", "berichten/synth/__init__.py", "berichten/synth/xml_writer.py",
                    "berichten/pseudonym.py",
                    "grip/jobs/addin_lite.py",      # generated main.py and requirements.txt
                    "grip/jobs/addin_install.py"}   # Excel saves the add-in it imported VBA into
    pattern = re.compile(r"\.to_csv\(|\.save\(|write_text\(|ExcelWriter|csv\.writer|"
                         r"open\([^)]*[\"'][wa]b?[\"']|fdopen\(")
    found = set()
    for package in ("calc", "berichten", "workbooks", "grip", "addin"):
        for path in (ROOT / package).rglob("*.py"):
            if pattern.search(path.read_text(encoding="utf-8")):
                found.add(str(path.relative_to(ROOT)))
    assert found - covered - no_data_text == set()
