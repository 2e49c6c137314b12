"""Headless recalculation of a saved workbook with the ``formulas`` engine.

Every ``SD_`` UDF of ``addin.policy.REGISTRY`` is registered with the engine through an
adapter that hands it exactly what Excel (xlwings, ``ndim=2``) would: a list of rows with
``None`` for empty cells and ``float`` for numbers for a range parameter, a bare value for a
scalar parameter. The UDF itself, with its error policy, is the same function Excel calls,
so a ``#`` message reads the same in both.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import logging
import os
import re
import struct
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from addin.policy import REGISTRY, UdfSpec
from calc.errors import InputError
from workbooks.context import cells_of

log = logging.getLogger("grip.recalc")

#: The values of the last few files recalculated, by ``content_key``: the same content gives
#: the same values (the engine and the UDFs are deterministic), so a check, a values copy and
#: a button on one unchanged file recalculate it once, also when it was saved again unchanged.
_RECENT: OrderedDict[str, dict[tuple[str, str], Any]] = OrderedDict()
_RECENT_FILES = 4

#: The zip member that holds only who saved the file and when (it changes on every save).
_SAVE_STAMP = "docProps/core.xml"
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")

_KEY = re.compile(r"^'\[(?P<book>[^\]]+)\](?P<sheet>.+)'!(?P<ref>[A-Z]+\d+(?::[A-Z]+\d+)?)$")


def excel_value(value: Any) -> Any:
    """One engine cell value as xlwings would hand it to a UDF (a date or time that openpyxl
    read: its serial number, as the engine keeps it).

    >>> from datetime import datetime
    >>> excel_value(3), excel_value(datetime(2026, 1, 1)), excel_value(None), excel_value(True)
    (3.0, 46023.0, None, True)
    """
    import schedula as sh
    from openpyxl.utils.datetime import to_excel

    if value is sh.EMPTY or value is None:
        return None
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return float(to_excel(value))
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return str(value)


def _adapter(spec: UdfSpec) -> Callable[..., Any]:
    """The engine's function for ``spec``: converts as xlwings would and calls the UDF that
    ``REGISTRY`` holds under its name at the time of the call (``record_calls`` swaps in
    recording UDFs; a formula compiled before calls those, ``_CompiledFormulas``)."""
    kinds = [p.kind for p in spec.params]
    name = spec.name

    def call(*args: Any) -> Any:
        converted = []
        for kind, arg in zip(kinds, args):
            grid = np.asarray(arg, dtype=object)
            grid = grid.reshape(1, 1) if grid.ndim == 0 else grid.reshape(grid.shape[0], -1)
            rows = [[excel_value(v) for v in row] for row in grid.tolist()]
            converted.append(rows if kind == "bereik" else rows[0][0])
        result = REGISTRY[name].function(*converted)
        return np.asarray(result if isinstance(result, list) else [[result]], dtype=object)

    call.__name__ = spec.name
    return call


def register_udfs() -> None:
    """Register every Grip UDF with the ``formulas`` engine (idempotent)."""
    import formulas
    from formulas.functions import wrap_ranges_func

    import addin.udfs  # noqa: F401  (fills REGISTRY)

    functions = formulas.get_functions()
    for spec in REGISTRY.values():
        functions[spec.name] = wrap_ranges_func(_adapter(spec))


@dataclass(frozen=True)
class Recalculation:
    """Computed values of a workbook, keyed by ``(sheet, "B7")`` with the sheet's own name."""

    values: dict[tuple[str, str], Any]

    def get(self, sheet: str, ref: str) -> Any:
        """One cell's value, or a list of rows for a range."""
        if ":" not in ref:
            return self.values.get((sheet, ref.replace("$", "")))
        cells = cells_of(ref.replace("$", ""))
        from openpyxl.utils.cell import range_boundaries

        min_col, _, max_col, _ = range_boundaries(ref.replace("$", ""))
        width = max_col - min_col + 1
        flat = [self.values.get((sheet, c)) for c in cells]
        return [flat[k:k + width] for k in range(0, len(flat), width)]

    def errors(self) -> Iterator[tuple[str, str, Any]]:
        """Cells whose value is an Excel error or a Grip ``#`` message."""
        for (sheet, address), value in sorted(self.values.items()):
            if isinstance(value, str) and value.startswith("#"):
                yield sheet, address, value


def _plain(value: Any) -> Any:
    import schedula as sh
    from formulas.tokens.operand import XlError

    if value is sh.EMPTY:
        return None
    if isinstance(value, XlError):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


class _ValuedCells:
    """A worksheet as the engine's first pass reads it: only the cells that hold something.

    ``formulas.ExcelModel.push`` compiles every cell of a sheet's rectangle, also the empty
    (styled) ones, which add nothing to the model: about 8 in 9 cells of the begrotingsmodel,
    a quarter of the load time. Empty cells a formula refers to are still read, by the
    engine's own second pass (``complete``) from the full sheet.
    """

    def __init__(self, worksheet: Any):
        self._worksheet = worksheet

    def __getattr__(self, name: str) -> Any:
        return getattr(self._worksheet, name)

    def iter_rows(self) -> Iterator[tuple[Any, ...]]:
        cells = [c for c in self._worksheet._cells.values() if c.value is not None]
        yield tuple(sorted(cells, key=lambda c: (c.row, c.column)))


#: The engine's book name for every workbook it compiles (``_load_quietly``): a compiled
#: formula names its cell with the book (``'[werkmap.xlsx]BLAD'!A1``), so one name for all
#: lets ``_COMPILED`` serve a formula of one file to the same formula of the next.
_BOOK = "werkmap.xlsx"
#: How many compiled formula cells ``_COMPILED`` keeps: about 800 per begrotingsmodel, about
#: 50 KB each (a model's formulas hold some 40 MB).
_COMPILED_CELLS = 2000
#: How many plain value cells ``_VALUES`` keeps: some 8.000 per begrotingsmodel.
_VALUE_CELLS = 20_000


class _CompiledFormulas:
    """Compiled formula cells of earlier recalculations, by everything their compilation reads.

    The engine parses each formula and builds a small dispatcher for it (``Cell`` and its
    ``compile``): nine tenths of a load. Workbooks recalculated one after the other (a model,
    the same model with a few inputs changed, its values copy's template) share almost every
    formula, so a formula cell is compiled once and the compiled cell is handed to the next
    model that has it. The key holds all a compilation depends on: sheet, cell, the range of
    an array formula, the formula text, the defined names with their ranges (a name's range
    is compiled into the formula that uses it; ``_names_key``) and the external links; the engine's book
    name is always ``_BOOK``. A compiled cell is not changed by a model that adds it (the
    model reads its function, inputs and range), and its function makes a new solution on
    every call. Of the defined names only those whose text occurs in the formula are part of
    its key, so renaming or breaking one name recompiles only the formulas that use it. A
    compiled formula calls a UDF by its name in ``REGISTRY`` when it is calculated (``_adapter``),
    so ``workbooks.recorded.record_calls``, which swaps in recording functions under the same
    names, records the calls of formulas compiled before; other UDF names or parameters empty
    the memo.
    """

    def __init__(self, size: int = _COMPILED_CELLS):
        self.size = size
        self.cells: OrderedDict[tuple, Any] = OrderedDict()
        self.udfs: tuple = ()

    def clear(self) -> None:
        self.cells.clear()

    def for_udfs(self, specs: tuple) -> None:
        """Empty the memo when the registered UDFs are others than before: other names, or
        other parameters (a compiled formula calls a UDF by name, ``_adapter``)."""
        udfs = tuple((spec.name, tuple(p.kind for p in spec.params)) for spec in specs)
        if udfs != self.udfs:
            self.cells.clear()
            self.udfs = udfs

    def get(self, key: tuple, compile_: Callable[[], Any]) -> Any:
        cell = self.cells.get(key)
        if cell is None:
            cell = self.cells[key] = compile_()
            while len(self.cells) > self.size:
                self.cells.popitem(last=False)
        else:
            self.cells.move_to_end(key)
        return cell


_COMPILED = _CompiledFormulas()

#: The cells of plain values (numbers, text, truth values) as the engine compiles them, by
#: place and value (``Model.compile_cell``): a begrotingsmodel has some 8.000, and a model
#: with a few inputs changed, or its values copy's template, has nearly all of them again
#: (compiling them was half of a load with the formulas kept). Such a cell is only read by
#: the model that adds it (its value becomes the default of a data node).
_VALUES = _CompiledFormulas(size=_VALUE_CELLS)
#: openpyxl's data types of those cells.
_PLAIN_TYPES = frozenset("nsb")


#: A word of a formula that can be a defined name (Excel: letters, digits, ``_ . \\ ?``).
_WORD = re.compile(r"[^\W\d][\w.\\?]*")


def _names(references: dict) -> tuple[dict[str, tuple], list[tuple[str, tuple]]]:
    """Each defined name as a formula writes it (upper case, without the book) with its key
    entry (the engine's name and the ranges it stands for, ``repr`` of anything else); the
    names that are no single ``_WORD`` come apart in a list (looked for as text)."""
    words: dict[str, tuple] = {}
    odd: list[tuple[str, tuple]] = []
    for name, rng in sorted(references.items()):
        bare = name.rsplit("!", 1)[-1].upper()
        entry = (name, tuple(r["name"] for r in rng.ranges) if hasattr(rng, "ranges")
                 else repr(rng))
        if _WORD.fullmatch(bare):
            words[bare] = entry
        else:
            odd.append((bare, entry))
    return words, odd


def _names_key(names: tuple[dict[str, tuple], list[tuple[str, tuple]]], formula: str) -> tuple:
    """The key entries of the defined names ``formula`` can use: every name that is one of its
    words (or, for an odd name, occurs in its text)."""
    words, odd = names
    text = formula.upper()
    found = sorted({words[w] for w in _WORD.findall(text) if w in words})
    return (*found, *(entry for bare, entry in odd if bare in text))


@functools.cache
def _model_class(formulas: Any) -> type:
    class Model(formulas.ExcelModel):
        def push(self, worksheet, context):
            return super().push(_ValuedCells(worksheet), context)

        def compile_cell(self, cell, context, references, formula_references):
            if cell.data_type in _PLAIN_TYPES:
                # a number, text or truth value: its cell depends on where it stands and what
                # it holds, nothing else (no formula is parsed: ``check_formula`` is off for
                # text, and a number or bool is no formula)
                value = cell.value
                key = (context["excel"], context["directory"], context["filename"],
                       context["sheet"], cell.coordinate,
                       formula_references.get(cell.coordinate), cell.data_type,
                       type(value).__name__, repr(value))
                return _VALUES.get(key, lambda: super(Model, self).compile_cell(
                    cell, context, references, formula_references))
            if cell.data_type != "f":
                return super().compile_cell(cell, context, references, formula_references)
            # ``references`` is a new dict on every call (``ExcelModel.references`` combines
            # the books' own, which stay the same once a book is added): keyed by those
            books = tuple(id(d.get("references")) for d in self.books.values())
            names = getattr(self, "_grip_names", None)
            if names is None or names[0] != books:
                names = self._grip_names = (books, _names(references))
            text = cell.value if isinstance(cell.value, str) else cell.value.text
            key = (context["excel"], context["sheet"], cell.coordinate,
                   formula_references.get(cell.coordinate), text,
                   _names_key(names[1], text), repr(context.get("external_links")))
            return _COMPILED.get(key, lambda: super(Model, self).compile_cell(
                cell, context, references, formula_references))

    return Model


def _load_quietly(formulas: Any, path: Path, wb: Any = None) -> Any:
    """Load and compile a workbook without the engine's own progress bar on the console.

    ``wb``: the workbook of ``path`` as the engine's own reader (``_engine_reader``) loaded
    it; handed to the engine as that file's book, so the file is not parsed a second time.
    """
    import formulas.excel as engine

    # absolute: the engine joins a relative path's folder to ``basedir`` once more
    # (out/x.xlsx became out/out/x.xlsx)
    path = Path(path).resolve()
    progress = engine.tqdm.tqdm
    engine.tqdm.tqdm = functools.partial(progress, disable=True)
    try:
        model = _model_class(formulas)()
        if wb is not None:
            # what ExcelModel.add_book does for a file name, with the book already read; the
            # book goes by ``_BOOK`` whatever the file is called (``_CompiledFormulas``)
            model.basedir = os.path.abspath(path.parent)
            model.books[engine._encode_path(_BOOK).upper()] = {engine.BOOK: wb}
            path = path.parent / _BOOK
        return model.loads(str(path)).finish()
    finally:
        engine.tqdm.tqdm = progress


def _without_apostrophes(wb) -> dict[str, str]:
    """Rename the sheets whose name holds an apostrophe; the map alias -> original name.

    The ``formulas`` engine cannot parse a reference to a sheet such as ``Thema's``
    (quoted as ``'Thema''s'!A1``), not even on that sheet itself; the begrotingsmodel has
    such sheets. They are renamed (``Thema's`` -> ``Thema_s``) in sheet titles, formulas
    and defined names of ``wb``, in place (the file is not changed); results are mapped back
    to the original names.
    """
    from openpyxl.worksheet.formula import ArrayFormula

    taken = {ws.title.upper() for ws in wb.worksheets}
    aliases: dict[str, str] = {}
    for ws in wb.worksheets:
        if "'" in ws.title:
            alias = ws.title.replace("'", "_")
            while alias.upper() in taken:
                alias += "_"
            taken.add(alias.upper())
            aliases[ws.title] = alias
    if not aliases:
        return {}

    def fix(text: str) -> str:
        for original, alias in aliases.items():
            text = text.replace("'" + original.replace("'", "''") + "'!", f"'{alias}'!")
        return text

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value.text = fix(value.text)
                elif isinstance(value, str) and value.startswith("="):
                    cell.value = fix(value)
    for name in wb.defined_names.values():
        name.attr_text = fix(name.attr_text)
    for ws in wb.worksheets:
        if ws.title in aliases:
            ws.title = aliases[ws.title]
    return {alias: original for original, alias in aliases.items()}


def _engine_reader(path: Path, **kwargs: Any) -> Any:
    """The ``formulas`` engine's own workbook reader (dates stay serial numbers, ``_xHHHH_``
    escapes are decoded): the book it would read from ``path`` itself."""
    from formulas.excel.xlreader import load_workbook

    return load_workbook(path, **kwargs)


def _checked(path: Path):
    """The workbook at ``path`` after every check for a file from outside: the archive
    (``berichten.archive`` through ``workbooks.safety``), the formula limit, and no reference to another workbook."""
    from berichten.archive import MAX_FORMULAS, formula_count
    from workbooks.safety import open_workbook, refuse_external

    count = formula_count(path)
    if count > MAX_FORMULAS:
        raise InputError(f"{path.name}: {count} formulecellen, meer dan de grens van "
                         f"{MAX_FORMULAS} voor doorrekenen zonder Excel", argument="werkmap")
    wb = open_workbook(path, load=_engine_reader)
    refuse_external(path, wb)
    return wb


def content_key(data: bytes) -> str:
    """SHA-256 of what an .xlsx says, not of when it was saved.

    Hashes every zip member's name, method, size and stored (still compressed) bytes, except
    ``docProps/core.xml`` (author and save time); the zip headers' own save times are left out
    too. Nothing is unpacked, so an unchecked file costs no more than reading it. Bytes that
    are no readable zip are hashed as they are (the checks of ``recalculate`` then refuse them).
    """
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in sorted(archive.infolist(), key=lambda i: i.filename):
                if info.filename == _SAVE_STAMP:
                    continue
                head = _LOCAL_HEADER.unpack_from(data, info.header_offset)
                if head[0] != b"PK\x03\x04":
                    raise zipfile.BadZipFile(info.filename)
                start = info.header_offset + _LOCAL_HEADER.size + head[-2] + head[-1]
                stored = data[start:start + info.compress_size]
                if len(stored) != info.compress_size:
                    raise zipfile.BadZipFile(info.filename)
                digest.update(f"{info.filename}\0{info.compress_type}\0{info.file_size}\0"
                              f"{info.compress_size}\0".encode())
                digest.update(stored)
    except (zipfile.BadZipFile, struct.error, ValueError, OSError):
        return "bytes:" + hashlib.sha256(data).hexdigest()
    return "zip:" + digest.hexdigest()


def recalculate(path: str | Path) -> Recalculation:
    """Evaluate every formula of the workbook at ``path``; the file is not changed.

    A file whose content was recalculated a moment ago (``_RECENT``, by ``content_key``) is not
    evaluated again.
    """
    import formulas

    register_udfs()
    _COMPILED.for_udfs(tuple(REGISTRY.values()))
    path = Path(path)
    digest = content_key(path.read_bytes())
    if digest in _RECENT:
        _RECENT.move_to_end(digest)
        return Recalculation(dict(_RECENT[digest]))
    wb = _checked(path)
    names = wb.sheetnames
    by_upper = {n.upper(): n for n in names}
    originals = _without_apostrophes(wb)
    by_upper.update({alias.upper(): original for alias, original in originals.items()})
    try:
        model = _load_quietly(formulas, path, wb)
    except MemoryError:
        raise InputError(f"{path.name}: te groot om door te rekenen (onvoldoende geheugen)",
                         argument="werkmap") from None
    except Exception as exc:  # noqa: BLE001 — a formula the engine cannot read
        from addin.logfile import record_exception

        record_exception("grip.recalc", f"recalculation of {path.name} failed", exc)
        raise InputError(f"{path.name}: de formules kunnen niet zonder Excel worden "
                         f"doorgerekend ({type(exc).__name__})", argument="werkmap") from None
    try:
        solution = model.calculate()
    except MemoryError:
        raise InputError(f"{path.name}: te groot om door te rekenen (onvoldoende geheugen)",
                         argument="werkmap") from None
    values: dict[tuple[str, str], Any] = {}
    for key, ranges in solution.items():
        match = _KEY.match(str(key))
        if not match:
            continue
        sheet = by_upper.get(match["sheet"].replace("''", "'").upper())
        if sheet is None:
            continue
        grid = np.asarray(getattr(ranges, "value", ranges), dtype=object)
        grid = grid.reshape(1, 1) if grid.ndim == 0 else grid.reshape(grid.shape[0], -1)
        flat = grid.ravel().tolist()
        for address, value in zip(cells_of(match["ref"]), flat):
            values[(sheet, address)] = _plain(value)
    log.info("recalculated %s: %d cells", path.name, len(values))
    _RECENT[digest] = values
    while len(_RECENT) > _RECENT_FILES:
        _RECENT.popitem(last=False)
    return Recalculation(dict(values))
