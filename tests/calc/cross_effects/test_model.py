"""The effect model as data: defaults, files and sheet rows, bad input."""

import numpy as np
import pytest

from calc.cross_effects import (
    EffectModel,
    Link,
    ThemeCatalogue,
    links_from_rows,
    links_to_rows,
    load_model,
    save_model,
    spectral_radius,
)
from calc.errors import InputError


#: Iv3 taakvelden of the sociaal domein and nearby (DOMAIN.md, domein/iv3_taakvelden.csv).
IV3 = {"6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.71a", "6.71b", "6.71c", "6.71d", "6.72a", "6.72b",
       "6.72c", "6.72d", "6.73a", "6.73b", "6.73c", "6.74a", "6.74b", "6.74c", "6.81a", "6.81b", "6.82a",
       "6.82b", "4.3", "7.1"}


def test_default_catalogue_has_twenty_themes_with_taakvelden():
    """About 20 default themes, each with at least one Iv3 taakveld of the shared list."""
    model = load_model()
    assert len(model.names) == 20
    for theme in model.catalogue.themes:
        assert theme.taakvelden and set(theme.taakvelden) <= IV3, theme.name
        assert theme.baseline > 0


def test_default_links_carry_a_source_or_the_word_aanname():
    """Every default coefficient says where it comes from; published ones name the study."""
    links = load_model().links
    assert all(k.note.startswith(("bron:", "aanname")) for k in links)
    assert any(k.note.startswith("bron: MKBA schuldhulpverlening") for k in links)


def test_debt_counselling_seed_matches_the_published_study():
    """MKBA schuldhulpverlening: about 2 euro per euro, half to the municipality."""
    link = next(k for k in load_model().links if k.label == "Schuldhulpverlening → Bijstand")
    assert link.mode == -2.0 and link.municipal_share == 0.5
    model = load_model()
    a = model.matrix()
    assert a[model.catalogue.index("Bijstand"), model.catalogue.index("Schuldhulpverlening")] == -1.0


def test_default_model_is_stable_even_at_the_extremes():
    """The summed default matrix settles, also with every link at its largest absolute value."""
    model = load_model()
    arr = model.arrays()
    bound = np.zeros((20, 20))
    np.add.at(bound, (arr.target, arr.source), np.maximum(abs(arr.low), abs(arr.high)))
    assert spectral_radius(bound) < 1


def test_files_round_trip(tmp_path):
    """save_model then load_model gives the same model."""
    model = load_model()
    themes, links = save_model(model, tmp_path)
    assert load_model(themes, links) == model


def test_rows_round_trip():
    """Sheet rows and back are lossless."""
    model = load_model()
    assert ThemeCatalogue.from_rows(model.catalogue.to_rows()) == model.catalogue
    assert links_from_rows(links_to_rows(model.links)) == model.links


def test_override_per_municipality():
    """A municipality overrides its own baselines; the rest stays."""
    cat = load_model().catalogue
    other = cat.override({"bijstand": {"baseline": 9e6}})
    assert other.themes[cat.index("Bijstand")].baseline == 9e6
    assert other.themes[0] == cat.themes[0]


def test_per_client_link_is_priced_in_euro():
    """A link per client becomes euro via both themes' cost per client."""
    cat = ThemeCatalogue.from_rows([["A", "6.1", 1e6, 100, 1000], ["B", "6.3", 1e6, 100, 4000]])
    model = EffectModel(catalogue=cat, links=(Link(source="A", target="B", unit="client",
                                                   low=0.1, mode=0.1, high=0.1),))
    assert model.matrix()[1, 0] == pytest.approx(0.4)


@pytest.mark.parametrize("row, column, text", [
    (["A", "B", "euro", 0.3, 0.1, 0.2, 1, 1, ""], 3, "klopt niet"),
    (["A", "B", "euro", 0.1, 0.1, 0.1, -1, 1, ""], 6, "minstens 0"),
    (["A", "B", "euro", 0.1, 0.1, 0.1, 1.5, 1, ""], 6, "geheel getal"),
    (["A", "B", "euro", 0.1, 0.1, 0.1, 1, 1.2, ""], 7, "tussen 0 en 1"),
    (["A", "B", "liter", 0.1, 0.1, 0.1, 1, 1, ""], 2, "eenheid"),
    (["A", "B", "euro", 0.1, "veel", 0.1, 1, 1, ""], 4, "geen getal"),
])
def test_bad_link_rows_are_named(row, column, text):
    """A bad cell in the link table is refused naming its row and column."""
    with pytest.raises(InputError, match=text) as info:
        links_from_rows([["A", "B", "euro", 0.1, 0.1, 0.1, 1, 1, ""], row])
    assert (info.value.argument, info.value.row, info.value.column) == ("verbanden", 1, column)


def test_link_to_unknown_theme_is_refused():
    """A link naming a theme that is not in the catalogue is refused with its row."""
    cat = ThemeCatalogue.from_rows([["A"], ["B"]])
    with pytest.raises(InputError, match="onbekend thema 'C'") as info:
        EffectModel(catalogue=cat, links=links_from_rows([["A", "B", "euro", 0, 0.1, 0.2],
                                                          ["C", "B", "euro", 0, 0.1, 0.2]]))
    assert (info.value.row, info.value.column) == (1, 0)


def test_bad_file_names_file_line_and_column(tmp_path):
    """A bad line in a CSV file is reported with the file name, line and column header."""
    model = load_model()
    themes, links = save_model(model, tmp_path)
    lines = links.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(";")
    fields[6] = "-2"
    lines[3] = ";".join(fields)
    links.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match="dwarsverbanden.csv, regel 4, kolom vertraging"):
        load_model(themes, links)


def test_duplicate_theme_is_refused():
    """Two themes with the same name are refused, naming the second row."""
    with pytest.raises(InputError, match="twee keer") as info:
        ThemeCatalogue.from_rows([["A"], ["a"]])
    assert info.value.row == 1


def test_a_stray_semicolon_in_a_file_is_refused(tmp_path):
    """An unquoted ; in a source text would shift columns: refused with the line."""
    themes, links = save_model(load_model(), tmp_path)
    links.write_text(links.read_text(encoding="utf-8") + "A;B;euro;0;0;0;1;1;bron; extra\n", encoding="utf-8")
    with pytest.raises(InputError, match="dwarsverbanden.csv, regel 27: 10 kolommen"):
        load_model(themes, links)
