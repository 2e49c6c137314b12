"""Indirect effects of budget measures from the dwarsverbanden model (``calc.cross_effects``).

A budget measure saves ``X`` euro a year on its theme. In the effect model that is a change
of ``-X`` in the theme's spending; ``calc.cross_effects.scenario_effects`` follows it
through the links (with their lags and municipal shares) and returns the indirect change
per theme and year. We book that, with the sign turned back (positive = saving), as the
measure's ``indirect`` effects at its most likely saving; the budget model scales them with
the drawn saving (the effect model is linear in the shock).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from calc.budget.measures import Measure
from calc.budget.years import Horizon
from calc.cross_effects import EffectModel, scenario_effects
from calc.cross_effects import Measure as KnobMeasure


def with_cross_effects(measures: Sequence[Measure], model: EffectModel, horizon: Horizon) -> list[Measure]:
    """Each measure with ``indirect`` set from the effect model (per theme, per horizon year).

    Raises
    ------
    InputError
        A measure's theme is not a theme of the effect model (named by ``scenario_effects``).

    Examples
    --------
    Saving 100,000 a year on debt counselling from 2027 costs bijstand 0.5 x 2 = 1 euro per
    euro a year later (the default link: effect -2, half for the municipality):

    >>> from calc.cross_effects import Link, Theme, ThemeCatalogue
    >>> cat = ThemeCatalogue(themes=(Theme(name="Schuldhulpverlening", baseline=8e5),
    ...                              Theme(name="Bijstand", baseline=1.5e7)))
    >>> model = EffectModel(catalogue=cat, links=(Link(source="Schuldhulpverlening",
    ...     target="Bijstand", low=-3, mode=-2, high=-1, municipal_share=0.5),))
    >>> m = Measure(name="Minder schuldhulp", theme="Schuldhulpverlening", low=1e5,
    ...             most_likely=1e5, high=1e5, start_year=2027)
    >>> with_cross_effects([m], model, Horizon(first_year=2027, n_years=3))[0].indirect
    {'Bijstand': (0.0, -100000.0, -100000.0)}
    """
    out = []
    for m in measures:
        knob = KnobMeasure(name=m.name, theme=m.theme, low=-m.high, mode=-m.most_likely,
                           high=-m.low, start_year=m.start_year, structural=m.structural)
        fx = scenario_effects(model, [knob], first_year=horizon.first_year, years=horizon.n_years)
        indirect = {theme: tuple(float(-v) + 0.0 for v in fx.indirect[i])
                    for i, theme in enumerate(fx.themes) if np.any(fx.indirect[i] != 0)}
        out.append(m.model_copy(update={"indirect": indirect}))
    return out
