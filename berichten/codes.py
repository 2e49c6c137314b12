"""The catalogue of iJw/iWmo 3.2 messages and the code lists the readers check against.

One place for: which namespaces we accept, which BerichtCode belongs to which message of
which law, who sends it, and which product categories exist. Everything is read from the
code lists shipped in ``berichten/codelijsten`` (copied from the iStandaarden).

>>> MESSAGES[("jw", "323")].berichtcode, MESSAGES[("wmo", "323")].berichtcode
('490', '484')
>>> namespace("jw", "301")
'http://www.istandaarden.nl/ijw/3_2/jw301/schema'
>>> parse_namespace("http://www.istandaarden.nl/iwmo/3_2/wmo323/schema")
('wmo', '323')
>>> is_valid_bsn("999990019"), is_valid_bsn("999990018")
(True, False)
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from calc.names import PRODUCT_CATEGORIES, REFERRERS

HERE = Path(__file__).parent
CODE_LISTS = HERE / "codelijsten"
XSD_DIR = HERE / "xsd"

#: Law -> (namespace word, message prefix). ``jw`` = Jeugdwet (iJw), ``wmo`` = Wmo 2015 (iWmo).
LAWS = {"jw": ("ijw", "jw"), "wmo": ("iwmo", "wmo")}
#: The only release we read.
RELEASE = "3_2"
BASE = "http://www.istandaarden.nl"

_NS_RE = re.compile(r"^http://www\.istandaarden\.nl/(ijw|iwmo)/(\d+_\d+)/(jw|wmo)(\d{3})/schema$")

#: Retour messages (answers to our own); the others' content is read into tables.
RETOUR_MESSAGES = ("302", "306", "308", "316", "318", "320")


@dataclass(frozen=True)
class MessageType:
    law: str            # "jw" or "wmo"
    number: str         # "301"
    berichtcode: str    # the BerichtCode in the header, e.g. "436"
    description: str
    from_municipality: bool  # True: municipality sends, provider receives

    @property
    def label(self) -> str:
        """'JW301' / 'WMO301': how the overview and the quarantine name a message."""
        return f"{self.law.upper()}{self.number}"

    @property
    def is_retour(self) -> bool:
        return self.number in RETOUR_MESSAGES


def _read_list(name: str) -> list[dict[str, str]]:
    with open(CODE_LISTS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def _messages() -> dict[tuple[str, str], MessageType]:
    out = {}
    for row in _read_list("berichtcode.csv"):
        for law, col in (("jw", "ijw_code"), ("wmo", "iwmo_code")):
            out[(law, row["bericht"])] = MessageType(
                law=law, number=row["bericht"], berichtcode=row[col],
                description=row["omschrijving"],
                from_municipality=row["richting"].startswith("gemeente"))
    return out


MESSAGES: dict[tuple[str, str], MessageType] = _messages()


def namespace(law: str, number: str) -> str:
    """The namespace of a message's own elements."""
    word, prefix = LAWS[law]
    return f"{BASE}/{word}/{RELEASE}/{prefix}{number}/schema"


def parse_namespace(ns: str | None) -> tuple[str, str] | None:
    """(law, message number) of a 3.2 message namespace, or None if it is not one."""
    m = _NS_RE.match(ns or "")
    if not m or m.group(2) != RELEASE:
        return None
    word, _, prefix, number = m.groups()
    law = "jw" if word == "ijw" else "wmo"
    if LAWS[law][1] != prefix:
        return None
    return law, number


def describe_namespace(ns: str | None) -> str:
    """A Dutch phrase for why a namespace is refused (wrong standard, wrong release)."""
    m = _NS_RE.match(ns or "")
    if not ns:
        return "het bericht heeft geen namespace"
    if m and m.group(2) != RELEASE:
        return f"versie {m.group(2).replace('_', '.')} van de standaard wordt niet gelezen (alleen 3.2)"
    return f"onbekende namespace '{ns}' (verwacht een iJw- of iWmo-3.2-bericht)"


@cache
def product_categories(law: str) -> frozenset[str]:
    """Known product categories of a law (the code lists of ``calc.names``, one place)."""
    return frozenset(PRODUCT_CATEGORIES["jw" if law == "jw" else "wmo"])


@cache
def code_list(name: str) -> dict[str, str]:
    """code -> omschrijving of one code list, e.g. ``code_list("verwijzer")``.

    The lists calc names codes with (``verwijzer``) live in ``calc/codelijsten``, once.
    """
    if name == "verwijzer":
        return dict(REFERRERS)
    return {r["code"]: r["omschrijving"] for r in _read_list(f"{name}.csv")}


_PRODUCT_CODE = re.compile(r"^[0-9A-Z]{5}$")


def product_code_problem(law: str, category: str | None, code: str | None) -> str | None:
    """Dutch reason why a product category/code pair is unknown, or None if it is fine.

    A category must be in the law's code list. An iJw product code is the category
    followed by three characters (e.g. 45A03); an iWmo code is five characters.

    >>> product_code_problem("jw", "45", "45A03") is None
    True
    >>> product_code_problem("jw", "45", "54A03")
    "onbekende productcode '54A03' (hoort niet bij categorie 45)"
    >>> product_code_problem("jw", "99", None)
    "onbekende productcategorie '99'"
    """
    if category is None:
        return "productcategorie ontbreekt"
    if category not in product_categories(law):
        return f"onbekende productcategorie '{category}'"
    if code is None:
        return None
    if not _PRODUCT_CODE.match(code):
        return f"onbekende productcode '{code}' (verwacht vijf tekens, cijfers of hoofdletters)"
    if law == "jw" and not code.startswith(category):
        return f"onbekende productcode '{code}' (hoort niet bij categorie {category})"
    return None


def digit_code(text: str, width: int) -> str | None:
    """A code of ``width`` digits as an export or a register writes it: digit groups joined
    (``8765 4321``, ``87.65.43.21``, ``8765-4321``) and the leading zeros Excel dropped put
    back; None for anything else (a name, a longer number).

    >>> digit_code("8765 4321", 8), digit_code("363", 4), digit_code("GM0363", 4)
    ('87654321', '0363', None)
    """
    joined = re.sub(r"[\s.\-]", "", text)
    if joined.isascii() and joined.isdigit() and 0 < len(joined) <= width:
        return joined.zfill(width)
    return None


#: Nine zeros pass the 11-test's arithmetic but are no BSN: an export's "unknown" (a BSN
#: column of 0, read as 000000000). Accepted, every such line would be one client.
ZERO_BSN = "000000000"


def is_valid_bsn(bsn: str) -> bool:
    """The 11-test ("elfproef") of a BSN: 9 digits, weighted sum 9..2,-1 divisible by 11, and
    not nine zeros.

    >>> is_valid_bsn("999990019"), is_valid_bsn("999990018"), is_valid_bsn(ZERO_BSN)
    (True, False, False)
    """
    if len(bsn) != 9 or not bsn.isdigit() or bsn == ZERO_BSN:
        return False
    total = sum(int(d) * w for d, w in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def bsn_problem(bsn: str) -> str | None:
    """Why a BSN of nine digits (or any text) is refused, the one wording of messages and
    exports alike; ``None`` for a valid one. The reason never quotes the number.

    >>> bsn_problem("999990019"), bsn_problem("999990018"), bsn_problem(ZERO_BSN)
    (None, 'BSN voldoet niet aan de elfproef', 'BSN ontbreekt (alleen nullen)')
    """
    if bsn == ZERO_BSN:
        return "BSN ontbreekt (alleen nullen)"
    return None if is_valid_bsn(bsn) else "BSN voldoet niet aan de elfproef"


_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def mask_bsn_like(text: str) -> str:
    """The text with every 9-digit number that passes the 11-test outside the test range 999
    replaced by dots: such a number may be a BSN and is never stored (file names, references).

    >>> mask_bsn_like("R-999990019"), mask_bsn_like("R1")
    ('R-999990019', 'R1')
    """
    return _NINE_DIGITS.sub(lambda m: "." * 9 if is_valid_bsn(m.group())
                            and not m.group().startswith("999") else m.group(), text)


def schema_path(law: str, number: str) -> Path | None:
    """The XSD of a message, or None when the project has none (iWmo)."""
    if law != "jw":
        return None
    path = XSD_DIR / f"JW{number}.xsd"
    return path if path.exists() else None


# --- codes written as words (flat exports) ---------------------------------------------------

#: Obvious Dutch variants beside a code list's own names; keys are lower case.
_VARIANTS: dict[str, dict[str, str]] = {
    "eenheid": {"minuten": "01", "min": "01", "uur": "04", "uren": "04", "etmalen": "14",
                "dagdeel": "16", "dagdelen": "16", "euro": "83", "euros": "83",
                "stuks outputgericht": "82", "stuks inspanningsgericht": "84"},
    "frequentie": {"dag": "1", "dagelijks": "1", "week": "2", "wekelijks": "2",
                   "per 4 weken": None, "maand": "4", "maandelijks": "4", "totaal": "6",
                   "totaal binnen geldigheidsduur": "6"},
    "wet": {"jw": "jw", "ijw": "jw", "jeugd": "jw", "jeugdwet": "jw", "jeugdzorg": "jw",
            "wmo": "wmo", "iwmo": "wmo", "wmo 2015": "wmo", "wmo2015": "wmo",
            "wet maatschappelijke ondersteuning": "wmo"},
    "debet_credit": {"d": "D", "debet": "D", "debit": "D", "c": "C", "credit": "C"},
}


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower().replace("(", " ").replace(")", " ")
                  ).strip()


@cache
def _aliases(name: str) -> dict[str, str]:
    if name in ("wet", "debet_credit"):
        return dict(_VARIANTS[name])
    rows = (code_list(name) if not name.startswith("productcategorie_")
            else PRODUCT_CATEGORIES["jw" if name == "productcategorie_ijw" else "wmo"])
    out: dict[str, str] = {}
    for code, description in rows.items():
        out[_key(code)] = code
        if code.isdigit():
            out[str(int(code))] = code
        out[_key(description)] = code
    for word, code in _VARIANTS.get(name, {}).items():
        if code is not None:
            out.setdefault(_key(word), code)
    return out


def code_from_text(name: str, text: str) -> str | None:
    """The code of a value written as code or Dutch name, or None if unknown.

    ``name`` is a code list (``eenheid``, ``frequentie``, ``verwijzer``,
    ``productcategorie_ijw``, ``productcategorie_iwmo``) or ``wet`` / ``debet_credit``.

    >>> code_from_text("eenheid", "Uur"), code_from_text("eenheid", "4"), code_from_text("eenheid", "etmaal")
    ('04', '04', '14')
    >>> code_from_text("frequentie", "per week"), code_from_text("wet", "Jeugdwet")
    ('2', 'jw')
    >>> code_from_text("debet_credit", "Credit"), code_from_text("productcategorie_ijw", "jeugdhulp ambulant")
    ('C', '45')
    >>> code_from_text("eenheid", "Uurtjes") is None
    True
    """
    return _aliases(name).get(_key(text))


def allowed_text(name: str) -> str:
    """The allowed values of a list for a quarantine reason, e.g. ``04 (Uur), 14 (Etmaal)``."""
    if name == "wet":
        return "jw (Jeugdwet) of wmo (Wmo 2015)"
    if name == "debet_credit":
        return "D (debet) of C (credit)"
    if name.startswith("productcategorie_"):
        codes = sorted({c for c in _aliases(name).values()})
        return f"{', '.join(codes)} of hun naam"
    return ", ".join(f"{c} ({d})" for c, d in code_list(name).items())
