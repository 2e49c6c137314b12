"""UDFs for the prognose (monthly series forecast)."""

from __future__ import annotations

from addin import convert
from addin.policy import bereik, getal, udf
from calc.prognose.series import MAX_HORIZON, forecast_series


@udf(
    reeks=bereik("Maandwaarden, oudste eerst: één kolom (of rij). Lege cellen aan het begin of "
                 "eind tellen niet mee; een lege cel tussen de waarden is een fout."),
    horizon=getal(f"Aantal maanden vooruit (1 tot en met {MAX_HORIZON})."),
    seizoen=getal("Perioden per seizoen; leeg = 12 (maanden). 1 = geen seizoenspatroon."),
    betrouwbaarheid=getal("Dekking van de marge, tussen 0 en 1; leeg = 0,8 (80%)."),
)
def SD_PROGNOSE(reeks, horizon, seizoen=None, betrouwbaarheid=None):
    """Prognose van een maandreeks met marge: per maand vooruit verwachting, ondergrens en bovengrens. Kiest zelf trend en seizoen (exponentieel effenen, AICc).

    Bij een korte reeks (minder dan twee seizoenen) de waarde van een seizoen eerder.
    """
    values = convert.to_vector(reeks, "reeks", empty=float("nan"))
    h = convert.to_whole(horizon, "horizon", minimum=1, maximum=MAX_HORIZON)
    m = convert.to_whole(seizoen, "seizoen", default=12, minimum=1, maximum=52)
    level = convert.to_number(betrouwbaarheid, "betrouwbaarheid", default=0.8)
    result = forecast_series(values, h, season_length=m, level=level)
    return convert.table(result.as_rows())
