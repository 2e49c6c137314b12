"""Amounts as exports write them: the decimal mark decided per column from the data.

A column of amounts may use a decimal comma (``1.234,56``, ``855,00``) or a decimal point
(``1,234.56``, ``855.00``). Each distinct text is read both ways (``readings``); a text that
only one way can read (``855.00``, ``1.234,56``) is evidence for that mark, a text both ways
read alike (``855``) is neutral, and a text both ways read differently (``6.200``: 6200 with
a thousands dot, 6,2 with a decimal point) is ambiguous. ``decide`` settles a column from its
evidence; a column with evidence for both marks is refused, one without any evidence is left
to the caller (volume x tarief, then the mapping's hint).

>>> readings("1.234,56"), readings("855.00"), readings("855"), readings("6.200")
((123456, None), (None, 85500), (85500, 85500), (620000, 620))
>>> decide(["855.00", "85.50", "6"])
('.', None)
>>> decide(["6.200", "12"])
(None, None)
>>> decide(["1,5", "2.50"])[1]
"gebruikt zowel een decimaalkomma ('1,5') als een decimaalpunt ('2.50')"
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: Largest amount accepted, in eurocent (EUR 10 bln): beyond it a value is out of range.
MAX_CENTS = 10 ** 12
#: Largest volume accepted (far below int64).
MAX_VOLUME = 10 ** 12

_COMMA = re.compile(r"^[-+]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")    # decimal comma
_POINT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")    # decimal point
_JUNK = str.maketrans("", "", "€ \u00a0\u202f'")


def clean(text: str) -> str:
    """The text without euro sign and spaces, a negative amount as ``-342,00`` however an
    export writes it: ``-342,00``, ``€ -342,00``, ``-€ 342,00`` and ``−342,00`` (Excel's
    number formats, the typographic minus), ``342,00-`` and ``342,00 CR`` (ledger systems),
    ``(342,00)`` and ``€ (342,00)`` (the accounting format's parentheses). ``342,00 DR`` is
    a debit: positive. Two signs at once (``(-342,00)``, ``-342,00 CR``) are left unreadable.

    >>> [clean(t) for t in ("(342,00)", "€ (342,00)", "342,00-", "€ -342,00", "342,00 CR")]
    ['-342,00', '-342,00', '-342,00', '-342,00', '-342,00']
    >>> clean("1.234,56 DR"), clean("(-342,00)")
    ('1.234,56', '--342,00')
    """
    out = text.translate(_JUNK).replace("\u2212", "-")
    signs = 0
    if out[-2:].upper() in ("CR", "DR") and len(out) > 2:
        signs += out[-2:].upper() == "CR"
        out = out[:-2]
    if out.startswith("(") and out.endswith(")") and len(out) > 2:
        signs += 1
        out = out[1:-1]
    elif out.endswith("-") and len(out) > 1:
        signs += 1
        out = out[:-1]
    return "-" * signs + out


def _cents(text: str, decimal: str, unit: str) -> int | None:
    thousands = "." if decimal == "," else ","
    try:
        amount = Decimal(text.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    cents = amount if unit == "eurocent" else amount * 100
    if cents != cents.to_integral_value():
        return None
    return int(cents)


def readings(text: str, unit: str = "euro") -> tuple[int | None, int | None]:
    """(cents with a decimal comma, cents with a decimal point); None where that way fails."""
    t = clean(text)
    comma = _cents(t, ",", unit) if _COMMA.match(t) else None
    point = _cents(t, ".", unit) if _POINT.match(t) else None
    return comma, point


def decide(texts, unit: str = "euro") -> tuple[str | None, str | None]:
    """(decimal mark or None if the data do not tell, Dutch problem or None)."""
    comma_only = point_only = None
    for text in texts:
        if text is None or not str(text).strip():
            continue
        comma, point = readings(str(text), unit)
        if comma is not None and point is None and comma_only is None:
            comma_only = str(text)
        elif point is not None and comma is None and point_only is None:
            point_only = str(text)
        if comma_only and point_only:
            return None, (f"gebruikt zowel een decimaalkomma ('{comma_only[:20]}') als een "
                          f"decimaalpunt ('{point_only[:20]}')")
    if comma_only:
        return ",", None
    if point_only:
        return ".", None
    return None, None


def cents(text: str | None, decimal: str, unit: str = "euro") -> tuple[int | None, str | None]:
    """(eurocent, Dutch problem) of one text with the column's decimal mark."""
    if text is None or not str(text).strip():
        return None, None
    comma, point = readings(str(text), unit)
    value = comma if decimal == "," else point
    if value is None:
        t = clean(str(text)).lower()
        if t.lstrip("+-") in ("inf", "infinity", "nan"):
            return None, f"geen bedrag: '{str(text)[:20]}'"
        other = point if decimal == "," else comma
        if other is not None:
            mark = "komma" if decimal == "," else "punt"
            return None, (f"'{str(text)[:20]}' past niet bij de decimaal{mark} van de "
                          "rest van de kolom")
        return None, f"geen geldig bedrag: '{str(text)[:20]}'"
    if abs(value) > MAX_CENTS:
        return None, f"bedrag buiten bereik: '{str(text)[:20]}'"
    return value, None


_WHOLE = re.compile(r"^[-+]?\d+$")


def whole(text: str | None) -> tuple[int | None, str | None]:
    """(whole number, Dutch problem): ``4``, ``4,0``, ``4.00``, ``1.000`` (thousands)."""
    if text is None or not str(text).strip():
        return None, None
    t = clean(str(text))
    if not _WHOLE.match(t):
        comma, point = readings(t, "eurocent")
        # 1.000 is a thousand (no volume has three decimals); 4,00 / 4.00 are four
        if comma is not None and (point is None or comma == point
                                  or re.match(r"^[-+]?\d{1,3}(\.\d{3})+$", t)):
            t = str(comma)
        elif point is not None:
            t = str(point)
        else:
            trimmed = re.sub(r"[.,]0+$", "", t)
            if not _WHOLE.match(trimmed):
                return None, f"geen geheel getal: '{str(text)[:20]}'"
            t = trimmed
    value = int(t)
    if abs(value) > MAX_VOLUME:
        return None, f"getal buiten bereik: '{str(text)[:20]}'"
    return value, None
