"""The XML writer of the synthetic municipality: every message as an iJw/iWmo 3.2 file.

Plain text templates (the files are written by the million); the iJw files validate against
the schemas in ``berichten/xsd`` (``tests/berichten/test_synth.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

from berichten.synth.common import (BASE_SCHEMA as _BASE, FILE_PREFIX as _FILE_PREFIX,
                                    LAW_FOLDER, MESSAGE_CODES, MSG_PREFIX as _MSG_PREFIX,
                                    MUNICIPALITY_CODE, OK as _OK, reject_code as _reject_code)

#: Names of the referrers that are not a general practitioner (codelijst verwijzer).
_REFERRER_NAME = {"03": "Jeugdarts GGD Voorbeeld", "04": "GI Regio Voorbeeld",
                  "05": "Kinderarts Ziekenhuis Voorbeeld", "06": "Zelfverwijzer",
                  "08": "Rechtbank Voorbeeld"}


def _root(law, code, body):
    bp, bns, ns = _BASE[law]
    p = f"{_MSG_PREFIX[law]}{code}"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}:Bericht xmlns:{p}="{ns.format(code=code)}" '
            f'xmlns:{bp}="{bns}">\n{body}</{p}:Bericht>\n')


def _header(law, code, sender, receiver, ident, day, extra=""):
    b = _BASE[law][0]
    p = f"{_MSG_PREFIX[law]}{code}"
    return (f"<{p}:Header><{p}:BerichtCode>{MESSAGE_CODES[law][code]}</{p}:BerichtCode>"
            f"<{p}:BerichtVersie>3</{p}:BerichtVersie><{p}:BerichtSubversie>2</{p}:BerichtSubversie>"
            f"<{p}:Afzender>{sender}</{p}:Afzender><{p}:Ontvanger>{receiver}</{p}:Ontvanger>"
            f"<{p}:BerichtIdentificatie><{b}:Identificatie>{ident}</{b}:Identificatie>"
            f"<{b}:Dagtekening>{day}</{b}:Dagtekening></{p}:BerichtIdentificatie>"
            f"<{p}:XsdVersie><{b}:BasisschemaXsdVersie>1.0.0</{b}:BasisschemaXsdVersie>"
            f"<{b}:BerichtXsdVersie>1.0.0</{b}:BerichtXsdVersie></{p}:XsdVersie>{extra}</{p}:Header>\n")


def _xsd_versie(p, b, tag):
    return (f"<{p}:{tag}><{b}:BasisschemaXsdVersie>1.0.0</{b}:BasisschemaXsdVersie>"
            f"<{b}:BerichtXsdVersie>1.0.0</{b}:BerichtXsdVersie></{p}:{tag}>")


def _product(b, cat, code):
    return f"<{b}:Categorie>{cat}</{b}:Categorie><{b}:Code>{code}</{b}:Code>"


def _omvang(b, volume, unit, freq):
    return (f"<{b}:Volume>{volume}</{b}:Volume><{b}:Eenheid>{unit}</{b}:Eenheid>"
            f"<{b}:Frequentie>{freq}</{b}:Frequentie>")


def _client_head(p, b, c, full):
    naam = (f"<{p}:Naam><{b}:Geslachtsnaam><{b}:Achternaam>Voorbeeld</{b}:Achternaam></{b}:Geslachtsnaam>"
            f"<{b}:Voorletters>{c.initial}</{b}:Voorletters>"
            + (f"<{b}:NaamGebruik>1</{b}:NaamGebruik>" if full else "") + f"</{p}:Naam>")
    return (f"<{p}:Bsn>{c.bsn}</{p}:Bsn><{p}:Geboortedatum><{b}:Datum>{c.birth}</{b}:Datum>"
            f"</{p}:Geboortedatum><{p}:Geslacht>{c.gender}</{p}:Geslacht>{naam}")


def _total(p, b, tag, net):
    return (f"<{p}:{tag}><{b}:TotaalBedrag>{abs(net)}</{b}:TotaalBedrag>"
            f"<{b}:DebetCredit>{'D' if net >= 0 else 'C'}</{b}:DebetCredit></{p}:{tag}>")



def _unit(line) -> str:
    """The Eenheid of a claim line: 83 (euro) for a budget allocation, else the product's."""
    return "83" if line.seg.budget is not None else line.seg.product.unit


def _prestatie(p, b, line, extra=""):
    prod = line.seg.product
    prev = f"<{b}:VorigReferentieNummer>{line.prev}</{b}:VorigReferentieNummer>" if line.prev else ""
    return (f"<{p}:Prestatie><{p}:ProductReferentie><{b}:ReferentieNummer>{line.ref}</{b}:ReferentieNummer>"
            f"{prev}</{p}:ProductReferentie><{p}:ToewijzingNummer>{line.seg.number}</{p}:ToewijzingNummer>"
            f"<{p}:ProductCategorie>{prod.category}</{p}:ProductCategorie>"
            f"<{p}:ProductCode>{prod.code}</{p}:ProductCode>"
            f"<{p}:ProductPeriode><{b}:Begindatum>{line.begin}</{b}:Begindatum>"
            f"<{b}:Einddatum>{line.end}</{b}:Einddatum></{p}:ProductPeriode>"
            f"<{p}:GeleverdVolume>{line.volume}</{p}:GeleverdVolume><{p}:Eenheid>{_unit(line)}</{p}:Eenheid>"
            f"<{p}:ProductTarief>{line.tariff}</{p}:ProductTarief>"
            f"<{p}:IngediendBedrag><{b}:Bedrag>{line.volume * line.tariff}</{b}:Bedrag>"
            f"<{b}:DebetCredit>{line.dc}</{b}:DebetCredit></{p}:IngediendBedrag>{extra}</{p}:Prestatie>")



class XmlSink:
    """Renders every message as an iJw/iWmo 3.2 XML file under ``out``."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.dirs: dict = {}

    def _write(self, law, code, day, ident, text):
        key = (law, day.year, day.month, code)
        folder = self.dirs.get(key)
        if folder is None:
            path = self.out / LAW_FOLDER[law] / f"{day.year:04d}-{day.month:02d}" / code
            path.mkdir(parents=True, exist_ok=True)
            folder = self.dirs[key] = os.path.join(str(path), _FILE_PREFIX[law] + code + "_")
        with open(folder + ident + ".xml", "wb") as fh:
            fh.write(text.encode("utf-8"))

    def retour(self, law, rcode, sender, receiver, ident, day, rid, rday):
        p, b = f"{_MSG_PREFIX[law]}{rcode}", _BASE[law][0]
        extra = (f"<{p}:IdentificatieRetour>{rid}</{p}:IdentificatieRetour>"
                 f"<{p}:DagtekeningRetour>{rday}</{p}:DagtekeningRetour>"
                 + _xsd_versie(p, b, "XsdVersieRetour")
                 + f"<{p}:RetourCodes><{p}:RetourCode>{_OK}</{p}:RetourCode></{p}:RetourCodes>")
        text = _root(law, rcode, _header(law, rcode, sender, receiver, ident, day, extra))
        self._write(law, rcode, rday, ident, text)

    def allocation(self, law, client, prov, snapshot, d, ident):
        code = "301"
        p, b = f"{_MSG_PREFIX[law]}{code}", _BASE[law][0]
        parts = []
        for s, end in sorted(snapshot, key=lambda t: t[0].number):
            prod = s.product
            ref = f"<{p}:ReferentieAanbieder>{s.reference}</{p}:ReferentieAanbieder>" if s.reference else ""
            eind = f"<{p}:Einddatum>{end}</{p}:Einddatum>" if end is not None else ""
            reden = f"<{p}:RedenWijziging>01</{p}:RedenWijziging>" if s.short_date == d else ""
            parts.append(
                f"<{p}:ToegewezenProduct><{p}:ToewijzingNummer>{s.number}</{p}:ToewijzingNummer>{ref}"
                f"<{p}:Product>{_product(b, prod.category, prod.code)}</{p}:Product>"
                f"<{p}:Toewijzingsdatum>{s.issued}</{p}:Toewijzingsdatum>"
                f"<{p}:Toewijzingstijd>{9 + s.number % 8:02d}:{s.number % 60:02d}:00</{p}:Toewijzingstijd>"
                f"<{p}:Ingangsdatum>{s.start}</{p}:Ingangsdatum>{eind}{reden}"
                + (f"<{p}:Omvang>{_omvang(b, s.volume, prod.unit, prod.frequency)}</{p}:Omvang>"
                   if s.budget is None else f"<{p}:Budget>{s.budget}</{p}:Budget>")
                + f"</{p}:ToegewezenProduct>")
        body = (_header(law, code, MUNICIPALITY_CODE, prov.agb, ident, d)
                + f"<{p}:Client>{_client_head(p, b, client, True)}"
                f"<{p}:Contactgegevens><{p}:Contact><{p}:Soort>01</{p}:Soort></{p}:Contact></{p}:Contactgegevens>"
                f"<{p}:ToegewezenProducten>{''.join(parts)}</{p}:ToegewezenProducten></{p}:Client>\n")
        self._write(law, code, d, ident, _root(law, code, body))

    def start_stop(self, law, client, prov, s, code, d, ident, reason):
        p, b = f"{_MSG_PREFIX[law]}{code}", _BASE[law][0]
        tag = "StartProduct" if code == "305" else "StopProduct"
        stop = ""
        if code == "307":
            stop = (f"<{p}:RedenBeeindiging>{reason}</{p}:RedenBeeindiging>"
                    f"<{p}:Einddatum>{s.care_end}</{p}:Einddatum>")
        item = (f"<{p}:{tag}><{p}:ToewijzingNummer>{s.number}</{p}:ToewijzingNummer>"
                f"<{p}:Product>{_product(b, s.product.category, s.product.code)}</{p}:Product>"
                f"<{p}:ToewijzingIngangsdatum>{s.start}</{p}:ToewijzingIngangsdatum>"
                f"<{p}:Begindatum>{s.care_begin}</{p}:Begindatum>{stop}"
                f"<{p}:StatusAanlevering>1</{p}:StatusAanlevering></{p}:{tag}>")
        body = (_header(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)
                + f"<{p}:Client>{_client_head(p, b, client, False)}<{p}:{tag}en>{item}</{p}:{tag}en>"
                f"</{p}:Client>\n")
        self._write(law, code, d, ident, _root(law, code, body))

    def request(self, law, client, s, prov, d, ident, referrer, gp):
        code = "315"
        p, b = f"{_MSG_PREFIX[law]}{code}", _BASE[law][0]
        prod = s.product
        if referrer == "02":
            verwijzer = f"<{b}:Type>02</{b}:Type><{b}:ZorgverlenerCode>{gp}</{b}:ZorgverlenerCode>"
        else:
            verwijzer = f"<{b}:Type>{referrer}</{b}:Type><{b}:Naam>{_REFERRER_NAME[referrer]}</{b}:Naam>"
        eind = f"<{p}:ToewijzingEinddatum>{s.end}</{p}:ToewijzingEinddatum>" if s.end else ""
        body = (_header(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)
                + f"<{p}:Client>{_client_head(p, b, client, False)}"
                f"<{p}:AangevraagdeProducten><{p}:AangevraagdProduct>"
                f"<{p}:ReferentieAanbieder>{s.reference}</{p}:ReferentieAanbieder>"
                f"<{p}:Product>{_product(b, prod.category, prod.code)}</{p}:Product>"
                f"<{p}:ToewijzingIngangsdatum>{s.start}</{p}:ToewijzingIngangsdatum>{eind}"
                f"<{p}:Omvang>{_omvang(b, s.volume, prod.unit, prod.frequency)}</{p}:Omvang>"
                f"<{p}:Verwijzer>{verwijzer}</{p}:Verwijzer>"
                f"</{p}:AangevraagdProduct></{p}:AangevraagdeProducten></{p}:Client>\n")
        self._write(law, code, d, ident, _root(law, code, body))

    def change(self, law, client, prov, s, successor, others, d, ident, reference):
        code = "317"
        p, b = f"{_MSG_PREFIX[law]}{code}", _BASE[law][0]
        ongewijzigd = ""
        if others:
            ongewijzigd = (f"<{p}:OngewijzigdeProducten>"
                           + "".join(f"<{p}:OngewijzigdProduct><{p}:ToewijzingNummer>{t.number}"
                                     f"</{p}:ToewijzingNummer></{p}:OngewijzigdProduct>" for t in others)
                           + f"</{p}:OngewijzigdeProducten>")
        eind = f"<{p}:Einddatum>{successor.end}</{p}:Einddatum>" if successor.end else ""
        prod = s.product
        body = (_header(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)
                + f"<{p}:Client><{p}:Bsn>{client.bsn}</{p}:Bsn><{p}:Verzoek>"
                f"<{p}:ReferentieAanbieder>{reference}</{p}:ReferentieAanbieder>"
                f"<{p}:RedenVerzoek>1</{p}:RedenVerzoek>{ongewijzigd}"
                f"<{p}:TeWijzigenProducten><{p}:TeWijzigenProduct>"
                f"<{p}:ToewijzingNummer>{s.number}</{p}:ToewijzingNummer>"
                f"<{p}:GewensteIngangsdatum>{successor.start}</{p}:GewensteIngangsdatum>{eind}"
                f"<{p}:Omvang>{_omvang(b, successor.volume, prod.unit, prod.frequency)}</{p}:Omvang>"
                f"</{p}:TeWijzigenProduct></{p}:TeWijzigenProducten></{p}:Verzoek></{p}:Client>\n")
        self._write(law, code, d, ident, _root(law, code, body))

    def claim(self, law, prov, ident, day, number, ms, me, net, groups):
        code = "323"
        p, b = f"{_MSG_PREFIX[law]}{code}", _BASE[law][0]
        clients = "".join(
            f"<{p}:Client><{p}:Bsn>{bsn}</{p}:Bsn><{p}:Prestaties>"
            + "".join(_prestatie(p, b, line) for line in group)
            + f"</{p}:Prestaties></{p}:Client>\n" for bsn, group in groups.items())
        body = (_header(law, code, prov.agb, MUNICIPALITY_CODE, ident, day)
                + f"<{p}:Declaratie><{p}:DeclaratieNummer>{number}</{p}:DeclaratieNummer>"
                f"<{p}:DeclaratiePeriode><{b}:Begindatum>{ms}</{b}:Begindatum><{b}:Einddatum>{me}"
                f"</{b}:Einddatum></{p}:DeclaratiePeriode><{p}:DeclaratieDagtekening>{day}"
                f"</{p}:DeclaratieDagtekening>{_total(p, b, 'TotaalIngediendBedrag', net)}"
                f"<{p}:Clienten>\n{clients}</{p}:Clienten></{p}:Declaratie>\n")
        self._write(law, code, day, ident, _root(law, code, body))

    def answer(self, law, prov, ident, decl_ident, decl_day, day, number, net, granted, groups):
        code = "325"
        p, b = f"{_MSG_PREFIX[law]}{code}", _BASE[law][0]
        ok = f"<{p}:RetourCodes><{p}:RetourCode>{_OK}</{p}:RetourCode></{p}:RetourCodes>"
        rejected = []
        for bsn, group in groups.items():
            bad = [line for line in group if line.rejected]
            if bad:
                rejected.append(
                    f"<{p}:Client><{p}:Bsn>{bsn}</{p}:Bsn><{p}:Prestaties>"
                    + "".join(_prestatie(p, b, line, f"<{p}:RetourCodes><{p}:RetourCode>"
                                         f"{_reject_code(line)}"
                                         f"</{p}:RetourCode></{p}:RetourCodes>") for line in bad)
                    + f"</{p}:Prestaties>{ok}</{p}:Client>\n")
        extra = (f"<{p}:DeclaratieIdentificatie><{b}:Identificatie>{decl_ident}</{b}:Identificatie>"
                 f"<{b}:Dagtekening>{decl_day}</{b}:Dagtekening></{p}:DeclaratieIdentificatie>"
                 + _xsd_versie(p, b, "XsdVersieDeclaratie") + ok)
        clients = f"<{p}:Clienten>\n{''.join(rejected)}</{p}:Clienten>" if rejected else ""
        body = (_header(law, code, MUNICIPALITY_CODE, prov.agb, ident, day, extra)
                + f"<{p}:DeclaratieAntwoord><{p}:DeclaratieNummer>{number}</{p}:DeclaratieNummer>"
                + _total(p, b, "TotaalIngediendBedrag", net) + _total(p, b, "TotaalToegekendBedrag", granted)
                + f"{clients}{ok}</{p}:DeclaratieAntwoord>\n")
        self._write(law, code, day, ident, _root(law, code, body))
