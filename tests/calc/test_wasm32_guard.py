"""The calc core on 32-bit numpy, as xlwings Lite runs it (Pyodide is wasm32).

On wasm32 ``np.intp`` is int32, and numpy functions that take index or count arrays cast them
to ``intp`` with the 'safe' rule: an int64 array there raises "Cannot cast array data from
dtype('int64') to dtype('int32') according to the rule 'safe'" (``np.bincount``,
``np.repeat``'s repeats, ``ufunc.reduceat``'s indices, ``np.put``, the ``kth`` of
``np.partition``). Fancy indexing and ``np.take`` cast with 'same_kind' and work.

On a 64-bit machine int64 *is* intp, so this guard marks explicit int64: inside the calc
modules ``np.int64`` is replaced by ``np.longlong`` (the same 8 bytes, another type code
'q'), which numpy keeps through arithmetic with intp arrays, and those functions refuse an
argument with that type code, as wasm32 would refuse the int64. Arrays numpy makes itself
(``np.nonzero``, ``np.searchsorted``, factorize codes) stay intp, as on wasm32. What it does
not see: int64 from a string dtype name (the static test below forbids those in calc),
int64 that survives ``%`` or ``//`` with a Python int (numpy drops the 'q' there), and
int64 columns of pandas.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest

CALC = Path(__file__).parents[2] / "calc"


def _refuse(value, function: str) -> None:
    if isinstance(value, np.ndarray) and value.dtype.char == "q":
        raise TypeError(f"{function}: Cannot cast array data from dtype('int64') to "
                        "dtype('int32') according to the rule 'safe' (wasm32)")


class _Ufunc:
    """A ufunc whose ``reduceat`` refuses int64 indices."""

    def __init__(self, ufunc):
        self._ufunc = ufunc

    def __call__(self, *args, **kwargs):
        return self._ufunc(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._ufunc, name)

    def reduceat(self, array, indices, *args, **kwargs):
        _refuse(indices, f"np.{self._ufunc.__name__}.reduceat")
        return self._ufunc.reduceat(array, indices, *args, **kwargs)


class Numpy32:
    """numpy as the calc modules see it under the guard."""

    int64 = np.longlong
    add = _Ufunc(np.add)
    maximum = _Ufunc(np.maximum)
    minimum = _Ufunc(np.minimum)
    multiply = _Ufunc(np.multiply)

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def bincount(x, weights=None, minlength=0):
        _refuse(x, "np.bincount")
        return np.bincount(x, weights, minlength=minlength)

    @staticmethod
    def repeat(a, repeats, axis=None):
        _refuse(repeats, "np.repeat")
        return np.repeat(a, repeats, axis=axis)

    @staticmethod
    def put(a, ind, v, mode="raise"):
        _refuse(ind, "np.put")
        return np.put(a, ind, v, mode=mode)

    @staticmethod
    def partition(a, kth, *args, **kwargs):
        _refuse(kth, "np.partition")
        return np.partition(a, kth, *args, **kwargs)

    @staticmethod
    def argpartition(a, kth, *args, **kwargs):
        _refuse(kth, "np.argpartition")
        return np.argpartition(a, kth, *args, **kwargs)


@pytest.fixture()
def wasm32(monkeypatch):
    """Every imported calc module sees ``Numpy32`` as its ``np``."""
    import addin.udfs  # noqa: F401  (imports every engine)
    import calc.prognose.report  # noqa: F401

    guard = Numpy32()
    patched = 0
    for name, module in sys.modules.copy().items():   # a copy in one step (conftest's memo)
        if (name == "calc" or name.startswith("calc.")) and getattr(module, "np", None) is np:
            monkeypatch.setattr(module, "np", guard)
            patched += 1
    assert patched >= 20
    return guard


def test_the_guard_catches_explicit_int64(wasm32):
    """The guard refuses what wasm32 refuses and passes what wasm32 passes."""
    codes = np.arange(4).astype(wasm32.int64) * 2 + np.arange(4)
    with pytest.raises(TypeError, match="dtype\\('int64'\\) to dtype\\('int32'\\)"):
        wasm32.bincount(codes)
    assert wasm32.bincount(codes.astype(np.intp)).sum() == 4
    assert wasm32.bincount(np.nonzero([1, 0, 1])[0]).tolist() == [1, 0, 1]
    with pytest.raises(TypeError):
        wasm32.add.reduceat(np.ones(4), np.array([0, 2], dtype=wasm32.int64))


def test_late_claims_path_on_wasm32(wasm32, monkeypatch):
    """Triangles from claim lines, chain ladder, Mack and the stop model (the path that
    failed in Pyodide 0.27), and the look-back's replay of last year, run under the guard
    and give the unguarded answer.

    On the demo municipality at the suite's scale (0.05, ``tests/conftest.TEST_SCALE``):
    the forecast with its calibration's three replays, then one month of the look-back
    (``replay`` and ``look_back``; the other eleven months run the same code).
    """
    import pandas as pd

    from berichten.synth_catalog import provider_register
    from calc.prognose.backtest import look_back, replay
    from calc.prognose.report import compute_prognose
    from grip.jobs.synth import DEMO_AS_OF, demo_tables

    tables = demo_tables(scale=0.05)
    lines, allocations = tables["claim_lines"], tables["allocations"]

    def run():
        result = compute_prognose(tables, as_of=DEMO_AS_OF, provider_names=provider_register(),
                                  look_back_year=False)
        year = result.forecast.year - 1
        snaps = replay(lines, allocations, year=year, months=(6,)).assign(source="nagespeeld")
        return result, snaps, look_back(snaps, lines, year=year, known_at=DEMO_AS_OF)

    guarded = run()
    monkeypatch.undo()
    plain = run()
    assert len(guarded[0].forecast.detail) > 10 and len(guarded[2]) == 1
    pd.testing.assert_frame_equal(guarded[0].forecast.detail, plain[0].forecast.detail)
    pd.testing.assert_frame_equal(guarded[1], plain[1])
    pd.testing.assert_frame_equal(guarded[2], plain[2])


def test_every_udf_of_the_begrotingsmodel_on_wasm32(wasm32, model_file):
    """Every SD_ formula of a new begrotingsmodel computes under the guard without a
    '#INTERN' (an unexpected error, which a refused cast would be)."""
    from workbooks.recorded import record_calls

    # a new begrotingsmodel (the session's build, the same bytes: test_demo_workbook),
    # evaluated for certain (no result cache, no memo of a recent recalculation)
    calls = record_calls(model_file)
    assert len({c.name for c in calls}) >= 18
    internal = [(c.name, c.result) for c in calls
                if isinstance(c.result, str) and c.result.startswith("#INTERN")]
    assert internal == []


def test_jobs_on_wasm32(wasm32):
    """The engines behind the buttons: scenario Monte Carlo, meerjarenraming, KPIs."""
    from grip.jobs.begroting import run_begroting
    from grip.jobs.gripniveau import demo_gripniveau
    from grip.jobs.synth import demo_tables

    assert run_begroting() is not None
    assert demo_gripniveau(demo_tables(scale=0.05)) is not None


def test_no_int64_by_name_in_calc():
    """The guard cannot see int64 asked for by name ("int64", "i8"): calc never does."""
    found = []
    for path in sorted(CALC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in ("int64", "i8", "<i8", "Int64"):
                found.append(f"{path.relative_to(CALC.parent)}:{node.lineno}")
    assert found == []


def test_late_claims_udfs_on_wasm32(wasm32, monkeypatch):
    """SD_NAGEKOMEN and SD_ONTWIKKELFACTOREN on the RAA triangle, guarded and plain, agree."""
    from addin import cache
    from addin.udfs import SD_NAGEKOMEN, SD_ONTWIKKELFACTOREN
    from calc.prognose.samples import RAA

    rows = [[None if v is None else float(v) for v in row] for row in RAA]
    cache.RESULTS.clear()
    guarded = SD_NAGEKOMEN(rows), SD_ONTWIKKELFACTOREN(rows, False)
    monkeypatch.undo()
    cache.RESULTS.clear()
    assert guarded == (SD_NAGEKOMEN(rows), SD_ONTWIKKELFACTOREN(rows, False))
    assert not str(guarded[0]).startswith("#")
