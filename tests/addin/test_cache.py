"""Results of pure UDFs kept by their arguments; SD_VERSIE; "" read like an empty cell."""

import numpy as np
import pytest

from addin import cache, engine
from addin.cache import ResultCache, key
from addin.policy import REGISTRY, bereik, udf
from addin.udfs import SD_TOTAALEFFECT, SD_VERSIE
from calc.errors import InputError


@pytest.fixture
def scratch_registry():
    before = dict(REGISTRY)
    cache.RESULTS.clear()
    yield
    REGISTRY.clear()
    REGISTRY.update(before)


def test_key_tells_true_from_one_but_not_int_from_float():
    """TRUE and 1 are different cells for Grip (convert refuses TRUE as a number)."""
    assert key("SD_X", ([[1.0, None]],)) == key("SD_X", ([[1, None]],))
    assert key("SD_X", ([[1.0]],)) != key("SD_X", ([[True]],))
    assert key("SD_X", ([[1.0]],)) != key("SD_Y", ([[1.0]],))
    assert key("SD_X", (np.array([[1.0, 2.0]]),)) == key("SD_X", ([[1.0, 2.0]],))
    assert key("SD_X", ([[None]],)) != key("SD_X", ([[""]],))


def test_too_large_or_unknown_arguments_are_not_keys(monkeypatch):
    monkeypatch.setattr(cache, "MAX_CELLS", 10)
    with pytest.raises(cache.Unhashable):
        key("SD_X", ([[0.0] * 5] * 5,))
    with pytest.raises(cache.Unhashable):
        key("SD_X", (object(),))


def test_cache_is_bounded_and_hands_out_copies():
    c = ResultCache(max_entries=2)
    c.put("a", [[1.0]])
    c.put("b", [[2.0]])
    c.get("a")
    c.put("c", [[3.0]])  # "b" was used least recently
    assert [c.get(k)[0] for k in "abc"] == [True, False, True]
    _, got = c.get("a")
    got[0][0] = 99.0
    assert c.get("a")[1] == [[1.0]]


def test_pure_udf_computes_once_per_distinct_arguments(scratch_registry):
    """A recalculation with unchanged inputs is answered from the cache; messages too."""
    calls = []

    @udf(x=bereik("x"))
    def SD_PROEF_CACHE(x):
        """Proef."""
        calls.append(x)
        if x == [["fout"]]:
            raise InputError("geen getal", argument="x")
        return [[float(len(x))]]

    assert SD_PROEF_CACHE([[1.0], [2.0]]) == [[2.0]]
    assert SD_PROEF_CACHE([[1.0], [2.0]]) == [[2.0]]
    assert SD_PROEF_CACHE([["fout"]]) == SD_PROEF_CACHE([["fout"]]) == "#INVOER: x: geen getal"
    assert SD_PROEF_CACHE([[1.0], [3.0]]) == [[2.0]]
    assert len(calls) == 3


def test_unexpected_errors_are_not_cached(scratch_registry):
    calls = []

    @udf(x=bereik("x"))
    def SD_PROEF_ONVERWACHT(x):
        """Proef."""
        calls.append(x)
        raise MemoryError

    assert SD_PROEF_ONVERWACHT([[1.0]]).startswith("#INTERN")
    assert SD_PROEF_ONVERWACHT([[1.0]]).startswith("#INTERN")
    assert len(calls) == 2


def test_impure_udf_is_never_cached(scratch_registry):
    calls = []

    @udf(pure=False)
    def SD_PROEF_ONZUIVER():
        """Proef."""
        calls.append(1)
        return len(calls)

    assert (SD_PROEF_ONZUIVER(), SD_PROEF_ONZUIVER()) == (1, 2)
    assert REGISTRY["SD_VERSIE"].pure is False and REGISTRY["SD_TOTAALEFFECT"].pure is True


def test_sd_versie_names_version_and_route():
    """Called from plain Python it says so; the Lite and headless routes are in
    tests/workbooks/test_lite_protocol.py."""
    text = SD_VERSIE()
    assert text.startswith(f"Grip {engine.version('grip')}; {engine.PYTHON}; Python 3.")
    assert len(text) <= 255 and "xlwings 0." in text


def test_empty_text_reads_like_an_empty_cell():
    """Office.js hands an empty cell as "": every reader takes it as None."""
    from addin import convert

    assert convert.to_matrix([[0.1, ""], ["", 0.0]], "m").tolist() == [[0.1, 0.0], [0.0, 0.0]]
    assert convert.to_number("", "n", default=3) == 3.0
    assert convert.to_whole([[""]], "n", default=12) == 12
    assert convert.to_bool("", "b", default=True) is True
    assert convert.to_text([[""]], "t", default="totaal") == "totaal"
    cache.RESULTS.clear()
    assert SD_TOTAALEFFECT([[0.0, 0.1], [0.2, ""]], [[1.0], [""]]) == \
        SD_TOTAALEFFECT([[0.0, 0.1], [0.2, None]], [[1.0], [None]])
