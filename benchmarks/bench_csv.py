"""CSV export import: Grip's importer against a bare ``duckdb.read_csv`` of the same file.

Input: one Dutch CSV export of claim lines (``;``, decimal comma, amounts = volume x tarief,
BSNs from the test range 999), generated here (generation is not measured). Measured side
by side in one run, each in its own fresh subprocess and fresh DuckDB file:

- **grip**: ``berichten.importer.import_paths`` of the file into a new store: reading,
  every column-wise check, decimal-mark decision, pseudonymisation, quarantine, insert;
- **duckdb**: ``duckdb.read_csv(file, sep=";")`` (its own type sniffing) written into a
  table of a new DuckDB file: reading the same bytes into the same kind of storage, with
  no checks at all.

The ratio grip / duckdb is printed; target: at most 2 for one million lines.

Usage: ``python benchmarks/bench_csv.py [--regels 1000000] [--herhaal 1]``.
Figures are wall-clock on a possibly shared machine: the ratio is the stable part. The CPU
seconds of the measured part (user + system, every thread of the process) are printed too:
they swing much less with the load of other processes than the wall clock.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

_CHILD = textwrap.dedent("""
    import json, sys, time
    job, args = sys.argv[1], json.loads(sys.argv[2])
    import duckdb
    from berichten.importer import import_paths  # imports are not measured, for both
    t, cpu = time.perf_counter(), time.process_time()
    out = {}
    if job == "grip":
        r = import_paths(args["store"], [args["csv"]])
        out.update(read=r.read, accepted=r.accepted, quarantined=r.quarantined)
    else:
        con = duckdb.connect(args["store"])
        rel = duckdb.read_csv(args["csv"], sep=";", connection=con)
        rel.create("claims")
        out["rows"] = con.execute("SELECT count(*) FROM claims").fetchall()[0][0]
        con.close()
    out["seconds"] = time.perf_counter() - t
    # CPU seconds of the process, every thread (on a shared machine the wall clock of both
    # sides swings with the load of others, the work done much less)
    out["cpu"] = time.process_time() - cpu
    print(json.dumps(out))
""")

HEAD = ("Gemeente;AGB-code;BSN;Declaratienummer;Referentienummer;Toewijzingnummer;"
        "Productcategorie;Productcode;Productperiode;Declaratieperiode;Geleverd volume;Eenheid;"
        "Tarief;Bedrag;Debet/credit")


def _test_bsns(n: int) -> np.ndarray:
    """The first ``n`` numbers of the 999 range that pass the 11-test."""
    cand = np.arange(999_000_000, 999_000_000 + 12 * n, dtype=np.int64)
    digits = np.stack([(cand // 10 ** (8 - i)) % 10 for i in range(9)], axis=1)
    weights = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])
    return cand[(digits @ weights) % 11 == 0][:n]


def write_csv(path: Path, lines: int, seed: int = 13) -> None:
    """A claims export of ``lines`` lines; every line is valid and volume x tarief = bedrag."""
    rng = np.random.default_rng(seed)
    bsn = _test_bsns(20_000)[rng.integers(0, 20_000, lines)]
    cats = np.array(["43", "44", "45", "54"])
    cat = cats[rng.integers(0, 4, lines)]
    code = np.char.add(cat, np.array(["A03", "A05", "A08"])[rng.integers(0, 3, lines)])
    month = rng.integers(0, 24, lines)
    service = np.array([f"{2025 + m // 12}-{m % 12 + 1:02d}" for m in range(24)])[month]
    claim = np.array([f"01-{(m + 1) % 12 + 1:02d}-{2025 + (m + 1) // 12}"
                      for m in range(24)])[month]
    volume = rng.integers(1, 40, lines)
    tariff = rng.choice(np.array([1250, 7750, 8550, 12000, 18500, 24075]), lines)
    amount = volume * tariff

    def euro(cents):  # Dutch text (1.234,56) per distinct amount, then spread out
        uniq, inverse = np.unique(cents, return_inverse=True)
        text = [f"{c / 100:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
                for c in uniq.tolist()]
        return np.array(text, dtype=object)[inverse]

    number = np.arange(lines)
    cols = [np.full(lines, "0384"), np.full(lines, "65656055"), bsn.astype(str),
            np.char.add("F", (number // 50).astype(str)), np.char.add("R", number.astype(str)),
            (3_000_000 + number // 12).astype(str), cat, code, service, claim,
            volume.astype(str), np.full(lines, "04"), euro(tariff), euro(amount),
            np.full(lines, "D")]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEAD + "\n")
        step = 200_000
        for start in range(0, lines, step):
            block = [c[start:start + step] for c in cols]
            f.write("\n".join(";".join(map(str, row)) for row in zip(*block)) + "\n")


def _run(job: str, args: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, job, json.dumps(args)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regels", type=int, default=1_000_000)
    parser.add_argument("--herhaal", type=int, default=1, help="best of N runs of each")
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        csv = Path(d) / "declaraties.csv"
        write_csv(csv, a.regels)
        size = csv.stat().st_size / 1e6
        best = {"grip": None, "duckdb": None}
        for i in range(a.herhaal):
            for job in ("duckdb", "grip"):  # alternate, so shared load hits both alike
                store = Path(d) / f"{job}{i}.duckdb"
                res = _run(job, {"csv": str(csv), "store": str(store)})
                if best[job] is None or res["seconds"] < best[job]["seconds"]:
                    best[job] = res
        g, b = best["grip"], best["duckdb"]
        assert g["read"] == a.regels and g["accepted"] == a.regels, g
        assert b["rows"] == a.regels, b
        print(f"CSV-export: {a.regels} declaratieregels, {size:.0f} MB")
        print(f"  duckdb.read_csv -> tabel: {b['seconds']:.2f} s")
        print(f"  grip import_paths:        {g['seconds']:.2f} s "
              f"({g['accepted']} opgenomen, {g['quarantined']} quarantaine)")
        print(f"  verhouding grip / duckdb: {g['seconds'] / b['seconds']:.2f} (doel <= 2)")
        print(f"  CPU-seconden (processen, alle threads): duckdb {b['cpu']:.2f}, grip "
              f"{g['cpu']:.2f}, verhouding {g['cpu'] / b['cpu']:.2f}")


if __name__ == "__main__":
    main()
