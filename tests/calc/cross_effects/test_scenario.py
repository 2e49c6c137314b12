"""Measures and scenarios: direct and indirect effects, Monte Carlo band, tornado, side by side."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from calc.cross_effects import (
    EffectModel,
    Link,
    Measure,
    Scenario,
    Theme,
    ThemeCatalogue,
    compare_municipalities,
    compare_scenarios,
    load_model,
    measures_from_rows,
    scenario_effects,
    side_by_side,
    tornado,
)
from calc.cross_effects.paths import propagate
from calc.cross_effects.scenario import draw, triangular
from calc.errors import InputError, ModelError

MODEL = load_model()
SHV = Measure(name="Meer schuldhulp", theme="Schuldhulpverlening", low=1e5, mode=2e5, high=2.5e5,
              start_year=2027, ramp_years=2)
MINIMA = Measure(name="Korting minima", theme="Minimabeleid en bijzondere bijstand", low=-3e5, mode=-2e5,
                 high=-1e5, start_year=2028)


def two_themes(share=0.5):
    cat = ThemeCatalogue(themes=(Theme(name="Schuldhulpverlening", baseline=8e5, clients=400,
                                       cost_per_client=2000),
                                 Theme(name="Bijstand", baseline=1.5e7, clients=1100, cost_per_client=13500)))
    return EffectModel(catalogue=cat, links=(Link(source="Schuldhulpverlening", target="Bijstand",
                                                  low=-3, mode=-2, high=-1, municipal_share=share),))


def test_debt_counselling_by_hand():
    """100,000 a year more debt counselling: bijstand -100,000 a year from the next year, and
    another 100,000 a year of benefit to other parties (MKBA: 2 per euro, half municipal)."""
    fx = scenario_effects(two_themes(), [Measure(theme="Schuldhulpverlening", low=1e5, mode=1e5, high=1e5,
                                                 start_year=2027)], first_year=2027, years=4)
    np.testing.assert_allclose(fx.direct, [[1e5] * 4, [0] * 4])
    np.testing.assert_allclose(fx.indirect, [[0] * 4, [0, -1e5, -1e5, -1e5]])
    np.testing.assert_allclose(fx.other_parties, [0, -1e5, -1e5, -1e5])
    assert fx.years == (2027, 2028, 2029, 2030)


def test_volume_measure_is_priced_per_client():
    """50 more clients of debt counselling = 50 x 2,000 euro."""
    m = Measure(theme="Schuldhulpverlening", kind="volume", low=50, mode=50, high=50, start_year=2027)
    fx = scenario_effects(two_themes(), [m], first_year=2027, years=2)
    np.testing.assert_allclose(fx.direct[0], [1e5, 1e5])


def test_one_off_and_ramp_up():
    """A one-off measure acts in its start year only; a ramp of 3 years reaches full effect in year 3."""
    one_off = Measure(theme="Bijstand", low=9, mode=9, high=9, start_year=2028, structural=False)
    ramp = Measure(theme="Schuldhulpverlening", low=9, mode=9, high=9, start_year=2027, ramp_years=3)
    fx = scenario_effects(two_themes(), [one_off, ramp], first_year=2027, years=4)
    np.testing.assert_allclose(fx.direct, [[3, 6, 9, 9], [0, 9, 0, 0]])


def test_switched_off_measures_do_not_count():
    """A measure with aan = nee changes nothing."""
    off = SHV.model_copy(update={"active": False})
    fx = scenario_effects(MODEL, Scenario(name="Uit", measures=(off,)), first_year=2027, years=3)
    assert not fx.total.any()


def test_direct_plus_indirect_is_the_path_and_converges_to_the_total_effect():
    """Total = direct + indirect; a structural scenario settles at (I - A)^-1 s."""
    from calc.cross_effects import total_effect

    m = SHV.model_copy(update={"ramp_years": 0})
    fx = scenario_effects(MODEL, [m], first_year=2027, years=60)
    np.testing.assert_allclose(fx.total, fx.direct + fx.indirect)
    s = fx.direct[:, -1]
    np.testing.assert_allclose(fx.total[:, -1], total_effect(MODEL.matrix(), s), atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.floats(-1e7, 1e7), st.floats(-1e7, 1e7))
def test_effects_are_linear_in_the_measures(a, b):
    """Effect of two measures = sum of their effects (zero in, zero out; scaling scales)."""
    ma = Measure(theme="Toegang en wijkteams", low=a, mode=a, high=a, start_year=2027)
    mb = Measure(theme="Bijstand", low=b, mode=b, high=b, start_year=2029)
    both = scenario_effects(MODEL, [ma, mb], first_year=2027, years=5).total
    apart = sum(scenario_effects(MODEL, [m], first_year=2027, years=5).total for m in (ma, mb))
    np.testing.assert_allclose(both, apart, atol=1e-6 * (1 + abs(a) + abs(b)))


def test_measure_on_unknown_theme_is_refused():
    """A measure on a theme outside the catalogue is an InputError naming the measure."""
    with pytest.raises(InputError, match="onbekend thema 'Sport'") as info:
        scenario_effects(MODEL, [SHV, SHV.model_copy(update={"theme": "Sport"})], first_year=2027)
    assert info.value.row == 1


def test_measure_rows_are_checked():
    """Rows with low > high, bad kind or a bad yes/no are refused all at once."""
    with pytest.raises(InputError) as info:
        measures_from_rows([["ja", "a", "Bijstand", "euro", 3, 2, 1, 2027, 0, "ja"],
                            ["misschien", "b", "Bijstand", "liter", 1, 2, 3, 2027, 0, "ja"]])
    assert [(p.row, p.column) for p in info.value.problems] == [(0, 4), (1, 0), (1, 3)]


def test_triangular_matches_scipy():
    """Our inverse CDF equals scipy.stats.triang.ppf."""
    u = np.linspace(0.001, 0.999, 99)
    np.testing.assert_allclose(triangular(u, -3.0, -2.0, -1.0),
                               stats.triang.ppf(u, c=0.5, loc=-3.0, scale=2.0), rtol=1e-12)
    np.testing.assert_allclose(triangular(u, 0.0, 0.0, 4.0), stats.triang.ppf(u, c=0.0, scale=4.0),
                               rtol=1e-12, atol=1e-12)


def test_band_collapses_without_ranges():
    """With low = most likely = high everywhere, P10 = P50 = P90 = the most likely path."""
    model = two_themes()
    model = model.with_links([model.links[0].model_copy(update={"low": -2.0, "high": -2.0})])
    m = Measure(theme="Schuldhulpverlening", low=1e5, mode=1e5, high=1e5, start_year=2027)
    fx = scenario_effects(model, [m], first_year=2027, years=3, draws=50)
    for band in fx.bands:
        np.testing.assert_allclose(band, fx.total)


def test_band_is_ordered_reproducible_and_around_the_mean():
    """P10 <= P50 <= P90; same seed same band; the draw mean of a linear effect is near its mean."""
    fx = scenario_effects(MODEL, [SHV, MINIMA], first_year=2027, years=5, draws=4000, seed=7,
                          keep_draws=True)
    assert (np.diff(fx.bands, axis=0) >= -1e-9).all() and (np.diff(fx.total_bands, axis=0) >= -1e-9).all()
    again = scenario_effects(MODEL, [SHV, MINIMA], first_year=2027, years=5, draws=4000, seed=7)
    np.testing.assert_array_equal(fx.bands, again.bands)
    m = Measure(theme="Schuldhulpverlening", low=1e5, mode=2e5, high=2.5e5, start_year=2027)
    fx = scenario_effects(two_themes(), [m], first_year=2027, years=2, draws=20000, seed=1, keep_draws=True)
    mean = 5.5e5 / 3                                      # mean of the triangular (a + b + c) / 3
    assert abs(fx.draws[:, 0, 0].mean() - mean) < 0.01 * mean
    # bijstand in year 2 = coefficient x amount, independent: -1 x mean (coefficient mean -2 x 0.5)
    assert abs(fx.draws[:, 1, 1].mean() + mean) < 0.01 * mean


def test_kernel_equals_a_plain_loop_per_draw():
    """The vectorised kernel gives what a plain per-draw matrix loop gives."""
    measures = [SHV, MINIMA]
    coef, amounts = draw(MODEL, measures, 20, seed=2)
    arr = MODEL.arrays()
    from calc.cross_effects.measures import shock_pattern

    pattern = shock_pattern(MODEL.catalogue, measures, 2027, 6)
    shock = np.einsum("dm,mtn->dtn", amounts, pattern)
    fast = propagate(coef, arr.source, arr.target, arr.lag, shock, 20)
    for d in range(20):
        mats = {}
        for l in range(coef.shape[1]):
            mats.setdefault(int(arr.lag[l]), np.zeros((20, 20)))[arr.target[l], arr.source[l]] += coef[d, l]
        x = np.zeros((6, 20))
        solve = np.linalg.inv(np.eye(20) - mats.get(0, np.zeros((20, 20))))
        for t in range(6):
            b = shock[d, t] + sum(a @ x[t - k] for k, a in mats.items() if k > 0 and t - k >= 0)
            x[t] = solve @ b
        np.testing.assert_allclose(fast[d], x, atol=1e-6)


def test_too_wide_ranges_are_refused_with_the_share_of_draws():
    """If some draws do not settle, the band is refused, saying how many."""
    cat = ThemeCatalogue.from_rows([["A"], ["B"]])
    model = EffectModel(catalogue=cat, links=(Link(source="A", target="B", low=0.0, mode=0.5, high=1.9),
                                              Link(source="B", target="A", low=0.0, mode=0.5, high=1.9)))
    m = Measure(theme="A", low=1, mode=1, high=1, start_year=2027)
    scenario_effects(model, [m], first_year=2027, years=3)          # most likely values settle
    with pytest.raises(ModelError, match="% van de trekkingen"):
        scenario_effects(model, [m], first_year=2027, years=3, draws=200)


def test_tornado_puts_the_strongest_link_first():
    """For more debt counselling the MKBA link drives the result; links without range are left out."""
    base, rows = tornado(MODEL, [SHV], first_year=2027, years=10)
    assert rows[0].label == "Schuldhulpverlening → Bijstand" and rows[0].kind == "verband"
    assert rows[0].at_low < base < rows[0].at_high
    assert all(r.swing > 0 for r in rows)
    assert "Meer schuldhulp" in [r.label for r in rows]
    assert all("Onderwijs" not in r.label for r in rows)   # not reached by this measure


def test_two_municipalities_side_by_side():
    """Same model, own baselines: a volume measure costs more where a client costs more."""
    a = load_model()
    b = a.with_catalogue(a.catalogue.override({"Schuldhulpverlening": {"cost_per_client": 3000}}))
    m = Measure(name="50 trajecten", theme="Schuldhulpverlening", kind="volume", low=50, mode=50, high=50,
                start_year=2027)
    results = compare_municipalities({"Ommen": a, "Hardenberg": b}, [m], first_year=2027, years=3)
    table = side_by_side(results, value="direct")
    assert list(table.columns) == ["Ommen", "Hardenberg"]
    assert table.loc[("Schuldhulpverlening", 2027)].tolist() == [1e5, 1.5e5]
    scen = compare_scenarios(a, [Scenario(name="Basis"), Scenario(name="Schuld", measures=(m,))],
                             first_year=2027, years=3)
    assert list(side_by_side(scen).columns) == ["Basis", "Schuld"]


def test_scenario_files_round_trip_and_name_bad_lines(tmp_path):
    """Named sets of measures go to one CSV file and back; a bad line is named with file and column."""
    from calc.cross_effects import load_scenarios, save_scenarios

    both = MINIMA.model_copy(update={"name": "Beide"})
    scenarios = (Scenario(name="Investeren", measures=(SHV, both)),
                 Scenario(name="Bezuinigen", measures=(MINIMA, both)))
    path = save_scenarios(scenarios, tmp_path / "scenarios.csv")
    loaded = load_scenarios(path, catalogue=MODEL.catalogue)
    assert [s.name for s in loaded] == ["Investeren", "Bezuinigen"]
    for got, want in zip(loaded, scenarios):
        assert {m.model_copy(update={"scenarios": ()}) for m in got.measures} == set(want.measures)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1 + 3       # "Beide" written once
    path.write_text(path.read_text(encoding="utf-8").replace("Schuldhulpverlening", "Sport"), encoding="utf-8")
    with pytest.raises(InputError, match="scenarios.csv, regel 2, kolom thema: onbekend thema 'Sport'"):
        load_scenarios(path, catalogue=MODEL.catalogue)
