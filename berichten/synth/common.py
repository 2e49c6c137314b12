"""What every part of the synthetic municipality shares: who it is and how its messages are named.

The message codes, namespaces and prefixes come from the importer's own code lists
(:mod:`berichten.codes`), so the writer and the reader cannot disagree.
"""

from __future__ import annotations

from berichten.codes import BASE, LAWS, MESSAGES, RELEASE, namespace
from calc import profile

MUNICIPALITY_CODE = profile.CODE
MUNICIPALITY_NAME = profile.NAME

#: Message codes in the header (BerichtCode) per law, from ``codelijsten/berichtcode.csv``.
MESSAGE_CODES = {law: {number: m.berichtcode for (lw, number), m in MESSAGES.items() if lw == law}
                 for law in LAWS}
RETOUR_OF = {"301": "302", "305": "306", "307": "308", "315": "316", "317": "318"}
LAW_FOLDER = {"jw": "jeugd", "wmo": "wmo"}
FOLDER_RANK = {law: sorted(LAW_FOLDER.values()).index(f) for law, f in LAW_FOLDER.items()}
FILE_PREFIX = {"jw": "JW", "wmo": "WMO"}
#: Per law: (basisschema prefix, basisschema namespace, message namespace with ``{code}``).
BASE_SCHEMA = {law: (word, f"{BASE}/{word}/{RELEASE}/basisschema/schema",
                     namespace(law, "{code}")) for law, (word, _) in LAWS.items()}
#: Per law: the prefix of a message's own elements (``jw301``).
MSG_PREFIX = {law: prefix for law, (_, prefix) in LAWS.items()}
REJECT_CODES = ("8001", "9307", "9341", "9359")
OK = "0200"


def reject_code(line) -> str:
    """The retourcode of a rejected claim line (from the basisschema enumeration)."""
    return REJECT_CODES[line.seg.number % len(REJECT_CODES)]
