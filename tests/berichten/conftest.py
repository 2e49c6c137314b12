"""Small message builders for the store tests, derived from the official iJw examples.

Every BSN here is from the reserved test range and passes the 11-test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

EXAMPLES = Path(__file__).with_name("voorbeelden")
#: Test BSNs (999 range, 11-test passes); the privacy test searches for all of them.
BSNS = ("999990019", "999990032", "999900006", "999900018")
#: Names and addresses in the examples that must never reach the store.
PERSONAL_TEXT = ("Woustraat", "Mauritsstraat", "Galen", "Bakker", "abc@def.com", "0201234567")


def example(name: str) -> str:
    return (EXAMPLES / f"{name}.xml").read_text(encoding="utf-8")


def _set(text: str, tag: str, value: str, count: int = 1) -> str:
    return re.sub(rf"(<[^>]*:{tag}>)[^<]*(</)", rf"\g<1>{value}\g<2>", text, count=count)


def header(text: str, *, ident: str, day: str, sender: str | None = None,
           receiver: str | None = None) -> str:
    text = _set(text, "Identificatie", ident)
    text = _set(text, "Dagtekening", day)
    if sender:
        text = _set(text, "Afzender", sender)
    if receiver:
        text = _set(text, "Ontvanger", receiver)
    return text


@dataclass
class Line:
    """One Prestatie of a 323."""

    ref: str
    amount: int = 5000               # eurocent
    dc: str = "D"
    volume: int = 4
    tariff: int = 1250
    month: str = "2026-04"
    category: str = "45"
    code: str = "45A03"
    bsn: str = BSNS[0]
    prev: str | None = None
    allocation: str = "10072"


def _last_day(month: str) -> str:
    import calendar

    y, m = map(int, month.split("-"))
    return f"{month}-{calendar.monthrange(y, m)[1]:02d}"


def claim(lines: list[Line], *, ident: str = "C1", day: str = "2026-05-06",
          provider: str = "65656055", municipality: str = "0384", number: str = "DN1",
          period: str = "2026-04") -> str:
    """A JW323 with the given lines, one Client per line (valid against JW323.xsd)."""
    base = header(example("JW323"), ident=ident, day=day, sender=provider,
                  receiver=municipality)
    head, _, rest = base.partition("<jw323:Clienten>")
    head = _set(head, "DeclaratieNummer", number)
    head = re.sub(r"2026-04-01", f"{period}-01", head)
    head = re.sub(r"2026-04-30", _last_day(period), head)
    total = sum(ln.amount if ln.dc == "D" else -ln.amount for ln in lines)
    head = _set(head, "TotaalBedrag", str(abs(total)))
    head = re.sub(r"(<ijw:DebetCredit>)D(</ijw:DebetCredit>)",
                  rf"\g<1>{'D' if total >= 0 else 'C'}\g<2>", head, count=1)
    clients = []
    for ln in lines:
        prev = (f"<ijw:VorigReferentieNummer>{ln.prev}</ijw:VorigReferentieNummer>"
                if ln.prev else "")
        clients.append(f"""
<jw323:Client><jw323:Bsn>{ln.bsn}</jw323:Bsn><jw323:Prestaties><jw323:Prestatie>
<jw323:ProductReferentie><ijw:ReferentieNummer>{ln.ref}</ijw:ReferentieNummer>{prev}</jw323:ProductReferentie>
<jw323:ToewijzingNummer>{ln.allocation}</jw323:ToewijzingNummer>
<jw323:ProductCategorie>{ln.category}</jw323:ProductCategorie>
<jw323:ProductCode>{ln.code}</jw323:ProductCode>
<jw323:ProductPeriode><ijw:Begindatum>{ln.month}-01</ijw:Begindatum><ijw:Einddatum>{_last_day(ln.month) if len(ln.month) == 7 else ln.month}</ijw:Einddatum></jw323:ProductPeriode>
<jw323:GeleverdVolume>{ln.volume}</jw323:GeleverdVolume>
<jw323:Eenheid>04</jw323:Eenheid>
<jw323:ProductTarief>{ln.tariff}</jw323:ProductTarief>
<jw323:IngediendBedrag><ijw:Bedrag>{ln.amount}</ijw:Bedrag><ijw:DebetCredit>{ln.dc}</ijw:DebetCredit></jw323:IngediendBedrag>
</jw323:Prestatie></jw323:Prestaties></jw323:Client>""")
    return f"{head}<jw323:Clienten>{''.join(clients)}\n</jw323:Clienten></jw323:Declaratie></jw323:Bericht>\n"


@dataclass
class Product:
    """One ToegewezenProduct of a 301."""

    number: str
    start: str = "2026-01-01"
    end: str | None = "2026-12-31"
    volume: int = 2
    code: str = "45A03"


def allocation(products: list[Product], *, ident: str, day: str, bsn: str = BSNS[0],
               provider: str = "42420001", municipality: str = "0384") -> str:
    """A JW301 snapshot of one client at one provider (valid against JW301.xsd)."""
    base = header(example("JW301"), ident=ident, day=day, sender=municipality,
                  receiver=provider)
    base = _set(base, "Bsn", bsn)
    head, _, rest = base.partition("<jw301:ToegewezenProducten>")
    tail = rest.partition("</jw301:ToegewezenProducten>")[2]
    items = []
    for p in products:
        end = f"<jw301:Einddatum>{p.end}</jw301:Einddatum>" if p.end else ""
        items.append(f"""
<jw301:ToegewezenProduct><jw301:ToewijzingNummer>{p.number}</jw301:ToewijzingNummer>
<jw301:Product><ijw:Categorie>{p.code[:2]}</ijw:Categorie><ijw:Code>{p.code}</ijw:Code></jw301:Product>
<jw301:Toewijzingsdatum>{day}</jw301:Toewijzingsdatum><jw301:Toewijzingstijd>12:00:00</jw301:Toewijzingstijd>
<jw301:Ingangsdatum>{p.start}</jw301:Ingangsdatum>{end}
<jw301:Omvang><ijw:Volume>{p.volume}</ijw:Volume><ijw:Eenheid>04</ijw:Eenheid><ijw:Frequentie>2</ijw:Frequentie></jw301:Omvang>
</jw301:ToegewezenProduct>""")
    return f"{head}<jw301:ToegewezenProducten>{''.join(items)}\n</jw301:ToegewezenProducten>{tail}"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def msg():
    """The builders, for tests: msg.claim([...]), msg.allocation([...]), msg.Line, ..."""
    return SimpleNamespace(claim=claim, allocation=allocation, Line=Line, Product=Product,
                           example=example, header=header, write=write, BSNS=BSNS,
                           EXAMPLES=EXAMPLES, PERSONAL_TEXT=PERSONAL_TEXT, reconciles=reconciles)


@pytest.fixture
def store_path(tmp_path) -> Path:
    return tmp_path / "opslag" / "berichten.duckdb"


def reconciles(report) -> bool:
    """read == accepted + quarantined for every file and in total."""
    return all(f.read == f.accepted + f.quarantined for f in report.files) and \
        report.read == report.accepted + report.quarantined
