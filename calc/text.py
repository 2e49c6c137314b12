"""Dutch number formatting for messages (decimal comma, dot as thousands separator).

>>> nl_number(1234567.891, 2)
'1.234.567,89'
>>> nl_number(-0.5)
'-0,50'
>>> nl_euro(1500)
'€ 1.500'
"""

from __future__ import annotations


def nl_number(value: float, decimals: int = 2) -> str:
    """Format a number the way Dutch Excel shows it."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def nl_euro(value: float, decimals: int = 0) -> str:
    """Format an amount in euro, e.g. ``€ 1.500``."""
    return "€ " + nl_number(value, decimals)
