"""``grip begroting``: the meerjarenraming under the cliff scenario.

Without ``--opslag`` the demo figures of Gemeente Voorbeeld; with it, the starting amounts of
the taakvelden the prognose covers come from the year-end forecast of that store (as the
Meerjarenraming sheet does in the demo), the rest from the demo table.
"""

from __future__ import annotations

from pathlib import Path

from calc.errors import InputError
from grip.commands import add_code_option, add_store_options, begrotingsjaar
from grip.jobs.begroting import forecast_lasten, lasten_summary, run_begroting, summary


def register(sub) -> None:
    p = sub.add_parser("begroting", help="reken de meerjarenraming door",
                       description="Rekent de meerjarenraming door onder het ravijnscenario: "
                                   "lasten, baten, maatregelen, de bandbreedte van het saldo en "
                                   "de kans op een sluitende begroting. Zonder --opslag met de "
                                   "cijfers van Gemeente Voorbeeld 2026-2029.")
    add_store_options(p, required=False, store_help="begin bij de jaareindeprognose uit deze "
                                                     "opslag van het berichtenverkeer")
    add_code_option(p)
    p.add_argument("--begrotingsjaar", type=begrotingsjaar, default=None, metavar="JJJJ",
                   help="eerste jaar van de raming (standaard: het jaar na de prognose, "
                        "zonder opslag 2026)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from calc.budget import demo
    from calc.budget.checks import validated
    from calc.budget.years import Horizon

    if args.peilmaand and args.opslag is None:
        raise InputError("--peilmaand hoort bij --opslag: geef ook de opslag op",
                         argument="peilmaand")
    if args.code and args.opslag is None:
        raise InputError("--gemeentecode hoort bij --opslag: geef ook de opslag op",
                         argument="gemeentecode")
    forecast, cover, lines, nothing = _forecast(args.opslag, args.peilmaand, demo, args.code) \
        if args.opslag is not None else (None, None, [], False)
    if nothing:                 # another municipality, and no forecast to go on
        print("\n".join(lines))
        return 0
    first = args.begrotingsjaar or (forecast.year + 1 if forecast is not None
                                    else demo.HORIZON.first_year)
    fields = {"first_year": first}
    if forecast is not None:
        # the forecast's year is the year of the starting amounts: the raming starts in it or
        # the year after (a begrotingsjaar of 2024 for a forecast of 2025 labelled the 2025
        # forecast, indexed, as 2024-2027)
        if first not in (forecast.year, forecast.year + 1):
            raise InputError(
                f"begrotingsjaar {first} past niet bij de prognose van {forecast.year} (peilmaand "
                f"{forecast.as_of:%m-%Y}): de raming begint bij de lasten van {forecast.year}; "
                f"kies {forecast.year + 1} (of {forecast.year}), of een peilmaand in het jaar "
                "voor het begrotingsjaar", argument="begrotingsjaar")
        fields["base_year"] = forecast.year
    horizon = validated(Horizon, fields, argument="begrotingsjaar")
    if forecast is not None and not demo.is_own(cover):
        print("\n".join(lines + lasten_summary(forecast_lasten(forecast, cover, horizon))))
        return 0
    result = run_begroting(forecast=forecast, coverage=cover, horizon=horizon)
    print("\n".join(lines + summary(result)))
    return 0


def _forecast(store_path, as_of, demo, code=None):
    """(forecast, coverage, Dutch lines, nothing to raam) of the store; no forecast when the
    store is too thin (``calc.budget.plausibility``): the demo's begroting then keeps its
    amounts, and says so; another municipality's thin store gets no raming at all (the demo's
    saldo is not its own)."""
    from berichten.store import open_store
    from calc import profile
    from calc.budget.plausibility import (coverage_lines, municipalities, store_problem,
                                          warning_lines)
    from calc.text import nl_number
    from grip.jobs.prognose import MIXED_NOTE, check_code, run_prognose

    with open_store(store_path) as store:
        n = store.con.execute("SELECT count(*) FROM claim_lines WHERE amount_cent > 0 AND "
                              "(municipality = ? OR ? IS NULL)", [code, code]).fetchall()[0][0]
        present = [r[0] for r in store.con.execute(
            "SELECT DISTINCT municipality FROM claim_lines ORDER BY 1").fetchall()]
    check_code(code, present, store=Path(store_path).name, where="--gemeentecode")
    problem = store_problem(n)
    if problem and ({code} if code else set(present)) - {profile.CODE}:
        # the demo's begroting would stand in for all of it: not another municipality's
        codes = code or ", ".join(present)
        return None, None, [f"Let op: {problem}.", "", f"Deze opslag is niet van {profile.NAME} "
                            f"(gemeentecode {codes}): zonder prognose kent Grip geen lasten van "
                            "uw gemeente, dus ook geen raming, saldo of kans op een sluitende "
                            "begroting. Lees meer declaraties in, of vul uw eigen begroting in "
                            "op het blad Meerjarenraming van het begrotingsmodel."], True
    if problem:
        return None, None, [f"Let op: {problem}.", ""], False
    prognose = run_prognose(store_path, as_of=as_of, municipality_code=code,
                            code_where="--gemeentecode")
    forecast, cover = prognose.forecast, prognose.coverage
    mixed = [note for note in prognose.notes if note.startswith(MIXED_NOTE)]
    head = (f"Beginbedragen uit de jaareindeprognose {forecast.year} (peilmaand "
            f"{forecast.as_of:%m-%Y}) voor de taakvelden die de prognose dekt en waar zij op "
            "genoeg gegevens staat; de rest uit de voorbeeldtabel.")
    if not demo.is_own(cover):
        codes = ", ".join(sorted(municipalities(cover))) or "onbekend"
        head = (f"Let op: deze opslag is niet van {profile.NAME} (gemeentecode {codes}). Van uw "
                f"gemeente kent Grip alleen de lasten uit de jaareindeprognose {forecast.year} "
                f"(peilmaand {forecast.as_of:%m-%Y}); de overige lasten, de baten en de "
                f"maatregelen van het voorbeeld zijn van een gemeente van ca. "
                f"{nl_number(profile.INHABITANTS, 0)} inwoners. Daarom geen saldo en geen kans "
                "op een sluitende begroting: vul uw eigen begroting in op het blad "
                "Meerjarenraming van het begrotingsmodel (grip werkmap bouw) en klik daar op "
                "'Begroting doorrekenen'.")
    return forecast, cover, [*mixed, *([""] if mixed else []), head, "", *coverage_lines(cover),
                             *warning_lines(demo.verdict(cover), existing=demo.is_own(cover)),
                             ""], False
