"""Text from data never becomes a formula; a workbook from outside is size-checked first."""

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from calc.errors import InputError
from calc.text import ILLEGAL_CHARS, safe_text
from berichten import archive
from workbooks import safety, style
from workbooks.files import save


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_data_text_is_never_a_formula_after_a_round_trip(tmp_path_factory, texts):
    wb = Workbook()
    ws = wb.active
    for k, text in enumerate(texts, start=1):
        style.write_data(ws, f"A{k}", text)
    path = save(wb, tmp_path_factory.mktemp("t") / "t.xlsx")
    back = load_workbook(path).active
    for k, text in enumerate(texts, start=1):
        cell = back[f"A{k}"]
        assert cell.data_type != "f"
        # what the reader sees is the text, at most quoted and without control characters
        assert (cell.value or "") == safe_text(text)
        assert safe_text(text).lstrip("'") == ILLEGAL_CHARS.sub("", text).lstrip("'") \
            or text.startswith("'")


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "=HYPERLINK(\"x\")"])
def test_formula_like_text_is_quoted(text):
    assert safe_text(text) == "'" + text


def test_plain_text_and_numbers_are_untouched():
    assert safe_text("Zorg & Welzijn B.V.") == "Zorg & Welzijn B.V."
    assert safe_text(-5) == -5 and safe_text(None) is None
    assert safe_text("a\x00b\x1fc") == "abc"
    # Hypothesis found U+FFFE: the save failed in lxml ("All strings must be XML compatible")
    assert safe_text("a\ufffeb\uffffc\ud800d") == "abcd"


def zip_with(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = zip_with(tmp_path / "bom.xlsx", {"xl/worksheets/sheet1.xml": b"0" * (20 * 2**20)})
    with pytest.raises(InputError, match="zip-bom"):
        safety.open_workbook(bomb)


def test_too_large_file_and_wrong_kind_are_refused(tmp_path, monkeypatch):
    path = zip_with(tmp_path / "a.xlsx", {"a.xml": b"<a/>"})
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 10)
    with pytest.raises(InputError, match="grens"):
        safety.check_archive(path)
    text = tmp_path / "b.xlsx"
    text.write_text("geen zip")
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 2**20)
    with pytest.raises(InputError, match="geen Excel-werkmap"):
        safety.check_archive(text)
    with pytest.raises(InputError, match="alleen .xlsx"):
        safety.check_archive(zip_with(tmp_path / "c.xls", {"a": b""}))


def test_broken_workbook_gives_a_dutch_message(tmp_path):
    path = zip_with(tmp_path / "kapot.xlsx", {"a.xml": b"<a/>"})
    with pytest.raises(InputError, match="geen Excel-werkmap"):
        safety.open_workbook(path)


def test_sane_workbook_opens(tmp_path):
    wb = Workbook()
    wb.active["A1"] = 1
    assert safety.open_workbook(save(wb, tmp_path / "ok.xlsx")).active["A1"].value == 1
