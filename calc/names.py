"""Names beside codes: Iv3 taakvelden, product categories (iJw/iWmo), referrers and providers.

The one lookup every sheet, export and message uses to put a name next to a code:

* ``TAAKVELDEN``: Iv3 code -> description (BBV/Iv3, 2023 refinement; copied from
  ``shared/domein/iv3_taakvelden.csv``);
* ``PRODUCT_CATEGORIES``: law (``jw``, ``wmo``) -> category -> description, read from the
  iStandaarden code lists in ``calc/codelijsten`` (the message readers check against the
  same lists); the iJw (40-55) and iWmo (01-18) codes do not overlap;
* ``REFERRERS``: referrer type -> description, the iJw 3.2 codelist Verwijzer in
  ``calc/codelijsten/verwijzer.csv`` (the message readers check against it too);
* providers have no national list here: the municipality keeps a register (AGB code ->
  name; ``berichten.register`` reads it) and hands it in as a mapping.

``label(level, code, providers=...)`` gives the name for a code of any level, or ``None``.

>>> taakveld_name("6.72a"), product_category_name("45"), product_category_name("02")
('Jeugdhulp begeleiding', 'Jeugdhulp ambulant', 'Begeleiding')
>>> provider_name("98010001", {"98010001": "Zorggroep De Linde"}), provider_name("12345678", {})
('Zorggroep De Linde', 'AGB 12345678')
>>> label("product_category", "45"), label("theme", "Bijstand")
('Jeugdhulp ambulant', None)
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from importlib import resources

#: Iv3 code -> Dutch description.
TAAKVELDEN: dict[str, str] = {
    "6.1": "Samenkracht en burgerparticipatie",
    "6.2": "Toegang en eerstelijnsvoorzieningen",
    "6.3": "Inkomensregelingen",
    "6.4": "WSW en beschut werk",
    "6.5": "Arbeidsparticipatie",
    "6.6": "Maatwerkvoorzieningen (Wmo)",
    "6.71a": "Hulp bij het huishouden (Wmo)",
    "6.71b": "Begeleiding (Wmo)",
    "6.71c": "Dagbesteding (Wmo)",
    "6.71d": "Overige maatwerkarrangementen (Wmo)",
    "6.72a": "Jeugdhulp begeleiding",
    "6.72b": "Jeugdhulp behandeling",
    "6.72c": "Jeugdhulp dagbesteding",
    "6.72d": "Jeugdhulp zonder verblijf overig",
    "6.73a": "Pleegzorg",
    "6.73b": "Gezinsgericht",
    "6.73c": "Jeugdhulp met verblijf overig",
    "6.74a": "Jeugdhulp behandeling GGZ zonder verblijf",
    "6.74b": "Jeugdhulp crisis/LTA/GGZ-verblijf",
    "6.74c": "Gesloten plaatsing",
    "6.81a": "Beschermd wonen (Wmo)",
    "6.81b": "Maatschappelijke- en vrouwenopvang (Wmo)",
    "6.82a": "Jeugdbescherming",
    "6.82b": "Jeugdreclassering",
    "4.3": "Onderwijsbeleid en leerlingzaken",
    "7.1": "Volksgezondheid",
    "0.7": "Algemene uitkering en overige uitkeringen gemeentefonds",
}


#: Law -> file of its product category code list.
_CATEGORY_LISTS = {"jw": "productcategorie_ijw.csv", "wmo": "productcategorie_iwmo.csv"}


def read_code_list(name: str) -> dict[str, str]:
    """code -> omschrijving of a code list in ``calc/codelijsten`` (``name`` with ``.csv``)."""
    with resources.files("calc").joinpath("codelijsten", name).open(encoding="utf-8") as f:
        return {r["code"]: r["omschrijving"] for r in csv.DictReader(f, delimiter=";")}


#: Law -> product category code -> Dutch description.
PRODUCT_CATEGORIES: dict[str, dict[str, str]] = {
    law: read_code_list(name) for law, name in _CATEGORY_LISTS.items()}
_ALL_CATEGORIES = {code: text for table in PRODUCT_CATEGORIES.values()
                   for code, text in table.items()}


def taakveld_name(code) -> str | None:
    """The Iv3 description of a taakveld code, or None when it is not an Iv3 code."""
    return TAAKVELDEN.get(str(code).strip())


def product_category_name(code, law: str | None = None) -> str | None:
    """The description of a product category (iJw or iWmo), or None when unknown.

    A one-digit category from a spreadsheet (``2``) is read as ``02``.
    """
    text = str(code).strip()
    if text.isdigit() and len(text) == 1:
        text = text.zfill(2)
    table = PRODUCT_CATEGORIES.get(law, _ALL_CATEGORIES) if law else _ALL_CATEGORIES
    return table.get(text)


#: Referrer types (codelist Verwijzer, iJw 3.2).
REFERRERS: dict[str, str] = read_code_list("verwijzer.csv")
#: What claims without a request count under.
NO_REQUEST = "onbekend (geen verzoek)"


def referrer_name(code: str) -> str:
    """The Dutch name of a referrer type code ("" = no request; a code outside the codelist
    says so rather than counting under "no request").

    >>> referrer_name("02"), referrer_name(""), referrer_name("07")
    ('Huisarts', 'onbekend (geen verzoek)', 'code 07 (niet in de codelijst)')
    """
    if not code:
        return NO_REQUEST
    return REFERRERS.get(code, f"code {code} (niet in de codelijst)")


def provider_name(code, register: Mapping[str, str] | None) -> str:
    """The provider's name from the municipality's register; ``AGB <code>`` when it has none,
    so a name column never stands empty and never pretends to know a name."""
    text = str(code).strip()
    name = (register or {}).get(text)
    return name if name else f"AGB {text}"


def label(level: str, code, *, providers: Mapping[str, str] | None = None) -> str | None:
    """The name beside ``code`` at ``level`` (``taakveld``, ``product_category``,
    ``provider``); None for a level whose code is its own name (``theme``, ``total``)."""
    if level == "taakveld":
        return taakveld_name(code)
    if level == "product_category":
        return product_category_name(code)
    if level == "provider":
        return provider_name(code, providers)
    return None
