"""UDFs for dwarsverbanden (cross-theme effects)."""

from __future__ import annotations

from addin import convert
from addin.policy import bereik, udf
from calc.cross_effects import total_effect


@udf(
    matrix=bereik("Effectmatrix N x N: cel (i, j) is de directe verandering in thema i per euro "
                  "verandering in thema j. Lege cel = 0."),
    schok=bereik("Structurele schok per thema in euro per jaar: één kolom of één rij van N cellen."),
)
def SD_TOTAALEFFECT(matrix, schok):
    """Totaaleffect per thema van een structurele schok, inclusief de schok zelf: (I - A)^-1 x schok. Geeft een kolom van N bedragen in euro.

    Weigert een matrix waarvan de effecten niet uitdoven (spectraalstraal 1 of meer).
    """
    a = convert.to_matrix(matrix, "matrix")
    s = convert.to_vector(schok, "schok")
    return convert.column(total_effect(a, s))
