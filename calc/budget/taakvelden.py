"""The Iv3 taakvelden of the sociaal domein (2023 refinement) and their neighbours.

Copied from ``shared/domein/iv3_taakvelden.csv`` (BBV/Iv3): code -> omschrijving. Used to
refuse a line booked on a taakveld that does not exist.

>>> TAAKVELDEN["6.72a"]
'Jeugdhulp begeleiding'
"""

from __future__ import annotations

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
