"""The one estimator contract of Grip, as scikit-learn's ``BaseEstimator``.

``ChainLadder``, ``BornhuetterFerguson`` (``calc.prognose.reserving``) and
``SeriesForecaster`` (``calc.prognose.series``) share it:

- the parameters are the arguments of ``__init__``, stored verbatim under their own names
  (no checks there; ``fit`` checks them); ``get_params`` reads their names from the
  ``__init__`` signature, so no list of names is kept by hand;
- ``set_params(**params)`` changes them (an unknown name is a Dutch ``InputError``) and
  returns ``self``; ``clone(est)`` is an unfitted copy with the same parameters;
- ``fit(...)`` returns ``self``; what it learns ends in ``_``;
- asking for a learned value before ``fit`` is a ``NotFittedError``
  ("ChainLadder is nog niet geschat: roep eerst fit aan").

>>> class Mean(Estimator):
...     def __init__(self, scale=1.0):
...         self.scale = scale
...     def fit(self, y):
...         self.mean_ = self.scale * sum(y) / len(y)
...         return self
>>> Mean(scale=2.0)
Mean(scale=2.0)
>>> Mean().fit([1.0, 3.0]).mean_, Mean().get_params()
(2.0, {'scale': 1.0})
>>> Mean().mean_
Traceback (most recent call last):
...
calc.errors.NotFittedError: Mean is nog niet geschat: roep eerst fit aan
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

from calc.errors import InputError, NotFittedError

E = TypeVar("E", bound="Estimator")


class Estimator:
    """Base of every Grip estimator (see the module docstring)."""

    @classmethod
    def _param_names(cls) -> tuple[str, ...]:
        """The ``__init__`` parameters, in signature order (``*args``/``**kwargs`` refused)."""
        init = cls.__init__
        if init is object.__init__:
            return ()
        names = []
        for p in inspect.signature(init).parameters.values():
            if p.name == "self":
                continue
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise TypeError(f"{cls.__name__}: an estimator's __init__ takes named "
                                f"parameters only, not {p}")
            names.append(p.name)
        return tuple(names)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters given to ``__init__`` (``deep`` as in scikit-learn; nothing nests here)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self: E, **params: Any) -> E:
        """Change parameters (scikit-learn style); returns self."""
        known = self._param_names()
        for name, value in params.items():
            if name not in known:
                raise InputError(f"onbekende parameter '{name}' (bekend: {', '.join(known)})",
                                 argument=name)
            setattr(self, name, value)
        return self

    def is_fitted(self) -> bool:
        """True once ``fit`` has stored a learned value (a public attribute ending in ``_``)."""
        return any(k.endswith("_") and not k.startswith("_") for k in vars(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __getattr__(self, name: str) -> Any:
        # only called for a missing attribute: a learned value asked for before fit
        if name.endswith("_") and not name.startswith("_") and not self.is_fitted():
            raise NotFittedError(f"{type(self).__name__} is nog niet geschat: roep eerst fit aan")
        raise AttributeError(f"{type(self).__name__} heeft geen attribuut {name!r}")


def clone(estimator: E) -> E:
    """An unfitted copy with the same parameters (as ``sklearn.base.clone``).

    >>> from calc.prognose.reserving import ChainLadder
    >>> clone(ChainLadder(tail=1.05))
    ChainLadder(tail=1.05)
    """
    return type(estimator)(**estimator.get_params())
