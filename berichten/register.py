"""The municipality's provider register: AGB code -> name, from a CSV/xlsx export or a sheet.

A municipality keeps its contracted providers in its own system; an export of it (CSV or
xlsx) is read with the same column mapping as the message exports (``berichten/kolommen.toml``,
section ``[aanbieders]``: which header stands for the AGB code and which for the name; headers
compared without case, spaces, hyphens and underscores). The sheet *Namen* of the model holds
the same two columns (``register_from_rows``).

Nothing is lost: a row without code or name, or a code listed twice with another name, is
kept in ``Register.rejected`` with its line and a Dutch reason; read = accepted + repeated
(the same code with the same name again) + rejected.
An AGB code that Excel turned into a number (leading zero lost) is read back as 8 digits, one
written in groups (``9801 0001``, ``98.01.00.01``) as its digits; anything else is no AGB code
and its row is refused (a name for a code no message carries would never be shown).

>>> agb_code(1234567.0), agb_code(" 98010001 "), agb_code("9801 0001"), agb_code(None)
('01234567', '98010001', '98010001', None)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from berichten import codes
from berichten.flat import (DEFAULT_MAPPING, FlatFileRejected, _header_names, _rows_csv,
                            find_header, locate, xlsx_header)
from calc.cells import is_empty, text as cell_text
from calc.errors import InputError, Problem

KIND = "aanbieders"


@dataclass
class Register:
    """The names read (AGB code -> name) and the rows that were refused."""

    names: dict[str, str] = field(default_factory=dict)
    #: (line or row, Dutch reason) of every refused row.
    rejected: list[tuple[int, str]] = field(default_factory=list)
    read: int = 0
    #: Rows that repeat a code with the same name (read = names + repeated + rejected).
    repeated: int = 0


def agb_code(value) -> str | None:
    """A provider code from a cell: text, stripped, digit groups joined; digits padded to 8
    (AGB). Text that is not digits is returned as it is (``_add`` refuses it)."""
    text = cell_text(value) or None
    return None if text is None else (codes.digit_code(text, 8) or text)


def _columns(mapping_path: Path | str | None) -> tuple[dict[str, list[str]], list[str]]:
    path = Path(mapping_path) if mapping_path else DEFAULT_MAPPING
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"kolomindeling {path} is onleesbaar: {exc}",
                         argument="kolommen") from None
    section = dict(data.get(KIND) or {})
    if not section:
        raise InputError(f"kolomindeling {path} heeft geen sectie [{KIND}]", argument="kolommen")
    required = list(section.pop("verplicht", ["provider", "name"]))
    return {k: [v] if isinstance(v, str) else list(v) for k, v in section.items()}, required


def _add(register: Register, position: int, code, name) -> None:
    register.read += 1
    code, name = agb_code(code), cell_text(name) or None
    if code is None or name is None:
        register.rejected.append((position, "AGB-code ontbreekt" if code is None
                                  else f"naam ontbreekt bij AGB-code {code}"))
        return
    if not (code.isdigit() and len(code) == 8):
        register.rejected.append((position, f"'{code}' is geen AGB-code (8 cijfers); "
                                            f"'{name}' is niet overgenomen"))
        return
    known = register.names.get(code)
    if known == name:
        register.repeated += 1
        return
    if known is not None:
        register.rejected.append((position, f"AGB-code {code} staat er al met de naam "
                                            f"'{known}'; '{name}' is niet overgenomen"))
        return
    register.names[code] = name


def read_register(path: Path | str, *, mapping: Path | str | None = None) -> Register:
    """Read a provider register (CSV or xlsx; the first sheet) with the column mapping.

    Raises ``InputError`` (Dutch, naming the file) when the file cannot be read or lacks
    the columns; refused rows are in ``Register.rejected``.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "aanbiedersregister niet gevonden", str(path))
    fields, required = _columns(mapping)

    def match(headers):
        where = locate(headers, fields)
        return where, [f for f in required if f not in where]

    def describe(_, missing):
        return "de kolommen ontbreken: " + ", ".join(_header_names(fields.get(f, [f]))
                                                      for f in missing)

    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            _, _, where, rows, _ = xlsx_header(path, match, describe,
                                               what="geen aanbiedersregister")
        else:
            rows = _rows_csv(path)
            _, _, where = find_header(rows, match, describe, what="geen aanbiedersregister")
        register = Register()
        for line, row in rows:
            if not row or all(is_empty(v) for v in row):
                continue
            cell = lambda f: row[where[f]] if where[f] < len(row) else None  # noqa: E731
            _add(register, line, cell("provider"), cell("name"))
    except FlatFileRejected as exc:
        raise InputError(f"{path.name}: {exc.reason}", argument=str(path),
                         row=(exc.position or 1) - 1) from None
    return register


def register_from_rows(rows: list[list], *, argument: str) -> dict[str, str]:
    """The register typed on the sheet (rows of two cells: AGB code, name).

    Empty rows are skipped; a half-filled row or a code twice with another name is refused
    with every problem located (row within the range, 0-based).
    """
    register = Register()
    for k, row in enumerate(rows):
        cells = list(row) + [None, None]
        if all(is_empty(v) for v in cells[:2]):
            continue
        _add(register, k, cells[0], cells[1])
    if register.rejected:
        raise InputError.from_problems([Problem(reason, argument, k, 0)
                                        for k, reason in register.rejected])
    return register.names
