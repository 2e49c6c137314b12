"""The forecast's array helpers against the pandas calls they replace, on ties and gaps."""

import numpy as np
import pandas as pd

from calc.prognose.arrays import key_rows, running_max, sort_codes
from calc.prognose.commitments import ALLOCATION_KEY, current_allocations
from calc.prognose.survival import latest_versions
from tests.factories import T, allocation, allocations


def test_latest_versions_are_current_allocations():
    """Ties in valid_from, a missing valid_from and a missing client: the same rows in the
    same order as ``current_allocations``, which sorts the whole table."""
    rows = [allocation(client="b", allocation_number="1", valid_from=T("2025-02-01")),
            allocation(client="a", allocation_number="1", valid_from=T("2025-03-01")),
            allocation(client="b", allocation_number="1", valid_from=T("2025-01-01"),
                       volume=7),
            allocation(client=None, allocation_number="2", valid_from=T("2025-03-01")),
            allocation(client="a", allocation_number="1", valid_from=pd.NaT, volume=9),
            allocation(client=None, allocation_number="2", valid_from=T("2025-02-01"),
                       volume=5)]
    versions = allocations(*rows)
    pd.testing.assert_frame_equal(latest_versions(versions), current_allocations(versions),
                                  check_exact=True)


def test_key_rows_is_a_left_merge():
    """Per right row the first left row with the key, missing keys matching as in ``merge``."""
    left = pd.DataFrame({"provider": ["P", "P", "Q", "P"], "client": ["a", None, "a", "a"],
                         "allocation_number": ["1", "1", "1", "1"]})
    right = pd.DataFrame({"provider": ["P", "Q", "P", "R"], "client": [None, "a", "a", "a"],
                          "allocation_number": ["1", "1", "1", "1"]})
    rows = key_rows([left[k].to_numpy(dtype=object) for k in ALLOCATION_KEY],
                    [right[k].to_numpy(dtype=object) for k in ALLOCATION_KEY])
    merged = right.merge(left.reset_index().drop_duplicates(list(ALLOCATION_KEY)),
                         on=list(ALLOCATION_KEY), how="left")["index"]
    assert rows.tolist() == merged.fillna(-1).astype(int).tolist() == [1, 2, 0, -1]


def test_running_max_is_a_groupby_cummax():
    """On rows sorted by group, with inf and repeated values."""
    rng = np.random.default_rng(3)
    groups = np.sort(rng.integers(0, 6, 200))
    values = rng.choice([1.0, 2.5, 7.0, np.inf, -3.0], 200)
    expected = pd.Series(values).groupby(groups).cummax().to_numpy()
    np.testing.assert_array_equal(running_max(values, groups), expected)


def test_sort_codes_order_as_sort_values():
    """A stable lexsort on the codes orders rows as ``sort_values`` on several columns,
    missing values last."""
    frame = pd.DataFrame({"client": ["b", None, "a", "b", "a", None],
                          "day": pd.to_datetime(["2025-02-01", "2025-01-01", None,
                                                 "2025-01-01", "2025-01-01", "2025-01-01"])})
    order = np.lexsort((sort_codes(frame["day"]), sort_codes(frame["client"])))
    assert order.tolist() == frame.sort_values(["client", "day"]).index.tolist()
