"""One municipality, one set of numbers: every figure of Gemeente Voorbeeld from calc.profile,
and a model for another municipality that mentions none of the demo's names."""

import csv
import re
from importlib import resources
from pathlib import Path

import pytest

from calc import profile
from calc.budget import demo
from calc.cross_effects import load_catalogue
from calc.text import nl_number

ROOT = Path(__file__).parents[1]


def test_theme_baselines_are_the_meerjarenraming_lines():
    """Thema's and Meerjarenraming agree per theme (Bijstand € 17,5 mln on both)."""
    lines = {}
    for _, theme, amount, _ in demo.START:
        lines[theme] = lines.get(theme, 0) + amount
    catalogue = {t.name: t for t in load_catalogue().themes}
    for theme, amount in lines.items():
        assert catalogue[theme].baseline == amount, theme
    assert catalogue["Bijstand"].baseline == 17_500_000


def test_every_source_names_the_profile_size():
    """No theme claims another size than the profile's inhabitants."""
    size = nl_number(profile.INHABITANTS, 0)
    for theme in load_catalogue().themes:
        numbers = re.findall(r"\d+\.\d{3}", theme.source)
        assert numbers in ([], [size]), (theme.name, theme.source)
    assert demo.INHABITANTS == profile.INHABITANTS


def test_each_taakveld_sits_under_the_theme_the_prognose_books_it_on():
    """The prognose's product category -> taakveld -> theme table and the theme catalogue
    agree: 6.74a is Jeugd-ggz on both, under no other youth theme."""
    with resources.files("calc.prognose").joinpath("taakvelden.csv").open(encoding="utf-8") as f:
        mapping = {(r["taakveld"], r["thema"]) for r in csv.DictReader(f, delimiter=";")}
    catalogue = {t.name: set(t.taakvelden) for t in load_catalogue().themes}
    for taakveld, theme in mapping:
        assert taakveld in catalogue[theme], (taakveld, theme)
        if taakveld.startswith("6.7"):     # care taakvelden: one theme each
            owners = [n for n, tvs in catalogue.items() if taakveld in tvs]
            assert owners == [theme], (taakveld, owners)


def test_one_number_of_draws_everywhere():
    """SD_BANDBREEDTE's default and the sheet, the scenario button and SD_SALDOBAND all draw
    the profile's number, and the texts say so."""
    from addin.udfs.begroting import SD_SALDOBAND
    from calc.budget.measures import BAND_DRAWS
    from grip.jobs.scenario import DRAWS
    from workbooks.sheets import scenarios

    assert profile.DRAWS == BAND_DRAWS == DRAWS == scenarios.BAND_DRAWS
    said = nl_number(profile.DRAWS, 0)
    assert f"uit {said} trekkingen" in SD_SALDOBAND.__doc__
    bas = (ROOT / "tests" / "snapshots" / "xlwings_udfs.bas").read_text(encoding="cp1252")
    assert f"standaard {said}, hoogstens" in bas
    assert not re.search(r"\b(2\.000|20\.000) trekkingen", bas)


def test_readme_takes_the_profile_numbers():
    """The README's Gemeente Voorbeeld has the profile's inhabitants and draws, no other."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    sizes = set(re.findall(r"(\d+\.\d{3}) inwoners", text))
    assert sizes <= {nl_number(profile.INHABITANTS, 0), nl_number(profile.NEIGHBOUR_INHABITANTS, 0)}
    draws = set(re.findall(r"(\d+\.\d{3}) trekkingen", text))
    assert draws <= {nl_number(profile.DRAWS, 0), "200.000"}   # 200.000: SD_KANS_SLUITEND's exact-or-sampled rule


@pytest.fixture(scope="module")
def model_x(tmp_path_factory):
    """`grip werkmap bouw` for another municipality, with its values copy (recalculated
    headless). Gemeente Elders, as the empty models of test_gripniveau_sheet and
    test_samenvatting: the same workbook content, recalculated once in the run."""
    from grip.cli import main

    folder = tmp_path_factory.mktemp("x")
    assert main(["werkmap", "bouw", "--uit", str(folder / "x.xlsx"),
                 "--gemeente", "Gemeente Elders",
                 "--waarden", str(folder / "x_waarden.xlsx")]) == 0
    return folder


def test_a_model_for_another_municipality_mentions_no_other(model_x):
    """Every cell of the model and its values copy: no Gemeente Voorbeeld, no Buurgemeente,
    and no # message (the gripniveau says 'nog geen zelfbeoordeling')."""
    from openpyxl import load_workbook

    for name in ("x.xlsx", "x_waarden.xlsx"):
        hits, errors, mentions = [], [], 0
        for ws in load_workbook(model_x / name).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    text = str(cell.value) if cell.value is not None else ""
                    if re.search(r"gemeente voorbeeld|buurgemeente", text, re.I):
                        hits.append((ws.title, cell.coordinate, text[:60]))
                    if name.endswith("_waarden.xlsx") and text.startswith("#"):
                        errors.append((ws.title, cell.coordinate, text[:60]))
                    mentions += "Gemeente Elders" in text
        assert hits == [] and errors == [], (name, hits[:5], errors[:5])
        assert mentions >= 3
    values = load_workbook(model_x / "x_waarden.xlsx")
    assert values["Gripniveau"]["E25"].value == "nog geen zelfbeoordeling"
