"""Headless recalculation of sheets whose name holds an apostrophe (Thema's, Scenario's)."""

from openpyxl import Workbook

from workbooks import style
from workbooks.files import save
from workbooks.recalc import recalculate


def test_formulas_on_and_to_sheets_with_an_apostrophe(tmp_path):
    """References to 'Thema''s'!A1, names on such sheets and formulas on them all compute."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Thema's"
    ws["A1"], ws["A2"] = 1.0, 2.0
    ws["B1"] = "=SUM(A1:A2)"
    style.define_name(wb, "th_test", ws, "A1:A2")
    other = wb.create_sheet("Scenario's")
    other["A1"] = "=SUM(th_test)+SUM('Thema''s'!A1:A2)"
    path = save(wb, tmp_path / "namen.xlsx")
    before = path.read_bytes()
    rec = recalculate(path)
    assert rec.get("Thema's", "B1") == 3.0
    assert rec.get("Scenario's", "A1") == 6.0
    assert path.read_bytes() == before


def test_the_same_bytes_are_recalculated_once(tmp_path, monkeypatch):
    """A second recalculation of an unchanged file reuses the values; a changed file is evaluated."""
    from openpyxl import Workbook

    from workbooks import recalc
    from workbooks.files import save

    wb = Workbook()
    wb.active["A1"], wb.active["A2"] = 2, "=A1*3"
    first = save(wb, tmp_path / "a.xlsx")
    again = save(wb, tmp_path / "b.xlsx")  # the same bytes under another name
    calls = []
    original = recalc._load_quietly
    monkeypatch.setattr(recalc, "_load_quietly", lambda *a: calls.append(a) or original(*a))
    a = recalc.recalculate(first)
    a.values[("Sheet", "A2")] = "gewijzigd"  # a caller's change does not reach the cache
    assert recalc.recalculate(again).get("Sheet", "A2") == 6 and len(calls) == 1
    wb.active["A1"] = 5
    assert recalc.recalculate(save(wb, tmp_path / "c.xlsx")).get("Sheet", "A2") == 15
    assert len(calls) == 2


def _resaved(source, target, stamp: bytes, when=(2031, 5, 6, 7, 8, 10)):
    """``source`` saved again unchanged: other zip save times and another core.xml stamp."""
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = data.replace(b"</cp:coreProperties>", stamp + b"</cp:coreProperties>")
            copy = zipfile.ZipInfo(info.filename, date_time=when)
            copy.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(copy, data)
    return target


def test_a_file_saved_again_unchanged_is_recalculated_once(tmp_path, monkeypatch):
    """The cache key is the content (``content_key``), not the save time: a workbook saved
    again unchanged reuses the values; one changed cell is evaluated anew; non-zip bytes get
    a key of their own (the checks refuse them)."""
    from workbooks import recalc

    wb = Workbook()
    wb.active["A1"], wb.active["A2"] = 2, "=A1*7"
    first = save(wb, tmp_path / "a.xlsx")
    later = _resaved(first, tmp_path / "b.xlsx", b"<dc:title>later</dc:title>")
    assert first.read_bytes() != later.read_bytes()
    assert recalc.content_key(first.read_bytes()) == recalc.content_key(later.read_bytes())
    calls = []
    original = recalc._load_quietly
    monkeypatch.setattr(recalc, "_load_quietly", lambda *a: calls.append(a) or original(*a))
    assert recalc.recalculate(first).get("Sheet", "A2") == 14
    assert recalc.recalculate(later).get("Sheet", "A2") == 14 and len(calls) == 1
    wb.active["A1"] = 3
    changed = _resaved(save(wb, tmp_path / "c.xlsx"), tmp_path / "d.xlsx", b"")
    assert recalc.content_key(changed.read_bytes()) != recalc.content_key(first.read_bytes())
    assert recalc.recalculate(changed).get("Sheet", "A2") == 21 and len(calls) == 2
    assert recalc.content_key(b"geen zip").startswith("bytes:")
    assert recalc.content_key(first.read_bytes()).startswith("zip:")


def test_a_relative_path_in_a_subfolder(tmp_path, monkeypatch):
    """`grip demo --uit out` recalculates out/<model>.xlsx by a relative path: the engine
    once looked for out/out/<model>.xlsx (make demo failed)."""
    wb = Workbook()
    # content of its own: the recalculation memo is shared by the test workers, and the same
    # bytes recalculated here first made test_the_same_bytes_are_recalculated_once see no call
    wb.active["A1"], wb.active["A2"] = 4.0, "=A1*5"
    (tmp_path / "out").mkdir()
    save(wb, tmp_path / "out" / "relatief.xlsx")
    monkeypatch.chdir(tmp_path)
    assert recalculate("out/relatief.xlsx").get("Sheet", "A2") == 20.0
