"""UDFs for dwarsverbanden (cross-theme effects)."""

from __future__ import annotations

from addin import convert
from addin.policy import bereik, getal, tekst, udf
from calc.cross_effects import effect_path, scenario_effects, total_effect, tornado
from calc import profile
from calc.cross_effects.districts import district_totals
from calc.cross_effects.scenario import MAX_DRAWS, check_draws, model_from_rows
from calc.errors import InputError


@udf(
    matrix=bereik("Effectmatrix N x N (hoogstens 30 thema's): cel (i, j) is de directe verandering "
                  "in thema i per euro verandering in thema j. Lege cel = 0."),
    schok=bereik("Structurele schok per thema in euro per jaar: één kolom of één rij van N cellen."),
)
def SD_TOTAALEFFECT(matrix, schok):
    """Totaaleffect per thema van een structurele schok, inclusief de schok zelf: (I - A)^-1 x schok. Geeft een kolom van N bedragen in euro.

    Weigert een matrix waarvan de effecten niet uitdoven (spectraalstraal 1 of meer).
    """
    a = convert.to_matrix(matrix, "matrix")
    s = convert.to_vector(schok, "schok")
    return convert.column(total_effect(a, s))


@udf(
    matrix=bereik("Effectmatrix N x N (hoogstens 30 thema's): cel (i, j) is de directe verandering "
                  "in thema i per euro verandering in thema j. Lege cel = 0."),
    schok=bereik("Structurele schok per thema in euro per jaar vanaf jaar 1: één kolom of rij van N "
                 "cellen."),
    jaren=getal("Aantal jaren (kolommen) van het pad, 1 tot en met 200."),
    vertragingen=bereik("Optioneel: vertraging in hele jaren per verband, N x N zoals de matrix "
                        "(0 = hetzelfde jaar, hoogstens 10). Leeg = 1 jaar overal."),
)
def SD_EFFECTPAD(matrix, schok, jaren, vertragingen=None):
    """Pad door de tijd: verandering per thema (rijen) per jaar (kolommen, jaar 1 eerst) na een structurele schok, met vertragingen per verband. Loopt naar SD_TOTAALEFFECT.

    Weigert een systeem waarvan de effecten niet uitdoven.
    """
    a = convert.to_matrix(matrix, "matrix")
    s = convert.to_vector(schok, "schok")
    t = convert.to_whole(jaren, "jaren", minimum=1, maximum=200)
    lags = None if vertragingen is None else convert.to_matrix(vertragingen, "vertragingen", empty=1.0)
    return convert.table(effect_path(a, s, t, lags))


_THEMAS = bereik("Themalijst (blad Thema's): per rij thema, taakvelden, basislast, cliënten, kosten per "
                 "cliënt; zonder kopregel. Hoogstens 30 thema's.")
_VERBANDEN = bereik("Verbanden (blad Dwarsverbanden): per rij van, naar, eenheid, laag, verwacht, hoog, "
                    "vertraging (0 tot en met 10 jaar), aandeel gemeente, bron; zonder kopregel.")
_MAATREGELEN = bereik("Maatregelen (blad Maatregelen): per rij aan, naam, thema, soort, laag, verwacht, "
                      "hoog, startjaar, aanloopjaren, structureel, scenario's; zonder kopregel.")
_BEGINJAAR = getal("Eerste jaar van de uitkomst (bijvoorbeeld het begrotingsjaar 2027).")
_JAREN = getal("Aantal jaren (kolommen), 1 tot en met 100.")
_VIEWS = {"totaal": "total", "direct": "direct", "indirect": "indirect"}
def _scenario_inputs(themas, verbanden, maatregelen, beginjaar, jaren):
    first = convert.to_whole(beginjaar, "beginjaar", minimum=1900, maximum=2200)
    years = convert.to_whole(jaren, "jaren", minimum=1, maximum=100)
    model, measures = model_from_rows(convert.grid(themas), convert.grid(verbanden),
                                      convert.grid(maatregelen), default_year=first)
    return model, measures, first, years


@udf(themas=_THEMAS, verbanden=_VERBANDEN, maatregelen=_MAATREGELEN, beginjaar=_BEGINJAAR, jaren=_JAREN,
     weergave=tekst("Optioneel: totaal (standaard), direct of indirect (N thema's x jaren), of samen (3 rijen: "
                    "direct, indirect, totaal over alle thema's)."),
     scenario=tekst("Optioneel: naam van een scenario; alleen maatregelen met die naam in de kolom "
                    "Scenario's (of met die kolom leeg) tellen. Leeg = alle maatregelen die aan staan."))
def SD_SCENARIO(themas, verbanden, maatregelen, beginjaar, jaren, weergave=None, scenario=None):
    """Effect van de maatregelen die aan staan, per thema (rijen) per jaar (kolommen), in euro: totaal, direct (de maatregel zelf) of indirect (via andere thema's). Verwachte waarden.

    Negatief is een besparing voor de gemeente.
    """
    model, measures, first, years = _scenario_inputs(themas, verbanden, maatregelen, beginjaar, jaren)
    view = convert.to_text(weergave, "weergave", default="totaal").lower()
    if view not in (*_VIEWS, "samen"):
        raise InputError(f"weergave '{view[:20]}' is onbekend: kies totaal, direct, indirect of samen",
                         argument="weergave")
    name = convert.to_text(scenario, "scenario", default="")
    chosen = [m for m in measures if m.in_scenario(name)]
    if name and not any(name.casefold() in {s.casefold() for s in m.scenarios} for m in measures):
        raise InputError(f"geen maatregel hoort bij scenario '{name[:30]}'", argument="scenario")
    result = scenario_effects(model, chosen, first_year=first, years=years)
    if view == "samen":
        return convert.table([result.direct.sum(axis=0), result.indirect.sum(axis=0), result.total.sum(axis=0)])
    return convert.table(getattr(result, _VIEWS[view]))


@udf(themas=_THEMAS, verbanden=_VERBANDEN, maatregelen=_MAATREGELEN, beginjaar=_BEGINJAAR, jaren=_JAREN,
     trekkingen=getal("Optioneel: aantal trekkingen van de Monte Carlo (standaard 10.000, hoogstens "
                      "100.000; trekkingen maal jaren hoogstens 200.000)."),
     zaad=getal("Optioneel: startgetal van het toeval (standaard 1); zelfde zaad, zelfde band."),
     thema=tekst("Optioneel: één thema; leeg = alle thema's samen."))
def SD_BANDBREEDTE(themas, verbanden, maatregelen, beginjaar, jaren, trekkingen=None, zaad=None,
                   thema=None):
    """Bandbreedte van het totaaleffect van de maatregelen per jaar: drie rijen P10, P50, P90 en een kolom per jaar, in euro. Monte Carlo over de bandbreedtes van verbanden en maatregelen.

    Zonder thema: de som over alle thema's.
    """
    model, measures, first, years = _scenario_inputs(themas, verbanden, maatregelen, beginjaar, jaren)
    draws = convert.to_whole(trekkingen, "trekkingen", default=profile.DRAWS, minimum=2, maximum=MAX_DRAWS)
    check_draws(draws, years)
    seed = convert.to_whole(zaad, "zaad", default=1, minimum=0)
    result = scenario_effects(model, measures, first_year=first, years=years, draws=draws, seed=seed)
    name = convert.to_text(thema, "thema", default="")
    if not name:
        return convert.table(result.total_bands)
    k = model.catalogue.index(name, argument="thema")
    return convert.table(result.bands[:, k, :])


@udf(themas=_THEMAS, verbanden=_VERBANDEN, maatregelen=_MAATREGELEN, beginjaar=_BEGINJAAR, jaren=_JAREN,
     aantal=getal("Optioneel: aantal regels (de grootste eerst), standaard 10."))
def SD_GEVOELIGHEID(themas, verbanden, maatregelen, beginjaar, jaren, aantal=None):
    """Gevoeligheid (tornado): welke verbanden en maatregelen het totaaleffect over alle jaren het meest bewegen. Per regel: naam, verschil met de verwachte uitkomst bij laag en bij hoog (euro), grootste eerst.

    Lege regels als er minder invoer is dan regels.
    """
    model, measures, first, years = _scenario_inputs(themas, verbanden, maatregelen, beginjaar, jaren)
    count = convert.to_whole(aantal, "aantal", default=10, minimum=1, maximum=500)
    base, rows = tornado(model, measures, first_year=first, years=years)
    out = [[r.label, r.at_low - base, r.at_high - base] for r in rows[:count]]  # the largest
    return convert.table(convert.fixed_rows(out, count, 3))


@udf(effecten=bereik("Effecten per thema (rijen) per jaar (kolommen) in euro, bijvoorbeeld de uitkomst van "
                     "SD_SCENARIO."),
     themas=bereik("De namen van de thema's van die rijen: één kolom (of rij), even veel namen als "
                   "rijen effecten."),
     sleutel=bereik("Verdeelsleutel met kopregel: thema, wijk 1, wijk 2, ...; per rij een thema met "
                    "gewichten (bijvoorbeeld cliënten per wijk); rij * = standaard (bijvoorbeeld inwoners)."))
def SD_WIJKEN(effecten, themas, sleutel):
    """Effect per wijk (rijen) per jaar (kolommen) in euro: de effecten per thema verdeeld volgens de verdeelsleutel en opgeteld. De wijken tellen op tot het totaal.

    Een thema zonder eigen regel volgt de regel *.
    """
    effects = convert.to_matrix(effecten, "effecten")
    names = convert.cells_1d(themas, "themas")
    if len(names) != effects.shape[0]:
        raise InputError(f"er zijn {len(names)} namen, maar {effects.shape[0]} rijen effecten",
                         argument="themas")
    _, totals = district_totals(effects, names, convert.grid(sleutel))
    return convert.table(totals)
