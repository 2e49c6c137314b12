"""The one estimator contract, checked over every Grip estimator (as sklearn's check_estimator)."""

import inspect

import numpy as np
import pytest

from calc.errors import InputError, NotFittedError
from calc.estimator import Estimator, clone
from calc.prognose.reserving import BornhuetterFerguson, ChainLadder
from calc.prognose.series import SeriesForecaster

TRIANGLE = [[10.0, 20.0, 25.0], [12.0, 22.0, np.nan], [14.0, np.nan, np.nan]]
SERIES = 100 + 10 * np.sin(np.arange(40) * 2 * np.pi / 12) + np.arange(40)

#: estimator class -> (other parameters, how to fit it, one learned value)
CASES = {
    ChainLadder: ({"tail": 1.05}, lambda e: e.fit(TRIANGLE), "ultimate_"),
    BornhuetterFerguson: ({"apriori": 0.9, "tail": None},
                          lambda e: e.fit(TRIANGLE, sample_weight=[30.0, 30.0, 30.0]), "ibnr_"),
    SeriesForecaster: ({"season_length": 4, "level": 0.9}, lambda e: e.fit(SERIES), "model_"),
}
ESTIMATORS = list(CASES)


def test_every_estimator_has_the_base():
    """The three estimators share calc.estimator.Estimator."""
    assert all(issubclass(cls, Estimator) for cls in ESTIMATORS)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_params_are_the_init_signature_stored_verbatim(cls):
    """get_params lists exactly the __init__ parameters, with the defaults or values given."""
    names = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    defaults = {p.name: p.default for p in inspect.signature(cls.__init__).parameters.values()
                if p.name != "self"}
    assert list(cls().get_params()) == names
    assert cls().get_params() == defaults
    other = CASES[cls][0]
    assert cls(**other).get_params() == other


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_set_params_clone_and_repr(cls):
    """set_params returns self; clone copies parameters, not what was learned; repr shows them."""
    other, fit, learned = CASES[cls]
    est = cls()
    assert est.set_params(**other) is est and est.get_params() == other
    with pytest.raises(InputError, match="onbekende parameter 'bestaat_niet'"):
        est.set_params(bestaat_niet=1)
    fitted = fit(est)
    copy = clone(fitted)
    assert copy.get_params() == other and not copy.is_fitted() and fitted.is_fitted()
    assert repr(copy) == f"{cls.__name__}(" + ", ".join(f"{k}={v!r}" for k, v in other.items()) + ")"


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_fit_returns_self_and_learned_values_end_in_underscore(cls):
    """fit returns the estimator itself; before it, a learned value is a NotFittedError."""
    _, fit, learned = CASES[cls]
    est = cls()
    with pytest.raises(NotFittedError, match="nog niet geschat"):
        getattr(est, learned)
    assert fit(est) is est
    assert getattr(est, learned) is not None
    new = {k for k in vars(est) if k not in est.get_params()}
    assert new and all(k.endswith("_") or k.startswith("_") for k in new)
    with pytest.raises(AttributeError):
        est.bestaat_niet_


def test_an_init_with_star_args_is_refused():
    """Parameters must be named (scikit-learn's rule): *args cannot be read from the signature."""
    class Loose(Estimator):
        def __init__(self, *args):
            self.args = args

    with pytest.raises(TypeError, match="named parameters only"):
        Loose().get_params()
