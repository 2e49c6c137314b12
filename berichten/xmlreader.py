"""Hardened, streaming, namespace-aware reader of iJw/iWmo 3.2 XML messages.

``read_message(path)`` yields the message's ``Header`` first, then one ``Record`` per
element that becomes a table row (a Prestatie, a ToegewezenProduct, ...), each with its
line number in the file. Elements are cleared as soon as they are read, so a large
message is never held in memory whole.

Safety: the parser never resolves entities, never loads a DTD, never touches the network
and refuses huge text nodes (``resolve_entities=False, no_network=True, load_dtd=False,
huge_tree=False``); a document with any DOCTYPE (the carrier of entity bombs and external
entities) is refused before its content is read.

Anything that makes the *whole file* unreadable (malformed or truncated XML, a wrong
namespace or version, a header that does not match, a schema violation when validating)
raises ``FileRejected`` with a Dutch reason and the line; problems of single records are
judged later by ``berichten.rows``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

from berichten import codes, xmlerrors
from berichten.rows import date_problem  # one date rule for the whole package

#: The parser's error type, for callers outside ``berichten`` (which do not import lxml).
XMLSyntaxError = etree.XMLSyntaxError

#: Options of every parser we create (see the module docstring).
SAFE = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
            dtd_validation=False)


class FileRejected(Exception):
    """The file as a whole cannot be read; ``reason`` is Dutch, ``position`` a line number."""

    def __init__(self, reason: str, position: int | None = None,
                 message_label: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.position = position
        self.message_label = message_label


@dataclass
class Header:
    mtype: codes.MessageType
    sender: str
    receiver: str
    identification: str
    date: str                       # Dagtekening, ISO text (checked)
    retour_codes: str | None = None  # header RetourCodes of a retour message, comma separated
    position: int = 1

    @property
    def municipality(self) -> str:
        return self.sender if self.mtype.from_municipality else self.receiver

    @property
    def provider(self) -> str:
        return self.receiver if self.mtype.from_municipality else self.sender


@dataclass(slots=True)
class Record:
    kind: str                       # local name of the record element, e.g. "Prestatie"
    position: int                   # line in the file
    fields: dict[str, str]          # local name of every leaf below it -> text
    context: dict[str, object] = field(default_factory=dict)  # enclosing values (Bsn, ...)


# message number -> (record element names, context element names)
LAYOUT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "301": (("ToegewezenProduct",), ("Bsn",)),
    "305": (("StartProduct",), ("Bsn",)),
    "307": (("StopProduct",), ("Bsn",)),
    "315": (("AangevraagdProduct",), ("Bsn",)),
    "317": (("NieuwProduct", "TeWijzigenProduct"), ("Bsn", "ReferentieAanbieder")),
    "319": (("Antwoord",), ()),
    "323": (("Prestatie",), ("Bsn", "DeclaratieNummer", "DeclaratiePeriode")),
    "325": (("Prestatie", "DeclaratieAntwoord"),
            ("Bsn", "DeclaratieNummer", "TotaalIngediendBedrag", "TotaalToegekendBedrag")),
}
#: Elements cleared when they end, so the tree never grows (records are cleared too).
_CLEARED = ("Client",)

_DIGITS = re.compile(r"\d{9,}")


def scrub(text: str) -> str:
    """Remove anything that could be a BSN (runs of 9+ digits) from a parser message.

    >>> scrub("Element 'Bsn': '12345678' is niet goed; '999990019' ook niet")
    "Element 'Bsn': '12345678' is niet goed; '…' ook niet"
    """
    return _DIGITS.sub("…", text)


_LOCAL: dict[str, str] = {}


def _local(tag) -> str:
    out = _LOCAL.get(tag)
    if out is None:
        out = _LOCAL[tag] = tag.rpartition("}")[2] if isinstance(tag, str) else ""
    return out


def leaves(el) -> dict[str, str]:
    """Local name -> stripped text of every element below ``el`` that has text.

    Containers get their (whitespace) text too, which no caller reads; RetourCode values
    are joined with commas. Hot path: one dict lookup per element.
    """
    out: dict[str, str] = {}
    local = _LOCAL
    for child in el.iter():
        text = child.text
        if text is None:
            continue
        tag = child.tag
        name = local.get(tag)
        if name is None:
            name = _local(tag)
        if name == "RetourCode" and name in out:
            out[name] += "," + text.strip()
        else:
            out[name] = text.strip()
    return out


@cache
def _schema(law: str, number: str):
    path = codes.schema_path(law, number)
    if path is None:
        return None
    return etree.XMLSchema(etree.parse(str(path), parser=etree.XMLParser(**SAFE)))


#: Files up to this size are parsed a second time to find the line of a schema error.
_RELOCATE_BYTES = 50_000_000


def _syntax_reason(exc: etree.LxmlError, schema_used: bool) -> tuple[str, int | None]:
    """The Dutch reason (``berichten.xmlerrors``) and line of a parser or schema error."""
    line = getattr(exc, "lineno", None) or None
    if line is None and getattr(exc, "position", None):
        line = exc.position[0] or None
    code = getattr(exc, "code", None)
    name = xmlerrors.type_name(code) if isinstance(code, int) else "onbekend"
    raw = getattr(exc, "msg", None) or str(exc)
    msg = xmlerrors.dutch(name, raw)
    if name == "ERR_TAG_NOT_FINISHED" or "Premature end of data" in raw:
        return f"bestand is afgebroken (onvolledige XML): {msg}", line
    if schema_used and name.startswith("SCHEMAV"):
        return f"bericht voldoet niet aan het schema: {msg}", line
    return f"geen geldige XML: {msg}", line


def _syntax_error(path: Path) -> tuple[str, int | None] | None:
    """Reason and line of the first well-formedness error, found by a plain streaming parse.

    Needed because lxml's validating parser stops silently at some syntax errors (a
    truncated file) and reports others as schema errors.
    """
    try:
        with open(path, "rb") as f:
            for _, el in etree.iterparse(f, events=("end",), **SAFE):
                el.clear(keep_tail=False)
    except etree.XMLSyntaxError as exc:
        reason, line = _syntax_reason(exc, False)
        if line is not None and not reason.startswith("bestand is afgebroken"):
            with open(path, "rb") as f:
                last = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
            if line >= last:   # what libxml2 makes of the last half tag says nothing
                reason = ("bestand is afgebroken (onvolledige XML): het houdt op midden in "
                          f"regel {line}")
        return reason, line
    return None


def _schema_error_line(path: Path, schema) -> int | None:
    """The line of the first schema error (streaming validation does not report it)."""
    if path.stat().st_size > _RELOCATE_BYTES:
        return None
    doc = etree.parse(str(path), etree.XMLParser(**SAFE))
    schema.validate(doc)
    errors = schema.error_log           # in document order; last_error was the last of them
    return errors[0].line if len(errors) else None


def sniff(path: Path) -> tuple[str, str, str]:
    """(law, message number, namespace) of a file, checked before its content is read.

    A DOCTYPE is refused wherever it stands before the root element (behind a long comment
    or processing instruction too): lxml parses the prolog up to the root's start tag and
    reports the DOCTYPE it saw (entity bombs, external entities); no byte sniffing.
    """
    size = path.stat().st_size
    if size == 0:
        raise FileRejected("bestand is leeg", 1)
    ns, name = _lxml_root(path)
    found = codes.parse_namespace(ns)
    if found is None:
        raise FileRejected(codes.describe_namespace(ns), 1)
    if name != "Bericht":
        raise FileRejected(f"onverwacht hoofdelement '{name}' (verwacht 'Bericht')", 1)
    law, number = found
    if (law, number) not in codes.MESSAGES:
        raise FileRejected(f"bericht {law.upper()}{number} wordt niet gelezen", 1)
    return law, number, ns


_DOCTYPE_REASON = ("bestand bevat een DOCTYPE-declaratie (mogelijke entiteitenbom of externe "
                   "entiteit); om veiligheidsredenen geweigerd")


def prolog_doctype(stream) -> bool:
    """Whether the XML in ``stream`` declares a DOCTYPE, as lxml reports it after reading the
    prolog up to the root's start tag (also for the parts of a workbook: ``workbooks.safety``).
    Raises ``etree.XMLSyntaxError`` for a prolog that is not XML, ``StopIteration`` for none."""
    _, root = next(etree.iterparse(stream, events=("start",), **SAFE))
    info = root.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None or info.externalDTD is not None


def _lxml_root(path: Path) -> tuple[str, str]:
    """The root's namespace and name through lxml (the careful path of ``sniff``)."""
    try:
        with open(path, "rb") as f:
            events = etree.iterparse(f, events=("start",), **SAFE)
            _, root = next(events)
            info = root.getroottree().docinfo
            if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
                raise FileRejected(_DOCTYPE_REASON, 1)
            tag = root.tag
    except StopIteration:
        raise FileRejected("bestand is leeg", 1) from None
    except etree.XMLSyntaxError as exc:
        reason, line = _syntax_reason(exc, False)
        raise FileRejected(reason, line) from None
    ns, _, name = tag.rpartition("}")
    return ns.lstrip("{"), name


def _header(el, law: str, number: str) -> Header:
    mtype = codes.MESSAGES[(law, number)]
    values: dict[str, str] = {}
    retour = []
    for child in el:
        name = _local(child.tag)
        if name == "BerichtIdentificatie":
            for sub in child:
                values[_local(sub.tag)] = (sub.text or "").strip()
        elif name == "RetourCodes":
            retour = [(c.text or "").strip() for c in child]
        elif len(child) == 0:
            values[name] = (child.text or "").strip()
    line = el.sourceline
    label = mtype.label
    code = values.get("BerichtCode")
    if code != mtype.berichtcode:
        raise FileRejected(f"BerichtCode '{code}' hoort niet bij {label} "
                           f"(verwacht {mtype.berichtcode})", line, label)
    version = (values.get("BerichtVersie"), values.get("BerichtSubversie"))
    if version != ("3", "2"):
        shown = ".".join(v or "?" for v in version)
        raise FileRejected(f"berichtversie {shown} wordt niet gelezen (alleen 3.2)", line, label)
    for name in ("Afzender", "Ontvanger", "Identificatie", "Dagtekening"):
        if not values.get(name):
            raise FileRejected(f"{name} ontbreekt in de header", line, label)
    problem = date_problem(values["Dagtekening"], "Dagtekening")
    if problem:
        raise FileRejected(problem, line, label)
    return Header(mtype=mtype, sender=values["Afzender"], receiver=values["Ontvanger"],
                  identification=values["Identificatie"], date=values["Dagtekening"],
                  retour_codes=",".join(retour) or None, position=line or 1)


def read_message(path: Path, *, validate: bool = True) -> Iterator[Header | Record]:
    """Stream one message file: its ``Header``, then its ``Record``s.

    ``validate``: also check the file against its XSD while streaming (iJw; the project
    ships no iWmo schemas, so iWmo messages are read unvalidated).
    Raises ``FileRejected`` for anything that makes the file as a whole unreadable.
    """
    law, number, ns = sniff(path)
    label = codes.MESSAGES[(law, number)].label
    schema = _schema(law, number) if validate else None
    record_names, context_names = LAYOUT.get(number, ((), ()))
    q = "{%s}" % ns
    record_tags = {q + n for n in record_names}
    context_tags = {q + n for n in context_names}
    root_tag = q + "Bericht"
    tags = [root_tag, q + "Header", *record_tags, *context_tags, *(q + n for n in _CLEARED)]
    context: dict[str, object] = {}
    header_seen = complete = False
    try:
        with open(path, "rb") as f:
            kwargs = dict(SAFE, schema=schema) if schema is not None else SAFE
            parser = etree.iterparse(f, events=("end",), tag=tags, **kwargs)
            for _, el in parser:
                tag = el.tag
                if tag in record_tags:
                    if not header_seen:
                        raise FileRejected("header ontbreekt", el.sourceline, label)
                    # the context dict is shared: a record is consumed before the next is read
                    yield Record(_local(tag), el.sourceline or 0, leaves(el), context)
                    _drop(el)
                elif tag in context_tags:
                    context[_local(tag)] = (el.text or "").strip() if len(el) == 0 else leaves(el)
                elif tag == q + "Header":
                    header_seen = True
                    try:
                        header = _header(el, law, number)
                    except FileRejected:
                        # a file cut off inside its header: libxml2's recovery closes the
                        # header at the end of the file, and its half says 'berichtversie
                        # 3.? wordt niet gelezen'; the cut is the reason
                        syntax = _syntax_error(path)
                        if syntax is not None:
                            raise FileRejected(*syntax, label) from None
                        raise
                    yield header
                    _drop(el)
                elif tag == root_tag:
                    complete = True
                else:  # a cleared container (Client)
                    _drop(el)
    except etree.XMLSyntaxError as exc:
        reason, line = _syntax_reason(exc, schema is not None)
        if schema is not None:
            syntax = _syntax_error(path)
            if syntax is not None:
                reason, line = syntax
            elif line is None:
                line = _schema_error_line(path, schema)
        raise FileRejected(reason, line, label) from None
    if schema is not None:
        # libxml2 2.14's validating iterparse recovers from some well-formedness errors
        # without raising or logging: ``<Bedrag>50&00</Bedrag>`` was read as 50, an
        # unfinished CDATA as nothing. A plain streaming parse (no schema) does raise.
        syntax = _syntax_error(path)
        if syntax is not None:
            raise FileRejected(*syntax, label)
    if not complete:
        reason, line = _syntax_error(path) or ("bestand is afgebroken (onvolledige XML)", None)
        raise FileRejected(reason, line, label)
    if not _ends_with_root(path):
        # lxml 6.2 (libxml2 2.14) with a schema reports the root's end on a truncated file
        # without an error; a plain parse then finds the cut (and its line)
        syntax = _syntax_error(path)
        if syntax is not None:
            raise FileRejected(*syntax, label)
    if not header_seen:
        raise FileRejected("header ontbreekt", None, label)


_ROOT_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?Bericht\s*>\s*$")


def _ends_with_root(path: Path) -> bool:
    """Cheap check that the file ends with the closing tag of its root ``Bericht``."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 512))
        return _ROOT_END.search(f.read()) is not None


def _drop(el) -> None:
    """Free an element and everything before it (the streaming idiom for lxml)."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]
