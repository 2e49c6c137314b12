"""``grip berichten``: read iJw/iWmo messages and exports into the store, and summarise it."""

from __future__ import annotations

import json
from pathlib import Path

from grip.jobs.berichten import inlezen, overview_lines, overzicht


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
