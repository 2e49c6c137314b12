"""Check blind messages against the iJw 3.2 schemas with lxml (``validate(paths)``)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

#: The published iJw 3.2 schemas: the project's copy (byte-identical to
#: shared/istandaarden/ijw-3.2/xsd), else that shared folder next to the repository.
XSD_DIRS = (Path(__file__).resolve().parents[2] / "berichten" / "xsd",
            Path(__file__).resolve().parents[3] / "shared" / "istandaarden" / "ijw-3.2" / "xsd")

_SCHEMAS: dict[str, etree.XMLSchema] = {}


def xsd_dir() -> Path:
    for d in XSD_DIRS:
        if (d / "JW323.xsd").exists():
            return d
    raise FileNotFoundError("geen iJw 3.2-schema's gevonden in " + ", ".join(map(str, XSD_DIRS)))


def schema(code: str) -> etree.XMLSchema:
    if code not in _SCHEMAS:
        _SCHEMAS[code] = etree.XMLSchema(etree.parse(str(xsd_dir() / f"JW{code}.xsd")))
    return _SCHEMAS[code]


def validate(paths) -> list[str]:
    """Problems (file: first schema error) of the given message files; empty when all valid."""
    problems = []
    for path in paths:
        code = re.search(r"_JW(\d{3})_", Path(path).name).group(1)
        s = schema(code)
        doc = etree.parse(str(path))
        if not s.validate(doc):
            err = s.error_log[0]
            problems.append(f"{Path(path).name}:{err.line}: {err.message}")
    return problems
