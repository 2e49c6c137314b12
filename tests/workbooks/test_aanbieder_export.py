"""The provider export: formatted like the model, one stable file per AGB code."""

import pytest
from openpyxl import load_workbook

from grip.jobs.prognose import export_providers
from workbooks import style
from workbooks.aanbieder_export import PRODUCT_COLUMNS, export_file_name


def test_55_providers_give_55_files_even_when_codes_clean_alike():
    """Codes that differ only in case, punctuation or spaces still get their own file, also
    on a file system that ignores case; the same code always gets the same name."""
    codes = [f"{k:08d}" for k in range(40)] + ["AB-1", "ab-1", "AB/1", "AB 1", "ab1", "AB1",
                                                "Ab1", "a-b1", "", " ", "/", "\\", "..",
                                                "con", "CON"]
    assert len(codes) == 55
    names = [export_file_name(c, "Zorg & Welzijn B.V.") for c in codes]
    assert len({n.lower() for n in names}) == 55
    assert names == [export_file_name(c, "Zorg & Welzijn B.V.") for c in codes]
    assert all(n.startswith("aanbieder_") and "/" not in n and "\\" not in n for n in names)
    assert export_file_name("98010001", "Zorggroep Één") == "aanbieder_98010001__zorggroep-een.xlsx"


@pytest.fixture(scope="module")
def exported(tmp_path_factory, demo_forecast, demo_tables_in_memory):
    folder = tmp_path_factory.mktemp("export")
    return demo_forecast, export_providers(demo_forecast, demo_tables_in_memory["claim_lines"],
                                           folder, municipality="Gemeente Voorbeeld")


def test_export_sheets_are_dutch_formatted_and_add_up(exported):
    """Three Dutch sheets; the product table has code and description side by side, euro
    formats and a total equal to the provider's forecast; the month table adds up too."""
    result, files = exported
    assert len(files) == len(result.providers)
    code = str(result.providers["provider"].iloc[0])
    path = next(f for f in files if f.name.startswith(f"aanbieder_{code}__"))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Overzicht", "Per product", "Per maand"]
    assert wb["Overzicht"]["A1"].value == f"Aanbieder {result.provider_name(code)}"
    assert wb["Overzicht"]["B5"].value == code
    products = wb["Per product"]
    assert [c.value for c in products[4]] == [h for h, _, _ in PRODUCT_COLUMNS]
    rows = [[c.value for c in r] for r in products.iter_rows(min_row=5)]
    body, total = rows[:-1], rows[-1]
    assert total[0] == "Totaal" and all(r[1] and r[3] for r in body)   # names beside codes
    forecast = result.providers.set_index("provider").loc[code, "forecast_euro"]
    assert total[9] == pytest.approx(forecast)
    assert products["J5"].number_format == style.EURO
    months = wb["Per maand"]
    grid = [[c.value for c in r] for r in months.iter_rows(min_row=5)]
    assert all(abs(sum(r[1:-1]) - r[-1]) < 1e-6 for r in grid)


def test_export_prints_one_page_across_with_nothing_cut(exported):
    """Sized like the model before its print setup: the overview's note ran past its table
    onto a page of its own and the product table printed on two pages across; now every
    sheet is one page wide, and its text is neither cut off nor unreadable."""
    from workbooks import fit, printing

    _, files = exported
    wb = load_workbook(files[0])
    for ws in wb.worksheets:
        assert not ws.col_breaks.brk, ws.title
        assert int(ws.page_setup.scale) >= printing.MIN_SCALE, ws.title
        assert fit.lint(ws) == [], ws.title
