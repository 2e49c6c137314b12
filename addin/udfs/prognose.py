"""UDFs for the prognose: late claims (nagekomen declaraties) from a claim triangle, and the
monthly series forecast."""

from __future__ import annotations

from addin import convert
from addin.policy import bereik, getal, logisch, udf
from calc.errors import InputError
from calc.prognose.reserving import checked_chain_ladder, late_claims_table
from calc.prognose.series import MAX_HORIZON, forecast_series, refuse_placeholder_zeros
from calc.prognose.triangle import future_zeros_as_unknown

_DRIEHOEK = ("Declaratiedriehoek: één rij per productperiode (oudste eerst), één kolom per "
             "vertraging (eerste kolom = vertraging 0), lege cellen waar nog onbekend. Hoogstens "
             "1000 rijen en 1000 kolommen.")
#: Largest triangle side SD_NAGEKOMEN and SD_ONTWIKKELFACTOREN take (1000 x 1000: about a second).
MAX_SIDE = 1000


def _triangle(value):
    """The triangle range as a float array (NaN where unknown), within ``MAX_SIDE``."""
    rows = convert.grid(value)
    width = max((len(r) for r in rows), default=0)
    if len(rows) > MAX_SIDE or width > MAX_SIDE:
        raise InputError(f"de driehoek is {len(rows)} x {width}, meer dan de grens van "
                         f"{MAX_SIDE} x {MAX_SIDE}", argument="driehoek")
    return future_zeros_as_unknown(convert.to_matrix(rows, "driehoek", empty=float("nan")))
_CUMULATIEF = ("Optioneel: WAAR (standaard) als de bedragen cumulatief zijn, ONWAAR als elke cel "
               "alleen het bedrag van die vertraging bevat.")


@udf(driehoek=bereik(_DRIEHOEK), cumulatief=logisch(_CUMULATIEF))
def SD_NAGEKOMEN(driehoek, cumulatief=None):
    """Nagekomen declaraties per productperiode met de chain-ladder-methode en de standaardfout van Mack. Geeft per periode plus een totaalrij: gedeclareerd tot nu, verwacht eindbedrag, nog te declareren, standaardfout.

    Dalende cumulatieve bedragen (correcties) worden meegenomen; een driehoek die vaker daalt
    dan stijgt wordt geweigerd (waarschijnlijk incrementeel). Nullen rechtsonder, waar nog niets
    bekend kan zijn (zoals SOMMEN.ALS ze geeft), tellen als lege cellen.
    """
    tri = _triangle(driehoek)
    cum = convert.to_bool(cumulatief, "cumulatief", default=True)
    return convert.table(late_claims_table(tri, cumulative=cum))


@udf(driehoek=bereik(_DRIEHOEK), cumulatief=logisch(_CUMULATIEF))
def SD_ONTWIKKELFACTOREN(driehoek, cumulatief=None):
    """Ontwikkelfactoren van de declaratiedriehoek (volumegewogen chain ladder): één rij, de factor van elke vertraging naar de volgende."""
    tri = _triangle(driehoek)
    cum = convert.to_bool(cumulatief, "cumulatief", default=True)
    return convert.row(checked_chain_ladder(tri, cumulative=cum).development_factors)


@udf(
    reeks=bereik("Maandwaarden, oudste eerst: één kolom (of rij), hoogstens 1.200 waarden. Lege "
                 "cellen aan het begin of eind tellen niet mee; een lege cel tussen de waarden is "
                 "een fout."),
    horizon=getal(f"Aantal maanden vooruit (1 tot en met {MAX_HORIZON})."),
    seizoen=getal("Perioden per seizoen; leeg = 12 (maanden). 1 = geen seizoenspatroon."),
    betrouwbaarheid=getal("Dekking van de marge, tussen 0 en 1; leeg = 0,8 (80%)."),
)
def SD_PROGNOSE(reeks, horizon, seizoen=None, betrouwbaarheid=None):
    """Prognose van een maandreeks met marge: per maand vooruit verwachting, ondergrens en bovengrens. Kiest zelf trend en seizoen (gemiddelde van exponentieel effenen en een seizoens-ARIMA).

    Bij een korte reeks (minder dan twee seizoenen) de waarde van een seizoen eerder. Voorspelde
    het model het laatste seizoen slechter dan de waarde van een seizoen eerder (een breuk, of een
    trend die stopt), dan is de prognose het gemiddelde van beide.
    """
    values = convert.to_vector(reeks, "reeks", empty=float("nan"))
    refuse_placeholder_zeros(values, "reeks")
    h = convert.to_whole(horizon, "horizon", minimum=1, maximum=MAX_HORIZON)
    m = convert.to_whole(seizoen, "seizoen", default=12, minimum=1, maximum=52)
    level = convert.to_fraction(betrouwbaarheid, "betrouwbaarheid", default=0.8)
    result = forecast_series(values, h, season_length=m, level=level)
    return convert.table(result.as_rows())
