"""The effect model as data: a theme catalogue and the links between themes.

A **theme** (thema) is a node: a part of the sociaal domein with its Iv3 taakveld(en), a
baseline cost (basislast, euro per year) and, where it makes sense, a number of clients and
a cost per client. A **link** (dwarsverband) from theme ``j`` (van) to theme ``i`` (naar)
says how much theme ``i`` changes per euro (or per client) change in theme ``j``:

* ``laag``, ``verwacht``, ``hoog``: the range of the effect (low <= most likely <= high),
  per euro of ``j`` in euro of ``i`` (``eenheid = euro``) or per client of ``j`` in clients
  of ``i`` (``eenheid = client``, turned into euro with both themes' cost per client);
* ``vertraging``: the lag in whole years (0 = the same year);
* ``aandeel_gemeente``: the share of the effect that lands in the municipal budget of
  theme ``i``; the rest falls to other parties (the "wrong pocket": UWV, zorgverzekeraar,
  creditors ...). Only the municipal part moves further through the model;
* ``bron``: a published source, or text starting with "aanname".

Both tables are read and written as rows of cells (header first in a file, without header
from an Excel range), so a CSV file and a workbook sheet hold exactly the same thing. The
defaults in ``calc/cross_effects/data`` are a municipality of about 50,000 inhabitants;
every municipality overrides baselines (``ThemeCatalogue.override``) and coefficients.
"""

from __future__ import annotations

import csv
import io
import difflib
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from calc import cells
from calc.cells import nl
from calc.cross_effects.total import MAX_THEMES
from calc.errors import InputError, Problem, raise_if
from calc.text import decode, restore_text, safe_text

#: Longest lag of a link in whole years. The year-on-year check builds a companion matrix of
#: (themes x lag) rows; 10 years keeps it small (30 themes: 300 x 300) and is longer than the
#: horizon a municipality budgets for (the default links have lags of at most 3 years).
MAX_LAG = 10

#: Column headers of the theme table (file and sheet), in order.
THEME_COLUMNS = ("thema", "taakvelden", "basislast", "clienten", "kosten_per_client", "bron")
#: Column headers of the link table (file and sheet), in order.
LINK_COLUMNS = ("van", "naar", "eenheid", "laag", "verwacht", "hoog", "vertraging",
                "aandeel_gemeente", "bron")

Unit = Literal["euro", "client"]


class Theme(BaseModel):
    """One theme of the sociaal domein (amounts in euro per year)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    taakvelden: tuple[str, ...] = ()
    baseline: float = Field(ge=0, description="basislast, euro per jaar")
    clients: float | None = Field(default=None, ge=0)
    cost_per_client: float | None = Field(default=None, gt=0, description="euro per cliënt per jaar")
    source: str = "aanname"


class Link(BaseModel):
    """One dwarsverband: the direct effect of theme ``source`` on theme ``target``."""

    model_config = ConfigDict(frozen=True)

    source: str
    target: str
    unit: Unit = "euro"
    low: float
    mode: float
    high: float
    lag: int = Field(default=1, ge=0, le=MAX_LAG, description="vertraging in hele jaren")
    municipal_share: float = Field(default=1.0, ge=0, le=1)
    note: str = "aanname"

    @model_validator(mode="after")
    def _ordered(self) -> "Link":
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"laag <= verwacht <= hoog klopt niet: {self.low}, {self.mode}, {self.high}")
        return self

    @property
    def label(self) -> str:
        """Dutch label, e.g. ``Schuldhulpverlening → Bijstand``."""
        return f"{self.source} → {self.target}"


def _theme_row(row: Sequence[Any], r: int, argument: str, problems: list[Problem]) -> Theme | None:
    cell = cells.row_cells(row, len(THEME_COLUMNS))
    name = cells.text(cell[0])
    if not name:
        problems.append(Problem("de naam van het thema ontbreekt", argument, r, 0))
        return None
    baseline = cells.number(cell[2], (argument, r, 2), problems, default=0.0)
    clients = cells.number(cell[3], (argument, r, 3), problems, default=np.nan)
    per_client = cells.number(cell[4], (argument, r, 4), problems, default=np.nan)
    for value, c, rule in ((baseline, 2, "de basislast mag niet negatief zijn"),
                           (clients, 3, "het aantal cliënten mag niet negatief zijn")):
        if value is not None and value < 0:
            problems.append(Problem(rule, argument, r, c))
            return None
    if per_client is not None and per_client <= 0:
        problems.append(Problem("de kosten per cliënt moeten groter dan 0 zijn", argument, r, 4))
        return None
    if baseline is None or clients is None or per_client is None:
        return None
    return Theme(name=name, taakvelden=tuple(cells.text(cell[1]).replace(",", " ").split()),
                 baseline=baseline, clients=None if np.isnan(clients) else clients,
                 cost_per_client=None if np.isnan(per_client) else per_client,
                 source=cells.text(cell[5]) or "aanname")


class ThemeCatalogue(BaseModel):
    """The themes of one municipality, in a fixed order (the order of every result)."""

    model_config = ConfigDict(frozen=True)

    themes: tuple[Theme, ...]

    def __init__(self, **data: Any) -> None:
        # checked after pydantic's own validation, so the InputError reaches the caller as is
        super().__init__(**data)
        seen: dict[str, int] = {}
        problems = []
        for r, theme in enumerate(self.themes):
            key = theme.name.casefold()
            if key in seen:
                problems.append(Problem(f"thema '{theme.name}' staat er twee keer in "
                                        f"(ook op rij {seen[key] + 1})", "themas", r, 0))
            seen[key] = r
        if not self.themes:
            problems.append(Problem("er is geen enkel thema", "themas"))
        if len(self.themes) > MAX_THEMES:
            problems.append(Problem(f"{len(self.themes)} thema's, meer dan de grens van "
                                    f"{MAX_THEMES}", "themas"))
        raise_if(problems)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def index(self, name: str, *, argument: str = "thema", row: int | None = None,
              column: int | None = None) -> int:
        """Position of a theme by name (case-insensitive); an unknown theme is an InputError."""
        key = str(name).strip().casefold()
        for k, theme in enumerate(self.themes):
            if theme.name.casefold() == key:
                return k
        raise InputError(self.unknown(name), argument=argument, row=row, column=column)

    def unknown(self, name: str, where: str = "") -> str:
        """Why ``name`` is no theme (``where``: a remark after the name), with the theme meant
        where one is near (a shortened or misspelt name).

        >>> from calc.cross_effects.model import load_model
        >>> load_model().catalogue.unknown("Schuldhulp")
        "onbekend thema 'Schuldhulp': bedoelt u 'Schuldhulpverlening'?"
        >>> load_model().catalogue.unknown("Ruimtelijke ordening")
        "onbekend thema 'Ruimtelijke ordening'"
        """
        text = f"onbekend thema '{str(name)[:40]}'{where}"
        key = str(name).strip().casefold()
        names = {t.name.casefold(): t.name for t in self.themes}
        near = [names[n] for n in names if key and key in n] if len(key) >= 4 else []
        if len(near) != 1:
            near = [names[n] for n in difflib.get_close_matches(key, list(names), n=1, cutoff=0.75)]
        return f"{text}: bedoelt u '{near[0]}'?" if near else text

    def cost_per_client(self) -> np.ndarray:
        """Cost per client per theme (NaN where the theme has none)."""
        return np.array([np.nan if t.cost_per_client is None else t.cost_per_client
                         for t in self.themes])

    def override(self, changes: Mapping[str, Mapping[str, Any]]) -> "ThemeCatalogue":
        """A copy with some fields of some themes replaced: ``{"Bijstand": {"baseline": 9e6}}``."""
        themes = list(self.themes)
        for name, fields in changes.items():
            k = self.index(name, argument="afwijkingen")
            try:
                themes[k] = Theme.model_validate({**themes[k].model_dump(), **dict(fields)})
            except ValidationError as exc:
                raise InputError(f"afwijking voor '{name}' klopt niet: {exc.errors()[0]['msg']}",
                                 argument="afwijkingen") from None
        return ThemeCatalogue(themes=tuple(themes))

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]], *, argument: str = "themas") -> "ThemeCatalogue":
        """From rows in ``THEME_COLUMNS`` order (no header); fully empty rows are skipped.

        Only the name is required; the other columns may be left out of the range.
        """
        problems: list[Problem] = []
        themes = []
        for r, row in enumerate(rows):
            if all(cells.is_empty(c) for c in row):
                continue
            theme = _theme_row(row, r, argument, problems)
            if theme is not None:
                themes.append(theme)
        raise_if(problems)
        return cls(themes=tuple(themes))

    def to_rows(self) -> list[list[Any]]:
        """Rows in ``THEME_COLUMNS`` order, without header."""
        return [[t.name, " ".join(t.taakvelden), t.baseline, t.clients, t.cost_per_client, t.source]
                for t in self.themes]


def _link_row(row: Sequence[Any], r: int, argument: str, problems: list[Problem]) -> Link | None:
    cell = cells.row_cells(row, len(LINK_COLUMNS))
    before = len(problems)
    source, target = cells.text(cell[0]), cells.text(cell[1])
    if not source:
        problems.append(Problem("het bronthema (van) ontbreekt", argument, r, 0))
    if not target:
        problems.append(Problem("het doelthema (naar) ontbreekt", argument, r, 1))
    unit = (cells.text(cell[2]) or "euro").lower().replace("cliënt", "client")
    if unit not in ("euro", "client"):
        problems.append(Problem(f"eenheid '{unit[:20]}' is onbekend (euro of client)", argument, r, 2))
    mode = cells.number(cell[4], (argument, r, 4), problems)
    low = cells.number(cell[3], (argument, r, 3), problems, default=mode if mode is not None else 0.0)
    high = cells.number(cell[5], (argument, r, 5), problems, default=mode if mode is not None else 0.0)
    lag = cells.whole(cell[6], (argument, r, 6), problems, default=1, minimum=0, maximum=MAX_LAG)
    share = cells.number(cell[7], (argument, r, 7), problems, default=1.0)
    if share is not None and not 0 <= share <= 1:
        problems.append(Problem(f"het aandeel gemeente moet tussen 0 en 1 liggen, maar is {nl(share)}",
                                argument, r, 7))
    if None not in (low, mode, high) and not low <= mode <= high:
        problems.append(Problem(f"laag ({nl(low)}) <= verwacht ({nl(mode)}) <= hoog ({nl(high)}) "
                                "klopt niet", argument, r, 3))
    if len(problems) > before:
        return None
    return Link(source=source, target=target, unit=unit, low=low, mode=mode, high=high, lag=lag,
                municipal_share=share, note=cells.text(cell[8]) or "aanname")


def links_from_rows(rows: Iterable[Sequence[Any]], *, argument: str = "verbanden") -> tuple[Link, ...]:
    """Links from rows in ``LINK_COLUMNS`` order (no header); fully empty rows are skipped.

    >>> links_from_rows([["Bijstand", "Schuldhulpverlening", "euro", 0.02, 0.05, 0.08, 1, 1, ""]])[0].label
    'Bijstand → Schuldhulpverlening'
    """
    problems: list[Problem] = []
    links = []
    for r, row in enumerate(rows):
        if all(cells.is_empty(c) for c in row):
            continue
        link = _link_row(row, r, argument, problems)
        if link is not None:
            links.append(link)
    raise_if(problems)
    return tuple(links)


def links_to_rows(links: Iterable[Link]) -> list[list[Any]]:
    """Rows in ``LINK_COLUMNS`` order, without header."""
    return [[k.source, k.target, k.unit, k.low, k.mode, k.high, k.lag, k.municipal_share, k.note]
            for k in links]


class LinkArrays(BaseModel):
    """The links as arrays for the vectorised kernels (all in municipal euro per euro).

    ``low``, ``mode``, ``high``: the coefficient that moves through the model (effect x
    municipal share, per-client links turned into euro); ``other``: the same per euro for
    the part that falls to other parties (effect x (1 - share)), as a factor of ``mode``.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    source: np.ndarray
    target: np.ndarray
    lag: np.ndarray
    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray
    other_factor: np.ndarray


class EffectModel(BaseModel):
    """Themes and the links between them: the whole dwarsverbanden model of one municipality."""

    model_config = ConfigDict(frozen=True)

    catalogue: ThemeCatalogue
    links: tuple[Link, ...] = ()

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        problems = []
        per_client = self.catalogue.cost_per_client()
        for r, link in enumerate(self.links):
            ends = []
            for c, name in ((0, link.source), (1, link.target)):
                try:
                    ends.append(self.catalogue.index(name))
                except InputError:
                    problems.append(Problem(self.catalogue.unknown(name, " (niet in de "
                                                                   "themalijst)"),
                                            "verbanden", r, c))
            if len(ends) == 2 and ends[0] == ends[1] and link.lag == 0:
                problems.append(Problem("een thema kan niet in hetzelfde jaar op zichzelf werken "
                                        "(vertraging 0)", "verbanden", r, 6))
            if len(ends) == 2 and link.unit == "client":
                for c, k in ((0, ends[0]), (1, ends[1])):
                    if np.isnan(per_client[k]):
                        problems.append(Problem(f"eenheid client vraagt kosten per cliënt van "
                                                f"'{self.catalogue.names[k]}'", "verbanden", r, c))
        raise_if(problems)

    @property
    def names(self) -> tuple[str, ...]:
        return self.catalogue.names

    def arrays(self) -> LinkArrays:
        """The links as arrays (see ``LinkArrays``)."""
        idx = self.catalogue.index
        per_client = self.catalogue.cost_per_client()
        src = np.array([idx(k.source) for k in self.links], dtype=np.intp)
        tgt = np.array([idx(k.target) for k in self.links], dtype=np.intp)
        euro = np.array([1.0 if k.unit == "euro" else per_client[t] / per_client[s]
                         for k, s, t in zip(self.links, src, tgt)])
        share = np.array([k.municipal_share for k in self.links])

        def coef(field: str) -> np.ndarray:
            return np.array([getattr(k, field) for k in self.links]) * euro * share

        other = np.divide(1.0 - share, share, out=np.zeros_like(share), where=share > 0)
        return LinkArrays(source=src, target=tgt, lag=np.array([k.lag for k in self.links], dtype=np.intp),
                          low=coef("low"), mode=coef("mode"), high=coef("high"), other_factor=other)

    def matrix(self, value: Literal["low", "mode", "high"] = "mode") -> np.ndarray:
        """The summed effect matrix ``A[i, j]`` over all lags (municipal euro per euro)."""
        arr = self.arrays()
        a = np.zeros((len(self.catalogue), len(self.catalogue)))
        np.add.at(a, (arr.target, arr.source), getattr(arr, value))
        return a

    def with_links(self, links: Iterable[Link]) -> "EffectModel":
        return EffectModel(catalogue=self.catalogue, links=tuple(links))

    def with_catalogue(self, catalogue: ThemeCatalogue) -> "EffectModel":
        return EffectModel(catalogue=catalogue, links=self.links)


# --- files -----------------------------------------------------------------------------------

def _read_csv(source: str | Path | io.TextIOBase, columns: Sequence[str], what: str
              ) -> list[list[str]]:
    """Rows of a CSV file with ``columns`` as header (checked), header removed: ';' as Dutch
    Excel saves it, or the tab or comma of its header line (Excel's "Unicode-tekst", an
    English Excel); UTF-8, UTF-16 or Windows-1252 (``calc.text.decode``)."""
    if isinstance(source, (str, Path)):
        text = decode(Path(source).read_bytes())
        name = Path(source).name
    else:
        text, name = source.read(), what
    head = text.split("\n", 1)[0]
    delimiter = ";" if ";" in head else "\t" if "\t" in head else "," if "," in head else ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or [h.strip().lower() for h in rows[0][:len(columns)]] != list(columns):
        raise InputError(f"{name}: de eerste regel moet de kolomkoppen hebben: {';'.join(columns)}",
                         argument=name, row=0)
    problems = [Problem(f"{name}, regel {r + 1}: {len(row)} kolommen, maar er zijn er {len(columns)} "
                        "(staat er een ; in een tekst? zet die tekst dan tussen aanhalingstekens)",
                        name, r - 1, len(columns))
                for r, row in enumerate(rows) if r and any(c.strip() for c in row[len(columns):])]
    raise_if(problems)
    return [[restore_text(v) for v in row] for row in rows[1:]]


def _write_csv(path: str | Path, columns: Sequence[str], rows: list[list[Any]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else (f"{v:g}" if isinstance(v, float) else safe_text(v))
                         for v in row])
    path = Path(path)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _located(error: InputError, name: str, columns: Sequence[str]) -> InputError:
    """File positions: data row r is line r + 2 of the file (after the header)."""
    problems = []
    for p in error.problems:
        where = [name]
        if p.row is not None:
            where.append(f"regel {p.row + 2}")
        if p.column is not None:
            where.append(f"kolom {columns[p.column]}")
        problems.append(Problem(f"{', '.join(where)}: {p.message}", name, p.row, p.column))
    return type(error).from_problems(problems)


def load_catalogue(path: str | Path | None = None) -> ThemeCatalogue:
    """The theme table from a CSV file (``;``, header ``THEME_COLUMNS``); default: the package's."""
    source = path or resources.files("calc.cross_effects") / "data" / "themas.csv"
    rows = _read_csv(Path(str(source)), THEME_COLUMNS, "themas.csv")
    try:
        return ThemeCatalogue.from_rows(rows)
    except InputError as exc:
        raise _located(exc, Path(str(source)).name, THEME_COLUMNS) from None


def load_links(path: str | Path | None = None) -> tuple[Link, ...]:
    """The link table from a CSV file (``;``, header ``LINK_COLUMNS``); default: the package's."""
    source = path or resources.files("calc.cross_effects") / "data" / "dwarsverbanden.csv"
    rows = _read_csv(Path(str(source)), LINK_COLUMNS, "dwarsverbanden.csv")
    try:
        return links_from_rows(rows)
    except InputError as exc:
        raise _located(exc, Path(str(source)).name, LINK_COLUMNS) from None


def load_model(themes: str | Path | None = None, links: str | Path | None = None) -> EffectModel:
    """The effect model from two CSV files; without arguments the published defaults.

    >>> model = load_model()
    >>> len(model.names), model.links[0].label
    (20, 'Schuldhulpverlening → Bijstand')
    """
    return EffectModel(catalogue=load_catalogue(themes), links=load_links(links))


def save_model(model: EffectModel, folder: str | Path) -> tuple[Path, Path]:
    """Write ``themas.csv`` and ``dwarsverbanden.csv`` to ``folder`` (loadable by ``load_model``)."""
    folder = Path(folder)
    return (_write_csv(folder / "themas.csv", THEME_COLUMNS, model.catalogue.to_rows()),
            _write_csv(folder / "dwarsverbanden.csv", LINK_COLUMNS, links_to_rows(model.links)))
