"""The one error policy of every Grip UDF, and the registry of all UDFs.

``@udf(...)`` does three things for a plain Python function:

1. it wraps the function so that nothing but a value or a short Dutch message reaches a
   cell: a ``calc.errors.GripError`` becomes ``"#INVOER: matrix, rij 2, kolom 3: ..."``
   (prefix per error kind, argument, 1-based position within the range); any other
   exception is logged in full (``addin.logfile``: the per-user log file, which the cell text
   names) and shown as ``"#INTERN: ..."``; a NaN or infinite scalar is a ``#MODEL`` message;
   never a traceback, never more than 255 characters;
2. it records the contract (name, parameters, Dutch help texts, category) in ``REGISTRY``,
   which the headless recalculation and the contract test read;
3. it applies xlwings' own decorators (``xw.func``, ``xw.arg``), so Excel on Windows
   sees the same names, help texts and category. On other platforms those are no-ops;
   ``apply_xlwings`` lets a test apply the real ones.

The same wrapped function runs in Excel and in the headless engine, so a message is
identical in both.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import xlwings

from addin import cache, convert
from addin.logfile import ensure_log_file, where_text
from calc.errors import MORE, GripError, describe, unexpected

log = logging.getLogger("grip.addin")

#: Longest text Excel shows in a cell from a UDF (and the limit of its help texts).
MAX_TEXT = 255
#: Category under which the UDFs appear in Excel's function wizard.
CATEGORY = "Grip sociaal domein"

Kind = Literal["bereik", "getal", "tekst", "logisch"]


@dataclass(frozen=True)
class Param:
    """One UDF parameter as Excel's function wizard shows it."""

    name: str
    kind: Kind
    help: str
    optional: bool = False


@dataclass(frozen=True)
class UdfSpec:
    """The contract of one UDF with every saved workbook."""

    name: str
    help: str
    category: str
    params: tuple[Param, ...]
    function: Callable[..., Any]
    #: Same arguments, same answer: results are kept in ``addin.cache.RESULTS``.
    pure: bool = True
    #: The function as written, without the policy: it raises its ``GripError`` (``raised``).
    raw: Callable[..., Any] | None = None


#: All UDFs by name, in definition order.
REGISTRY: dict[str, UdfSpec] = {}


def bereik(help: str) -> tuple[Kind, str]:
    """A range parameter (arrives as a list of rows)."""
    return ("bereik", help)


def getal(help: str) -> tuple[Kind, str]:
    """A single number."""
    return ("getal", help)


def tekst(help: str) -> tuple[Kind, str]:
    """A single text."""
    return ("tekst", help)


def logisch(help: str) -> tuple[Kind, str]:
    """WAAR / ONWAAR."""
    return ("logisch", help)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 3] + "..."


def error_text(error: GripError) -> str:
    """The cell text for a calc error: the prefix and ``calc.errors.describe`` (argument,
    position, message, extra count), at most 255 characters.

    >>> from calc.errors import InputError
    >>> error_text(InputError("tekst 'x' is geen getal", argument="matrix", row=1, column=2))
    "#INVOER: matrix, rij 2, kolom 3: tekst 'x' is geen getal"
    >>> error_text(InputError("leeg", argument="schok", row=4))
    '#INVOER: schok, rij 5: leeg'
    """
    return _clip(f"{error.prefix}: {describe(error)}")


def unexpected_text(name: str, exc: BaseException) -> str:
    """The cell text for an error we did not foresee (details go to the log file only)."""
    return _clip(f"#INTERN: {unexpected(name, exc, log=where_text())}")


def shows_all(text: str) -> bool:
    """Does the cell text of an error (``error_text``) show all of it: one problem, not cut?

    >>> shows_all("#INVOER: schok, rij 5: leeg")
    True
    >>> shows_all("#INVOER: schok, rij 5: leeg (en nog 1 probleem)")
    False
    """
    return MORE not in text and not text.endswith("...")


def raised(spec: UdfSpec, args: list[Any]) -> GripError | None:
    """The ``GripError`` the UDF raises for ``args`` (as Excel hands them over), with every
    problem its reader found, where the cell shows the first and how many more; ``None`` when
    it raises none (nothing is cached or logged: a look behind a message already shown).

    >>> import addin.udfs
    >>> error = raised(REGISTRY["SD_TOTAALEFFECT"], [[[0.0, "abc"], ["x", 0.0]], [[1.0], [2.0]]])
    >>> error_text(error)
    "#INVOER: matrix, rij 1, kolom 2: tekst 'abc' is geen getal (en nog 1 probleem)"
    >>> [(p.argument, p.row, p.column) for p in error.problems]
    [('matrix', 0, 1), ('matrix', 1, 0)]
    """
    if spec.raw is None:
        return None
    try:
        spec.raw(*args)
    except GripError as exc:
        return exc
    except Exception:   # what the policy would log: nothing to say more about here
        return None
    return None


def _first_paragraph(doc: str | None) -> str:
    return _clip(inspect.cleandoc(doc or "").split("\n\n")[0])


def udf(*, category: str = CATEGORY, pure: bool = True, **param_help: tuple[Kind, str]) -> Callable:
    """Declare a Grip UDF: error policy, contract registration and xlwings decorators.

    Every parameter must be described (``bereik(...)``, ``getal(...)``, ...); the first
    paragraph of the docstring is the Dutch help text of the function wizard.

    Optional parameters (``[cumulatief]`` in the function wizard) are trailing ones with
    default ``None``: an omitted or empty argument then arrives as ``None`` in Excel
    (xlwings hands the Python default; the VBA wrapper declares it ``Optional``) and in the
    headless engine alike, and the UDF applies the real default through ``addin.convert``
    (e.g. ``convert.to_bool(value, "cumulatief", default=True)``).

    A ``pure`` function's answers (values and ``#`` messages of a ``GripError``) are kept
    by their arguments in ``addin.cache.RESULTS``; ``pure=False`` for one that depends on
    where it runs (``SD_VERSIE``).
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        name = fn.__name__
        if not name.startswith("SD_"):
            raise TypeError(f"UDF name {name!r} must start with SD_")
        sig = inspect.signature(fn)
        params = []
        for p in sig.parameters.values():
            if p.kind is not inspect.Parameter.POSITIONAL_OR_KEYWORD:
                raise TypeError(f"{name}: parameter {p.name!r} must be positional")
            if p.name not in param_help:
                raise TypeError(f"{name}: parameter {p.name!r} has no help text")
            optional = p.default is not inspect.Parameter.empty
            if optional and p.default is not None:
                raise TypeError(f"{name}: optional parameter {p.name!r} must default to None "
                                "(apply the real default with addin.convert)")
            kind, help_text = param_help[p.name]
            params.append(Param(p.name, kind, _clip(help_text), optional))
        unknown = set(param_help) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{name}: help for unknown parameters {sorted(unknown)}")
        help_text = _first_paragraph(fn.__doc__)
        if not help_text:
            raise TypeError(f"{name}: needs a Dutch docstring")

        @functools.wraps(fn)
        def policy(*args: Any) -> Any:
            k = _cache_key(name, args) if pure else None
            if k is not None:
                hit, result = cache.RESULTS.get(k)
                if hit:
                    return result
            try:
                result = convert.scalar(fn(*args))
            except GripError as exc:
                result = error_text(exc)
            except Exception as exc:  # the policy: nothing unforeseen reaches a cell raw
                ensure_log_file()
                log.exception("unexpected error in %s", name)
                return unexpected_text(name, exc)  # never cached: it may be passing
            if k is not None:
                cache.RESULTS.put(k, result)
            return result

        policy.__doc__ = help_text
        spec = UdfSpec(name, help_text, category, tuple(params), policy, pure, raw=fn)
        if name in REGISTRY:
            raise TypeError(f"UDF {name} is defined twice")
        REGISTRY[name] = spec
        return apply_xlwings(policy, spec, xlwings.func, xlwings.arg)

    return decorate


def _cache_key(name: str, args: tuple[Any, ...]) -> Any:
    try:
        return cache.key(name, args)
    except cache.Unhashable:
        return None


def apply_xlwings(fn: Callable[..., Any], spec: UdfSpec, func: Callable, arg: Callable) -> Callable:
    """Apply xlwings' ``func`` and ``arg`` decorators as the contract says.

    Range parameters get ``ndim=2`` so that a single cell, row or column also arrives as
    a list of rows. Every parameter gets ``err_to_str``: on Windows xlwings otherwise hands a
    cell holding #N/A or #DEEL/0! over as None, an empty cell, which a range of amounts reads
    as its default (0) and a wrong number follows without a word; as text ("#N/A", as xlwings
    Lite and the headless recalculation hand it over) ``calc.cells`` refuses it by its place.
    """
    for p in spec.params:
        options: dict[str, Any] = {"doc": p.help, "err_to_str": True}
        if p.kind == "bereik":
            options["ndim"] = 2
        fn = arg(p.name, **options)(fn)
    return func(category=spec.category)(fn)
