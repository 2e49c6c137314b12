"""The claim triangle from claim lines."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.errors import InputError
from calc.prognose.triangle import Triangles, build_triangles, cumulate, decumulate


def lines(rows, **extra):
    """Claim lines from (provider, category, service month, claim month, amount)."""
    df = pd.DataFrame(rows, columns=["provider", "product_category", "service_month",
                                     "claim_month", "amount_euro"])
    df["service_month"] = pd.to_datetime(df["service_month"])
    df["claim_month"] = pd.to_datetime(df["claim_month"])
    return df.assign(**extra)


SAMPLE = lines([
    ("P1", "45", "2024-01-01", "2024-01-01", 100.0),
    ("P1", "45", "2024-01-01", "2024-03-01", 30.0),
    ("P1", "45", "2024-02-01", "2024-03-01", 60.0),
    ("P1", "45", "2024-01-01", "2024-03-01", -10.0),   # a credit
    ("P2", "45", "2024-03-01", "2024-03-01", 5.0),
    ("P2", "54", "2024-02-01", "2024-02-01", 7.0),
])


def test_hand_built_triangle_per_provider_and_category():
    """Each line lands at (service month, claim month - service month), credits net out."""
    tri = build_triangles(SAMPLE)
    assert tri.keys == [("P1", "45"), ("P2", "45"), ("P2", "54")]
    assert [str(m) for m in tri.origins] == ["2024-01", "2024-02", "2024-03"]
    nan = np.nan
    np.testing.assert_array_equal(tri.group(("P1", "45")),
                                  [[100, 0, 20], [0, 60, nan], [0, nan, nan]])
    np.testing.assert_array_equal(tri.group(("P2", "54")),
                                  [[0, 0, 0], [7, 0, nan], [0, nan, nan]])
    np.testing.assert_array_equal(tri.to_cumulative().group(("P1", "45")),
                                  [[100, 100, 120], [0, 60, nan], [0, nan, nan]])
    np.testing.assert_array_equal(tri.latest()[0], [120, 60, 0])


def test_as_of_cuts_later_claims_and_grouping_can_be_dropped():
    """as_of February leaves out March claims; by=() is one triangle of everything."""
    tri = build_triangles(SAMPLE, by=(), as_of="2024-02-15")
    assert tri.keys == [()] and tri.shape == (1, 2, 2)
    np.testing.assert_array_equal(tri.values[0], [[100, 0], [7, np.nan]])


def test_cumulative_flag_and_round_trip():
    """cumulative=True gives the cumulative view; incremental -> cumulative -> back is lossless."""
    inc = build_triangles(SAMPLE)
    cum = build_triangles(SAMPLE, cumulative=True)
    assert cum.cumulative and not inc.cumulative
    np.testing.assert_array_equal(cum.to_incremental().values, inc.values)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5),
                          st.integers(-500, 5000)), min_size=1, max_size=40))
def test_totals_equal_the_sum_of_the_lines(rows):
    """Every line lands in the triangle exactly once: the known cells sum to the total."""
    df = lines([("A", "1", pd.Timestamp(2023, 1 + s, 1), pd.Timestamp(2023, 1 + s + lag, 1),
                 float(a)) for s, lag, a in rows])
    tri = build_triangles(df, by=())
    assert np.nansum(tri.values) == pytest.approx(df["amount_euro"].sum())
    np.testing.assert_allclose(decumulate(cumulate(tri.values)), tri.values)


def test_claim_before_service_month_names_the_line():
    """A claim month before the service month is refused with the 0-based line."""
    bad = lines([("P1", "45", "2024-02-01", "2024-01-01", 1.0)])
    with pytest.raises(InputError, match="regel 0: de declaratiemaand ligt vóór") as info:
        build_triangles(bad)
    assert info.value.row == 0


def test_missing_column_and_missing_amount_are_named():
    """A missing column or amount is named, never dropped."""
    with pytest.raises(InputError, match="kolommen ontbreken: product_category"):
        build_triangles(SAMPLE.drop(columns="product_category"))
    bad = SAMPLE.copy()
    bad.loc[2, "amount_euro"] = None
    with pytest.raises(InputError, match="regel 2: amount_euro") as info:
        build_triangles(bad)
    assert (info.value.row, info.value.column) == (2, 4)


def test_triangles_checks_its_keys():
    """A Triangles with the wrong number of keys is refused."""
    with pytest.raises(InputError):
        Triangles(np.zeros((2, 2, 2)), keys=[("a",)])


def test_keys_of_several_columns_decode_in_sorted_order():
    """Keys from two columns (text and numbers) come back as plain values, sorted."""
    df = lines([("P2", 54, "2024-01-01", "2024-01-01", 1.0),
                ("P1", 7, "2024-01-01", "2024-01-01", 2.0),
                ("P2", 7, "2024-01-01", "2024-01-01", 3.0),
                ("P1", 54, "2024-01-01", "2024-01-01", 4.0)])
    tri = build_triangles(df)
    assert tri.keys == [("P1", 7), ("P1", 54), ("P2", 7), ("P2", 54)]
    assert all(type(k[1]) is int for k in tri.keys)
    np.testing.assert_array_equal(tri.values[:, 0, 0], [2.0, 4.0, 3.0, 1.0])
