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
    import calc.prognose.yearend as yearend

    original = yearend.year_end_forecast
    memo = ForecastMemo(SharedMemo())
    with memo.active():
        assert backtest.year_end_forecast is yearend.year_end_forecast is not original
    assert backtest.year_end_forecast is yearend.year_end_forecast is original
