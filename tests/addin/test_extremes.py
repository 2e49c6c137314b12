"""Extreme and wrongly shaped UDF arguments (issue 16): beyond a stated limit #INVOER, inside it
an answer (its time: ``benchmarks/bench_udf_limits.py``), never a silent NaN, empty cell or cut
range."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addin.policy import REGISTRY
from addin.udfs import (SD_BANDBREEDTE, SD_BASISRAMING, SD_EFFECTPAD, SD_GRIPKPISCORES,
                        SD_GRIPONDERWERPSCORES, SD_GRIPSCORE, SD_KANS_SLUITEND, SD_NAGEKOMEN,
                        SD_SALDOBAND, SD_SCENARIO, SD_TOTAALEFFECT, SD_WIJKEN)
from calc.cross_effects import links_to_rows, load_model

MODEL = load_model()
THEMES = [r[:5] for r in MODEL.catalogue.to_rows()]
LINKS = links_to_rows(MODEL.links)
MEASURES = [[True, f"m{k}", MODEL.catalogue.names[k % 20], "euro", -3e3, -2e3, -1e3, 2027.0, 1.0,
             "ja", None] for k in range(30)]
A = [[0.1, 0.0], [0.2, 0.1]]
YEARS = [[2026.0, 2027.0, 2028.0, 2029.0]]


@pytest.mark.parametrize("call, expected", [
    (lambda: SD_SALDOBAND([[20266.0, 20267.0]], [[-1e6, -1e6]], [[0.0, 0.0]],
                          [[1e5, 2e5, 3e5, 20266.0, "ja", 1.0]]),
     "#INVOER: jaren, kolom 1: jaar 20266 ligt niet tussen 2000 en 2100"),
    (lambda: SD_EFFECTPAD(A, [[1.0], [1.0]], 5.0, [[1e15, 1.0], [1.0, 1.0]]),
     "#INVOER: vertragingen, rij 1, kolom 1: de vertraging mag hoogstens 10 jaar zijn"),
    (lambda: SD_EFFECTPAD(A, [[1.0], [1.0]], [[]]), "#INVOER: jaren: er is geen getal opgegeven"),
    (lambda: SD_EFFECTPAD(A, [[1.0], [1.0]], [[5.0, 6.0]]), "#INVOER: jaren: verwacht één cel"),
    (lambda: SD_SCENARIO(THEMES, [r[:6] + [1000.0] + r[7:] for r in LINKS], MEASURES, 2027.0, 10.0),
     "#INVOER: verbanden, rij 1, kolom 7: mag hoogstens 10 zijn"),
    (lambda: SD_SALDOBAND(YEARS, [[-1e6] * 4], [[0.0] * 4],
                          [[1e5, 2e5, 3e5, 2027.0, "ja", 0.8]] * 201),
     "#INVOER: maatregelen: 201 maatregelen, meer dan de grens van 200"),
    (lambda: SD_KANS_SLUITEND(1e6, [[1e4, 2e4, 3e4]] * 201), "#INVOER: besparingen: 201 maatregelen"),
    (lambda: SD_BANDBREEDTE(THEMES, LINKS, MEASURES, 2027.0, 100.0, 10_000.0),
     "#INVOER: trekkingen: 10.000 trekkingen over 100 jaar is meer dan de grens"),
    (lambda: SD_GRIPSCORE([[50.0]] * 9, [[1e308]] * 9),
     "#INVOER: gewichten, rij 1, kolom 1: getal 1e+308 is groter dan de grens van 10^15"),
    (lambda: SD_TOTAALEFFECT(A, [[1e308], [1e308]]), "#INVOER: schok, rij 1, kolom 1: getal"),
    (lambda: SD_NAGEKOMEN([[0.0, 10.0, 20.0], [0.0, 5.0, None], [0.0, None, None]]),
     "#MODEL: driehoek, rij 3, kolom 1: vertraging 0 is overal 0 maar later komen bedragen"),
    # an index of 10^17 % a year overflowed to #MODEL; a rate beyond 25% is now refused first
    (lambda: SD_BASISRAMING([[1e15]], [[0.5]], [[1e15] * 30], [[1e15] * 30], [[0.0] * 30]),
     "#INVOER: loonindex, kolom 1: 100.000.000.000.000.000,0% per jaar is niet aannemelijk "
     "(grens 25%) (en nog 59 problemen)"),
    (lambda: SD_TOTAALEFFECT([[0.01] * 31] * 31, [[1.0]] * 31),
     "#INVOER: matrix: de matrix heeft 31 thema's, meer dan de grens van 30"),
    (lambda: SD_NAGEKOMEN([[1.0] * 1001, [1.0] * 1000 + [None]]),
     "#INVOER: driehoek: de driehoek is 2 x 1001, meer dan de grens"),
], ids=["jaar-20266", "vertraging-1e15", "leeg-bereik-voor-getal", "bereik-voor-getal",
        "scenario-vertraging-1000", "saldoband-201-maatregelen", "kans-201-maatregelen",
        "trekkingen-maal-jaren", "gewichten-1e308", "schok-1e308", "driehoek-eerste-kolom-0",
        "basisraming-overloop", "31-themas", "driehoek-te-breed"])
def test_each_failed_case_of_the_issue_is_a_located_message(call, expected):
    """What gave #INTERN, NaN, empty cells or 'nothing to come' now says what is wrong."""
    out = call()
    assert isinstance(out, str) and out.startswith(expected), out


def test_a_row_of_names_is_not_cut_to_its_first_name():
    """SD_WIJKEN with the theme names in a row gives the same as with a column."""
    effects = [[100.0, 200.0], [50.0, 60.0]]
    key = [["thema", "Noord", "Zuid"], ["A", 1.0, 3.0], ["B", 1.0, 1.0]]
    column = SD_WIJKEN(effects, [["A"], ["B"]], key)
    assert SD_WIJKEN(effects, [["A", "B"]], key) == column
    assert SD_WIJKEN(effects, [["A", "B"], ["A", "B"]], key).startswith(
        "#INVOER: themas: verwacht één kolom of één rij")


def test_gripniveau_lists_in_a_row_count_every_cell():
    """KPI topics and scores given as rows are read whole (they were cut to the first cell)."""
    as_rows = SD_GRIPKPISCORES([[1.0, 2.0]], [[40.0, 80.0]])
    assert as_rows == SD_GRIPKPISCORES([[1.0], [2.0]], [[40.0], [80.0]])
    assert as_rows[0] == [40.0] and as_rows[1] == [80.0]
    ids, levels = [["1.1", "1.2"]], [["ernstig", "in controle"]]
    assert SD_GRIPONDERWERPSCORES(ids, levels) == SD_GRIPONDERWERPSCORES(
        [[i] for i in ids[0]], [[v] for v in levels[0]])


def test_huge_keys_still_add_up():
    """Weights up to 10^15 per wijk: the wijken add up to the total."""
    effects = [[1e9, -2e9]]
    out = SD_WIJKEN(effects, [["A"]], [["thema", "N", "Z"], ["A", 1e15, 1e-300]])
    assert np.allclose(np.sum(out, axis=0), [1e9, -2e9])


# --- fuzz: every UDF with Excel-shaped extremes -------------------------------------------------

extreme = st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, 2026.0, 1e15, -1e15, 1e16, 1e308, -1e308,
                           5e-324, 1e-300, 12.0, 1000.0, 1e6])
cell = st.one_of(extreme, st.none(), st.just(""), st.just("abc"), st.just(True),
                 st.just("#N/A"), st.just("ja"), st.just("ernstig"))


def shaped(draw_cell):
    """An argument as Excel hands it: a bare value, a 1 x 1, a row, a column or a block."""
    return st.one_of(
        draw_cell,
        st.just([]), st.just([[]]),
        draw_cell.map(lambda c: [[c]]),
        st.lists(draw_cell, min_size=1, max_size=12).map(lambda r: [r]),
        st.lists(draw_cell, min_size=1, max_size=12).map(lambda c: [[x] for x in c]),
        st.lists(st.lists(draw_cell, min_size=1, max_size=5), min_size=1, max_size=5),
    )


PREFIXES = ("#INVOER", "#MODEL", "#HISTORIE", "#NIETGESCHAT", "#FOUT")


def _plain(value) -> bool:
    return value is None or isinstance(value, (str, bool)) or \
        (isinstance(value, float) and math.isfinite(value))


@pytest.mark.parametrize("name", sorted(n for n in REGISTRY if n != "SD_PROGNOSE"))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_udf_answers_extremes_with_a_value_or_a_known_message(name, data):
    """Extreme numbers, empty and 1 x 1 ranges, rows for columns: a value or a Dutch message
    with a known prefix, never #INTERN, never NaN or infinity (the time at the limits is
    measured by ``benchmarks/bench_udf_limits.py``, not here)."""
    spec = REGISTRY[name]
    args = [data.draw(shaped(cell), label=p.name) for p in spec.params]
    out = spec.function(*args)
    if isinstance(out, str) and out.startswith("#"):
        assert out.startswith(PREFIXES), out
    elif isinstance(out, list):
        assert all(_plain(v) for row in out for v in row), out
    else:
        assert _plain(out), out


def test_prognose_refuses_a_series_beyond_its_stated_limit():
    """SD_PROGNOSE states 1.200 values at most in its help and refuses more with #INVOER
    (a 6.000-value series took several seconds), instead of keeping Excel waiting."""
    from addin.policy import REGISTRY
    from addin.udfs.prognose import SD_PROGNOSE
    from calc.prognose.series import MAX_POINTS

    assert "1.200" in REGISTRY["SD_PROGNOSE"].params[0].help
    long = [[100.0 + (k % 12)] for k in range(MAX_POINTS + 1)]
    assert SD_PROGNOSE(long, 12).startswith("#INVOER: reeks")
    assert isinstance(SD_PROGNOSE(long[:MAX_POINTS], 3), list)


def test_a_level_typed_as_a_percentage_is_read_or_refused_with_what_was_meant():
    """SD_PROGNOSE's betrouwbaarheid typed as 80 said 'niet 80.0'; typed as the text '80%' it
    was 'geen getal'. The text is read as 0,8; the number gets a Dutch hint."""
    from addin.udfs.prognose import SD_PROGNOSE

    series = [[100.0 + i % 12 * 3] for i in range(36)]
    assert SD_PROGNOSE(series, 3, None, "80%") == SD_PROGNOSE(series, 3, None, 0.8)
    assert SD_PROGNOSE(series, 3, None, 80) == (
        "#INVOER: betrouwbaarheid: moet tussen 0 en 1 liggen (0,8 is 80%), niet 80; bedoelt u "
        "80%? Typ dan 80% of 0,8")
