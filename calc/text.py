"""Dutch text for messages and tables: numbers (decimal comma, dot as thousands separator),
yes/no, and data text that never becomes a formula.

>>> nl_number(1234567.891, 2)
'1.234.567,89'
>>> nl_number(-0.5)
'-0,50'
>>> nl_euro(1500)
'€ 1.500'
"""

from __future__ import annotations

import re
from typing import Any


def nl_number(value: float, decimals: int = 2) -> str:
    """Format a number the way Dutch Excel shows it."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def nl_euro(value: float, decimals: int = 0) -> str:
    """Format an amount in euro, e.g. ``€ 1.500``."""
    return "€ " + nl_number(value, decimals)


#: How Grip writes yes and no in a table (a formula or rule may compare with ``YES``), and
#: how Dutch Excel shows TRUE and FALSE. ``calc.cells`` reads all four back.
YES, NO = "ja", "nee"
TRUE_TEXT, FALSE_TEXT = "WAAR", "ONWAAR"


def yes_no(flag: Any) -> str:
    """``ja`` or ``nee``, as a table cell or a message says it.

    >>> yes_no(True), yes_no(0)
    ('ja', 'nee')
    """
    return YES if flag else NO


def excel_bool(flag: Any) -> str:
    """A logical value as Dutch Excel shows it.

    >>> excel_bool(True), excel_bool(False)
    ('WAAR', 'ONWAAR')
    """
    return TRUE_TEXT if flag else FALSE_TEXT


# --- text from data in a cell or a CSV field: never a formula --------------------------------

#: Characters XML 1.0 cannot hold (openpyxl and lxml refuse them): control characters, lone
#: surrogates and the two non-characters U+FFFE and U+FFFF; removed from data text.
ILLEGAL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: A cell or CSV field whose first visible character is one of these is taken as a formula
#: by Excel (or by a spreadsheet opening the CSV); the full-width forms too, which some
#: input methods turn into the plain ones.
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
#: What a spreadsheet skips before it looks at the first character (OWASP: tab, CR, LF).
_LEADING = " \t\r\n\u00a0"


def safe_text(value: Any) -> Any:
    """Text from data, made safe for a cell or a CSV field: never a formula.

    Control characters XML cannot hold are removed. Text whose first visible character
    (after spaces, tab, CR or LF) would start a formula gets a leading apostrophe, Excel's
    own mark for "this is text"; so does text that already starts with one, so that
    ``restore_text`` gives back exactly what came in. Anything but ``str`` is returned as is.

    >>> safe_text("=HYPERLINK(1)"), safe_text("\\t=cmd|' /C calc'!A0")
    ("'=HYPERLINK(1)", "'\\t=cmd|' /C calc'!A0")
    >>> safe_text("Zorg B.V."), safe_text("-"), safe_text(-5)
    ('Zorg B.V.', '-', -5)
    >>> restore_text(safe_text("'quote")) == "'quote"
    True
    """
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARS.sub("", value)
    head = text.lstrip(_LEADING)
    if text.startswith("'") or (head[:1] in FORMULA_STARTS and len(text) > 1):
        text = "'" + text
    return text


def restore_text(value: Any) -> Any:
    """The inverse of ``safe_text`` for a field Grip wrote itself (a CSV it reads back).

    >>> restore_text("'=1+1"), restore_text("Zorg"), restore_text(3)
    ('=1+1', 'Zorg', 3)
    """
    if isinstance(value, str) and value.startswith("'") and safe_text(value[1:]) == value:
        return value[1:]
    return value


def safe_frame(frame):
    """A copy of a DataFrame whose text cells went through ``safe_text``.

    Every column that is not numeric, boolean or a date is mapped, whatever its dtype
    (``object``, pandas' ``string`` dtype, ``category``): under pandas 3 text columns are
    not ``object``, so a guard on ``object`` alone lets formulas through.
    """
    out = frame.copy()
    for k, column in enumerate(out.columns):
        series = out.iloc[:, k]
        if series.dtype.kind in "biufcmM":
            continue
        out.isetitem(k, series.astype(object).map(safe_text))
    out.columns = [safe_text(c) for c in out.columns]
    return out


def bom_encoding(head: bytes) -> str | None:
    """The encoding a file's first bytes name by their byte order mark: 'utf-8-sig', 'utf-16'
    (Excel's "Unicode-tekst"), or None (then UTF-8 if it all decodes, else Windows-1252)."""
    import codecs

    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def decode(data: bytes) -> str:
    """The text of a small file as Excel and Windows write it: UTF-8 with or without its BOM,
    UTF-16 with its BOM (Excel's "Unicode-tekst"), otherwise Windows-1252 (a CSV saved by
    Excel on Windows: its '€' is byte 0x80). ``berichten.flat.detect_encoding`` streams the
    same rule over large exports.

    >>> decode("€ 80.000".encode("cp1252")), decode("\\ufeffaan".encode("utf-8"))
    ('€ 80.000', 'aan')
    """
    bom = bom_encoding(data)
    if bom is not None:
        return data.decode(bom)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")   # 5 bytes cp1252 leaves undefined
