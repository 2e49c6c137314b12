"""Measures (beleidsknoppen) and scenarios, turned into a shock per year and theme.

A **measure** changes one theme: in euro per year (``soort = euro``) or in clients per year
(``soort = volume``, priced at the theme's cost per client). It starts in a calendar year,
ramps up linearly over ``aanloopjaren`` years (0 or 1: full effect at once), and is either
structural (every year from the start) or one-off (only in the start year). The amount
has a range (low <= most likely <= high) for the Monte Carlo. A negative amount is a cut.

A **scenario** is a named set of measures; only measures switched on (``aan``) count. On a
sheet or in a file the last column ``scenarios`` lists the scenarios a measure belongs to
(comma-separated; empty = every scenario), so one table holds several scenarios.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from calc import cells
from calc.cells import nl
from calc.cross_effects.model import ThemeCatalogue
from calc.errors import InputError, Problem, raise_if
from calc.text import yes_no

#: Column headers of the measure table (file and sheet), in order.
MEASURE_COLUMNS = ("aan", "maatregel", "thema", "soort", "laag", "verwacht", "hoog", "startjaar",
                   "aanloopjaren", "structureel", "scenarios")


class Measure(BaseModel):
    """One policy knob on one theme (amounts per year: euro, or clients for ``volume``)."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    theme: str
    kind: Literal["euro", "volume"] = "euro"
    low: float
    mode: float
    high: float
    start_year: int
    ramp_years: int = Field(default=0, ge=0)
    structural: bool = True
    active: bool = True
    scenarios: tuple[str, ...] = ()

    def in_scenario(self, name: str | None) -> bool:
        """True if the measure belongs to scenario ``name`` (every measure does when ``name`` is
        empty, and a measure without scenarios belongs to every scenario).

        >>> m = Measure(theme="x", low=1, mode=1, high=1, start_year=2027, scenarios=("Investeren",))
        >>> m.in_scenario("investeren"), m.in_scenario("Bezuinigen"), m.in_scenario(None)
        (True, False, True)
        """
        if not name or not str(name).strip() or not self.scenarios:
            return True
        return str(name).strip().casefold() in {s.casefold() for s in self.scenarios}

    @model_validator(mode="after")
    def _ordered(self) -> "Measure":
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"laag <= verwacht <= hoog klopt niet: {self.low}, {self.mode}, {self.high}")
        return self

    def profile(self, first_year: int, years: int) -> np.ndarray:
        """Share of the full amount in each year ``first_year .. first_year + years - 1``.

        >>> Measure(theme="x", low=1, mode=1, high=1, start_year=2028, ramp_years=3).profile(2027, 5)
        array([0.        , 0.33333333, 0.66666667, 1.        , 1.        ])
        >>> Measure(theme="x", low=1, mode=1, high=1, start_year=2028, structural=False).profile(2027, 3)
        array([0., 1., 0.])
        """
        k = np.arange(first_year, first_year + years) - self.start_year + 1   # 1 in the start year
        if not self.structural:
            return (k == 1).astype(float)
        ramp = max(self.ramp_years, 1)
        return np.clip(k / ramp, 0.0, 1.0)


class Scenario(BaseModel):
    """A named set of measures."""

    model_config = ConfigDict(frozen=True)

    name: str = "Scenario"
    measures: tuple[Measure, ...] = ()

    @property
    def active(self) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.active)


def measures_from_rows(rows: Iterable[Sequence[Any]], *, argument: str = "maatregelen",
                       default_year: int | None = None,
                       catalogue: ThemeCatalogue | None = None) -> tuple[Measure, ...]:
    """Measures from rows in ``MEASURE_COLUMNS`` order (no header); empty rows are skipped.

    A row without theme and amount is skipped (a blank line on the sheet); an empty
    ``aan`` means on, an empty ``structureel`` means structural. With a ``catalogue`` an
    unknown theme is refused here, naming its row.

    >>> m = measures_from_rows([["ja", "Meer schuldhulp", "Schuldhulpverlening", "euro",
    ...                          100_000, 200_000, 250_000, 2027, 2, "ja"]])[0]
    >>> m.theme, m.mode, m.ramp_years
    ('Schuldhulpverlening', 200000.0, 2)
    """
    problems: list[Problem] = []
    out = []
    per_client = catalogue.cost_per_client() if catalogue is not None else None
    for r, row in enumerate(rows):
        cell = cells.row_cells(row, len(MEASURE_COLUMNS))
        if all(cells.is_empty(c) for c in cell[1:7]):
            continue
        before = len(problems)
        active = cells.flag(cell[0], (argument, r, 0), problems, default=True)
        theme = cells.text(cell[2])
        if not theme:
            problems.append(Problem("het thema van de maatregel ontbreekt", argument, r, 2))
        elif catalogue is not None:
            try:
                theme = catalogue.names[catalogue.index(theme, argument=argument, row=r, column=2)]
            except InputError as exc:
                problems.extend(exc.problems)
        kind = (cells.text(cell[3]) or "euro").lower()
        if kind not in ("euro", "volume"):
            problems.append(Problem(f"soort '{kind[:20]}' is onbekend (euro of volume)", argument, r, 3))
        elif kind == "volume" and active and catalogue is not None and len(problems) == before \
                and np.isnan(per_client[catalogue.index(theme)]):
            # named here, at its own row: later (shock_pattern) its place is among the active
            # measures of one scenario, and the message named another measure's row
            problems.append(Problem(_no_cost_per_client(theme), argument, r, 3))
        mode = cells.number(cell[5], (argument, r, 5), problems)
        low = cells.number(cell[4], (argument, r, 4), problems, default=mode if mode is not None else 0.0)
        high = cells.number(cell[6], (argument, r, 6), problems, default=mode if mode is not None else 0.0)
        start = cells.whole(cell[7], (argument, r, 7), problems, default=default_year, minimum=1900)
        ramp = cells.whole(cell[8], (argument, r, 8), problems, default=0, minimum=0)
        structural = cells.flag(cell[9], (argument, r, 9), problems, default=True)
        member = tuple(p.strip() for p in cells.text(cell[10]).replace(";", ",").split(",") if p.strip())
        if None not in (low, mode, high) and not low <= mode <= high:
            problems.append(Problem(f"laag ({nl(low)}) <= verwacht ({nl(mode)}) <= hoog ({nl(high)}) "
                                    "klopt niet", argument, r, 4))
        if len(problems) == before:
            out.append(Measure(name=cells.text(cell[1]), theme=theme, kind=kind, low=low, mode=mode,
                               high=high, start_year=start, ramp_years=ramp, structural=structural,
                               active=active, scenarios=member))
    raise_if(problems)
    return tuple(out)


def measures_to_rows(measures: Iterable[Measure]) -> list[list[Any]]:
    """Rows in ``MEASURE_COLUMNS`` order, without header."""
    return [[yes_no(m.active), m.name, m.theme, m.kind, m.low, m.mode, m.high,
             m.start_year, m.ramp_years, yes_no(m.structural), ", ".join(m.scenarios)]
            for m in measures]


def _no_cost_per_client(theme: str) -> str:
    return f"een volumemaatregel vraagt kosten per cliënt van '{theme}'"


def shock_pattern(catalogue: ThemeCatalogue, measures: Sequence[Measure], first_year: int,
                  years: int, *, argument: str = "maatregelen") -> np.ndarray:
    """Euro per unit of each measure's amount, per year and theme: shape (M, T, N).

    The shock of a set of amounts ``q`` (D, M) is ``einsum('dm,mtn->dtn', q, pattern)``.
    A measure on an unknown theme, or a volume measure on a theme without cost per client,
    is an InputError naming the measure's row (its position in ``measures``).
    """
    n = len(catalogue)
    pattern = np.zeros((len(measures), years, n))
    per_client = catalogue.cost_per_client()
    problems: list[Problem] = []
    for r, m in enumerate(measures):
        try:
            k = catalogue.index(m.theme, argument=argument, row=r, column=2)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        price = 1.0
        if m.kind == "volume":
            price = per_client[k]
            if np.isnan(price):
                problems.append(Problem(_no_cost_per_client(catalogue.names[k]), argument, r, 3))
                continue
        pattern[r, :, k] = price * m.profile(first_year, years)
    raise_if(problems)
    return pattern


def scenarios_from_measures(measures: Sequence[Measure]) -> tuple[Scenario, ...]:
    """One Scenario per name in the measures' ``scenarios`` (in order of appearance); a measure
    without names is in each. Without any names: one scenario "Scenario" with all measures."""
    names: dict[str, str] = {}
    for m in measures:
        for name in m.scenarios:
            names.setdefault(name.casefold(), name)
    if not names:
        return (Scenario(name="Scenario", measures=tuple(measures)),)
    return tuple(Scenario(name=name, measures=tuple(m for m in measures if m.in_scenario(name)))
                 for name in names.values())


def load_scenarios(path: str | Path, *, catalogue: ThemeCatalogue | None = None) -> tuple[Scenario, ...]:
    """Scenarios from a measure table file (``;``, header ``MEASURE_COLUMNS``).

    Errors name the file, line and column.
    """
    from calc.cross_effects.model import _located, _read_csv

    path = Path(path)
    rows = _read_csv(path, MEASURE_COLUMNS, path.name)
    try:
        measures = measures_from_rows(rows, catalogue=catalogue)
    except InputError as exc:
        raise _located(exc, path.name, MEASURE_COLUMNS) from None
    return scenarios_from_measures(measures)


def save_scenarios(scenarios: Iterable[Scenario], path: str | Path) -> Path:
    """Write scenarios as one measure table (a measure in several scenarios is written once)."""
    from calc.cross_effects.model import _write_csv

    members: dict[Measure, list[str]] = {}
    for scenario in scenarios:
        for m in scenario.measures:
            members.setdefault(m.model_copy(update={"scenarios": ()}), []).append(scenario.name)
    merged = [m.model_copy(update={"scenarios": tuple(names)}) for m, names in members.items()]
    return _write_csv(path, MEASURE_COLUMNS, measures_to_rows(merged))
