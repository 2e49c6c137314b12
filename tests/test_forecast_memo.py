"""The suite's memo of year-end forecasts (tests/conftest.py): a hit only for equal inputs."""

import pandas as pd
import pytest

from calc.errors import InputError
from tests.conftest import ForecastMemo, SharedMemo


def counting(answer):
    calls = []

    def forecast(*args, **kwargs):
        calls.append((args, kwargs))
        return answer(*args, **kwargs)

    return forecast, calls


def test_equal_tables_are_answered_once_with_a_fresh_copy():
    """A second call with equal tables (another object, same content) comes from the memo, as
    a copy the caller may change; the calc's own cache argument is not part of the key."""
    forecast, calls = counting(lambda lines, **kw: {"notes": ["een"], "n": len(lines)})
    memo = ForecastMemo(SharedMemo()).wrap(forecast)
    lines = pd.DataFrame({"code": ["45A03", "41A01"], "euro": [225.0, 112.5]})
    first = memo(lines, as_of="2025-06-01", replays={})
    first["notes"].append("gewijzigd")
    again = memo(lines.copy(), as_of="2025-06-01", replays={"iets": 1})
    assert len(calls) == 1 and again == {"notes": ["een"], "n": 2}


@pytest.mark.parametrize("other", [
    pd.DataFrame({"code": ["45A03", "41A01"], "euro": [225.0, 112.51]}),    # one amount
    pd.DataFrame({"code": ["45A03", "41A01"], "euro": [225, 112]}),         # another dtype
    pd.DataFrame({"code": ["45A03", 41], "euro": [225.0, 112.5]}),          # 41 is no "41"
])
def test_other_content_is_computed(other):
    forecast, calls = counting(lambda lines, **kw: len(lines))
    memo = ForecastMemo(SharedMemo()).wrap(forecast)
    memo(pd.DataFrame({"code": ["45A03", "41"], "euro": [225.0, 112.5]}))
    memo(other)
    assert len(calls) == 2


def test_other_arguments_are_computed():
    forecast, calls = counting(lambda lines, **kw: kw["as_of"])
    memo = ForecastMemo(SharedMemo()).wrap(forecast)
    lines = pd.DataFrame({"euro": [1.0]})
    assert [memo(lines, as_of=a) for a in ("2025-06", "2025-07", "2025-06")] == \
        ["2025-06", "2025-07", "2025-06"]
    assert len(calls) == 2


def test_a_grip_error_is_raised_again_from_the_memo():
    def refuse(lines, **kw):
        raise InputError("te weinig geschiedenis", argument="claim_lines")

    forecast, calls = counting(refuse)
    memo = ForecastMemo(SharedMemo()).wrap(forecast)
    for _ in range(2):
        with pytest.raises(InputError, match="te weinig geschiedenis"):
            memo(pd.DataFrame({"euro": [1.0]}))
    assert len(calls) == 1


def test_active_puts_the_original_back():
    import calc.prognose.backtest as backtest
    import calc.prognose.report as report
    import calc.prognose.yearend as yearend
    import grip.jobs.prognose as job

    original, compute = yearend.year_end_forecast, report.compute_prognose
    memo = ForecastMemo(SharedMemo())
    with memo.active():
        assert backtest.year_end_forecast is yearend.year_end_forecast is not original
        assert job.compute_prognose is report.compute_prognose is not compute
    assert backtest.year_end_forecast is yearend.year_end_forecast is original
    assert job.compute_prognose is report.compute_prognose is compute


def test_a_table_is_hashed_once_per_compute_prognose_and_anew_outside(monkeypatch):
    """Inside one ``compute_prognose`` the same table object is hashed once for all its
    forecasts' keys; after it (test code may change a table in place) it is hashed anew."""
    import tests.conftest as conftest

    hashed = []
    content = conftest._ContentPickler._content
    monkeypatch.setattr(conftest._ContentPickler, "_content",
                        staticmethod(lambda obj: hashed.append(id(obj)) or content(obj)))
    lines = pd.DataFrame({"code": ["45A03", "41A01"], "euro": [225.0, 112.5]})
    forecast, calls = counting(lambda lines, **kw: (float(lines["euro"].sum()), kw["as_of"]))
    memo = ForecastMemo(SharedMemo()).wrap(forecast)

    def compute():          # a compute_prognose: several forecasts on the same tables
        return [memo(lines, as_of=a) for a in ("2025-01", "2025-02", "2025-03")]

    conftest._CONTENT_SCOPE.append({})
    try:
        assert compute() == [(337.5, "2025-01"), (337.5, "2025-02"), (337.5, "2025-03")]
    finally:
        conftest._CONTENT_SCOPE.pop()
    assert hashed == [id(lines)] and len(calls) == 3
    lines.loc[0, "euro"] = 0.0                     # changed in place between two computes
    assert memo(lines, as_of="2025-01") == (112.5, "2025-01") and len(calls) == 4
    assert hashed == [id(lines)] * 2
