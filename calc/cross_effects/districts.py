"""Spreading effects over districts (wijken) by a key.

The **key** (verdeelsleutel) is a table with one row per theme and one column per wijk,
holding any non-negative weight: clients per wijk (the default suggestion), inhabitants,
or a share. Each row is normalised to sum to 1, so the wijk amounts always add up to the
municipal amount. A row named ``*`` (or ``alle thema's``) is the key for every theme
without its own row, e.g. inhabitants per wijk. A theme without a row and without such a
default row is an error, as is a row whose weights are all 0.

Rows of the key as they stand on the sheet ``Wijken``::

    thema               | Centrum | Noord | Zuid
    *                   |   12000 | 20000 | 18000      <- inwoners: the default key
    Bijstand            |     400 |   300 |   400      <- clients per wijk
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from calc import cells
from calc.errors import InputError, Problem, raise_if

#: Names of the default row of the key.
DEFAULT_ROW = ("*", "alle thema's", "alle themas", "standaard")


class DistrictKey(BaseModel):
    """Weights per theme and wijk, normalised per theme (see the module docstring)."""

    model_config = ConfigDict(frozen=True)

    districts: tuple[str, ...]
    shares: dict[str, tuple[float, ...]]
    default: tuple[float, ...] | None = None

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]], *, argument: str = "sleutel") -> "DistrictKey":
        """From a table with header (``thema``, wijk names ...) and one row per theme.

        >>> key = DistrictKey.from_rows([["thema", "Noord", "Zuid"], ["*", 1, 3], ["Bijstand", 1, 1]])
        >>> key.shares_for("Bijstand"), key.shares_for("Vervoer")
        ((0.5, 0.5), (0.25, 0.75))
        """
        rows = [list(r) for r in rows]
        if len(rows) < 2:
            raise InputError("de verdeelsleutel heeft een kopregel met wijken en minstens één regel nodig",
                             argument=argument)
        header = rows[0]
        names = [cells.text(c) for c in header[1:]]
        while names and not names[-1]:
            names.pop()
        problems: list[Problem] = []
        if not names:
            problems.append(Problem("de kopregel noemt geen wijken", argument, 0, 1))
        for c, name in enumerate(names):
            if not name:
                problems.append(Problem("de naam van de wijk ontbreekt", argument, 0, c + 1))
        shares: dict[str, tuple[float, ...]] = {}
        default = None
        for r, row in enumerate(rows[1:], start=1):
            row = cells.row_cells(row, len(names) + 1)
            theme = cells.text(row[0])
            if not theme and all(cells.is_empty(v) for v in row[1:len(names) + 1]):
                continue
            weights = [cells.number(row[c + 1], (argument, r, c + 1), problems, default=0.0,
                                    parse=cells.parse_fraction)      # shares as '30%' too
                       for c in range(len(names))]
            if any(w is None for w in weights):
                continue
            if not theme:
                problems.append(Problem("het thema ontbreekt", argument, r, 0))
                continue
            if any(w < 0 for w in weights):
                problems.append(Problem("een gewicht mag niet negatief zijn", argument, r,
                                        1 + next(c for c, w in enumerate(weights) if w < 0)))
                continue
            total = sum(weights)
            if total <= 0:
                problems.append(Problem(f"alle gewichten van '{theme[:30]}' zijn 0", argument, r, 1))
                continue
            normalised = tuple(w / total for w in weights)
            if theme.casefold() in DEFAULT_ROW:
                default = normalised
            else:
                shares[theme.casefold()] = normalised
        raise_if(problems)
        return cls(districts=tuple(names), shares=shares, default=default)

    def shares_for(self, theme: str) -> tuple[float, ...]:
        """The normalised weights of one theme (its own row, else the default row)."""
        own = self.shares.get(theme.casefold())
        if own is not None:
            return own
        if self.default is None:
            raise InputError(f"de verdeelsleutel heeft geen regel voor '{theme[:40]}' en geen "
                             "standaardregel '*'", argument="sleutel")
        return self.default

    def matrix(self, themes: Sequence[str]) -> np.ndarray:
        """Shares (N themes, W wijken), each row summing to 1."""
        return np.array([self.shares_for(t) for t in themes])


def distribute(effects: np.ndarray, themes: Sequence[str], key: DistrictKey) -> np.ndarray:
    """Spread effects (N themes, T years) over the wijken: shape (W, N, T), summing back exactly.

    >>> key = DistrictKey(districts=("Noord", "Zuid"), shares={}, default=(0.25, 0.75))
    >>> distribute(np.array([[100.0, 200.0]]), ["Bijstand"], key)[:, 0, :].tolist()
    [[25.0, 50.0], [75.0, 150.0]]
    """
    effects = np.asarray(effects, dtype=float)
    return np.einsum("nw,nt->wnt", key.matrix(themes), effects)


def district_totals(effects: np.ndarray, themes: Sequence[str], key_rows: Sequence[Sequence[Any]]
                    ) -> tuple[tuple[str, ...], np.ndarray]:
    """Effect per wijk per year, summed over the themes: ``(wijken, (W, T) array)``.

    ``themes`` may hold empty names for unused rows (their effects must be 0 or empty).
    """
    key = DistrictKey.from_rows(key_rows)
    effects = np.asarray(effects, dtype=float)
    used = [k for k, name in enumerate(themes) if str(name or "").strip()]
    spread = distribute(effects[used], [str(themes[k]).strip() for k in used], key)
    return key.districts, spread.sum(axis=1)
