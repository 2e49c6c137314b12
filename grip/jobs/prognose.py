"""``grip prognose`` and the ribbon button "Prognose bijwerken": the year-end forecast from the
store of the berichtenverkeer.

``run_prognose`` reads the record tables through ``berichten.store.Store``, runs
``calc.prognose.report.compute_prognose`` and keeps a snapshot of every run in a CSV file next
to the store (``<store>.prognoses.csv``), so later runs can report how far earlier forecasts
were from what came in (backtesting). ``run_button`` is the ribbon contract
(``grip.jobs``): it reads the store path from ``grip_opslag`` and the announced change of the
inflow from ``grip_instroom_vanaf`` / ``grip_instroom_wijziging`` (``inflow_change``, the same
rules as ``grip prognose --instroom-wijziging``), and returns the output tables, the status
and notes (``grip_uit_prognose_kop``) among them. A workbook saved before that range existed
gets the other tables and the notes in the button's message (``OPTIONAL_NAMES``,
``skipped_text``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from berichten import store as berichten_store
from berichten.flat import KINDS
from calc.budget.plausibility import coverage
from calc.cells import is_empty, parse_fraction, parse_month
from calc.errors import InputError
from calc.text import nl_euro, restore_text, safe_frame
from calc.prognose.backtest import SNAPSHOT_COLUMNS
from calc.prognose.yearend import REJECTED_KEY
from calc.prognose.report import PrognoseResult, compute_prognose
from grip import jobs
from workbooks import layout
from workbooks.tables.prognose import (INDENT, LOOK_BACK_ROWS, head_rows, look_back_rows,
                                       monthly_rows, provider_rows, referrer_rows,
                                       trajectory_rows, trust_text, yearend_rows)

INPUT_NAMES = (layout.NAME_STORE_PATH, layout.NAME_PROVIDER_REGISTER, layout.NAME_INFLOW_FROM,
               layout.NAME_INFLOW_CHANGE, layout.NAME_MUNICIPALITY_CODE)
OUTPUT_NAMES = (layout.NAME_OUT_PROGNOSE, layout.NAME_OUT_PROVIDERS, layout.NAME_PROG_MONTHLY,
                layout.NAME_OUT_TERUGBLIK, layout.NAME_OUT_PROGNOSE_HEAD,
                layout.NAME_OUT_REFERRERS, layout.NAME_OUT_TRAJECTORIES)
#: Names a workbook of an older template does not have yet (1.1: the inflow inputs and the
#: notes; 1.3: the gemeentecode; 1.5: the referrer and trajectory tables): the button works
#: without them (no announced change; the notes go into its message) and says
#: 'grip werkmap bijwerken'.
OPTIONAL_NAMES = (layout.NAME_INFLOW_FROM, layout.NAME_INFLOW_CHANGE,
                  layout.NAME_OUT_PROGNOSE_HEAD, layout.NAME_MUNICIPALITY_CODE,
                  layout.NAME_OUT_REFERRERS, layout.NAME_OUT_TRAJECTORIES)
#: How the note on a store of several municipalities begins.
MIXED_NOTE = "Let op: de declaraties in de opslag komen van"
#: Where the controller types the gemeentecode the forecast is for.
CODE_CELL = f"{layout.PARAMETERS}!B{layout.PAR_CODE_ROW}"
#: How the calc's note on a used announced change begins (``calc.prognose.yearend._inflow``).
INFLOW_NOTE = "Aangekondigde verandering van de instroom"
#: Where the controller types the announced change (named in every message about it).
INFLOW_CELLS = (f"{layout.PROGNOSE}!B{layout.PROG_INFLOW_ROW}",
                f"{layout.PROGNOSE}!D{layout.PROG_INFLOW_ROW}")

#: Store methods read, by record table name.
TABLES = ("claim_lines", "allocations", "starts_stops", "requests", "claim_answers",
          "rejected_lines")


snapshot_path = berichten_store.snapshot_path


def read_snapshots(path: Path) -> pd.DataFrame:
    """Earlier snapshots (empty when there are none yet)."""
    if not path.exists():
        return pd.DataFrame(columns=list(SNAPSHOT_COLUMNS))
    frame = pd.read_csv(path, sep=";", dtype={"key": str}, parse_dates=["as_of"])
    for column in frame.columns[frame.dtypes.map(lambda d: d.kind not in "biufcmM")]:
        frame[column] = frame[column].map(restore_text)
    missing = [c for c in SNAPSHOT_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"het bestand met eerdere prognoses mist kolommen: {', '.join(missing)}",
                         argument=str(path))
    return frame


def save_snapshot(path: Path, snapshots: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Add this run's snapshot (replacing an earlier run for the same evaluation month)."""
    keep = snapshots
    if len(snapshots):
        same = snapshots["as_of"].isin(new["as_of"]) & snapshots["year"].isin(new["year"])
        keep = snapshots[~same]
    parts = [frame for frame in (keep, new) if len(frame)]
    out = pd.concat(parts, ignore_index=True) if parts else new
    # written whole beside the file, then renamed: a full disk or a kill leaves the earlier
    # snapshots as they were, never a cut-off file
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        safe_frame(out).to_csv(tmp, sep=";", index=False)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def inflow_month(value: Any, where: str) -> pd.Timestamp:
    """The month an announced change starts, read by ``calc.cells.parse_month`` (a date cell,
    2025-07, 07-2025, jul 2025, 1-7-2025 ...); anything else a Dutch ``InputError`` naming
    ``where``.

    >>> inflow_month("2025-07", "x"), inflow_month("juli 2025", "x")
    (Timestamp('2025-07-01 00:00:00'), Timestamp('2025-07-01 00:00:00'))
    >>> inflow_month(dt.datetime(2025, 7, 15), "x")
    Timestamp('2025-07-01 00:00:00')
    """
    month, reason = parse_month(value)
    if reason is not None:
        raise InputError(f"{where}: {reason}", argument=where)
    return pd.Timestamp(month)


def inflow_fraction(value: Any, where: str) -> float:
    """The announced change as a fraction: a number from -1 to 1 (Excel's -20% is -0.2) or text
    with a percent sign (``-20%``, ``-12,5 %``); anything else a Dutch ``InputError``.

    >>> inflow_fraction(-0.2, "x"), inflow_fraction("-20%", "x"), inflow_fraction("+12,5 %", "x")
    (-0.2, -0.2, 0.125)
    """
    fraction, reason = parse_fraction(value)
    if reason is not None:
        raise InputError(f"{where}: {reason}; typ een percentage, bijvoorbeeld -20%",
                         argument=where)
    if not -1 <= fraction <= 1:
        shown = str(value).strip() if isinstance(value, str) else \
            f"{fraction * 100:g}%".replace(".", ",")
        raise InputError(f"{where}: {shown} ligt niet tussen -100% en 100% (een korting van een "
                         "vijfde is -20%)", argument=where)
    return fraction


def inflow_change(month: Any, change: Any, *,
                  where: tuple[str, str] = INFLOW_CELLS) -> tuple[pd.Timestamp, float] | None:
    """The announced change of the inflow of new clients as ``year_end_forecast`` takes it:
    ``(first month, fraction)``, or ``None`` when both are empty. One of the two alone is an
    error, as is a month or a percentage that cannot be read (``where`` names the places).

    >>> inflow_change("2025-07", -0.2)
    (Timestamp('2025-07-01 00:00:00'), -0.2)
    >>> inflow_change(None, "") is None
    True
    """
    if is_empty(month) and is_empty(change):
        return None
    if is_empty(change):
        raise InputError(f"{where[1]}: vul ook de verandering in (bijvoorbeeld -20%), of maak "
                         f"{where[0]} leeg", argument=where[1])
    if is_empty(month):
        raise InputError(f"{where[0]}: vul ook de maand in waarin de verandering ingaat "
                         f"(bijvoorbeeld 2025-07), of maak {where[1]} leeg", argument=where[0])
    return inflow_month(month, where[0]), inflow_fraction(change, where[1])


def municipality_code(value: Any, where: str) -> str | None:
    """A CBS gemeentecode as a controller types it (363, '0363', 'GM0363') as the four digits
    of the messages; empty: None.

    >>> municipality_code(363.0, "B9"), municipality_code("GM0363", "B9"), municipality_code("", "B9")
    ('0363', '0363', None)
    """
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper().removeprefix("GM").strip()
    if not re.fullmatch(r"\d{1,4}", text) or int(text) == 0:
        raise InputError(f"'{value}' is geen gemeentecode: schrijf de viercijferige CBS-code "
                         "uit de berichten, bijvoorbeeld 0363", argument=where)
    return text.zfill(4)


def check_code(code: str | None, present: list[str], *, store: str, where: str) -> None:
    """Refuse a gemeentecode the store's claims do not hold, naming the codes they do (a
    store without claims: nothing to check)."""
    if code is not None and present and code not in present:
        raise InputError(f"gemeentecode {code} komt niet voor in de declaraties van de opslag "
                         f"{store} (wel: {', '.join(present)})", argument=where)


def for_municipality(tables: dict[str, pd.DataFrame], code: str | None, *, store: str,
                     where: str, what: str = "prognose", command: str = "grip prognose",
                     ) -> tuple[dict[str, pd.DataFrame], str | None]:
    """The tables of one municipality (``code``), or all with a warning when the claims come
    from more than one municipality and no code was given: a regional store summed into one
    municipality's forecast (or grip measurement: ``what``, ``command``) is a wrong number
    unless it is said."""
    claims = tables["claim_lines"]
    per = (claims.groupby("municipality")["amount_euro"].sum().sort_values(ascending=False)
           if len(claims) else pd.Series(dtype=float))
    if len(per) == 0:            # no claims at all: the caller says what to read in
        return tables, None
    if code is None:
        if len(per) <= 1:
            return tables, None
        listed = ", ".join(f"{c} ({nl_euro(v)})" for c, v in per.items())
        return tables, (f"{MIXED_NOTE} {len(per)} gemeenten: "
                        f"{listed}. Deze {what} telt ze samen. Voor één gemeente: vul de "
                        f"gemeentecode in ({CODE_CELL}) of geef {command} --gemeentecode "
                        f"{per.index[0]}.")
    check_code(code, list(per.index), store=store, where=where)
    out = {name: (t[t["municipality"] == code].reset_index(drop=True)
                  if "municipality" in t.columns else t) for name, t in tables.items()}
    rejected = out.get("rejected_lines")
    if rejected is not None and len(rejected):      # 325 lines name no municipality: by claim
        key = list(REJECTED_KEY)
        mine = pd.MultiIndex.from_frame(out["claim_lines"][key].astype(str))
        keep = pd.MultiIndex.from_frame(rejected[key].astype(str)).isin(mine)
        out["rejected_lines"] = rejected[keep].reset_index(drop=True)
    return out, None


#: How the quarantine names a record of a claims export and of a claim message (JW323, WMO303).
CLAIMS_EXPORT = KINDS["declaraties"][1]
CLAIM_MESSAGES = ("303", "323")


def quarantined_claims_note(store, store_name: str, *, regional: bool = False,
                            code: str | None = None) -> str | None:
    """The note that claim lines wait in the store's quarantine and are not in the forecast,
    or None. A forecast without them is too low by what they hold; the import said so once,
    the forecast says it every time. Totals rows of an export are no claims, and a line
    already in the store (``dubbele regel``: a monthly export of the year so far repeats the
    months before) is in the forecast once: neither is counted. ``regional``: the store holds
    several municipalities. With ``code`` (the forecast of one of them) the note counts that
    municipality's refused lines, and apart the lines whose municipality is not known (a file
    refused as a whole, or a line without a gemeentecode; a store imported before the
    quarantine kept it); without it the count is the whole store's."""
    records = getattr(store, "quarantine_records", None)
    if not callable(records):
        return None
    q = records()
    kind = q["message_code"].fillna("").astype(str)
    claims = q[((kind == CLAIMS_EXPORT) | kind.str.endswith(CLAIM_MESSAGES))
               & ~q["reason"].astype(str).str.startswith(("totaalregel", "dubbele regel"))]
    where, whom, unknown = "In de quarantaine", "", claims.iloc[:0]
    if regional and code is not None:
        whose = (claims["municipality"] if "municipality" in claims.columns
                 else pd.Series(None, index=claims.index, dtype=object))
        whose = whose.astype("string").str.strip().fillna("")
        unknown = claims[whose == ""]
        claims = claims[whose == code]
        where, whom = "In de quarantaine van deze opslag", f" van gemeente {code}"
    elif regional:
        where = ("In de quarantaine van deze opslag (alle gemeenten samen: kies een gemeentecode "
                 "voor die van één gemeente)")
    if claims.empty and unknown.empty:
        return None
    parts = []
    if not claims.empty:
        reasons = claims["reason"].astype(str).str.split(" (", n=1, regex=False).str[0]
        top = reasons.value_counts()
        euro = float(claims["amount_euro"].fillna(0).sum())
        parts.append(f"{where} {_lines(len(claims))}{whom} ({nl_euro(euro)}) "
                     f"die niet meetellen in deze prognose; de meeste: {top.index[0]} "
                     f"({top.iloc[0]}×).")
    if not unknown.empty:
        euro = float(unknown["amount_euro"].fillna(0).sum())
        parts.append(f"{'Daarnaast' if parts else 'In de quarantaine van deze opslag'} "
                     f"{_lines(len(unknown))} ({nl_euro(euro)}) waarvan niet bekend is van "
                     "welke gemeente ze zijn (een bestand dat als geheel geweigerd is, of een "
                     "regel zonder gemeentecode); misschien horen ze bij deze prognose.")
    return (" ".join(parts) + f" Bekijk ze met grip berichten quarantaine --opslag {store_name} "
            "(of op het blad Parameters na 'Berichtenverkeer inlezen'), verbeter de export en "
            "lees hem opnieuw in.")


def _lines(n: int) -> str:
    """'staat 1 declaratieregel', 'staan 3 declaratieregels'."""
    return "staat 1 declaratieregel" if n == 1 else f"staan {n} declaratieregels"


def _one_municipality(tables: dict[str, pd.DataFrame]) -> bool:
    return tables["claim_lines"]["municipality"].nunique() <= 1


def read_tables(store) -> dict[str, pd.DataFrame]:
    """The record tables from a store object (``berichten.store.Store`` or a stand-in)."""
    return {name: getattr(store, name)() for name in TABLES}


def _check_peilmaand(as_of, claim_lines: pd.DataFrame) -> None:
    """A peilmaand the store's claims do not reach (later than the latest claim month, or
    before the first) is refused in Dutch: the forecast has nothing to stand on there."""
    month = pd.Timestamp(as_of).to_period("M")
    months = pd.to_datetime(claim_lines["claim_month"]).dt.to_period("M")
    first, last = months.min(), months.max()
    if month > last:
        raise InputError(f"{month:%m-%Y} ligt na de laatste declaratiemaand in de "
                         f"opslag ({last:%m-%Y}); kies {last:%m-%Y} of eerder",
                         argument="peilmaand")
    if month < first:
        raise InputError(f"{month:%m-%Y} ligt voor de eerste declaratiemaand in de "
                         f"opslag ({first:%m-%Y})", argument="peilmaand")


def run_prognose(store_path, *, as_of=None,
                 open_store: Callable[[Path], object] | None = None,
                 export: Path | None = None,
                 provider_names: Mapping[str, str] | None = None,
                 municipality: str | None = None,
                 inflow: tuple[pd.Timestamp, float] | None = None,
                 municipality_code: str | None = None,
                 code_where: str = "gemeentecode") -> PrognoseResult:
    """Forecast from the store at ``store_path`` and keep the snapshot of this run.

    ``open_store`` builds the store object from the path (default ``berichten.store.open_store``,
    a ``StoreError`` for a missing, locked or foreign file);
    tests pass a stand-in with the same methods. ``export``: a folder for one workbook per
    provider (``export_providers``). ``provider_names``: the municipality's provider
    register (AGB code -> name; ``berichten.register.read_register``), carried by the result
    to every table and export. ``inflow``: the announced change of the inflow of new clients
    (``inflow_change``); the forecast's notes then say it was used. ``municipality_code``:
    forecast only that municipality's records (``for_municipality``; ``code_where`` names
    where it was typed); without it a store of several municipalities gets a warning note.
    """
    path = Path(store_path)
    store = (open_store or berichten_store.open_store)(path)
    try:
        tables = read_tables(store)
        held = quarantined_claims_note(store, path.name, regional=not _one_municipality(tables),
                                       code=municipality_code)
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()
    tables_before = tables
    tables, mixed = for_municipality(tables, municipality_code, store=path.name,
                                     where=code_where)
    if tables["claim_lines"].empty:
        raise InputError(f"de opslag {path.name} bevat nog geen declaratieregels (wel "
                         f"{len(tables['allocations'])} toewijzingsregels); lees declaraties in: "
                         "323-berichten of een declaratie-export", argument="opslag")
    if as_of is not None:
        _check_peilmaand(as_of, tables["claim_lines"])
    snaps_file = snapshot_path(path, municipality_code)
    snapshots = read_snapshots(snaps_file)
    if municipality_code and snapshots.empty and mixed is None and _one_municipality(
            tables_before):   # a code typed later for a store of one municipality: same history
        snapshots = read_snapshots(snapshot_path(path))
    result = compute_prognose(tables, as_of=as_of, snapshots=snapshots,
                              provider_names=provider_names, inflow_change=inflow)
    result = replace(result, coverage=coverage(tables["claim_lines"], result.forecast))
    if held is not None:
        result.notes.insert(0, held)
    if mixed is not None:
        result.notes.insert(0, mixed)
    if inflow is not None and not any(n.startswith(INFLOW_NOTE) for n in result.notes):
        f = result.forecast
        given = (f"De opgegeven verandering van de instroom (vanaf {inflow[0]:%m-%Y}, "
                 f"{inflow[1]:+.0%}) telt niet mee: ")
        if f.claims_only:
            result.notes.append(given + "zonder toewijzingen zijn nieuwe cliënten niet apart "
                                "te zien (ze zitten in het tempo van de declaraties). Lees de "
                                "toewijzingen in (301-berichten of een export) om die mee te "
                                "rekenen.")
        else:
            result.notes.append(given + f"na peilmaand {f.as_of:%m-%Y} komen in {f.year} geen "
                                "nieuwe cliënten meer bij in de prognose.")
    new = result.snapshot
    if result.replayed is not None and len(result.replayed):
        new = pd.concat([new, result.replayed], ignore_index=True)
    try:
        save_snapshot(snaps_file, snapshots, new)
    except OSError as exc:
        from grip.faults import os_error_text

        result.notes.append(f"de prognose is niet bewaard in {snaps_file.name} "
                            f"({os_error_text(exc)}); de terugblik en de KPI prognosefout "
                            "missen deze maand")
    if export is not None:
        export_providers(result, tables["claim_lines"], export, municipality=municipality)
    return result


def output_tables(result: PrognoseResult | None, *, store: str | None = None,
                  computed_at: dt.datetime | None = None) -> dict[str, list[list]]:
    """The button's output ranges, exactly their fixed size: the status and notes, the
    year-end table, the providers, the referrers, the trajectory costs, the monthly chart
    data and the look-back."""
    return {
        layout.NAME_OUT_PROGNOSE_HEAD: head_rows(result, layout.PROG_HEAD_ROWS, store=store,
                                                 computed_at=computed_at),
        layout.NAME_OUT_PROGNOSE: yearend_rows(result, layout.PROG_TABLE_ROWS),
        layout.NAME_OUT_PROVIDERS: provider_rows(result, layout.PROV_TABLE_ROWS),
        layout.NAME_OUT_REFERRERS: referrer_rows(result, layout.REFERRER_ROWS),
        layout.NAME_OUT_TRAJECTORIES: trajectory_rows(result, layout.TRAJECTORY_ROWS),
        layout.NAME_PROG_MONTHLY: monthly_rows(result, layout.PROG_MONTHLY_ROWS),
        layout.NAME_OUT_TERUGBLIK: look_back_rows(result, LOOK_BACK_ROWS),
    }


def run_button(inputs: dict[str, list[list]], *,
               open_store: Callable[[Path], object] | None = None,
               now: Callable[[], dt.datetime] | None = None) -> dict[str, list[list]]:
    """Ribbon "Prognose bijwerken": read ``grip_opslag``, the provider register and the
    announced change of the inflow; return the output tables."""
    from berichten.register import register_from_rows
    from calc import cells

    names = register_from_rows(inputs.get(layout.NAME_PROVIDER_REGISTER) or [],
                               argument=layout.NAME_PROVIDER_REGISTER)
    inflow = inflow_change(cells.first(inputs.get(layout.NAME_INFLOW_FROM)),
                           cells.first(inputs.get(layout.NAME_INFLOW_CHANGE)))
    code = municipality_code(cells.first(inputs.get(layout.NAME_MUNICIPALITY_CODE)), CODE_CELL)
    path = jobs.store_path(inputs)
    result = run_prognose(path, open_store=open_store, provider_names=names, inflow=inflow,
                          municipality_code=code, code_where=CODE_CELL)
    store = path.name if code is None else f"{path.name}, gemeentecode {code}"
    return output_tables(result, store=store, computed_at=(now or clock)())


def clock() -> dt.datetime:
    """When a button's forecast is computed (to the minute), as its status line shows it."""
    return dt.datetime.now().replace(second=0, microsecond=0)


#: Excel's message box shows about 1024 characters: the message stays below that.
MESSAGE_CHARS = 700


def skipped_text(name: str, rows: list[list]) -> str:
    """What the message says instead of an output range the workbook lacks (``grip.buttons``):
    for the status and notes, the status line and the notes (the peilmaand guard's warning
    first, as the calc gives them), each to its first sentence, as many as fit in
    ``MESSAGE_CHARS``; the rest counted."""
    if name != layout.NAME_OUT_PROGNOSE_HEAD:
        return ""
    paragraphs: list[str] = []
    for row in rows:
        line = row[0] if row else None
        if not isinstance(line, str) or not line.strip():
            continue
        if line.startswith(INDENT) and paragraphs:       # a paragraph's next line (head_rows)
            paragraphs[-1] += " " + line.strip()
        else:
            paragraphs.append(line.strip())
    status, notes = paragraphs[:1], [p for p in paragraphs if p.startswith("– ")]
    keep = list(status)
    for k, note in enumerate(notes):
        first = re.split(r"(?<=\.)\s(?=[A-Z])", note, maxsplit=1)[0]
        if sum(len(x) + 1 for x in keep) + len(first) > MESSAGE_CHARS:
            keep.append(f"… en nog {len(notes) - k} aantekening(en); na 'grip werkmap "
                        "bijwerken' staan ze alle op het blad Prognose.")
            break
        keep.append(first)
    return "\n".join(keep)


def summary(result: PrognoseResult) -> list[str]:
    """The Dutch lines ``grip prognose`` prints."""
    from calc.names import taakveld_name
    from calc.text import nl_euro, nl_number, yes_no

    f = result.forecast
    total = f.by("total").iloc[0]
    lines = [
        f"Jaareindeprognose {f.year} (peilmaand {f.as_of:%m-%Y}, marge {f.level:.0%}):",
        f"  prognose {nl_euro(total['forecast_euro'])} "
        f"({nl_euro(total['lower_euro'])} tot {nl_euro(total['upper_euro'])})",
        f"  waarvan gedeclareerd {nl_euro(total['claimed_euro'])}, nog te declareren "
        f"{nl_euro(total['late_euro'])}, resterende maanden {nl_euro(total['remaining_euro'])}, "
        f"nieuwe cliënten {nl_euro(total['inflow_euro'])}",
        "", "Per taakveld:",
    ]
    for _, r in f.by("taakveld").iterrows():
        lines.append(f"  {r['taakveld']:<6} {taakveld_name(r['taakveld']) or '':<42} "
                     f"{nl_euro(r['forecast_euro']):>16}")
    late = result.providers[result.providers["structurally_late"]]
    lines.append("")
    lines.append(f"Aanbieders: {len(result.providers)}, waarvan structureel laat: {len(late)}")
    for _, r in late.head(10).iterrows():
        lines.append(f"  {r['provider']} {result.provider_name(r['provider'])}: mediane vertraging "
                     f"{nl_number(r['median_lag_months'], 1)} maanden")
    if result.backtest is not None and len(result.backtest):
        lines.append("")
        lines.append(f"Terugblik {f.year - 1}: prognose per peilmaand tegen wat er binnenkwam")
        for _, r in result.backtest.iterrows():
            lines.append(f"  {r['as_of']:%m-%Y} ({r['source']}): afwijking "
                         f"{nl_number(100 * r['error'], 1)}%, binnen de marge: "
                         f"{yes_no(r['coverage'] >= 1)}; taakvelden MAPE "
                         f"{nl_number(100 * r['mape_taakveld'], 1)}%, binnen de marge "
                         f"{nl_number(100 * r['coverage_taakveld'], 0)}%")
        trust = trust_text(result)
        if trust:
            lines.append(f"  {trust}")
    if result.notes:
        lines.append("")
        lines.append("Opmerkingen:")
        lines += [f"  - {n}" for n in result.notes]
    return lines


def export_providers(result: PrognoseResult, tables_claim_lines: pd.DataFrame, folder: Path,
                     providers: list[str] | None = None, *,
                     municipality: str | None = None) -> list[Path]:
    """One workbook per provider for the conversation with that provider.

    ``workbooks.aanbieder_export``: sheets Overzicht, Per product and Per maand, formatted
    like the model, the name from the register beside the AGB code; one file per AGB code
    (``export_file_name``: stable, never shared). Returns the files written.
    """
    from workbooks.aanbieder_export import export_file_name, provider_workbook
    from workbooks.files import save

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for provider in providers or list(result.providers["provider"]):
        name = result.provider_names.get(str(provider))
        wb = provider_workbook(result, provider, tables_claim_lines, municipality=municipality)
        written.append(save(wb, folder / export_file_name(str(provider), name)))
    return written
