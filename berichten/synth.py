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
one simulation (``_Generator``) hands every message to a sink: ``_XmlSink`` writes the file,
``_RowSink`` keeps the rows. This is the one synthetic municipality of the project: the demo
views, the tests and the benchmarks take their tables from here.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import numpy as np

from berichten.synth_catalog import (
    HABITS, JEUGD_PRODUCTS, PROVIDERS, TARIFF_INDEX, WMO_PRODUCTS, Product, Provider,
    providers_for,
)
from calc.errors import InputError

MUNICIPALITY_CODE = "9999"
MUNICIPALITY_NAME = "Gemeente Voorbeeld"

#: Message codes in the header (BerichtCode) per law, from ``codelijsten/berichtcode.csv``.
MESSAGE_CODES = {
    "jw": {"301": "436", "302": "437", "305": "438", "306": "439", "307": "440", "308": "441",
           "315": "446", "316": "447", "317": "486", "318": "487", "319": "488", "320": "489",
           "323": "490", "325": "491"},
    "wmo": {"301": "414", "302": "415", "305": "418", "306": "419", "307": "420", "308": "421",
            "315": "444", "316": "445", "317": "480", "318": "481", "319": "482", "320": "483",
            "323": "484", "325": "485"},
}
RETOUR_OF = {"301": "302", "305": "306", "307": "308", "315": "316", "317": "318"}
LAW_FOLDER = {"jw": "jeugd", "wmo": "wmo"}
_FOLDER_RANK = {law: sorted(LAW_FOLDER.values()).index(f) for law, f in LAW_FOLDER.items()}
_FILE_PREFIX = {"jw": "JW", "wmo": "WMO"}
_MSG_PREFIX = {"jw": "jw", "wmo": "wmo"}
_BASE = {
    "jw": ("ijw", "http://www.istandaarden.nl/ijw/3_2/basisschema/schema",
           "http://www.istandaarden.nl/ijw/3_2/jw{code}/schema"),
    "wmo": ("iwmo", "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema",
            "http://www.istandaarden.nl/iwmo/3_2/wmo{code}/schema"),
}

#: Per law: clients with care in a year at scale 1, yearly growth of the inflow, the monthly
#: seasonal pattern of the inflow (January first), the chance of a second product, the chance
#: of a change request (317), the stop reasons with their weights.
_LAW = {
    "jw": dict(clients_per_year=1500, growth=1.04,
               season=(1.05, 1.0, 1.1, 1.0, 1.0, 0.95, 0.7, 0.65, 1.15, 1.2, 1.15, 0.9),
               second=0.15, change=0.10,
               stops=(("31", 50), ("32", 8), ("33", 6), ("34", 12), ("35", 4), ("38", 10), ("39", 10))),
    "wmo": dict(clients_per_year=2500, growth=1.03,
                season=(1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.85, 0.95, 1.0, 1.05, 1.15),
                second=0.25, change=0.08,
                stops=(("02", 30), ("31", 30), ("32", 8), ("34", 10), ("36", 10), ("38", 6), ("39", 6))),
}
#: Referrers of youth care (codelijst verwijzer): "01" gemeente means no 315 request.
_REFERRERS = (("01", 30), ("02", 42), ("03", 6), ("04", 6), ("05", 10), ("06", 4), ("08", 2))
_REFERRER_NAME = {"03": "Jeugdarts GGD Voorbeeld", "04": "GI Regio Voorbeeld",
                  "05": "Kinderarts Ziekenhuis Voorbeeld", "06": "Zelfverwijzer",
                  "08": "Rechtbank Voorbeeld"}
#: Fictional AGB codes of general practitioners (huisartsen) who refer.
_GPS = tuple(f"0199{i:04d}" for i in range(1, 26))
_REJECT_CODES = ("8001", "9307", "9341", "9359")
_OK = "0200"
_DURATION_SIGMA = 0.8
_BSN_CAPACITY = 90_909  # valid 11-test numbers in 999000000..999999999
#: Scale that gives about one million claim lines in the default three years (920,888 at 8.0;
#: 1,039,114 at 9.0, seed 2026).
MILLION_SCALE = 9.0


def is_valid_bsn(bsn: str) -> bool:
    """The 11-test (elfproef) of a BSN: 9 digits, weights 9..2 and -1, sum divisible by 11.

    >>> is_valid_bsn("999990019"), is_valid_bsn("999990018"), is_valid_bsn("12345")
    (True, False, False)
    """
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0 and bsn != "000000000"


def synthetic_bsns():
    """All valid BSNs of the reserved test range 999000000..999999999, ascending.

    >>> from itertools import islice
    >>> list(islice(synthetic_bsns(), 2))
    ['999000007', '999000019']
    """
    # 999abcde + check digit: the 11-test fixes the last digit of each prefix (none when it
    # would be 10), so one candidate per prefix, in ascending order.
    for rest in range(100_000):
        a, b, c, d, e = (rest // 10_000, rest // 1000 % 10, rest // 100 % 10, rest // 10 % 10,
                         rest % 10)
        check = (9 * 9 + 8 * 9 + 7 * 9 + 6 * a + 5 * b + 4 * c + 3 * d + 2 * e) % 11
        if check < 10:
            yield f"999{rest:05d}{check}"


@dataclass
class SynthSummary:
    """Counts and ground truth of one generated municipality (amounts in eurocent).

    ``messages`` counts per law (``jw``/``wmo``) per message (``"301"`` ...); the ``*_per_year``
    mappings are per service year (the year of the ProductPeriode) unless named otherwise.
    ``claimed_*`` is what the 323 files hold, net (debit minus credit); ``granted`` what the
    written 325 answers granted; ``delivered`` the value of the care actually delivered that will
    be owed once all claims are in (so ``delivered - claimed`` is the late-claims truth);
    ``committed`` the allocated value (volume x frequency x tariff over the allocation's
    validity); ``clients_per_year`` the clients with delivered care in the year;
    ``inflow_per_month`` the new clients (first allocation starting) per month.
    """

    municipality_code: str
    municipality_name: str
    seed: int
    scale: float
    first_year: int
    years: int
    peildatum: str
    files: int = 0
    messages: dict[str, dict[str, int]] = field(default_factory=dict)
    claim_lines: int = 0
    claim_lines_debit: int = 0
    claim_lines_credit: int = 0
    rejected_lines: int = 0
    clients: dict[str, int] = field(default_factory=dict)
    clients_per_year: dict[str, dict[str, int]] = field(default_factory=dict)
    inflow_per_month: dict[str, dict[str, int]] = field(default_factory=dict)
    providers: int = 0
    provider_habits: dict[str, str] = field(default_factory=dict)
    claimed_net_cents: int = 0
    claimed_net_cents_per_year: dict[str, int] = field(default_factory=dict)
    claimed_net_cents_per_claim_year: dict[str, int] = field(default_factory=dict)
    claimed_net_cents_per_law_year: dict[str, dict[str, int]] = field(default_factory=dict)
    granted_cents: int = 0
    delivered_cents_per_year: dict[str, int] = field(default_factory=dict)
    delivered_cents_per_taakveld_year: dict[str, dict[str, int]] = field(default_factory=dict)
    committed_cents_per_year: dict[str, int] = field(default_factory=dict)

    @property
    def claimed_net_euro(self) -> float:
        return self.claimed_net_cents / 100

    def to_json(self) -> dict:
        """The Dutch ``samenvatting.json`` (euro amounts with two decimals)."""
        def euro(cents):
            return round(cents / 100, 2)

        def euros(mapping):
            return {k: euro(v) for k, v in mapping.items()}

        return {
            "gemeente": self.municipality_name,
            "gemeentecode": self.municipality_code,
            "seed": self.seed,
            "schaal": self.scale,
            "eerste_jaar": self.first_year,
            "jaren": self.years,
            "peildatum": self.peildatum,
            "bestanden": self.files,
            "berichten": self.messages,
            "declaratieregels": self.claim_lines,
            "declaratieregels_debet": self.claim_lines_debit,
            "declaratieregels_credit": self.claim_lines_credit,
            "afgewezen_regels": self.rejected_lines,
            "clienten": self.clients,
            "clienten_met_zorg_per_jaar": self.clients_per_year,
            "instroom_per_maand": self.inflow_per_month,
            "aanbieders": self.providers,
            "declaratiegedrag_per_aanbieder": self.provider_habits,
            "gedeclareerd_euro": euro(self.claimed_net_cents),
            "gedeclareerd_euro_per_jaar": euros(self.claimed_net_cents_per_year),
            "gedeclareerd_euro_per_declaratiejaar": euros(self.claimed_net_cents_per_claim_year),
            "gedeclareerd_euro_per_wet_per_jaar": {
                law: euros(v) for law, v in self.claimed_net_cents_per_law_year.items()},
            "toegekend_euro": euro(self.granted_cents),
            "geleverd_euro_per_jaar": euros(self.delivered_cents_per_year),
            "geleverd_euro_per_taakveld_per_jaar": {
                tv: euros(v) for tv, v in self.delivered_cents_per_taakveld_year.items()},
            "verplicht_euro_per_jaar": euros(self.committed_cents_per_year),
            "_toelichting": {
                "bedragen": "euro; per jaar = jaar van de ProductPeriode, tenzij anders genoemd",
                "gedeclareerd": "netto (debet min credit) in de 323-bestanden",
                "geleverd": "waarde van de geleverde zorg die uiteindelijk gedeclareerd wordt "
                            "(ook wat na de peildatum nog komt): geleverd - gedeclareerd = "
                            "nagekomen declaraties",
                "verplicht": "toegewezen volume x frequentie x tarief over de geldigheid",
            },
        }

    @classmethod
    def from_json_file(cls, path: Path) -> dict:
        """Read a ``samenvatting.json`` back (as the Dutch mapping)."""
        return json.loads(Path(path).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- model


class _Client:
    __slots__ = ("bsn", "law", "birth", "gender", "initial", "written")

    def __init__(self, bsn, law, birth, gender, initial):
        self.bsn, self.law, self.birth, self.gender, self.initial = bsn, law, birth, gender, initial
        self.written = False


class _Seg:
    """One allocation (ToewijzingNummer) with its lifecycle."""

    __slots__ = ("number", "client", "provider", "product", "issued", "issued_msg", "start", "end",
                 "volume", "short_date", "short_end", "care_begin", "care_end", "u", "reference",
                 "stopped")

    def __init__(self, number, client, provider, product, issued, start, end, volume, u):
        self.number, self.client, self.provider, self.product = number, client, provider, product
        self.issued, self.start, self.end, self.volume, self.u = issued, start, end, volume, u
        self.issued_msg = issued
        self.short_date = None
        self.short_end = None
        self.care_begin = None
        self.care_end = None
        self.reference = None
        self.stopped = False

    def end_at(self, d):
        """Einddatum as known on date ``d``."""
        if self.short_date is not None and self.short_date <= d:
            return self.short_end
        return self.end


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    last = (date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(d.day, last))


# --------------------------------------------------------------------------- XML text


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


# --------------------------------------------------------------------------- sinks


class _XmlSink:
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
                f"<{p}:Omvang>{_omvang(b, s.volume, prod.unit, prod.frequency)}</{p}:Omvang>"
                f"</{p}:ToegewezenProduct>")
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


class _RowSink:
    """Keeps, for every message, the store rows its import would give (``berichten.rows``
    layout, amounts in eurocent, dates as ISO text) — without writing or parsing XML.

    The BSN goes through ``keyring`` here, as the importer does; ``file_id`` is a number that
    sorts like the file's path (law folder, month, message, identification), so the store's
    ``ORDER BY file_id, position`` gives the rows in the order an import of the files gives.
    """

    def __init__(self, keyring, con):
        from berichten.importer import FLUSH_ROWS, RowBuffers

        self.keyring = keyring
        self.con = con
        self.buffers = RowBuffers()
        self.limit = FLUSH_ROWS
        self.pseudonyms: dict[str, str] = {}

    def flush(self):
        """Insert the kept rows into the store's tables (as the importer does)."""
        self.buffers.flush(self.con)

    def _client(self, bsn):
        out = self.pseudonyms.get(bsn)
        if out is None:
            out = self.pseudonyms[bsn] = self.keyring.pseudonym(MUNICIPALITY_CODE, bsn)
        return out

    @staticmethod
    def _file_id(law, code, day, ident):
        """``<law folder>/<YYYY-MM>/<code>/<PREFIX><code>_<ident>.xml`` as one sortable number."""
        return ((((_FOLDER_RANK[law] * 10_000 + day.year) * 100 + day.month) * 1000 + int(code))
                * 1_000_000_000 + int(ident[3:]))

    def _put(self, table, rows, file_id):
        append = self.buffers.append
        for position, row in enumerate(rows, start=1):
            append(table, row, file_id, position)
        if self.buffers.size >= self.limit:
            self.flush()

    def retour(self, law, rcode, sender, receiver, ident, day, rid, rday):
        pass  # a retour holds no rows (only its header in the store's message log)

    def allocation(self, law, client, prov, snapshot, d, ident):
        pseudonym, day = self._client(client.bsn), d.isoformat()
        rows = []
        for s, end in sorted(snapshot, key=lambda t: t[0].number):
            prod = s.product
            rows.append((law, MUNICIPALITY_CODE, prov.agb, pseudonym, day, ident, str(s.number),
                         prod.category, prod.code, s.start.isoformat(),
                         None if end is None else end.isoformat(), s.volume, prod.unit,
                         prod.frequency, None, "01" if s.short_date == d else None))
        self._put("allocation_rows", rows, self._file_id(law, "301", d, ident))

    def start_stop(self, law, client, prov, s, code, d, ident, reason):
        kind, day = ("start", s.care_begin) if code == "305" else ("stop", s.care_end)
        row = (law, MUNICIPALITY_CODE, prov.agb, self._client(client.bsn), str(s.number),
               s.product.category, s.product.code, kind, day.isoformat(), reason, "1",
               d.isoformat())
        self._put("starts_stops", [row], self._file_id(law, code, d, ident))

    def request(self, law, client, s, prov, d, ident, referrer, gp):
        row = (law, MUNICIPALITY_CODE, prov.agb, self._client(client.bsn), "315", s.reference,
               s.product.category, s.product.code, referrer, d.isoformat())
        self._put("requests", [row], self._file_id(law, "315", d, ident))

    def change(self, law, client, prov, s, successor, others, d, ident, reference):
        # a TeWijzigenProduct names the allocation, not the product or a referrer
        row = (law, MUNICIPALITY_CODE, prov.agb, self._client(client.bsn), "317", reference,
               None, None, None, d.isoformat())
        self._put("requests", [row], self._file_id(law, "317", d, ident))

    def claim(self, law, prov, ident, day, number, ms, me, net, groups):
        claim_month = ms.isoformat()
        rows = []
        for bsn, group in groups.items():
            pseudonym = self._client(bsn)
            for line in group:
                prod = line.seg.product
                sign = 1 if line.dc == "D" else -1
                rows.append((law, MUNICIPALITY_CODE, prov.agb, pseudonym, number, line.ref,
                             line.prev, str(line.seg.number), prod.category, prod.code,
                             line.begin.replace(day=1).isoformat(), claim_month,
                             sign * line.volume, prod.unit, line.tariff,
                             sign * line.volume * line.tariff, line.dc))
        self._put("claim_lines", rows, self._file_id(law, "323", day, ident))

    def answer(self, law, prov, ident, decl_ident, decl_day, day, number, net, granted, groups):
        file_id = self._file_id(law, "325", day, ident)
        rows = [(law, MUNICIPALITY_CODE, prov.agb, number, line.ref, _reject_code(line),
                 (1 if line.dc == "D" else -1) * line.volume * line.tariff)
                for group in groups.values() for line in group if line.rejected]
        self._put("rejected_lines", rows, file_id)
        # the DeclaratieAntwoord record follows its rejected Prestaties in the file
        self.buffers.append("claim_answers", (law, MUNICIPALITY_CODE, prov.agb, number, net,
                                              granted, len(rows), day.isoformat()),
                            file_id, len(rows) + 1)


# --------------------------------------------------------------------------- generator


class _Generator:
    """The simulation: clients, allocations, claims and answers, in the order messages are sent.

    Every message goes to ``sink`` (``_XmlSink`` writes the XML file, ``_RowSink`` keeps the
    rows its import gives); the random draws and identifiers do not depend on the sink, so both
    give the same municipality and the same ``SynthSummary``.
    """

    def __init__(self, sink, seed: int, scale: float, first_year: int, years: int,
                 retours: bool = True, only: frozenset | None = None):
        self.sink = sink
        self.retours = retours
        self.only = only
        self.seed, self.scale, self.first_year, self.years = seed, scale, first_year, years
        self.rng = random.Random(seed)
        self.nprng = np.random.default_rng(seed)
        self.first_day = date(first_year, 1, 1)
        self.horizon_end = date(first_year + years - 1, 12, 31)
        self.peildatum = date(first_year + years, 1, 15)
        d = date(first_year, 1, 2)
        while d.weekday() >= 5:
            d += timedelta(days=1)
        self.first_msg = d
        self.n_months = 12 * years
        self.month_start = [_add_months(self.first_day, k) for k in range(self.n_months + 1)]
        self.bsns = synthetic_bsns()
        self.n_bsn = 0
        self.msg_seq = 0
        self.alloc_seq = {"jw": 1_000_000, "wmo": 5_000_000}
        self.req_seq = 0
        self.ref_seq = defaultdict(int)
        self.segments: list[_Seg] = []
        self.clients: dict[str, list[_Client]] = {"jw": [], "wmo": []}
        self.summary = SynthSummary(MUNICIPALITY_CODE, MUNICIPALITY_NAME, seed, scale, first_year,
                                    years, self.peildatum.isoformat())
        self.summary.messages = {law: defaultdict(int) for law in ("jw", "wmo")}

    # ---- small helpers

    def _ident(self, code: str) -> str:
        self.msg_seq += 1
        return f"{code}{self.msg_seq:09d}"

    def _skip(self, code: str) -> bool:
        """True when ``only`` leaves this message out (its identifier is still drawn)."""
        return self.only is not None and code not in self.only

    def _count(self, law, code):
        """One message sent (a file written, or its rows kept)."""
        self.summary.files += 1
        self.summary.messages[law][code] += 1

    def _retour(self, law, code, sender, receiver, ident, day):
        """The header-only retour (approved, 0200) of a message, a day later."""
        rcode = RETOUR_OF[code]
        rday = day + timedelta(days=1)
        if not self.retours or rday > self.peildatum:
            return
        rid = self._ident(rcode)
        if self._skip(rcode):
            return
        self.sink.retour(law, rcode, sender, receiver, ident, day, rid, rday)
        self._count(law, rcode)

    def _new_client(self, law, t0):
        try:
            bsn = next(self.bsns)
        except StopIteration:
            raise InputError(f"schaal {self.scale} is te groot: er zijn maar {_BSN_CAPACITY} "
                             "synthetische BSN's in de testreeks 999", argument="scale") from None
        rng = self.rng
        if law == "jw":
            age = rng.choices(range(18), weights=(2, 2, 3, 3, 4, 5, 6, 7, 8, 8, 8, 8, 9, 9, 9, 8, 7, 5))[0]
        else:
            age = 18 + int(rng.betavariate(4.0, 1.6) * 80)
        birth = t0 - timedelta(days=age * 365 + rng.randrange(365))
        c = _Client(bsn, law, birth, rng.choice("1122120"), rng.choice("ABCDEFGHIJKLMNOPRSTVW"))
        self.clients[law].append(c)
        return c

    def _duration_days(self, product: Product) -> int:
        z = self.rng.lognormvariate(-_DURATION_SIGMA ** 2 / 2, _DURATION_SIGMA)
        return max(14, int(product.months * 30.44 * z))

    def _pick_provider(self, code: str, prefer: Provider | None = None) -> Provider:
        cands = providers_for(code)
        if prefer is not None and prefer in cands:
            return prefer
        return self.rng.choices(cands, weights=[p.size for p in cands])[0]

    def _utilisation(self, product: Product) -> float:
        m = product.utilisation
        if m >= 1.0:
            return 1.0
        return min(1.0, max(0.3, self.rng.betavariate(m * 14, (1 - m) * 14)))

    # ---- clients and allocations

    def simulate(self):
        for law, products in (("jw", JEUGD_PRODUCTS), ("wmo", WMO_PRODUCTS)):
            self._simulate_law(law, products)

    def _simulate_law(self, law, products):
        par = _LAW[law]
        weights = [p.weight for p in products]
        mean_months = sum(p.months * p.weight for p in products) / sum(weights)
        inflow = par["clients_per_year"] / (mean_months + 12) * self.scale
        stock = round(inflow * mean_months)
        rng = self.rng
        stock_weights = [p.weight * p.months for p in products]
        for _ in range(stock):
            product = rng.choices(products, weights=stock_weights)[0]
            window = int(4 * product.months * 30.44)
            while True:
                t0 = self.first_day - timedelta(days=1 + rng.randrange(window))
                duration = self._duration_days(product)
                if t0 + timedelta(days=duration) >= self.first_day:
                    break
            self._episode(law, products, weights, product, t0, duration)
        season = par["season"]
        norm = sum(season) / 12
        for k in range(self.n_months):
            start = self.month_start[k]
            lam = inflow * season[start.month - 1] / norm * par["growth"] ** (k / 12)
            n = int(self.nprng.poisson(lam))
            self.summary.inflow_per_month.setdefault(law, {})[f"{start.year:04d}-{start.month:02d}"] = n
            days = (self.month_start[k + 1] - start).days
            for t in sorted(rng.randrange(days) for _ in range(n)):
                product = rng.choices(products, weights=weights)[0]
                t0 = start + timedelta(days=t)
                self._episode(law, products, weights, product, t0, self._duration_days(product))

    def _episode(self, law, products, weights, product, t0, duration):
        rng = self.rng
        client = self._new_client(law, t0)
        provider = self._pick_provider(product.code)
        referrer = None
        if law == "jw":
            if product.category in ("47", "48"):
                referrer = "08" if rng.random() < 0.8 else "04"
            else:
                referrer = rng.choices([r for r, _ in _REFERRERS], weights=[w for _, w in _REFERRERS])[0]
        plan = [(product, provider, t0, duration)]
        if rng.random() < _LAW[law]["second"]:
            pair = {"41A01": "42A01", "07A01": "08A01", "07A02": "08A01"}.get(product.code)
            if pair is None:
                others = [p for p in products if p.category != product.category]
                second = rng.choices(others, weights=[p.weight for p in others])[0]
                prov2 = self._pick_provider(second.code)
                plan.append((second, prov2, t0 + timedelta(days=rng.randrange(60)),
                             self._duration_days(second)))
            else:
                from berichten.synth_catalog import PRODUCTS
                second = PRODUCTS[pair]
                plan.append((second, self._pick_provider(pair, provider), t0, duration))
        segs = []
        for prod, prov, start, dur in plan:
            segs.extend(self._allocations(law, client, prod, prov, start, dur))
        if not segs:
            return
        self._write_client_messages(law, client, segs, referrer)

    def _allocations(self, law, client, product, provider, t0, duration):
        """The chain of allocations of one product at one provider, with care begin and stop."""
        rng = self.rng
        months = product.allocation_months
        if months is None and rng.random() < 0.4:
            months = 36
        volume = rng.randint(*product.volume)
        care_begin = t0 + timedelta(days=rng.randrange(15))
        care_stop = care_begin + timedelta(days=duration)
        change_at = None
        lo, hi = product.volume
        if hi > lo and duration > 120 and rng.random() < _LAW[law]["change"]:
            change_at = care_begin + timedelta(days=rng.randint(45, duration - 60))
        u = self._utilisation(product)
        issued = t0 - timedelta(days=rng.randrange(11))
        start = t0
        chain: list[_Seg] = []
        while True:
            end = None if months is None else _add_months(start, months) - timedelta(days=1)
            self.alloc_seq[law] += 1
            seg = _Seg(self.alloc_seq[law], client, provider, product, issued, start, end, volume, u)
            seg.care_begin = max(start, care_begin)
            chain.append(seg)
            if change_at is not None and start < change_at and (end is None or change_at <= end):
                # 317 change: shorten this allocation, a new one with the new volume from change_at
                seg.short_date = change_at - timedelta(days=rng.randrange(8))
                seg.short_end = change_at - timedelta(days=1)
                seg.care_end = seg.short_end
                factor = rng.uniform(1.3, 1.6) if rng.random() < 0.7 else rng.uniform(0.5, 0.8)
                volume = max(lo, min(hi * 2, round(volume * factor)))
                if volume == seg.volume:
                    volume = seg.volume + 1
                issued, start = seg.short_date, change_at
                change_at = None
                u = min(1.0, max(0.3, u + rng.uniform(-0.05, 0.05)))
                continue
            if end is None or care_stop <= end:
                seg.care_end = care_stop if care_stop <= self.horizon_end else None
                seg.stopped = care_stop <= self.horizon_end
                if care_stop <= self.horizon_end and (end is None or care_stop < end - timedelta(days=7)):
                    if end is None or rng.random() < 0.6:
                        seg.short_date = care_stop + timedelta(days=rng.randint(5, 25))
                        seg.short_end = care_stop
                break
            seg.care_end = end
            issued = end - timedelta(days=rng.randint(7, 28))
            start = end + timedelta(days=1)
            if issued > self.peildatum or start > self.horizon_end:
                break
        kept = []
        for seg in chain:
            final_end = seg.end_at(self.peildatum)
            if final_end is not None and final_end < self.first_day:
                continue  # ended before the data starts
            if seg.issued > self.peildatum:
                continue
            seg.issued_msg = max(seg.issued, self.first_msg)
            if seg.short_date is not None and seg.short_date > self.peildatum:
                seg.short_date = seg.short_end = None
            kept.append(seg)
            self.segments.append(seg)
        return kept

    # ---- client-level messages

    def _snapshot(self, segs, d):
        out = []
        for s in segs:
            if s.issued_msg > d:
                continue
            end = s.end_at(d)
            if end is not None and end < d and s.short_date != d and s.issued_msg != d:
                continue
            out.append((s, end))
        return out

    def _write_client_messages(self, law, client, segs, referrer):
        by_provider: dict[int, list[_Seg]] = {}
        for s in segs:
            by_provider.setdefault(s.provider.index, []).append(s)
        rng = self.rng
        for pidx in sorted(by_provider):
            psegs = sorted(by_provider[pidx], key=lambda s: s.number)
            prov = psegs[0].provider
            # 315 request before the first allocation (youth care with another referrer)
            first = psegs[0]
            if law == "jw" and referrer not in (None, "01") and first.issued == first.issued_msg:
                d315 = first.issued - timedelta(days=rng.randint(3, 20))
                if d315 >= self.first_msg:
                    self._write_315(law, client, first, prov, d315, referrer)
            # 301 snapshots on every issue or shortening
            dates = sorted({s.issued_msg for s in psegs}
                           | {s.short_date for s in psegs if s.short_date is not None})
            for d in dates:
                if d <= self.peildatum:
                    self._write_301(law, client, prov, self._snapshot(psegs, d), d)
            # 305 per allocation with care, 307 stops and 317 change requests
            for s in psegs:
                if s.care_end is not None and s.care_end < s.care_begin:
                    continue
                d305 = max(s.care_begin + timedelta(days=rng.randint(1, 10)), s.issued_msg)
                if d305 <= self.peildatum:
                    self._write_start_stop(law, client, prov, s, "305", d305)
                successor = next((t for t in psegs if t.start == (s.short_end or s.end or date.max)
                                  + timedelta(days=1) and t.product is s.product), None) \
                    if s.short_end is not None or s.end is not None else None
                if s.short_end is not None and successor is not None and s.care_end == s.short_end:
                    # change of volume: 317 before, 307 with reason 37 after
                    d317 = s.short_date - timedelta(days=rng.randint(10, 25))
                    if d317 >= self.first_msg:
                        self._write_317(law, client, prov, s, successor, psegs, d317)
                    d307 = max(s.short_end + timedelta(days=rng.randint(1, 10)), self.first_msg)
                    if d307 <= self.peildatum:
                        self._write_start_stop(law, client, prov, s, "307", d307, "37")
                elif s.stopped:
                    d307 = s.care_end + timedelta(days=rng.randint(1, 14))
                    if s.short_date is not None:
                        d307 = min(d307, s.short_date - timedelta(days=1))
                    d307 = max(d307, s.care_end, self.first_msg)
                    if d307 <= self.peildatum:
                        reason = rng.choices([r for r, _ in _LAW[law]["stops"]],
                                             weights=[w for _, w in _LAW[law]["stops"]])[0]
                        self._write_start_stop(law, client, prov, s, "307", d307, reason)
            client.written = True

    def _write_301(self, law, client, prov, snapshot, d):
        if not snapshot:
            return  # a 301 carries at least one ToegewezenProduct (XSD); nothing to send
        code = "301"
        ident = self._ident(code)
        if not self._skip(code):
            self.sink.allocation(law, client, prov, snapshot, d, ident)
            self._count(law, code)
        self._retour(law, code, MUNICIPALITY_CODE, prov.agb, ident, d)

    def _write_start_stop(self, law, client, prov, s, code, d, reason=None):
        ident = self._ident(code)
        if not self._skip(code):
            self.sink.start_stop(law, client, prov, s, code, d, ident, reason)
            self._count(law, code)
        self._retour(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)

    def _write_315(self, law, client, s, prov, d, referrer):
        code = "315"
        ident = self._ident(code)
        self.req_seq += 1
        s.reference = f"AV{prov.agb}{self.req_seq:08d}"
        gp = self.rng.choice(_GPS) if referrer == "02" else None
        if not self._skip(code):
            self.sink.request(law, client, s, prov, d, ident, referrer, gp)
            self._count(law, code)
        self._retour(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)

    def _write_317(self, law, client, prov, s, successor, psegs, d):
        code = "317"
        ident = self._ident(code)
        self.req_seq += 1
        if not self._skip(code):
            others = [t for t, _ in self._snapshot(psegs, d) if t is not s]
            reference = f"VW{prov.agb}{self.req_seq:08d}"
            self.sink.change(law, client, prov, s, successor, others, d, ident, reference)
            self._count(law, code)
        self._retour(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)

    # ---- claims (323) and answers (325)

    def claims(self):
        """Month by month: the care delivered, claimed in the claim month the habit decides."""
        rng = self.rng
        s = self.summary
        n = self.n_months
        tariffs = {}
        lag_cum = {}
        for name, habit in HABITS.items():
            total = sum(habit.lag_weights)
            lag_cum[name] = [w / total for w in accumulate(habit.lag_weights)][:-1]
        buckets: list[dict] = [defaultdict(list) for _ in range(n)]
        by_first_month: list[list] = [[] for _ in range(n)]
        for seg in self.segments:
            final = seg.end_at(self.peildatum)
            a0, a1 = max(seg.start, self.first_day), min(final or self.horizon_end, self.horizon_end)
            c0 = max(seg.care_begin, self.first_day)
            c1 = min(seg.care_end or self.horizon_end, self.horizon_end, final or self.horizon_end)
            first = min(a0, c0)
            last = max(a1, c1)
            if last < first or first > self.horizon_end:
                continue
            total = ((seg.end - seg.start).days + 1) if seg.end is not None else None
            k0 = (first.year - self.first_year) * 12 + first.month - 1
            k1 = (last.year - self.first_year) * 12 + last.month - 1
            by_first_month[k0].append((seg, a0, a1, c0, c1, k1, total))
        active: list = []
        delivered = defaultdict(int)
        per_taakveld = defaultdict(lambda: defaultdict(int))
        committed = defaultdict(int)
        with_care = {"jw": [set() for _ in range(self.years)], "wmo": [set() for _ in range(self.years)]}
        for k in range(n):
            ms, me = self.month_start[k], self.month_start[k + 1] - timedelta(days=1)
            mdays = me.day
            yi = k // 12
            year = str(self.first_year + yi)
            active = [a for a in active if a[5] >= k] + by_first_month[k]
            for seg, a0, a1, c0, c1, k1, total in active:
                prod = seg.product
                key = (prod.code, yi)
                tariff = tariffs.get(key)
                if tariff is None:
                    tariff = tariffs[key] = round(prod.tariff * TARIFF_INDEX ** yi)
                freq = prod.frequency
                adays = (min(a1, me) - max(a0, ms)).days + 1
                if adays > 0:
                    committed[year] += round(_allocated(seg.volume, freq, adays, mdays, total) * tariff)
                if prod.trajectory:
                    if not (seg.stopped and c1 == seg.care_end and ms <= c1 <= me):
                        continue
                    volume = 1
                else:
                    cdays = (min(c1, me) - max(c0, ms)).days + 1
                    if cdays <= 0:
                        continue
                    alloc = _allocated(seg.volume, freq, cdays, mdays, total)
                    volume = min(round(alloc), round(alloc * seg.u * rng.uniform(0.85, 1.1)))
                    if volume <= 0:
                        continue
                amount = volume * tariff
                delivered[year] += amount
                per_taakveld[prod.taakveld][year] += amount
                with_care[prod.law][yi].add(seg.client.bsn)
                habit = HABITS[seg.provider.habit]
                lag = bisect_right(lag_cum[habit.name], rng.random())
                claimed = volume
                if rng.random() < habit.error_rate:
                    claimed = volume + max(1, round(volume * rng.uniform(0.05, 0.3)))
                if k + lag < n:
                    line = _Line(seg, k, max(c0, ms), min(c1, me), claimed, tariff, "D", None, volume)
                    buckets[k + lag][(prod.law, seg.provider.index)].append(line)
            for (law, pidx), lines in sorted(buckets[k].items()):
                self._claim(law, PROVIDERS[pidx], k, lines, buckets, delivered, per_taakveld)
            buckets[k] = None
        s.delivered_cents_per_year = dict(delivered)
        s.delivered_cents_per_taakveld_year = {tv: dict(v) for tv, v in sorted(per_taakveld.items())}
        s.committed_cents_per_year = dict(committed)
        s.clients_per_year = {law: {str(self.first_year + i): len(v) for i, v in enumerate(sets)}
                              for law, sets in with_care.items()}

    def _claim(self, law, prov: Provider, c, lines, buckets, delivered, per_taakveld):
        rng = self.rng
        s = self.summary
        habit = HABITS[prov.habit]
        for line in lines:
            self.ref_seq[prov.index] += 1
            line.ref = f"{prov.agb}{self.ref_seq[prov.index]:010d}"
            line.rejected = (line.dc == "D" and line.prev is None and not line.resubmit
                             and rng.random() < habit.reject_rate)
        code = "323"
        ident = self._ident(code)
        day = self.month_start[c + 1] + timedelta(days=1 + prov.index % 8)
        ms, me = self.month_start[c], self.month_start[c + 1] - timedelta(days=1)
        number = f"D{prov.agb[4:]}{ms.year % 100:02d}{ms.month:02d}{_FILE_PREFIX[law][0]}"
        groups: dict[str, list] = {}
        net = 0
        granted = 0
        n_rejected = 0
        for line in lines:
            groups.setdefault(line.seg.client.bsn, []).append(line)
            amount = line.volume * line.tariff
            sign = 1 if line.dc == "D" else -1
            net += sign * amount
            if line.rejected:
                n_rejected += 1
            else:
                granted += sign * amount
            year = str(self.first_year + line.k // 12)
            s.claimed_net_cents_per_year[year] = s.claimed_net_cents_per_year.get(year, 0) + sign * amount
            per_law = s.claimed_net_cents_per_law_year.setdefault(law, {})
            per_law[year] = per_law.get(year, 0) + sign * amount
            if sign > 0:
                s.claim_lines_debit += 1
            else:
                s.claim_lines_credit += 1
        cyear = str(ms.year)
        s.claimed_net_cents_per_claim_year[cyear] = s.claimed_net_cents_per_claim_year.get(cyear, 0) + net
        s.claimed_net_cents += net
        s.claim_lines += len(lines)
        if not self._skip(code):
            self.sink.claim(law, prov, ident, day, number, ms, me, net, groups)
            self._count(law, code)
        answer_day = day + timedelta(days=rng.randint(7, 16))
        if answer_day <= self.peildatum:
            self._write_325(law, prov, ident, day, answer_day, number, net, granted, groups)
            s.granted_cents += granted
            s.rejected_lines += n_rejected
        self._follow_up(law, prov, c, lines, buckets, delivered, per_taakveld)

    def _follow_up(self, law, prov, c, lines, buckets, delivered, per_taakveld):
        """What follows from the answer: resubmissions and corrections in later claim months."""
        rng = self.rng
        n = self.n_months
        for line in lines:
            if line.rejected:
                if rng.random() < 0.6:
                    if c + 1 < n:
                        again = _Line(line.seg, line.k, line.begin, line.end, line.true_volume,
                                      line.tariff, "D", None, line.true_volume)
                        again.resubmit = True
                        buckets[c + 1][(law, prov.index)].append(again)
                else:
                    amount = line.true_volume * line.tariff
                    year = str(self.first_year + line.k // 12)
                    delivered[year] -= amount
                    per_taakveld[line.seg.product.taakveld][year] -= amount
            elif line.dc == "D" and line.volume != line.true_volume:
                c2 = c + rng.randint(1, 3)
                if c2 < n:
                    credit = _Line(line.seg, line.k, line.begin, line.end, line.volume, line.tariff,
                                   "C", line.ref, line.true_volume)
                    rebill = _Line(line.seg, line.k, line.begin, line.end, line.true_volume,
                                   line.tariff, "D", line.ref, line.true_volume)
                    buckets[c2][(law, prov.index)].extend((credit, rebill))

    def _write_325(self, law, prov, decl_ident, decl_day, day, number, net, granted, groups):
        code = "325"
        ident = self._ident(code)
        if self._skip(code):
            return
        self.sink.answer(law, prov, ident, decl_ident, decl_day, day, number, net, granted, groups)
        self._count(law, code)

    def finish(self) -> SynthSummary:
        s = self.summary
        s.messages = {law: dict(sorted(v.items())) for law, v in s.messages.items()}
        s.clients = {law: sum(1 for c in cs if c.written) for law, cs in self.clients.items()}
        used = sorted({seg.provider.index for seg in self.segments})
        s.providers = len(used)
        s.provider_habits = {PROVIDERS[i].agb: PROVIDERS[i].habit for i in used}
        for name in ("claimed_net_cents_per_year", "claimed_net_cents_per_claim_year",
                     "delivered_cents_per_year", "committed_cents_per_year"):
            setattr(s, name, dict(sorted(getattr(s, name).items())))
        s.claimed_net_cents_per_law_year = {law: dict(sorted(v.items()))
                                            for law, v in sorted(s.claimed_net_cents_per_law_year.items())}
        return s


class _Line:
    """One claim line (323 Prestatie) on its way to a claim file."""

    __slots__ = ("seg", "k", "begin", "end", "volume", "tariff", "dc", "prev", "true_volume",
                 "ref", "rejected", "resubmit")

    def __init__(self, seg, k, begin, end, volume, tariff, dc, prev, true_volume):
        self.seg, self.k, self.begin, self.end = seg, k, begin, end
        self.volume, self.tariff, self.dc, self.prev = volume, tariff, dc, prev
        self.true_volume = true_volume
        self.ref = None
        self.rejected = False
        self.resubmit = False


def _allocated(volume, frequency, days, month_days, total_days):
    """Allocated volume over ``days`` days of one month (Frequentie 1 dag, 2 week, 4 maand, 6 totaal)."""
    if frequency == "1":
        return volume * days
    if frequency == "2":
        return volume * days / 7
    if frequency == "4":
        return volume * days / month_days
    return volume * days / total_days if total_days else 0.0


def _total(p, b, tag, net):
    return (f"<{p}:{tag}><{b}:TotaalBedrag>{abs(net)}</{b}:TotaalBedrag>"
            f"<{b}:DebetCredit>{'D' if net >= 0 else 'C'}</{b}:DebetCredit></{p}:{tag}>")


def _reject_code(line):
    """The retourcode of a rejected claim line (from the basisschema enumeration)."""
    return _REJECT_CODES[line.seg.number % len(_REJECT_CODES)]


def _prestatie(p, b, line, extra=""):
    prod = line.seg.product
    prev = f"<{b}:VorigReferentieNummer>{line.prev}</{b}:VorigReferentieNummer>" if line.prev else ""
    return (f"<{p}:Prestatie><{p}:ProductReferentie><{b}:ReferentieNummer>{line.ref}</{b}:ReferentieNummer>"
            f"{prev}</{p}:ProductReferentie><{p}:ToewijzingNummer>{line.seg.number}</{p}:ToewijzingNummer>"
            f"<{p}:ProductCategorie>{prod.category}</{p}:ProductCategorie>"
            f"<{p}:ProductCode>{prod.code}</{p}:ProductCode>"
            f"<{p}:ProductPeriode><{b}:Begindatum>{line.begin}</{b}:Begindatum>"
            f"<{b}:Einddatum>{line.end}</{b}:Einddatum></{p}:ProductPeriode>"
            f"<{p}:GeleverdVolume>{line.volume}</{p}:GeleverdVolume><{p}:Eenheid>{prod.unit}</{p}:Eenheid>"
            f"<{p}:ProductTarief>{line.tariff}</{p}:ProductTarief>"
            f"<{p}:IngediendBedrag><{b}:Bedrag>{line.volume * line.tariff}</{b}:Bedrag>"
            f"<{b}:DebetCredit>{line.dc}</{b}:DebetCredit></{p}:IngediendBedrag>{extra}</{p}:Prestatie>")


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
             only: Collection[str] | None = None) -> SynthSummary:
    """Write the messages of Gemeente Voorbeeld into ``out_dir`` and return the summary.

    Deterministic: the same arguments give byte-identical files. ``scale`` multiplies the
    number of clients (1.0: a municipality of about 60,000 inhabitants). Refuses a folder that
    already holds generated messages, so two runs never mix. ``retours=False`` leaves out the
    header-only retour messages (302, 306, 308, 316, 318), which carry no data beyond "0200
    approved" but double the number of files. ``only`` writes only the named messages (e.g.
    ``("323",)`` for a claims-only benchmark set); the simulation, the identifiers and the ground
    truth stay exactly the same, the file counts cover what was written.
    """
    _check_arguments(scale, first_year, years, only)
    out = Path(out_dir)
    for folder in LAW_FOLDER.values():
        if (out / folder).exists():
            raise InputError(f"de map {out} bevat al berichten ({folder}/); kies een lege map",
                             argument="uit")
    out.mkdir(parents=True, exist_ok=True)
    gen = _Generator(_XmlSink(out), seed, float(scale), first_year, years, retours,
                     None if only is None else frozenset(only))
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
                     years: int = 3, keyring=None) -> SynthTables:
    """The record tables an import of ``generate(...)``'s messages gives, made in memory.

    The same simulation as :func:`generate` with the same arguments (``retours=True``, so the
    summary is the same too), but every message goes straight to the rows its import would give
    (``berichten.rows`` layout, BSN replaced by its pseudonym) instead of to an XML file. The
    rows are loaded into an in-memory :class:`berichten.store.Store`, whose own queries (euro,
    ``datetime64[ns]``, the validity history of the 301 snapshots) give the tables: the same
    frames, in the same order, as ``Store`` gives after ``import_paths`` of the written files
    (``tests/berichten/test_synth_tables.py``). No BSN leaves the generator.

    ``keyring`` (a :class:`berichten.pseudonym.Keyring`): default one key from
    :func:`demo_key`; pass a store's keyring to get that store's pseudonyms.

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
        sink = _RowSink(keyring, store.con)
        gen = _Generator(sink, seed, float(scale), first_year, years, True, None)
        with _gc_paused():
            gen.simulate()
            gen.claims()
            summary = gen.finish()
            sink.flush()
            tables = {name: getattr(store, name)() for name in TABLE_NAMES}
    return SynthTables(tables, summary)
