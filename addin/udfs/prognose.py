"""UDFs for the prognose: late claims (nagekomen declaraties) from a claim triangle."""

from __future__ import annotations

from addin import convert
from addin.policy import bereik, logisch, udf
from calc.prognose.reserving import chain_ladder, late_claims_table

_DRIEHOEK = ("Declaratiedriehoek: één rij per productperiode (oudste eerst), één kolom per "
             "vertraging (eerste kolom = vertraging 0), lege cellen waar nog onbekend.")
_CUMULATIEF = ("Optioneel: WAAR (standaard) als de bedragen cumulatief zijn, ONWAAR als elke cel "
               "alleen het bedrag van die vertraging bevat.")


@udf(driehoek=bereik(_DRIEHOEK), cumulatief=logisch(_CUMULATIEF))
def SD_NAGEKOMEN(driehoek, cumulatief=None):
    """Nagekomen declaraties per productperiode met de chain-ladder-methode en de standaardfout van Mack. Geeft per periode plus een totaalrij: gedeclareerd tot nu, verwacht eindbedrag, nog te declareren, standaardfout.

    Dalende cumulatieve bedragen (correcties) worden meegenomen; een driehoek die vaker daalt
    dan stijgt wordt geweigerd (waarschijnlijk incrementeel).
    """
    tri = convert.to_matrix(driehoek, "driehoek", empty=float("nan"))
    cum = convert.to_bool(cumulatief, "cumulatief", default=True)
    return convert.table(late_claims_table(tri, cumulative=cum))


@udf(driehoek=bereik(_DRIEHOEK), cumulatief=logisch(_CUMULATIEF))
def SD_ONTWIKKELFACTOREN(driehoek, cumulatief=None):
    """Ontwikkelfactoren van de declaratiedriehoek (volumegewogen chain ladder): één rij, de factor van elke vertraging naar de volgende."""
    tri = convert.to_matrix(driehoek, "driehoek", empty=float("nan"))
    cum = convert.to_bool(cumulatief, "cumulatief", default=True)
    return convert.row(chain_ladder(tri, cumulative=cum).development_factors)
