"""UDFs for the meerjarenbegroting: the cliff, the baseline, the chance of a closing budget."""

from __future__ import annotations

import numpy as np

from addin import convert
from addin.policy import bereik, getal, udf
from calc.budget.chance import chance_closing
from calc.budget.income import FUND_BN, municipal_cut
from calc.errors import Problem, raise_if


def _savings_table(value, argument: str) -> np.ndarray:
    """The n x 3 / n x 4 range; wholly empty rows are skipped, a half-filled row is an error."""
    table = convert.to_matrix(value, argument, empty=np.nan)
    if table.ndim != 2 or table.shape[1] not in (3, 4):
        return table  # chance_closing names the shape
    keep = ~np.isnan(table).all(axis=1)
    problems = [Problem("de cel is leeg", argument, int(r), int(c))
                for r, c in np.argwhere(np.isnan(table[:, :3]) & keep[:, None])]
    raise_if(problems)
    return table[keep]


@udf(
    tekort=getal("Het tekort dat de maatregelen moeten dekken, in euro (een overschot is negatief)."),
    besparingen=bereik("Per maatregel een rij: laag, waarschijnlijk, hoog (euro), eventueel een 4e "
                       "kolom realisatiekans (0-1). Lege rijen tellen niet mee."),
)
def SD_KANS_SLUITEND(tekort, besparingen):
    """Kans (0-1) dat de samen behaalde besparingen het tekort dekken; elke maatregel driehoeksverdeeld (laag, waarschijnlijk, hoog) en onafhankelijk.

    Exact berekend; bij veel maatregelen met 200.000 trekkingen (fout kleiner dan 0,01).
    """
    gap = convert.to_number(tekort, "tekort")
    table = _savings_table(besparingen, "besparingen")
    if table.shape[0] == 0:
        return 1.0 if gap <= 0 else 0.0
    return chance_closing(gap, table).probability


@udf(
    algemene_uitkering=getal("De algemene uitkering van de gemeente, in euro per jaar."),
    landelijke_korting_mld=getal("De landelijke korting op het gemeentefonds in miljard euro "
                                 "(bijvoorbeeld 2; 2,3; 2,4 of 3,4)."),
    fonds_mld=getal("Optioneel: omvang van het gemeentefonds in miljard euro (standaard 47,5)."),
)
def SD_RAVIJN(algemene_uitkering, landelijke_korting_mld, fonds_mld=None):
    """Het deel van de landelijke korting op het gemeentefonds dat de gemeente draagt, in euro per jaar (positief), naar rato van haar aandeel in het fonds."""
    au = convert.to_number(algemene_uitkering, "algemene_uitkering")
    cut = convert.to_number(landelijke_korting_mld, "landelijke_korting_mld")
    fund = convert.to_number(fonds_mld, "fonds_mld", default=FUND_BN)
    return municipal_cut(au, cut, fund)
