"""Import of the berichtenverkeer: Grip's importer against a bare lxml parse of the same files.

Input: the synthetic municipality (``berichten.synth.generate``), by default at the scale that
gives about one million claim lines. Measured side by side in one run, each step in its own
subprocess so its peak memory (``ru_maxrss``) is its own:

1. **XML claims**: ``import_paths`` of every 323 file (reading, checks, pseudonymisation,
   quarantine, DuckDB insert) against a bare streaming lxml parse (``iterparse`` +
   ``clear``) of the same files. Target: 1 million lines in < 60 s, < 2 GB peak.
2. **Re-import** of the same files into the same store (all skipped). Target < 5 s.
3. **CSV path**: the same claim lines as one Dutch CSV export (``;``, decimal comma),
   ``import_paths`` against ``pandas.read_csv`` of that file.

Usage: ``python benchmarks/bench_import.py [--schaal 8.5] [--map DIR] [--geen-validatie]``.
``--map`` keeps the generated messages between runs (generation itself is not measured).
Figures are wall-clock on a possibly shared machine: the ratios are the stable part.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

#: Scale of the synthetic municipality that gives about one million claim lines (3 years).
FULL_SCALE = 8.5

_CHILD = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    job, args = sys.argv[1], json.loads(sys.argv[2])
    t = time.perf_counter()
    out = {}
    if job == "bare":
        from lxml import etree
        n = 0
        for f in Path(args["list"]).read_text().splitlines():
            for _, el in etree.iterparse(f, events=("end",)):
                n += 1
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del el.getparent()[0]
        out["elements"] = n
    elif job == "import":
        from berichten.importer import import_paths
        files = Path(args["list"]).read_text().splitlines()
        r = import_paths(args["store"], files, validate=args["validate"])
        out.update(read=r.read, accepted=r.accepted, quarantined=r.quarantined,
                   skipped=r.count("al ingelezen"))
    elif job == "read_csv":
        import pandas as pd
        frame = pd.read_csv(args["csv"], sep=";", decimal=",", thousands=".", dtype={
            "BSN": str, "Gemeente": str, "AGB-code": str, "Productcategorie": str})
        out["rows"] = len(frame)
    out["seconds"] = time.perf_counter() - t
    out["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                      + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(json.dumps(out))
""")


def child(job: str, **args) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, job, json.dumps(args)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def write_csv(store: Path, csv_path: Path) -> int:
    """The claim lines of the store as a Dutch CSV export (BSNs from the reserved test range)."""
    from berichten.store import open_store

    with open_store(store) as s:
        lines = s.claim_lines()
    bsns = [b for b in (f"99999{i:04d}" for i in range(10000)) if _elfproef(b)][:2000]
    frame = lines.rename(columns={
        "municipality": "Gemeente", "provider": "AGB-code", "claim_number": "Declaratienummer",
        "reference_number": "Referentienummer", "previous_reference": "Vorig referentienummer",
        "allocation_number": "Toewijzingnummer",
        "product_category": "Productcategorie", "product_code": "Productcode",
        "volume": "Geleverd volume", "unit": "Eenheid", "tariff_euro": "Tarief",
        "amount_euro": "Bedrag", "debit_credit": "Debet/credit"})
    frame["Wet"] = lines["law"]
    frame["BSN"] = [bsns[i % len(bsns)] for i in range(len(frame))]
    frame["Productperiode"] = lines["service_month"].dt.strftime("%Y-%m-%d")
    frame["Declaratieperiode"] = lines["claim_month"].dt.strftime("%Y-%m-%d")
    frame["Geleverd volume"] = frame["Geleverd volume"].abs()
    frame["Bedrag"] = frame["Bedrag"].abs()
    columns = ["Wet", "Gemeente", "AGB-code", "BSN", "Declaratienummer", "Referentienummer",
               "Vorig referentienummer", "Toewijzingnummer", "Productcategorie", "Productcode", "Productperiode",
               "Declaratieperiode", "Geleverd volume", "Eenheid", "Tarief", "Bedrag",
               "Debet/credit"]
    frame[columns].to_csv(csv_path, sep=";", decimal=",", index=False, encoding="utf-8")
    return len(frame)


def _elfproef(bsn: str) -> bool:
    return sum(int(d) * w for d, w in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1))) % 11 == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schaal", type=float, default=FULL_SCALE)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--map", type=Path, help="map voor de gegenereerde berichten (blijft)")
    parser.add_argument("--geen-validatie", action="store_true")
    parser.add_argument("--alleen-declaraties", action="store_true",
                        help="sla de meting over alle berichten (alle bestanden) over")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = args.map or tmp / "berichten"
        if not (data / "samenvatting.json").exists():
            from berichten.synth import generate

            t = time.perf_counter()
            generate(data, seed=args.seed, scale=args.schaal, retours=False)
            print(f"gegenereerd (schaal {args.schaal}) in {time.perf_counter() - t:.0f} s",
                  flush=True)
        claims = sorted(str(p) for p in data.rglob("*.xml") if "323" in p.parent.name)
        everything = sorted(str(p) for p in data.rglob("*.xml"))
        (tmp / "claims.txt").write_text("\n".join(claims))
        (tmp / "all.txt").write_text("\n".join(everything))
        validate = not args.geen_validatie
        mb = sum(Path(p).stat().st_size for p in claims) / 1e6
        w = 60
        print(f"\n{'meting':<{w}}{'Grip s':>9}{'peer s':>9}{'ratio':>7}{'piek MB':>9}",
              flush=True)

        def line(label, a, b=None):
            peer = f"{b['seconds']:>9.1f}{a['seconds'] / b['seconds']:>7.1f}" if b else " " * 16
            print(f"{label:<{w}}{a['seconds']:>9.1f}{peer}{a['peak_mb']:>9.0f}", flush=True)

        bare = child("bare", list=str(tmp / "claims.txt"))
        ours = child("import", list=str(tmp / "claims.txt"), store=str(tmp / "c.duckdb"),
                     validate=validate)
        lines = ours["accepted"]
        line(f"XML-declaraties: {lines:,} regels, {len(claims):,} bestanden, {mb:,.0f} MB "
             "vs kale lxml", ours, bare)
        again = child("import", list=str(tmp / "claims.txt"), store=str(tmp / "c.duckdb"),
                      validate=validate)
        line(f"opnieuw inlezen (alles overgeslagen: {again['skipped']:,})", again)
        rows = write_csv(tmp / "c.duckdb", tmp / "declaraties.csv")
        (tmp / "csv.txt").write_text(str(tmp / "declaraties.csv"))
        pandas_csv = child("read_csv", csv=str(tmp / "declaraties.csv"))
        ours_csv = child("import", list=str(tmp / "csv.txt"), store=str(tmp / "csv.duckdb"),
                         validate=validate)
        line(f"CSV-declaraties: {rows:,} regels vs pandas.read_csv", ours_csv, pandas_csv)
        if not args.alleen_declaraties:
            bare_all = child("bare", list=str(tmp / "all.txt"))
            ours_all = child("import", list=str(tmp / "all.txt"), store=str(tmp / "a.duckdb"),
                             validate=validate)
            line(f"alle berichten: {ours_all['read']:,} records, {len(everything):,} bestanden "
                 "vs kale lxml", ours_all, bare_all)

    per_million = ours["seconds"] / max(lines, 1) * 1e6
    ok = {True: "gehaald", False: "NIET gehaald"}
    print(f"\nper miljoen declaratieregels: {per_million:.0f} s (doel < 60 s: "
          f"{ok[per_million < 60]}); piekgeheugen {ours['peak_mb']:.0f} MB (doel < 2048 MB: "
          f"{ok[ours['peak_mb'] < 2048]}); opnieuw inlezen {again['seconds']:.1f} s "
          f"(doel < 5 s: {ok[again['seconds'] < 5]})")
    print(f"kloppend: gelezen {ours['read']} = opgenomen {ours['accepted']} + quarantaine "
          f"{ours['quarantined']}; CSV {ours_csv['accepted']} van {rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
