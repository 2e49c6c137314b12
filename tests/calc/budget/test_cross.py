"""Measures' indirect effects come from the dwarsverbanden model, with the budget's sign."""

import numpy as np
import pytest

from calc.budget.cross import with_cross_effects
from calc.budget.measures import Measure
from calc.budget.years import Horizon
from calc.cross_effects import Measure as Knob
from calc.cross_effects import load_model, scenario_effects
from calc.errors import InputError

H = Horizon(first_year=2026, n_years=4)


def test_indirect_is_minus_the_models_indirect_change():
    """A saving on Toegang en wijkteams is a cut in the model; its indirect costs come back negative."""
    model = load_model()
    m = Measure(name="inhuur", theme="Toegang en wijkteams", low=4e5, most_likely=8e5, high=1e6,
                start_year=2027)
    got = with_cross_effects([m], model, H)[0]
    fx = scenario_effects(model, [Knob(theme="Toegang en wijkteams", low=-1e6, mode=-8e5, high=-4e5,
                                       start_year=2027)], first_year=2026, years=4)
    for i, theme in enumerate(fx.themes):
        expected = -fx.indirect[i]
        assert np.allclose(got.indirect.get(theme, np.zeros(4)), expected)
    assert sum(sum(v) for v in got.indirect.values()) < 0  # cutting the toegang costs elsewhere
    assert (got.low, got.most_likely, got.high) == (m.low, m.most_likely, m.high)


def test_theme_without_links_has_no_indirect_effect():
    """Huishoudelijke hulp has no outgoing links in the default model."""
    m = Measure(name="hh", theme="Wmo huishoudelijke hulp", low=1, most_likely=2, high=3, start_year=2026)
    assert with_cross_effects([m], load_model(), H)[0].indirect == {}


def test_unknown_theme_is_refused():
    """A measure on a theme the effect model does not know gives a Dutch InputError."""
    m = Measure(name="x", theme="Onbekend thema", low=1, most_likely=2, high=3, start_year=2026)
    with pytest.raises(InputError):
        with_cross_effects([m], load_model(), H)
