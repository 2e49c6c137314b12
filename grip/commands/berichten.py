"""``grip berichten``: read iJw/iWmo messages and exports into the store, and summarise it."""

from __future__ import annotations

import json
from pathlib import Path

from grip.jobs.berichten import (inlezen, overview_lines, overzicht, quarantaine,
                                 quarantine_json, quarantine_lines)
from grip.jobs.synth import run_synth, summary_lines


def register(sub) -> None:
    p = sub.add_parser("berichten", help="lees berichtenverkeer in en bekijk de opslag",
                       description="Leest iJw/iWmo-3.2-berichten (XML) en exports (CSV, xlsx) "
                                   "in een opslag (DuckDB-bestand); het BSN wordt "
                                   "gepseudonimiseerd.")
    actions = p.add_subparsers(dest="actie", required=True, metavar="ACTIE")

    lees = actions.add_parser("inlezen", help="lees bestanden of mappen in",
                              description="Leest berichten en exports in. Een bestand dat al "
                                          "eerder is ingelezen, wordt overgeslagen; wat niet "
                                          "kan worden opgenomen, gaat met reden naar de "
                                          "quarantaine.")
    lees.add_argument("paden", type=Path, nargs="+", metavar="BESTAND_OF_MAP",
                      help="XML-berichten, CSV- of xlsx-exports, of mappen daarmee")
    lees.add_argument("--opslag", type=Path, required=True, metavar="PAD",
                      help="het opslagbestand (wordt aangemaakt als het er nog niet is)")
    lees.add_argument("--sleutel", type=Path, metavar="PAD",
                      help="sleutelbestand voor de pseudoniemen (standaard: PAD.sleutel naast "
                           "de opslag)")
    lees.add_argument("--kolommen", type=Path, metavar="TOML",
                      help="eigen kolomindeling voor CSV/xlsx-exports")
    lees.add_argument("--geen-validatie", action="store_true",
                      help="controleer iJw-berichten niet tegen het XSD-schema")
    lees.add_argument("--stil", action="store_true", help="geen voortgangsbalk")
    lees.set_defaults(handler=run_import)

    over = actions.add_parser("overzicht", help="toon wat er in de opslag staat")
    over.add_argument("--opslag", type=Path, required=True, metavar="PAD", help="het opslagbestand")
    over.add_argument("--json", action="store_true", help="uitvoer als JSON")
    over.set_defaults(handler=run_overview)

    quar = actions.add_parser("quarantaine", help="toon wat niet is opgenomen, met reden",
                              description="Toont de records in quarantaine met bestand, regel "
                                          "en reden, gegroepeerd per reden met aantal en "
                                          "bedrag.")
    quar.add_argument("--opslag", type=Path, required=True, metavar="PAD",
                      help="het opslagbestand")
    quar.add_argument("--bestand", metavar="NAAM",
                      help="alleen dit bestand (het pad of alleen de naam, bijv. export.csv)")
    quar.add_argument("--json", action="store_true",
                      help="uitvoer als JSON: een lijst met bestand, regel, bericht, reden, "
                           "bedrag_euro")
    quar.set_defaults(handler=run_quarantine)

    synth = actions.add_parser("synthetisch", help="schrijf de berichten van Gemeente Voorbeeld",
                               description="Schrijft drie jaar iJw- en iWmo-berichten van de "
                                           "fictieve Gemeente Voorbeeld (BSN's uit de "
                                           "testreeks 999), om Grip mee te proberen.")
    synth.add_argument("--uit", type=Path, required=True, metavar="MAP",
                       help="lege map waarin de berichten komen")
    synth.add_argument("--seed", type=int, default=2026, metavar="N",
                       help="startgetal van het toeval (zelfde getal: zelfde bestanden)")
    synth.add_argument("--schaal", type=float, default=1.0, metavar="X",
                       help="1 = ongeveer 60.000 inwoners; 9 = ongeveer een miljoen "
                            "declaratieregels")
    synth.add_argument("--zonder-retour", action="store_true",
                       help="geen retourberichten schrijven")
    synth.add_argument("--gewoonten", action="store_true",
                       help="met gewoonten per seed: declareren per kwartaal of in december, "
                            "indexatie van 6-8%%, een aanbieder die stopt, wachtlijsten en een "
                            "bezuiniging op nieuwe cliënten (staan in samenvatting.json)")
    synth.set_defaults(handler=run_synthetic)


def run_import(args) -> int:
    report = inlezen(args.opslag, args.paden, key_path=args.sleutel, progress=not args.stil,
                     validate=not args.geen_validatie, mapping_path=args.kolommen)
    print("\n".join(report.lines()))
    return 0


def run_overview(args) -> int:
    figures = overzicht(args.opslag)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print("\n".join(overview_lines(figures)))
    return 0


def run_quarantine(args) -> int:
    records, groups = quarantaine(args.opslag, args.bestand)
    if args.json:
        print(json.dumps(quarantine_json(records), ensure_ascii=False, indent=2))
    else:
        print("\n".join(quarantine_lines(records, groups)))
    return 0


def run_synthetic(args) -> int:
    summary = run_synth(args.uit, args.seed, args.schaal, retours=not args.zonder_retour,
                        habits=args.gewoonten)
    print("\n".join(summary_lines(summary)))
    return 0
