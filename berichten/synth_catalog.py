"""The fixed catalogue of the synthetic municipality: products, providers and their claim habits.

Everything here is invented for Gemeente Voorbeeld, but shaped like the real thing:

- **Products** use the product categories, units (Eenheid), frequencies (Frequentie) of the
  iJw/iWmo 3.2 codelists (``codelijsten/productcategorie_*.csv``, ``eenheid.csv``,
  ``frequentie.csv``). The product codes follow the common pattern *category + letter + two
  digits* (``45A01``); municipalities define their own codes, these are ours. Tariffs are
  2023 price levels in eurocent per unit, in the range Dutch municipalities publish for such
  products; they are indexed each year (:data:`TARIFF_INDEX`). ``taakveld`` follows the default
  mapping ``domein/productcategorie_naar_taakveld.csv``, refined per product code where that
  mapping says "per productcode" (pleegzorg 6.73a, gezinshuis 6.73b, begeleiding 6.72a,
  behandeling 6.72b).
- **Providers** have invented names (any likeness to an existing organisation is accidental)
  and fictional 8-digit AGB codes ``9801xxxx``. Each has a claim habit (:class:`Habit`):
  when it claims (the lag from service month to claim month), how often its first claim of a
  line is wrong and later credited and rebilled, and how often the municipality rejects a line.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Yearly tariff indexation (multiplied per year after the first year).
TARIFF_INDEX = 1.04


@dataclass(frozen=True)
class Product:
    """One product of the municipality's product catalogue.

    ``volume`` is the allocated range per frequency period (Omvang Volume); ``months`` the mean
    duration of care in months; ``allocation_months`` the validity of one allocation (None: open
    ended); ``utilisation`` the mean share of the allocated volume that is delivered;
    ``trajectory``: claimed once (one unit) when the care ends.
    """

    law: str
    category: str
    code: str
    name: str
    unit: str
    frequency: str
    volume: tuple[int, int]
    tariff: int
    months: float
    allocation_months: int | None
    weight: float
    utilisation: float
    taakveld: str
    trajectory: bool = False


def _p(law, category, code, name, unit, frequency, volume, tariff, months, allocation_months,
       weight, utilisation, taakveld, trajectory=False):
    return Product(law, category, code, name, unit, frequency, volume, tariff, months,
                   allocation_months, weight, utilisation, taakveld, trajectory)


#: Youth care (iJw) products. Units: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 82 stuks
#: (outputgericht), 84 stuks (inspanningsgericht). Frequencies: 1 dag, 2 week, 4 maand, 6 totaal.
JEUGD_PRODUCTS: tuple[Product, ...] = (
    _p("jw", "45", "45A01", "Ambulante begeleiding", "01", "2", (90, 240), 118, 10, 12, 30, 0.82, "6.72a"),
    _p("jw", "45", "45A02", "Ambulante behandeling", "01", "2", (60, 180), 162, 8, 12, 22, 0.80, "6.72b"),
    _p("jw", "45", "45A03", "Intensieve ambulante gezinsbehandeling", "04", "2", (3, 8), 10400, 5, 6, 6, 0.85, "6.72b"),
    _p("jw", "54", "54A01", "Specialistische jeugd-ggz", "01", "6", (1200, 3600), 168, 9, 12, 12, 0.78, "6.74a"),
    _p("jw", "51", "51A01", "Generalistische basis-ggz, traject middel", "82", "6", (1, 1), 98000, 4, 6, 8, 1.0, "6.74a", True),
    _p("jw", "41", "41A01", "Dagbehandeling", "16", "2", (4, 8), 8900, 10, 12, 4, 0.84, "6.72b"),
    _p("jw", "42", "42A01", "Vervoer naar dagbehandeling", "84", "2", (4, 10), 2400, 10, 12, 3, 0.80, "6.72d"),
    _p("jw", "43", "43A01", "Verblijf met behandeling", "14", "2", (7, 7), 34500, 9, 12, 3, 0.96, "6.73c"),
    _p("jw", "44", "44A01", "Pleegzorg", "14", "2", (7, 7), 6400, 24, 12, 4, 0.98, "6.73a"),
    _p("jw", "44", "44A02", "Gezinshuis", "14", "2", (7, 7), 17500, 18, 12, 2, 0.97, "6.73b"),
    _p("jw", "46", "46A01", "Crisisopvang", "14", "1", (1, 1), 49000, 1.2, 3, 2, 0.95, "6.74b"),
    _p("jw", "48", "48A01", "Ondertoezichtstelling", "82", "4", (1, 1), 145000, 14, 12, 4, 1.0, "6.82a"),
    _p("jw", "47", "47A01", "Jeugdreclassering", "82", "4", (1, 1), 118000, 9, 12, 2, 1.0, "6.82b"),
    _p("jw", "40", "40A01", "Persoonlijke verzorging jeugd", "04", "2", (2, 6), 6100, 14, 12, 3, 0.83, "6.72a"),
)

#: Social support (iWmo) products.
WMO_PRODUCTS: tuple[Product, ...] = (
    _p("wmo", "01", "01A01", "Hulp bij het huishouden", "04", "2", (2, 4), 3350, 36, None, 45, 0.90, "6.71a"),
    _p("wmo", "01", "01A02", "Hulp bij het huishouden plus", "04", "2", (2, 5), 3900, 30, None, 10, 0.90, "6.71a"),
    _p("wmo", "02", "02A01", "Individuele begeleiding", "04", "2", (1, 5), 6300, 18, 12, 18, 0.82, "6.71b"),
    _p("wmo", "02", "02A02", "Individuele begeleiding specialistisch", "04", "2", (2, 6), 7400, 16, 12, 5, 0.82, "6.71b"),
    _p("wmo", "07", "07A01", "Dagbesteding basis", "16", "2", (2, 6), 4300, 26, 24, 12, 0.80, "6.71c"),
    _p("wmo", "07", "07A02", "Dagbesteding intensief", "16", "2", (2, 6), 6700, 22, 24, 4, 0.82, "6.71c"),
    _p("wmo", "08", "08A01", "Vervoer naar dagbesteding", "84", "2", (2, 8), 1500, 26, 24, 5, 0.76, "6.71d"),
    _p("wmo", "03", "03A01", "Persoonlijke verzorging", "04", "2", (1, 4), 5800, 10, 12, 3, 0.85, "6.71d"),
    _p("wmo", "04", "04A01", "Kortdurend verblijf", "14", "4", (2, 4), 13800, 12, 12, 2, 0.75, "6.71d"),
    _p("wmo", "15", "15A01", "Beschermd wonen", "14", "2", (7, 7), 13200, 30, 24, 1.5, 0.97, "6.81a"),
    _p("wmo", "16", "16A01", "Maatschappelijke opvang", "14", "2", (7, 7), 9500, 5, 6, 1, 0.92, "6.81b"),
)

PRODUCTS: dict[str, Product] = {p.code: p for p in JEUGD_PRODUCTS + WMO_PRODUCTS}


@dataclass(frozen=True)
class Habit:
    """A provider's claim habit.

    ``lag_weights[k]`` is the chance that a month of care is claimed ``k`` months after the
    service month (0: claimed in the claim period of the service month itself);
    ``error_rate`` the chance that the first claim of a line carries a wrong volume that the
    provider later credits and rebills; ``reject_rate`` the chance that the municipality rejects
    a claimed line in its 325 answer.
    """

    name: str
    description: str
    lag_weights: tuple[float, ...]
    error_rate: float
    reject_rate: float


HABITS: dict[str, Habit] = {h.name: h for h in (
    Habit("stipt", "declareert stipt, in de maand na levering",
          (0.86, 0.11, 0.03), 0.01, 0.01),
    Habit("maand_later", "declareert structureel een maand later",
          (0.04, 0.82, 0.11, 0.03), 0.01, 0.02),
    Habit("structureel_laat", "declareert structureel drie tot zes maanden te laat",
          (0.0, 0.0, 0.04, 0.24, 0.30, 0.25, 0.17), 0.02, 0.04),
    Habit("crediteert", "crediteert en herdeclareert veel regels",
          (0.62, 0.30, 0.08), 0.15, 0.03),
)}


@dataclass(frozen=True)
class Provider:
    """A care provider (zorgaanbieder) with its AGB code, products per law and claim habit."""

    index: int
    agb: str
    name: str
    products: tuple[str, ...]
    habit: str
    size: float

    @property
    def laws(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(PRODUCTS[c].law for c in self.products))


_PROVIDERS = (
    # name, product codes, habit, size
    ("Jeugdhulp Wolkenveld", ("45A01", "45A02", "45A03"), "stipt", 3),
    ("Kompasroos Jeugd", ("45A01", "45A02", "41A01", "42A01"), "maand_later", 2),
    ("Praktijk Lindeweide", ("45A02", "54A01", "51A01"), "structureel_laat", 1.5),
    ("Jeugd-ggz Sterrenhof", ("54A01", "51A01", "45A02"), "crediteert", 2),
    ("Zorggroep Ankerplaats", ("43A01", "44A02", "45A03"), "stipt", 2),
    ("Pleegzorg Voorbeeldland", ("44A01",), "maand_later", 2),
    ("Gezinshuis Eikenhorst", ("44A02", "43A01"), "structureel_laat", 1),
    ("Crisiscentrum Vuurbaak", ("46A01", "43A01"), "stipt", 1),
    ("GI Regio Voorbeeld", ("48A01", "47A01"), "maand_later", 2),
    ("Jeugdreclassering Voorbeeld-Oost", ("47A01", "48A01"), "structureel_laat", 1),
    ("Kinderpraktijk Zonnewijzer", ("45A01", "40A01"), "stipt", 1),
    ("Orthopedagogisch Collectief Veldhoek", ("45A01", "45A02"), "crediteert", 1.5),
    ("Dagbehandeling Speelweide", ("41A01", "42A01"), "stipt", 1.5),
    ("Jeugdzorg Rivierduin", ("45A01", "45A02", "45A03", "43A01"), "maand_later", 3),
    ("Psychologenpraktijk Bakenzicht", ("51A01", "54A01"), "stipt", 1.5),
    ("Jeugdvervoer Spoorlaan", ("42A01",), "structureel_laat", 1),
    ("Ambulant Team Brugwachter", ("45A01", "45A03"), "crediteert", 1),
    ("Jeugd en Gezin Kwartiermaker", ("45A01", "45A02", "40A01"), "stipt", 1.5),
    ("Autismecentrum Wadlicht", ("41A01", "45A02", "54A01"), "structureel_laat", 1),
    ("Behandelcentrum Klimopduin", ("43A01", "46A01", "44A02"), "crediteert", 1),
    ("Thuishulp Voorbeeld", ("01A01", "01A02"), "stipt", 4),
    ("Huishoudelijke Dienst Zilverschoon", ("01A01", "01A02"), "maand_later", 3),
    ("Thuiszorg Zorgzame Handen", ("01A01", "03A01", "02A01"), "crediteert", 2),
    ("Begeleidingsdienst Meanderlaan", ("02A01", "02A02"), "stipt", 2),
    ("Dagcentrum Boomgaardhof", ("07A01", "07A02", "08A01"), "maand_later", 2),
    ("Zorgboerderij Hooiberghoeve", ("07A01", "08A01"), "structureel_laat", 1),
    ("Logeerhuis Duinroosje", ("04A01",), "stipt", 1),
    ("Beschermd Wonen Stadshofje", ("15A01", "16A01"), "structureel_laat", 1),
    ("Leefkracht Begeleiding Voorbeeld", ("02A01", "02A02", "07A02"), "crediteert", 1.5),
    ("Vervoer Op Maat Voorbeeld", ("08A01",), "stipt", 1),
    ("Schoonmaak en Zorg Klaverhof", ("01A01",), "structureel_laat", 1.5),
    ("Opvang Schuilhaven", ("16A01", "15A01"), "maand_later", 1),
    ("Zorgcooperatie Samen Verder Voorbeeld", ("45A01", "02A01"), "stipt", 1),
    ("Stichting Perspectiefpad", ("45A01", "45A02", "02A01", "07A01"), "crediteert", 1.5),
    ("Sociaal Werk Voorbeeld", ("45A01", "02A01", "01A01"), "maand_later", 1.5),
    ("Zorgnetwerk Polderkwartier", ("54A01", "15A01"), "structureel_laat", 1),
)

PROVIDERS: tuple[Provider, ...] = tuple(
    Provider(i, f"9801{i + 1:04d}", name, products, habit, size)
    for i, (name, products, habit, size) in enumerate(_PROVIDERS)
)


def providers_for(code: str) -> list[Provider]:
    """The providers that deliver a product code, in catalogue order.

    >>> [p.agb for p in providers_for("44A01")]
    ['98010006']
    """
    return [p for p in PROVIDERS if code in p.products]


def provider_register() -> dict[str, str]:
    """The demo municipality's provider register: AGB code -> the invented name.

    >>> provider_register()["98010001"] == PROVIDERS[0].name
    True
    """
    return {p.agb: p.name for p in PROVIDERS}
