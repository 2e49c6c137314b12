"""The synthetic municipality: years of iJw and iWmo 3.2 messages for "Gemeente Voorbeeld".

``generate(out_dir, seed=..., scale=...)`` writes folders of XML messages as a municipality's
systems would hold them, plus ``samenvatting.json`` with the counts and the ground truth, so the
importer, the forecast and the gripniveau KPIs can be tested on data whose answer is known.

What is in it
-------------
- **Gemeente Voorbeeld**, CBS code ``9999`` (fictional: real CBS municipality codes stay below
  2000), about 60,000 inhabitants at ``scale=1``: about 1,500 youth clients and 2,500 Wmo
  clients with care in a year, 36 providers (:mod:`berichten.synth_catalog`).
- Clients in care on 1 January of the first year (the stock, with allocations that started
  earlier) and a monthly inflow with a seasonal pattern and a yearly growth; durations drawn
  per product (lognormal); allocations of 6, 12 or 24 months, extended by a new allocation while
  care goes on, open-ended for part of the household help.
- Messages: 315 (youth only: the provider's request, with the referrer, when the referrer is
  not the municipality) → 301 (a **full snapshot** of the client's valid allocations at that
  provider, sent on every change) → 305 start → 317 change request (new volume: the old
  allocation is shortened, 307 with reason 37, a new allocation and 305) → 307 stop (the
  municipality then shortens the allocation in a new 301) → monthly 323 claims per provider
  → 325 answers. Every 301, 305, 307, 315 and 317 gets its retour (302, 306, 308, 316, 318)
  with retourcode ``0200``. 319/320 are not generated (every request is granted).
- Claims: each month of care is one claim line (ProductPeriode within the service month).
  Delivered volume = allocated volume x the allocation's utilisation (below 100 %) x monthly
  noise, never above the allocated volume of the month. The provider's habit decides in which
  claim month (DeclaratiePeriode) a line is claimed (see :data:`berichten.synth_catalog.HABITS`):
  punctual, a month late, structurally 3-6 months late, or many corrections. A wrong first claim
  is later **credited** (DebetCredit ``C``, a new ReferentieNummer, VorigReferentieNummer = the
  ReferentieNummer of the debit it cancels, same period, volume and amount) and **rebilled**
  (a new debit with the right volume, VorigReferentieNummer = the cancelled debit). Rejected
  lines (325, per line with a retourcode; codes from the basisschema enumeration, their meaning
  is not modelled) are resubmitted as a new debit the next month in 60 % of cases.
- **Peildatum**: 15 January after the last year. Messages dated later are not written; claims
  still to come for service months before it are the ground truth of the late claims (IBNR).
- Amounts in eurocent, volumes integers; BSNs synthetic from the reserved ``999`` range, each
  passing the 11-test; names are the placeholder "Voorbeeld" with one initial, no addresses.

iJw files validate against the iJw 3.2 schemas in ``berichten/xsd``. iWmo has no schema in the
project: iWmo files use the same element structure with prefix ``wmoNNN``, namespace
``http://www.istandaarden.nl/iwmo/3_2/wmoNNN/schema``, basisschema prefix ``iwmo``, the iWmo
message codes and iWmo product categories; they are **not** XSD-validated. The iWmo has no
315 with a referrer here (in the Wmo the municipality's own toegang decides).

Choices that are ours, not the standard's: RedenWijziging ``01`` on a shortened allocation and
RedenVerzoek ``1`` on a 317 are placeholders from the enumerations; tariffs, product codes and
habits are invented (see :mod:`berichten.synth_catalog`).

Layout: ``<out>/<jeugd|wmo>/<YYYY-MM of the Dagtekening>/<301|302|...>/<JW|WMO><code>_<id>.xml``.

Tables without files: ``synthetic_tables(seed=..., scale=...)`` runs the same simulation and
returns the record tables (``calc.records`` columns) that an import of those messages gives,
made in memory: every message becomes the store rows its import would give (BSN replaced by its
pseudonym at once), loaded into an in-memory ``Store`` whose own queries make the tables. The
one simulation (``simulation.Simulation``) hands every message to a sink: ``xml_writer.XmlSink``
writes the file, ``row_writer.RowSink`` keeps the rows; ``summary.SynthSummary`` holds the counts
and the truth; ``common`` the names and message codes, taken from the importer's code lists
(:mod:`berichten.codes`, whose ``is_valid_bsn`` is the one 11-test); ``habits`` the habits a
forecast has to live with (claim calendars, indexation, a stopping provider, waiting lists, a
policy cut), off by default. This is the one synthetic municipality of the project: the demo
views, the tests and the benchmarks take their tables from here.
"""


import gc
import hashlib
import json
import math
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from berichten.codes import is_valid_bsn
from berichten.synth.habits import Habits, draw_habits
from berichten.synth.common import (LAW_FOLDER, MESSAGE_CODES, MUNICIPALITY_CODE,
                                    MUNICIPALITY_NAME, RETOUR_OF)
from berichten.synth.row_writer import RowSink
from berichten.synth.simulation import (_LAW, _REFERRERS, MILLION_SCALE, Simulation,
                                        synthetic_bsns)
from berichten.synth.summary import SynthSummary
from berichten.synth.xml_writer import XmlSink
from calc.errors import InputError

__all__ = ["Habits", "draw_habits", "MESSAGE_CODES", "MILLION_SCALE", "MUNICIPALITY_CODE",
           "MUNICIPALITY_NAME",
           "RETOUR_OF", "TABLE_NAMES", "SynthSummary", "SynthTables", "_LAW", "_REFERRERS",
           "demo_key", "generate", "is_valid_bsn", "synthetic_bsns", "synthetic_tables"]


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while simulating: the simulation makes millions of small
    objects and no reference cycles to speak of, and each full collection would walk them all
    (about a fifth of the time at scale 2)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_arguments(scale, first_year, years, only=None) -> None:
    """Refuse impossible arguments, every problem at once (Dutch)."""
    problems = []
    if not isinstance(scale, (int, float)) or not math.isfinite(scale) or scale <= 0:
        problems.append(f"schaal moet een positief getal zijn, ontvangen: {scale!r}")
    if not isinstance(years, int) or not 1 <= years <= 20:
        problems.append(f"jaren moet een geheel getal van 1 tot en met 20 zijn, ontvangen: {years!r}")
    if not isinstance(first_year, int) or not 2015 <= first_year <= 2100:
        problems.append(f"eerste jaar moet tussen 2015 en 2100 liggen, ontvangen: {first_year!r}")
    known = set(MESSAGE_CODES["jw"])
    if only is not None and (isinstance(only, str) or not set(only) <= known):
        problems.append(f"alleen kent de berichten {', '.join(sorted(known))}, ontvangen: {only!r}")
    if problems:
        raise InputError("; ".join(problems), argument="synthetisch")


def generate(out_dir: Path, *, seed: int = 2026, scale: float = 1.0, first_year: int = 2023,
             years: int = 3, retours: bool = True,
             only: Collection[str] | None = None, habits: Habits | None = None) -> SynthSummary:
    """Write the messages of Gemeente Voorbeeld into ``out_dir`` and return the summary.

    Deterministic: the same arguments give byte-identical files. ``scale`` multiplies the
    number of clients (1.0: a municipality of about 60,000 inhabitants). Refuses a folder that
    already holds generated messages, so two runs never mix. ``retours=False`` leaves out the
    header-only retour messages (302, 306, 308, 316, 318), which carry no data beyond "0200
    approved" but double the number of files. ``only`` writes only the named messages (e.g.
    ``("323",)`` for a claims-only benchmark set); the simulation, the identifiers and the ground
    truth stay exactly the same, the file counts cover what was written. ``habits``
    (:class:`berichten.synth.habits.Habits`, e.g. ``draw_habits(seed)``) adds claim
    calendars, indexation, a stopping provider, waiting lists and a policy cut; default none.
    """
    _check_arguments(scale, first_year, years, only)
    out = Path(out_dir)
    for folder in LAW_FOLDER.values():
        if (out / folder).exists():
            raise InputError(f"de map {out} bevat al berichten ({folder}/); kies een lege map",
                             argument="uit")
    out.mkdir(parents=True, exist_ok=True)
    gen = Simulation(XmlSink(out), seed, float(scale), first_year, years, retours,
                     None if only is None else frozenset(only), habits)
    with _gc_paused():
        gen.simulate()
        gen.claims()
        summary = gen.finish()
    (out / "samenvatting.json").write_text(
        json.dumps(summary.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


#: The record tables ``synthetic_tables`` returns, as ``berichten.store.Store`` names them.
TABLE_NAMES = ("claim_lines", "allocations", "starts_stops", "requests", "claim_answers",
               "rejected_lines")


@dataclass(frozen=True)
class SynthTables:
    """Gemeente Voorbeeld as record tables: ``tables`` (name -> DataFrame with the columns of
    ``calc.records``) and the ``summary`` (ground truth) of the same simulation."""

    tables: dict
    summary: SynthSummary


def demo_key(seed: int) -> bytes:
    """The pseudonymisation key ``synthetic_tables`` uses by default: derived from the seed, so
    the tables are deterministic (every BSN is synthetic; nothing real to protect)."""
    return hashlib.sha256(f"grip-synthetisch-{MUNICIPALITY_CODE}-{seed}".encode()).digest()


def synthetic_tables(*, seed: int = 2026, scale: float = 1.0, first_year: int = 2023,
                     years: int = 3, keyring=None, habits: Habits | None = None) -> SynthTables:
    """The record tables an import of ``generate(...)``'s messages gives, made in memory.

    The same simulation as :func:`generate` with the same arguments (``retours=True``, so the
    summary is the same too), but every message goes straight to the rows its import would give
    (``berichten.rows`` layout, BSN replaced by its pseudonym) instead of to an XML file. The
    rows are loaded into an in-memory :class:`berichten.store.Store`, whose own queries (euro,
    ``datetime64[ns]``, the validity history of the 301 snapshots) give the tables: the same
    frames, in the same order, as ``Store`` gives after ``import_paths`` of the written files
    (``tests/berichten/test_synth_tables.py``). No BSN leaves the generator.

    ``keyring`` (a :class:`berichten.pseudonym.Keyring`): default one key from
    :func:`demo_key`; pass a store's keyring to get that store's pseudonyms. ``habits`` as
    for :func:`generate`.

    >>> t = synthetic_tables(seed=5, scale=0.002, years=1)
    >>> list(t.tables) == list(TABLE_NAMES)
    True
    >>> len(t.tables["claim_lines"]) == t.summary.claim_lines
    True
    """
    _check_arguments(scale, first_year, years)
    from berichten.pseudonym import Keyring
    from berichten.store import Store

    if keyring is None:
        keyring = Keyring({MUNICIPALITY_CODE: demo_key(seed)})
    with Store(":memory:") as store:
        sink = RowSink(keyring, store.con)
        gen = Simulation(sink, seed, float(scale), first_year, years, True, None, habits)
        with _gc_paused():
            gen.simulate()
            gen.claims()
            summary = gen.finish()
            sink.flush()
            tables = {name: getattr(store, name)() for name in TABLE_NAMES}
    return SynthTables(tables, summary)
