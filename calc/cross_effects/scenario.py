"""A scenario through the effect model: direct and indirect effect per theme per year, its band.

``scenario_effects`` is the one entry point other engines use (the meerjarenbegroting
takes its euro per theme per year from here). The **direct** effect of a scenario is its
measures' own shock on their themes; the **indirect** effect is everything that follows
through the links (``total - direct``); what falls to other parties (the municipal share
below 1) is reported apart and is not part of any theme.

Uncertainty: every link coefficient and every measure amount is drawn from its triangular
distribution (low, most likely, high), independently; the whole batch of draws runs through
the vectorised kernel ``paths.propagate`` at once. Draws are reproducible with ``seed``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from calc.cross_effects.measures import Measure, Scenario, shock_pattern
from calc.cross_effects.model import EffectModel, LinkArrays
from calc.cross_effects.paths import check_paths_stable, lag_matrices, other_parties, propagate
from calc.cross_effects.total import spectral_radius
from calc.errors import InputError, ModelError
from calc.cells import nl
from calc.text import nl_number

#: Quantiles of the band: P10, P50, P90.
BAND = (0.1, 0.5, 0.9)


def triangular(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution, vectorised; ``low == high`` gives ``low``.

    >>> triangular(np.array([0.0, 0.5, 1.0]), 0.0, 0.5, 1.0)
    array([0. , 0.5, 1. ])
    >>> triangular(np.array([0.3]), 2.0, 2.0, 2.0)
    array([2.])
    """
    low, mode, high = (np.asarray(v, dtype=float) for v in (low, mode, high))
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    c = np.where(width > 0, (mode - low) / safe, 0.0)
    left = low + np.sqrt(u * safe * (mode - low))
    right = high - np.sqrt((1.0 - u) * safe * (high - mode))
    return np.where(width > 0, np.where(u < c, left, right), low)


@dataclass(frozen=True)
class ScenarioEffects:
    """Effects of one scenario in one municipality, euro per year.

    ``direct``, ``indirect``: shape (N themes, T years), most likely values (every range at
    its most likely value). ``bands``: shape (len(quantiles), N, T), quantiles of the total
    effect per theme over the draws; ``total_bands``: (len(quantiles), T) of the sum over
    themes (a quantile of a sum, not a sum of quantiles). ``draws``: (D, N, T) total per draw
    when asked for (``keep_draws``).
    """

    scenario: str
    themes: tuple[str, ...]
    years: tuple[int, ...]
    direct: np.ndarray
    indirect: np.ndarray
    other_parties: np.ndarray
    quantiles: tuple[float, ...] = ()
    bands: np.ndarray | None = None
    total_bands: np.ndarray | None = None
    draws: np.ndarray | None = field(default=None, repr=False)

    @property
    def total(self) -> np.ndarray:
        """Direct plus indirect, (N, T)."""
        return self.direct + self.indirect

    def to_frame(self) -> pd.DataFrame:
        """Long table: scenario, thema, jaar, direct, indirect, totaal (+ p10/p50/p90 if drawn)."""
        n, t = self.direct.shape
        frame = pd.DataFrame({
            "scenario": self.scenario,
            "thema": np.repeat(self.themes, t),
            "jaar": np.tile(self.years, n),
            "direct": self.direct.ravel(),
            "indirect": self.indirect.ravel(),
            "totaal": self.total.ravel(),
        })
        if self.bands is not None:
            for q, band in zip(self.quantiles, self.bands):
                frame[f"p{round(q * 100)}"] = band.ravel()
        return frame


def _check_stable(arrays: LinkArrays, n: int, coef: np.ndarray | None = None) -> float:
    """Spectral radius of the summed matrix; with draws, every draw must settle.

    A cheap bound first: with ``|A|max`` the largest absolute value each link can take,
    ``rho(|A|max) < 1`` makes every draw settle with any lags (a non-negative system bounds
    the signed one). Only when that bound fails are the draws checked one by one.
    """
    n_links = arrays.mode.size
    if n_links == 0:
        return 0.0
    rho = check_paths_stable(lag_matrices(arrays.mode, arrays.source, arrays.target, arrays.lag, n),
                             argument="verbanden")
    if coef is None:
        return rho
    bound = np.zeros((n, n))
    np.add.at(bound, (arrays.target, arrays.source), np.maximum(np.abs(arrays.low), np.abs(arrays.high)))
    if spectral_radius(bound) < 1:
        return rho
    bad = 0
    for row in coef:
        try:
            check_paths_stable(lag_matrices(row, arrays.source, arrays.target, arrays.lag, n))
        except ModelError:
            bad += 1
    if bad:
        raise ModelError(f"de effecten doven niet uit in {nl_number(100 * bad / len(coef), 1)}% van de "
                         "trekkingen (spectraalstraal 1 of meer bij de hoge of lage waarden); maak de "
                         "bandbreedte van de sterkste verbanden kleiner", argument="verbanden")
    return rho


def _measure_ranges(measures: Sequence[Measure]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tuple(np.array([getattr(m, f) for m in measures], dtype=float)
                 for f in ("low", "mode", "high"))


def simulate(model: EffectModel, measures: Sequence[Measure], *, first_year: int, years: int,
             coef: np.ndarray, amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run cases through the model: link coefficients (D, L), measure amounts (D, M).

    Returns ``(shock, x)``, both (D, T, N) euro: the direct effect and the total effect.
    """
    arrays = model.arrays()
    pattern = shock_pattern(model.catalogue, measures, first_year, years)
    shock = np.einsum("dm,mtn->dtn", amounts, pattern) if len(measures) else \
        np.zeros((coef.shape[0], years, len(model.names)))
    x = propagate(coef, arrays.source, arrays.target, arrays.lag, shock, len(model.names))
    return shock, x


def draw(model: EffectModel, measures: Sequence[Measure], draws: int, *, seed: int = 0
         ) -> tuple[np.ndarray, np.ndarray]:
    """Triangular draws of the link coefficients (D, L) and measure amounts (D, M)."""
    arrays = model.arrays()
    rng = np.random.default_rng(seed)
    u = rng.random((draws, arrays.mode.size + len(measures)))
    coef = triangular(u[:, :arrays.mode.size], arrays.low, arrays.mode, arrays.high)
    low, mode, high = _measure_ranges(measures)
    amounts = triangular(u[:, arrays.mode.size:], low, mode, high)
    return coef, amounts


def _check_years(first_year: int, years: int) -> None:
    if int(years) != years or not 1 <= years <= 100:
        raise InputError(f"het aantal jaren moet een geheel getal van 1 tot en met 100 zijn, maar is {years}",
                         argument="jaren")


#: Most Monte Carlo draws, and draws x years held in memory at once (x at most 30 themes):
#: 200.000 (20.000 draws over 10 years, 2.000 over 100) answers within seconds.
MAX_DRAWS, MAX_DRAW_YEARS = 100_000, 200_000


def check_draws(draws: float, years: int) -> None:
    """Refuse a number of draws the band cannot be made with: not whole, below 2, above
    ``MAX_DRAWS``, or more than ``MAX_DRAW_YEARS`` draws x years (an ``InputError`` on
    ``trekkingen``).

    >>> check_draws(1000, 10)
    >>> check_draws(50_000, 10)
    Traceback (most recent call last):
    ...
    calc.errors.InputError: 50.000 trekkingen over 10 jaar is meer dan de grens (trekkingen x jaren hoogstens 200.000); neem minder trekkingen of jaren
    """
    if int(draws) != draws or not 2 <= draws <= MAX_DRAWS:
        raise InputError(f"het aantal trekkingen moet een geheel getal van 2 tot en met "
                         f"{nl_number(MAX_DRAWS, 0)} zijn, maar is "
                         f"{nl_number(draws, 0) if draws == int(draws) else nl(draws)}",
                         argument="trekkingen")
    if draws * years > MAX_DRAW_YEARS:
        raise InputError(f"{nl_number(draws, 0)} trekkingen over {years} jaar is meer dan de "
                         f"grens (trekkingen x jaren hoogstens {nl_number(MAX_DRAW_YEARS, 0)}); "
                         "neem minder trekkingen of jaren", argument="trekkingen")


def scenario_effects(model: EffectModel, scenario: Scenario | Sequence[Measure], *,
                     first_year: int, years: int = 10, draws: int = 0, seed: int = 0,
                     quantiles: Sequence[float] = BAND, keep_draws: bool = False) -> ScenarioEffects:
    """Direct and indirect effect per theme per year of a scenario, with its Monte Carlo band.

    Parameters
    ----------
    model : EffectModel
        Themes and links of one municipality.
    scenario : Scenario or sequence of Measure
        Only active measures count.
    first_year : int
        Calendar year of column 0 (e.g. the budget year 2027).
    years : int
        Number of years (columns).
    draws : int
        Monte Carlo draws; 0 = only the most likely values (no band).
    seed : int
        Seed of the draws (same seed, same band).
    quantiles : sequence of float
        Quantiles of the band, default P10, P50, P90.
    keep_draws : bool
        Keep the total per draw, (D, N, T), e.g. for a budget balance band.

    Returns
    -------
    ScenarioEffects
        Euro per year; negative is a saving for the municipality.

    Raises
    ------
    InputError
        A measure on an unknown theme, a bad number of years.
    ModelError
        The links do not settle (spectral radius of the summed matrix 1 or more).

    Examples
    --------
    Invest 100,000 a year in debt counselling from 2027: bijstand falls by 0.5 x 2 = 1 euro
    per euro a year later (the default link: effect -2, half for the municipality).

    >>> from calc.cross_effects.model import EffectModel, ThemeCatalogue, Theme, Link
    >>> cat = ThemeCatalogue(themes=(Theme(name="Schuldhulpverlening", baseline=8e5),
    ...                              Theme(name="Bijstand", baseline=1.5e7)))
    >>> model = EffectModel(catalogue=cat, links=(Link(source="Schuldhulpverlening",
    ...     target="Bijstand", low=-3, mode=-2, high=-1, municipal_share=0.5),))
    >>> m = Measure(theme="Schuldhulpverlening", low=1e5, mode=1e5, high=1e5, start_year=2027)
    >>> fx = scenario_effects(model, [m], first_year=2027, years=3)
    >>> fx.direct[:, :2].tolist(), fx.indirect.tolist(), fx.other_parties.tolist()
    ([[100000.0, 100000.0], [0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, -100000.0, -100000.0]], [0.0, -100000.0, -100000.0])
    """
    _check_years(first_year, years)
    measures = scenario.active if isinstance(scenario, Scenario) else tuple(m for m in scenario if m.active)
    name = scenario.name if isinstance(scenario, Scenario) else "Scenario"
    arrays = model.arrays()
    n = len(model.names)
    low, mode, high = _measure_ranges(measures)
    _check_stable(arrays, n)
    shock, x = simulate(model, measures, first_year=first_year, years=years,
                        coef=arrays.mode[None, :], amounts=mode[None, :])
    other = other_parties((arrays.mode * arrays.other_factor)[None, :], arrays.source, arrays.lag, x)
    direct = shock[0].T
    result = dict(scenario=name, themes=model.names, years=tuple(range(first_year, first_year + years)),
                  direct=direct, indirect=x[0].T - direct, other_parties=other[0])
    if draws:
        check_draws(draws, years)
        coef, amounts = draw(model, measures, int(draws), seed=seed)
        _check_stable(arrays, n, coef)
        _, xs = simulate(model, measures, first_year=first_year, years=years, coef=coef, amounts=amounts)
        q = np.asarray(quantiles, dtype=float)
        result.update(quantiles=tuple(float(v) for v in q),
                      bands=np.quantile(xs, q, axis=0).transpose(0, 2, 1),
                      total_bands=np.quantile(xs.sum(axis=2), q, axis=0),
                      draws=xs.transpose(0, 2, 1) if keep_draws else None)
    return ScenarioEffects(**result)


# --- sensitivity -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TornadoRow:
    """One bar of the tornado: the result with one input at its low and at its high value."""

    label: str
    kind: str          # "verband" or "maatregel"
    at_low: float
    at_high: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


def tornado(model: EffectModel, scenario: Scenario | Sequence[Measure], *, first_year: int,
            years: int = 10, theme: str | None = None) -> tuple[float, list[TornadoRow]]:
    """Which inputs drive the result most: each link and measure at low and high, the rest at
    most likely.

    The result is the total effect summed over the years (and over all themes, or for one
    ``theme``), in euro. Returns the base value and the rows, largest swing first; inputs
    that move nothing are left out.
    """
    _check_years(first_year, years)
    measures = scenario.active if isinstance(scenario, Scenario) else tuple(m for m in scenario if m.active)
    arrays = model.arrays()
    n_links, n_meas = arrays.mode.size, len(measures)
    low, mode, high = _measure_ranges(measures)
    _check_stable(arrays, len(model.names))
    cases = 1 + 2 * (n_links + n_meas)
    coef = np.tile(arrays.mode, (cases, 1))
    amounts = np.tile(mode, (cases, 1))
    for l in range(n_links):
        coef[1 + 2 * l, l], coef[2 + 2 * l, l] = arrays.low[l], arrays.high[l]
    base = 1 + 2 * n_links
    for m in range(n_meas):
        amounts[base + 2 * m, m], amounts[base + 1 + 2 * m, m] = low[m], high[m]
    _check_stable(arrays, len(model.names), coef)
    _, x = simulate(model, measures, first_year=first_year, years=years, coef=coef, amounts=amounts)
    if theme is not None:
        x = x[:, :, [model.catalogue.index(theme)]]
    outcome = x.sum(axis=(1, 2))
    labels = [(k.label, "verband") for k in model.links] + \
             [(m.name or f"maatregel op {m.theme}", "maatregel") for m in measures]
    rows = [TornadoRow(label, kind, float(outcome[1 + 2 * k]), float(outcome[2 + 2 * k]))
            for k, (label, kind) in enumerate(labels)]
    rows = sorted((r for r in rows if r.swing > 1e-9 * max(1.0, abs(outcome[0]))),
                  key=lambda r: -r.swing)
    return float(outcome[0]), rows


# --- side by side --------------------------------------------------------------------------------

def side_by_side(results: Mapping[str, ScenarioEffects], *, value: str = "totaal") -> pd.DataFrame:
    """Results of several municipalities (or scenarios) next to each other.

    Rows: (thema, jaar); one column per key of ``results`` with ``value`` (``direct``,
    ``indirect``, ``totaal`` or a band column such as ``p50``). Themes missing in one
    municipality show as empty (NaN).
    """
    frames = [r.to_frame().set_index(["thema", "jaar"])[value].rename(key) for key, r in results.items()]
    return pd.concat(frames, axis=1)


def compare_municipalities(models: Mapping[str, EffectModel], scenario: Scenario | Sequence[Measure],
                           **options) -> dict[str, ScenarioEffects]:
    """One scenario in several municipalities (each its own baselines and coefficients)."""
    return {name: scenario_effects(model, scenario, **options) for name, model in models.items()}


def compare_scenarios(model: EffectModel, scenarios: Sequence[Scenario], **options
                      ) -> dict[str, ScenarioEffects]:
    """Several scenarios in one municipality, keyed by scenario name."""
    return {s.name: scenario_effects(model, s, **options) for s in scenarios}


# --- from sheet rows ------------------------------------------------------------------------------

def model_from_rows(themes: Sequence[Sequence], links: Sequence[Sequence], measures: Sequence[Sequence],
                    *, default_year: int | None = None) -> tuple[EffectModel, tuple[Measure, ...]]:
    """The effect model and the measures from the three tables as a sheet holds them (no header).

    Argument names in messages: ``themas``, ``verbanden``, ``maatregelen``.
    """
    from calc.cross_effects.measures import measures_from_rows
    from calc.cross_effects.model import ThemeCatalogue, links_from_rows

    catalogue = ThemeCatalogue.from_rows(themes, argument="themas")
    model = EffectModel(catalogue=catalogue, links=links_from_rows(links, argument="verbanden"))
    return model, measures_from_rows(measures, catalogue=catalogue, default_year=default_year)


def indirect_savings(model: EffectModel, theme: str, saving: float, *, start_year: int, first_year: int,
                     years: int, structural: bool = True, ramp_years: int = 0
                     ) -> dict[str, tuple[float, ...]]:
    """The indirect effects of a saving, in the meerjarenbegroting's sign: positive = lower lasten.

    A saving of ``saving`` euro a year on ``theme`` is a measure of ``-saving``; returns, per
    other theme it reaches, the indirect saving per year ``first_year ..`` (euro; themes with
    no effect are left out). The model is linear, so the result scales with ``saving``.

    >>> from calc.cross_effects.model import load_model
    >>> out = indirect_savings(load_model(), "Schuldhulpverlening", 100_000, start_year=2027,
    ...                        first_year=2027, years=3)
    >>> [round(v) for v in out["Bijstand"]]
    [0, -100000, -100000]
    """
    m = Measure(name="besparing", theme=theme, low=-saving, mode=-saving, high=-saving,
                start_year=start_year, structural=structural, ramp_years=ramp_years)
    fx = scenario_effects(model, [m], first_year=first_year, years=years)
    return {name: tuple(float(-v) for v in row) for name, row in zip(fx.themes, fx.indirect)
            if np.any(np.abs(row) > 1e-9)}
