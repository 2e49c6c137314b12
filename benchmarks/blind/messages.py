"""Write a simulated municipality as iJw 3.2 XML messages (301, 305, 307, 323, 325).

One file per message, named ``<Dagtekening>_JW<code>_<n>.xml`` so that a benchmark can take
exactly what a municipality had on a given day. Names and addresses are invented and never
leave the files; BSNs are test numbers (999 range, 11-test).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from benchmarks.blind.world import START_YEAR, World, first_day, last_day

NS_BASE = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
CODES = {"301": "436", "305": "438", "307": "440", "323": "490", "325": "491"}
SURNAMES = ("Aalbers", "Brink", "Dekker", "Evers", "Haan", "Jong", "Kok", "Laan", "Mol", "Post",
            "Roos", "Smit", "Veen", "Wal", "Zijl")
FIRST = ("Anna", "Bas", "Daan", "Eva", "Finn", "Isa", "Jesse", "Lotte", "Milan", "Noor",
         "Sem", "Tess")


def _header(code: str, sender: str, receiver: str, ident: str, day: dt.date,
            extra: str = "") -> str:
    p = f"jw{code}"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<{p}:Bericht xmlns:ijw="{NS_BASE}" '
            f'xmlns:{p}="http://www.istandaarden.nl/ijw/3_2/{p}/schema">\n'
            f"<{p}:Header><{p}:BerichtCode>{CODES[code]}</{p}:BerichtCode>"
            f"<{p}:BerichtVersie>3</{p}:BerichtVersie><{p}:BerichtSubversie>2</{p}:BerichtSubversie>"
            f"<{p}:Afzender>{sender}</{p}:Afzender><{p}:Ontvanger>{receiver}</{p}:Ontvanger>"
            f"<{p}:BerichtIdentificatie><ijw:Identificatie>{ident}</ijw:Identificatie>"
            f"<ijw:Dagtekening>{day.isoformat()}</ijw:Dagtekening></{p}:BerichtIdentificatie>"
            f"<{p}:XsdVersie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>"
            f"<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></{p}:XsdVersie>{extra}"
            f"</{p}:Header>\n")


def _person(p: str, client: tuple, cid: int) -> str:
    """Birth date, sex and an invented name (301: CDT_VolledigeNaam, 305/307: CDT_VerkorteNaam)."""
    _, birth, sex = client
    first = FIRST[cid % len(FIRST)]
    name = (f"<ijw:Geslachtsnaam><ijw:Achternaam>{SURNAMES[cid % len(SURNAMES)]}"
            "</ijw:Achternaam></ijw:Geslachtsnaam>")
    if p == "jw301":
        name += f"<ijw:Voornamen>{first}</ijw:Voornamen><ijw:NaamGebruik>1</ijw:NaamGebruik>"
    else:
        name += f"<ijw:Voorletters>{first[0]}</ijw:Voorletters>"
    return (f"<{p}:Geboortedatum><ijw:Datum>{birth.isoformat()}</ijw:Datum></{p}:Geboortedatum>"
            f"<{p}:Geslacht>{sex}</{p}:Geslacht><{p}:Naam>{name}</{p}:Naam>")


def _product(cat: str, code: str) -> str:
    return f"<ijw:Categorie>{cat}</ijw:Categorie><ijw:Code>{code}</ijw:Code>"


def _period(a: dt.date, b: dt.date) -> str:
    return (f"<ijw:Begindatum>{a.isoformat()}</ijw:Begindatum>"
            f"<ijw:Einddatum>{b.isoformat()}</ijw:Einddatum>")


def _money(tag_total: str, value: int) -> str:
    dc = "D" if value >= 0 else "C"
    return f"<ijw:{tag_total}>{abs(value)}</ijw:{tag_total}><ijw:DebetCredit>{dc}</ijw:DebetCredit>"


class Writer:
    def __init__(self, out: Path, until: dt.date | None):
        self.out, self.until = out, until
        self.since = dt.date(START_YEAR, 1, 1)
        self.n = 0
        self.files: list[tuple[dt.date, str]] = []

    def ident(self) -> str:
        self.n += 1
        return f"B{self.n:09d}"

    def write(self, day: dt.date, code: str, text: str) -> None:
        if self.until is not None and day >= self.until:
            return
        if day < self.since and code != "301":
            return
        name = f"{day.isoformat()}_JW{code}_{self.n:06d}.xml"
        (self.out / name).write_text(text, encoding="utf-8")
        self.files.append((day, name))


def write_messages(world: World, out: Path, rng: np.random.Generator,
                   until: dt.date | None = None) -> dict:
    """Write every message of ``world`` dated before ``until``; return the counts and euros."""
    out.mkdir(parents=True, exist_ok=True)
    h = world.habits
    mun = h.municipality
    w = Writer(out, until)
    stats = defaultdict(int)

    # 301: one full snapshot per client and provider on each day something changed
    by_pair = defaultdict(list)
    for a in world.allocations:
        by_pair[(a.client, a.provider)].append(a)
    since = w.since
    opening = {}   # the last snapshot per pair before the messages begin: the opening position
    for day, cid, agb, _ in world.snapshots:
        if day < since and day > opening.get((cid, agb), dt.date.min):
            opening[(cid, agb)] = day
    for day, cid, agb, _ in sorted(set(world.snapshots), key=lambda s: (s[0], s[1], s[2])):
        if day < since and opening.get((cid, agb)) != day:
            continue
        items = []
        for a in by_pair[(cid, agb)]:
            if a.granted > day:
                continue
            end = a.end_as_of(day)
            changed = any(v.day == day for v in a.versions)
            if end is not None and end < day and not changed:
                continue
            if day < since and end is not None and end < since:
                continue
            reason = next((v.reason for v in a.versions if v.day == day and v.reason), None)
            p = a.product
            size = (f"<jw301:Budget>{a.budget}</jw301:Budget>" if a.budget is not None else
                    f"<jw301:Omvang><ijw:Volume>{a.volume}</ijw:Volume><ijw:Eenheid>{p.unit}"
                    f"</ijw:Eenheid><ijw:Frequentie>{p.frequency}</ijw:Frequentie></jw301:Omvang>")
            items.append(
                f"<jw301:ToegewezenProduct><jw301:ToewijzingNummer>{a.number}</jw301:ToewijzingNummer>"
                f"<jw301:Product>{_product(p.category, p.code)}</jw301:Product>"
                f"<jw301:Toewijzingsdatum>{a.granted.isoformat()}</jw301:Toewijzingsdatum>"
                f"<jw301:Toewijzingstijd>09:{a.number % 60:02d}:00</jw301:Toewijzingstijd>"
                f"<jw301:Ingangsdatum>{a.start.isoformat()}</jw301:Ingangsdatum>"
                + (f"<jw301:Einddatum>{end.isoformat()}</jw301:Einddatum>" if end else "")
                + (f"<jw301:RedenWijziging>{reason}</jw301:RedenWijziging>" if reason else "")
                + size + "</jw301:ToegewezenProduct>")
        if not items:
            continue
        client = world.clients[cid]
        text = (_header("301", mun, agb, w.ident(), day)
                + f"<jw301:Client><jw301:Bsn>{client[0]}</jw301:Bsn>" + _person("jw301", client, cid)
                + "<jw301:Contactgegevens><jw301:Contact><jw301:Soort>01</jw301:Soort><jw301:Adres>"
                f"<ijw:Huis><ijw:Huisnummer>{cid % 200 + 1}</ijw:Huisnummer></ijw:Huis>"
                "<ijw:Postcode>9999XX</ijw:Postcode><ijw:Straatnaam>Voorbeeldstraat</ijw:Straatnaam>"
                "<ijw:Plaatsnaam>Blindendam</ijw:Plaatsnaam><ijw:LandCode>NL</ijw:LandCode>"
                "</jw301:Adres></jw301:Contact></jw301:Contactgegevens>"
                + "<jw301:ToegewezenProducten>" + "".join(items)
                + "</jw301:ToegewezenProducten></jw301:Client></jw301:Bericht>\n")
        w.write(day, "301", text)
        stats["301"] += 1 if (until is None or day < until) else 0

    # 305 / 307
    for kind, events in (("305", world.starts), ("307", world.stops)):
        p = f"jw{kind}"
        for day, a in sorted(events, key=lambda e: (e[0], e[1].number)):
            client = world.clients[a.client]
            body = (f"<{p}:ToewijzingNummer>{a.number}</{p}:ToewijzingNummer>"
                    f"<{p}:Product>{_product(a.product.category, a.product.code)}</{p}:Product>"
                    f"<{p}:ToewijzingIngangsdatum>{a.start.isoformat()}</{p}:ToewijzingIngangsdatum>"
                    f"<{p}:Begindatum>{a.care_start.isoformat()}</{p}:Begindatum>")
            if kind == "307":
                body += (f"<{p}:RedenBeeindiging>{a.stop_reason}</{p}:RedenBeeindiging>"
                         f"<{p}:Einddatum>{a.care_end.isoformat()}</{p}:Einddatum>")
            body += f"<{p}:StatusAanlevering>1</{p}:StatusAanlevering>"
            tag = "StartProduct" if kind == "305" else "StopProduct"
            text = (_header(kind, a.provider, mun, w.ident(), day)
                    + f"<{p}:Client><{p}:Bsn>{client[0]}</{p}:Bsn>" + _person(p, client, a.client)
                    + f"<{p}:{tag}en><{p}:{tag}>{body}</{p}:{tag}></{p}:{tag}en>"
                    f"</{p}:Client></{p}:Bericht>\n")
            w.write(day, kind, text)
            stats[kind] += 1 if (until is None or day < until) and day >= since else 0

    # 323 per provider and claim month, each answered by a 325
    batches = defaultdict(list)
    for line in world.lines:
        batches[(line.provider, line.claim_month)].append(line)
    claimed = rejected = 0
    n_lines = n_rejected = 0
    for (agb, cm), lines in sorted(batches.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        day = first_day(cm + 1) + dt.timedelta(days=int(rng.integers(1, 19)))
        if (until is not None and day >= until) or day < since:
            continue
        number = f"D{w.n + 1:08d}"
        ident = w.ident()
        per_client = defaultdict(list)
        total = 0
        for line in lines:
            per_client[line.client].append(line)
            total += line.amount if line.debit else -line.amount
        parts = []
        for cid, cl in per_client.items():
            prest = []
            for line in cl:
                a = line.allocation
                prest.append(
                    "<jw323:Prestatie><jw323:ProductReferentie>"
                    f"<ijw:ReferentieNummer>{line.reference}</ijw:ReferentieNummer>"
                    + (f"<ijw:VorigReferentieNummer>{line.previous}</ijw:VorigReferentieNummer>"
                       if line.previous else "")
                    + "</jw323:ProductReferentie>"
                    f"<jw323:ToewijzingNummer>{a.number}</jw323:ToewijzingNummer>"
                    f"<jw323:ProductCategorie>{a.product.category}</jw323:ProductCategorie>"
                    f"<jw323:ProductCode>{a.product.code}</jw323:ProductCode>"
                    f"<jw323:ProductPeriode>{_period(*line.period)}</jw323:ProductPeriode>"
                    f"<jw323:GeleverdVolume>{line.volume}</jw323:GeleverdVolume>"
                    f"<jw323:Eenheid>{line.unit}</jw323:Eenheid>"
                    f"<jw323:ProductTarief>{line.tariff}</jw323:ProductTarief>"
                    f"<jw323:IngediendBedrag><ijw:Bedrag>{line.amount}</ijw:Bedrag>"
                    f"<ijw:DebetCredit>{'D' if line.debit else 'C'}</ijw:DebetCredit>"
                    "</jw323:IngediendBedrag></jw323:Prestatie>")
            parts.append(f"<jw323:Client><jw323:Bsn>{world.clients[cid][0]}</jw323:Bsn>"
                         f"<jw323:Prestaties>{''.join(prest)}</jw323:Prestaties></jw323:Client>")
        text = (_header("323", agb, mun, ident, day)
                + f"<jw323:Declaratie><jw323:DeclaratieNummer>{number}</jw323:DeclaratieNummer>"
                f"<jw323:DeclaratiePeriode>{_period(first_day(cm), last_day(cm))}</jw323:DeclaratiePeriode>"
                f"<jw323:DeclaratieDagtekening>{day.isoformat()}</jw323:DeclaratieDagtekening>"
                f"<jw323:TotaalIngediendBedrag>{_money('TotaalBedrag', total)}</jw323:TotaalIngediendBedrag>"
                f"<jw323:Clienten>{''.join(parts)}</jw323:Clienten></jw323:Declaratie>"
                "</jw323:Bericht>\n")
        w.write(day, "323", text)
        stats["323"] += 1
        claimed += total
        n_lines += len(lines)
        # the municipality's answer
        answer_day = day + dt.timedelta(days=int(rng.integers(2, 9)))
        if until is not None and answer_day >= until:
            continue
        bad = [line for line in lines if line.rejected]
        bad_total = sum(line.amount for line in bad)
        clients_xml = ""
        if bad:
            by_c = defaultdict(list)
            for line in bad:
                by_c[line.client].append(line)
            cx = []
            for cid, cl in by_c.items():
                prest = "".join(
                    "<jw325:Prestatie><jw325:ProductReferentie>"
                    f"<ijw:ReferentieNummer>{line.reference}</ijw:ReferentieNummer>"
                    "</jw325:ProductReferentie>"
                    f"<jw325:ToewijzingNummer>{line.allocation.number}</jw325:ToewijzingNummer>"
                    f"<jw325:ProductCategorie>{line.allocation.product.category}</jw325:ProductCategorie>"
                    f"<jw325:ProductCode>{line.allocation.product.code}</jw325:ProductCode>"
                    f"<jw325:ProductPeriode>{_period(*line.period)}</jw325:ProductPeriode>"
                    f"<jw325:GeleverdVolume>{line.volume}</jw325:GeleverdVolume>"
                    f"<jw325:Eenheid>{line.unit}</jw325:Eenheid>"
                    f"<jw325:ProductTarief>{line.tariff}</jw325:ProductTarief>"
                    f"<jw325:IngediendBedrag><ijw:Bedrag>{line.amount}</ijw:Bedrag>"
                    "<ijw:DebetCredit>D</ijw:DebetCredit></jw325:IngediendBedrag>"
                    "<jw325:RetourCodes><jw325:RetourCode>0611</jw325:RetourCode></jw325:RetourCodes>"
                    "</jw325:Prestatie>" for line in cl)
                cx.append(f"<jw325:Client><jw325:Bsn>{world.clients[cid][0]}</jw325:Bsn>"
                          f"<jw325:Prestaties>{prest}</jw325:Prestaties>"
                          "<jw325:RetourCodes><jw325:RetourCode>0200</jw325:RetourCode>"
                          "</jw325:RetourCodes></jw325:Client>")
            clients_xml = f"<jw325:Clienten>{''.join(cx)}</jw325:Clienten>"
        extra = ("<jw325:DeclaratieIdentificatie>"
                 f"<ijw:Identificatie>{ident}</ijw:Identificatie>"
                 f"<ijw:Dagtekening>{day.isoformat()}</ijw:Dagtekening></jw325:DeclaratieIdentificatie>"
                 "<jw325:XsdVersieDeclaratie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>"
                 "<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></jw325:XsdVersieDeclaratie>"
                 "<jw325:RetourCodes><jw325:RetourCode>0200</jw325:RetourCode></jw325:RetourCodes>")
        text = (_header("325", mun, agb, w.ident(), answer_day, extra)
                + f"<jw325:DeclaratieAntwoord><jw325:DeclaratieNummer>{number}</jw325:DeclaratieNummer>"
                f"<jw325:TotaalIngediendBedrag>{_money('TotaalBedrag', total)}</jw325:TotaalIngediendBedrag>"
                f"<jw325:TotaalToegekendBedrag>{_money('TotaalBedrag', total - bad_total)}"
                "</jw325:TotaalToegekendBedrag>" + clients_xml
                + "<jw325:RetourCodes><jw325:RetourCode>0200</jw325:RetourCode></jw325:RetourCodes>"
                "</jw325:DeclaratieAntwoord></jw325:Bericht>\n")
        w.write(answer_day, "325", text)
        stats["325"] += 1
        rejected += bad_total
        n_rejected += len(bad)
    return {"messages": dict(stats), "files": len(w.files),
            "claim_lines": n_lines, "claimed_eurocent": claimed,
            "rejected_lines": n_rejected, "rejected_eurocent": rejected}
