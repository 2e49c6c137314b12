"""KPIs of the grip scan measured from the berichtenverkeer (the tables of ``calc.records``).

Each KPI is "lower is better" and has two thresholds (our suggestion in ``data/kpis.toml``,
configurable per municipality with :func:`kpi_definitions`): at or below ``in_controle_to`` the KPI is in
controle, above ``ernstig_from`` it is ernstig, in between waakzaam. Its score 0-100 is
piecewise linear in the value through the knots

    value:  0      in_controle_to      ernstig_from      worst
    score:  100    in_controle_from    waakzaam_from     0       (clipped beyond)

(``GripSettings``: 70 and 40 by default), so the KPI's level is exactly ``level_of(score)``
and a better value never gives a lower score. A KPI whose data are absent is
"geen gegevens": value, score and level are empty and it does not count in its topic.

The measured KPIs (units: fractions 0-1 shown as %, months):

=====================  =======================================================  =======
key                    what                                                     topic
=====================  =======================================================  =======
afgewezen              share of the claimed amount rejected (325 answers)       8 beheer
zonder_start           allocations without a start message within the agreed   3 toegang
                       number of days
vertraging_mediaan     median claim lag in months (claim month - service month) 7 informatie
vertraging_p90         90th percentile of that lag                              7 informatie
laat_gedeclareerd      share of the claimed amount claimed > 3 months late      5 contractm.
prognosefout           last year's forecast error (backtest MAPE, June)        6 financiën
buiten_berichten       share of the ledger's spending not claimed via messages  8 beheer
=====================  =======================================================  =======
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from calc.cells import nl
from calc.errors import InputError, Problem, raise_if
from calc.grip_level.rubric import (N_TOPICS, NO_DATA, GripSettings, Level,
                                    pydantic_problems, read_data_file)
from calc.grip_level.scoring import DEFAULT, level_of
from calc.records import (ALLOCATIONS, CLAIM_ANSWERS, CLAIM_LINES, REJECTED_LINES, STARTS_STOPS,
                          require_columns)

#: A claim this many months (or more) after the service month counts as late.
LATE_MONTHS = 3


class KpiDefinition(BaseModel):
    """One measured KPI: its name, topic, unit and thresholds (lower is better)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name: str
    topic: int = Field(ge=1, le=N_TOPICS)
    unit: str  # "%" (a fraction 0-1) or "maanden"
    in_controle_to: float = Field(ge=0)
    ernstig_from: float
    worst: float

    @model_validator(mode="after")
    def _ordered(self) -> "KpiDefinition":
        if not self.in_controle_to < self.ernstig_from < self.worst:
            raise ValueError(f"KPI {self.key}: de grenzen moeten oplopen (in controle tot "
                             f"{nl(self.in_controle_to)} < ernstig vanaf {nl(self.ernstig_from)} "
                             f"< slechtst {nl(self.worst)})")
        return self

    def score(self, value: float, *, settings: GripSettings = DEFAULT) -> float:
        """Score 0-100 of a value (NaN for no data).

        >>> DEFAULT_KPIS[0].score(0.02), DEFAULT_KPIS[0].score(0.05), DEFAULT_KPIS[0].score(0.5)
        (70.0, 40.0, 0.0)
        """
        if value is None or math.isnan(value):
            return math.nan
        return float(np.interp(value, [0.0, self.in_controle_to, self.ernstig_from, self.worst],
                               [100.0, settings.in_controle_from, settings.waakzaam_from, 0.0]))


_FIELDS = {"sleutel": "key", "naam": "name", "onderwerp": "topic", "eenheid": "unit",
           "in_controle_tot": "in_controle_to", "ernstig_vanaf": "ernstig_from", "slechtst": "worst"}


def kpi_definitions(overrides: Mapping[str, Mapping[str, Any]] | None = None
                    ) -> tuple[KpiDefinition, ...]:
    """The KPIs of ``data/kpis.toml``, with a municipality's own thresholds or topics.

    ``overrides`` maps a KPI key to Dutch field names (``in_controle_tot``, ``ernstig_vanaf``,
    ``slechtst``, ``onderwerp``); every problem is reported at once in Dutch.

    >>> kpi_definitions({"afgewezen": {"in_controle_tot": 0.01}})[0].in_controle_to
    0.01
    >>> kpi_definitions({"afgewezen": {"ernstig_vanaf": 0.5}})
    Traceback (most recent call last):
    ...
    calc.errors.InputError: KPI afgewezen: de grenzen moeten oplopen (in controle tot 0,02 < ernstig vanaf 0,5 < slechtst 0,1)
    """
    overrides = dict(overrides or {})
    rows = read_data_file("kpis.toml")["kpi"]
    problems = [Problem(f"onbekende KPI: {key}", "kpi_grenzen")
                for key in overrides if key not in {r["sleutel"] for r in rows}]
    out = []
    for r in rows:
        values = {**r, **overrides.get(r["sleutel"], {})}
        unknown = set(values) - set(_FIELDS)
        if unknown:
            problems.append(Problem(f"KPI {r['sleutel']}: onbekend veld {sorted(unknown)[0]}",
                                    "kpi_grenzen"))
            continue
        try:
            out.append(KpiDefinition(**{_FIELDS[k]: v for k, v in values.items()}))
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, "kpi_grenzen"))
    raise_if(problems)
    return tuple(out)


#: Grip's suggested KPIs and thresholds (``data/kpis.toml``; our own choice).
DEFAULT_KPIS: tuple[KpiDefinition, ...] = kpi_definitions()


#: Fewest records a KPI is measured on before it gets a level; below it the KPI says
#: "te weinig gegevens (n=...)" (a share of 5 claim answers is no level of grip).
MIN_RECORDS = 20

@dataclass(frozen=True)
class KpiResult:
    """One measured KPI; ``value``/``score`` NaN and ``level`` None mean "geen gegevens"."""

    definition: KpiDefinition
    value: float
    score: float
    level: Level | None
    note: str
    #: Records the KPI was measured on (None where that is not a count of records).
    n: int | None = None

    @property
    def has_data(self) -> bool:
        return not math.isnan(self.value)

    @property
    def too_few(self) -> bool:
        """Measured, but on too few records for a level (see ``measure_kpis``)."""
        return self.has_data and self.level is None and self.n is not None

    @property
    def no_data_text(self) -> str:
        """What the sheet shows instead of a level: too few records or no data at all."""
        return f"te weinig gegevens (n={self.n})" if self.too_few else NO_DATA


@dataclass(frozen=True)
class KpiMeasurement:
    """All measured KPIs plus the claim lag per provider."""

    results: tuple[KpiResult, ...]
    provider_lags: pd.DataFrame  # provider, lines, median_months, p90_months
    #: What a reader must know about the measurement as a whole (Dutch sentences), such as
    #: records of several municipalities measured together; every view shows them.
    notes: tuple[str, ...] = ()

    def by_key(self, key: str) -> KpiResult:
        return next(r for r in self.results if r.definition.key == key)

    def topic_scores(self) -> np.ndarray:
        """Per topic the mean score of its KPIs with data (NaN where none)."""
        return topic_kpi_scores(self.results)


def topic_kpi_scores(results: Sequence[KpiResult]) -> np.ndarray:
    """Per topic (1..9 → index 0..8) the mean score of its KPIs with data; NaN where none."""
    return topic_means([r.definition.topic for r in results], [r.score for r in results])


def topic_means(topics: Sequence[int], scores: Sequence[float]) -> np.ndarray:
    """Mean of ``scores`` per topic number 1..9 (NaN scores left out; NaN where none).

    >>> topic_means([8, 3, 8], [40.0, float("nan"), 60.0])[[2, 7]].tolist()
    [nan, 50.0]
    """
    topics = [int(t) for t in topics]
    bad = [t for t in topics if not 1 <= t <= N_TOPICS]
    if bad:
        raise InputError(f"onderwerp {bad[0]} bestaat niet; kies 1 tot en met {N_TOPICS}",
                         argument="onderwerpen", row=topics.index(bad[0]))
    out = np.full(N_TOPICS, np.nan)
    for k in range(N_TOPICS):
        mine = [s for t, s in zip(topics, scores) if t == k + 1 and not math.isnan(s)]
        if mine:
            out[k] = float(np.mean(mine))
    return out


# --- the measurements (each: NaN when there is nothing to measure) ------------------------

def _empty(frame: pd.DataFrame | None) -> bool:
    return frame is None or len(frame) == 0


def _month_index(values: pd.Series) -> pd.Series:
    ts = pd.to_datetime(values)
    return ts.dt.year * 12 + ts.dt.month


def _in_year(frame: pd.DataFrame, column: str, year: int | None) -> pd.DataFrame:
    if year is None:
        return frame
    return frame[pd.to_datetime(frame[column]).dt.year == year]


def rejected_share(claim_answers: pd.DataFrame | None,
                   rejected_lines: pd.DataFrame | None = None,
                   claim_lines: pd.DataFrame | None = None) -> float:
    """Share of the claimed amount that was rejected.

    From the claim answers (325): ``1 - sum(granted) / sum(claimed)``. Without answers, from
    the rejected lines: ``sum(rejected amount) / sum(claimed debit amount)``. NaN if neither.

    >>> answers = pd.DataFrame({"claimed_euro": [1000.0, 500.0], "granted_euro": [950.0, 500.0]})
    >>> round(rejected_share(answers), 4)
    0.0333
    """
    if not _empty(claim_answers):
        claimed = float(claim_answers["claimed_euro"].sum())
        if claimed > 0:
            return float((claimed - claim_answers["granted_euro"].sum()) / claimed)
    if not _empty(rejected_lines) and not _empty(claim_lines):
        debit = float(claim_lines.loc[claim_lines["amount_euro"] > 0, "amount_euro"].sum())
        if debit > 0:
            return float(rejected_lines["amount_euro"].abs().sum() / debit)
    return math.nan


def claim_lags(claim_lines: pd.DataFrame) -> pd.Series:
    """Lag in whole months (claim month - service month) of each debit claim line."""
    debit = claim_lines[claim_lines["amount_euro"] > 0]
    return (_month_index(debit["claim_month"]) - _month_index(debit["service_month"])).astype(float)


def provider_claim_lags(claim_lines: pd.DataFrame | None) -> pd.DataFrame:
    """Median and 90th percentile (linear interpolation) claim lag in months per provider.

    Counted over debit claim lines (one line, one observation), providers sorted by P90,
    worst first.
    """
    columns = ["provider", "lines", "median_months", "p90_months"]
    if _empty(claim_lines):
        return pd.DataFrame(columns=columns)
    debit = claim_lines[claim_lines["amount_euro"] > 0]
    codes, providers = pd.factorize(debit["provider"].astype(str))   # integer keys: fast groupby
    grouped = pd.Series(claim_lags(claim_lines).to_numpy()).groupby(codes)
    out = pd.DataFrame({"provider": providers[grouped.size().index], "lines": grouped.size().to_numpy(),
                        "median_months": grouped.median().to_numpy(),
                        "p90_months": grouped.quantile(0.9).to_numpy()})
    return out.sort_values(["p90_months", "provider"], ascending=[False, True],
                           ignore_index=True)[columns]


def late_share(claim_lines: pd.DataFrame | None, *, months: int = LATE_MONTHS) -> float:
    """Share of the debit claimed amount claimed more than ``months`` months after the service month."""
    if _empty(claim_lines):
        return math.nan
    debit = claim_lines[claim_lines["amount_euro"] > 0]
    total = float(debit["amount_euro"].sum())
    if total <= 0:
        return math.nan
    late = claim_lags(claim_lines) > months
    return float(debit.loc[late, "amount_euro"].sum() / total)


def _without_start(allocations: pd.DataFrame | None, starts_stops: pd.DataFrame | None, *,
                   as_of: pd.Timestamp, days: int) -> tuple[float, int]:
    """Share of allocations without a start message within ``days`` days.

    An allocation (by ``allocation_number``) is due when ``reference + days <= as_of``, with
    ``reference`` the later of its start date and the day it was first allocated
    (``valid_from`` of its first version). It is on time when a start message (305,
    ``kind == "start"``) for that allocation was sent (``message_date``) no later than
    ``reference + days`` and the allocation's last start message is not a deletion
    (``status == 3``). NaN when no allocation is due.
    """
    if _empty(allocations):
        return math.nan, 0
    starts = None if _empty(starts_stops) else starts_stops[starts_stops["kind"] == "start"]
    n_alloc = len(allocations)
    keys = allocations["allocation_number"].astype(str)
    if starts is not None:
        keys = pd.concat([keys, starts["allocation_number"].astype(str)], ignore_index=True)
    codes, uniques = pd.factorize(keys)          # integer keys: fast groupby on 10^5-10^6 rows
    alloc_codes = codes[:n_alloc]
    start = pd.Series(pd.to_datetime(allocations["start_date"]).to_numpy()).groupby(alloc_codes).min()
    allocated = pd.Series(pd.to_datetime(allocations["valid_from"]).to_numpy()).groupby(alloc_codes).min()
    reference = np.maximum(start, allocated)
    deadline = reference + pd.Timedelta(days=days)
    due = deadline[deadline <= pd.Timestamp(as_of)]
    if due.empty:
        return math.nan, 0
    on_time = pd.Series(False, index=due.index)
    if starts is not None and len(starts):
        frame = pd.DataFrame({"code": codes[n_alloc:],
                              "date": pd.to_datetime(starts["message_date"]).to_numpy(),
                              "deleted": starts["status"].astype(int).to_numpy() == 3})
        frame = frame.sort_values("date", kind="stable")
        last_deleted = frame.groupby("code")["deleted"].last()
        first_start = frame[~frame["deleted"]].groupby("code")["date"].min()
        first_start = first_start[~last_deleted.reindex(first_start.index, fill_value=False)]
        matched = first_start.reindex(due.index)
        on_time = matched.notna() & (matched <= due)
    return float(1.0 - on_time.mean()), int(len(due))


#: The month whose forecast counts for the forecast-error KPI: the forecast made at the end of
#: June, the one the tussenrapportage (bestuursrapportage) rests on.
FORECAST_MONTH = 6


def forecast_error(backtest: Any, *, year: int | None = None,
                   month: int = FORECAST_MONTH) -> float:
    """Last year's forecast error as a fraction.

    ``backtest`` may be

    * None: no data (NaN);
    * a number: the error itself (e.g. 0.06);
    * the backtest of the prognose (``calc.prognose.backtest.backtest``: one row per
      evaluation month with ``month`` and ``mape``): the MAPE of the forecast made in
      ``month`` (default June), or of the latest month before it, or else the first one;
    * a simple table with ``year`` (or ``jaar``), ``forecast_euro`` (or ``prognose``) and
      ``actual_euro`` (or ``realisatie``): ``|sum(forecast) - sum(actual)| / sum(actual)``
      over the rows of ``year`` (default: the last year in the table).

    >>> bt = pd.DataFrame({"jaar": [2025, 2025], "prognose": [90.0, 60.0], "realisatie": [100.0, 50.0]})
    >>> forecast_error(bt)
    0.0
    >>> forecast_error(pd.DataFrame({"month": [3, 6, 9], "mape": [0.12, 0.07, 0.03]}))
    0.07
    >>> forecast_error(-0.08)
    0.08
    """
    if backtest is None:
        return math.nan
    if isinstance(backtest, Real) and not isinstance(backtest, bool):
        return abs(float(backtest))
    if not isinstance(backtest, pd.DataFrame):
        raise InputError("verwacht een tabel of een getal", argument="backtest")
    if backtest.empty:
        return math.nan
    if {"month", "mape"} <= set(backtest.columns):
        rows = backtest.dropna(subset=["mape"]).sort_values("month")
        if rows.empty:
            return math.nan
        before = rows[rows["month"] <= month]
        chosen = before.iloc[-1] if len(before) else rows.iloc[0]
        return abs(float(chosen["mape"]))
    aliases = {"year": ("year", "jaar"), "forecast": ("forecast_euro", "prognose"),
               "actual": ("actual_euro", "realisatie")}
    cols = {}
    for role, names in aliases.items():
        found = [n for n in names if n in backtest.columns]
        if not found:
            raise InputError(f"kolom {' of '.join(names)} ontbreekt (of geef de kolommen "
                             "month en mape van de terugtoets)", argument="backtest")
        cols[role] = found[0]
    years = backtest[cols["year"]].astype(int)
    chosen_year = int(years.max()) if year is None else year
    rows = backtest[years == chosen_year]
    actual = float(rows[cols["actual"]].sum())
    if rows.empty or actual == 0:
        return math.nan
    return abs(float(rows[cols["forecast"]].sum()) - actual) / abs(actual)


def outside_messages_share(ledger_total_euro: float | None,
                           claim_lines: pd.DataFrame | None) -> float:
    """Share of the ledger's spending not claimed through the messages.

    ``max(0, ledger - net claimed) / ledger`` with the net claimed amount of the claim lines
    (credits included). NaN without a ledger figure.
    """
    if ledger_total_euro is None or (isinstance(ledger_total_euro, float)
                                     and math.isnan(ledger_total_euro)):
        return math.nan
    if ledger_total_euro <= 0:
        raise InputError(f"het totaal van de grootboekuitgaven moet positief zijn, maar is "
                         f"{nl(ledger_total_euro)}", argument="grootboek")
    claimed = 0.0 if _empty(claim_lines) else float(claim_lines["amount_euro"].sum())
    return max(0.0, ledger_total_euro - claimed) / ledger_total_euro


def _check(frame: pd.DataFrame | None, columns: Sequence[str], argument: str) -> None:
    if frame is not None:
        require_columns(frame, columns, argument=argument)


def measure_kpis(claim_lines: pd.DataFrame | None = None,
                 allocations: pd.DataFrame | None = None,
                 starts_stops: pd.DataFrame | None = None,
                 claim_answers: pd.DataFrame | None = None,
                 rejected_lines: pd.DataFrame | None = None, *,
                 year: int | None = None,
                 as_of: pd.Timestamp | str | None = None,
                 start_days: int = 30,
                 backtest: Any = None,
                 ledger_total_euro: float | None = None,
                 definitions: Sequence[KpiDefinition] = DEFAULT_KPIS,
                 settings: GripSettings = DEFAULT,
                 min_records: int = MIN_RECORDS) -> KpiMeasurement:
    """Measure every KPI of ``definitions`` from the long tables (each may be None or empty).

    Parameters
    ----------
    year : int, optional
        Only claim lines with a service month in this year, answers dated in it and
        allocations starting in it count (default: everything handed over).
    as_of : date, optional
        The day of measurement for the start-message KPI (default: the last date in the
        allocations and start/stop messages).
    start_days : int
        The agreed number of days within which a provider sends the start message.
    backtest, ledger_total_euro
        See :func:`forecast_error` and :func:`outside_messages_share`.
    min_records : int
        A KPI counted over records (claim lines, answers, due allocations) measured on fewer
        gets its value but no level: "te weinig gegevens (n=...)".
    """
    _check(claim_lines, CLAIM_LINES, "declaratieregels")
    _check(allocations, ALLOCATIONS, "toewijzingen")
    _check(starts_stops, STARTS_STOPS, "start_stop")
    _check(claim_answers, CLAIM_ANSWERS, "declaratieantwoorden")
    _check(rejected_lines, REJECTED_LINES, "afgewezen_regels")
    if start_days < 0:
        raise InputError(f"de termijn voor het startbericht moet 0 of meer dagen zijn, "
                         f"maar is {start_days}", argument="start_dagen")
    if year is not None:
        claim_lines = None if claim_lines is None else _in_year(claim_lines, "service_month", year)
        claim_answers = None if claim_answers is None else _in_year(claim_answers, "answer_date", year)
        allocations = None if allocations is None else _in_year(allocations, "start_date", year)
    if as_of is None:
        dates = [pd.to_datetime(f[c]).max() for f, c in ((allocations, "valid_from"),
                                                          (starts_stops, "message_date"))
                 if not _empty(f)]
        as_of = max(dates) if dates else pd.Timestamp.max
    lags = claim_lags(claim_lines) if not _empty(claim_lines) else pd.Series(dtype=float)
    without_start, due = _without_start(allocations, starts_stops, as_of=pd.Timestamp(as_of),
                                        days=start_days)
    no_data = dict(_NO_DATA_NOTES)
    if due and (_empty(starts_stops) or not (starts_stops["kind"] == "start").any()):
        # not one start message beside the allocations: they were not read in (allocations
        # from the municipality's own export), not 100% of the providers failing to send
        without_start, due = math.nan, 0
        no_data["zonder_start"] = ("geen startberichten (305) in de opslag, wel toewijzingen: "
                                   "lees de 305-berichten in om dit te meten")
    counts = {"afgewezen": len(claim_answers) if not _empty(claim_answers) else len(lags),
              "zonder_start": due, "vertraging_mediaan": len(lags),
              "vertraging_p90": len(lags), "laat_gedeclareerd": len(lags)}
    values = {
        "afgewezen": rejected_share(claim_answers, rejected_lines, claim_lines),
        "zonder_start": without_start,
        "vertraging_mediaan": float(lags.median()) if len(lags) else math.nan,
        "vertraging_p90": float(lags.quantile(0.9)) if len(lags) else math.nan,
        "laat_gedeclareerd": late_share(claim_lines),
        "prognosefout": forecast_error(backtest, year=None if year is None else year - 1),
        "buiten_berichten": outside_messages_share(ledger_total_euro, claim_lines),
    }
    results = []
    for d in definitions:
        value = values.get(d.key, math.nan)
        n = counts.get(d.key)
        n = None if math.isnan(value) else n
        if n is not None and 0 < n < min_records:
            results.append(KpiResult(d, value, math.nan, None,
                                     f"gemeten op {n} records; een niveau vraagt er minstens "
                                     f"{min_records}", n))
            continue
        score = d.score(value, settings=settings)
        results.append(KpiResult(d, value, score, level_of(score, settings=settings),
                                 "" if not math.isnan(value) else no_data.get(d.key, ""),
                                 n))
    return KpiMeasurement(tuple(results), provider_claim_lags(claim_lines))


_NO_DATA_NOTES = {
    "afgewezen": "geen declaratieantwoorden (325) in de opslag",
    "zonder_start": "geen toewijzingen die al een startbericht hadden moeten hebben",
    "vertraging_mediaan": "geen declaratieregels in de opslag",
    "vertraging_p90": "geen declaratieregels in de opslag",
    "laat_gedeclareerd": "geen declaratieregels in de opslag",
    "prognosefout": "geen terugtoets van de prognose van vorig jaar opgegeven",
    "buiten_berichten": "geen totaal van de grootboekuitgaven opgegeven",
}
