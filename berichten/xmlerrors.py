"""Dutch text for the messages of the XML parser (libxml2 through lxml).

A refusal reason is Dutch from start to end: the parser's English message is replaced by
a Dutch sentence chosen by the libxml2 error *type* (``ERR_TAG_NAME_MISMATCH``,
``SCHEMAV_CVC_MAXLENGTH_VALID``, ...), with the names and values it quotes. A type without
a sentence here gets a Dutch general sentence naming the technical code, never the English
text. Anything that could be a BSN (nine or more digits, any value of element ``Bsn``) is
removed.

>>> dutch("ERR_TAG_NAME_MISMATCH", "Opening and ending tag mismatch: Eenheid line 37 and Eenhei")
'begintag Eenheid (regel 37) wordt gesloten met eindtag Eenhei'
>>> dutch("SCHEMAV_CVC_MAXLENGTH_VALID", "Element '{urn:x}Eenheid': [facet 'maxLength'] The value "
...       "has a length of '3'; this exceeds the allowed maximum length of '2'.")
"element 'Eenheid': de waarde is 3 tekens lang, meer dan de toegestane 2"
>>> dutch("ERR_SOMETHING_NEW", "Some new English text")
'de XML is niet goed gevormd (technische code ERR_SOMETHING_NEW)'
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d{9,}")
_NS = re.compile(r"\{[^}]*\}")
_POSITION = re.compile(r",? line \d+, column \d+\s*$")
_ELEMENT = re.compile(r"^Element '([^']*)'(?:, attribute '([^']*)')?: ")

#: Well-formedness errors: type -> (pattern on the English message, Dutch template).
#: A template may use the pattern's groups; ``None`` as pattern means a fixed sentence.
_SYNTAX: dict[str, tuple[str | None, str]] = {
    "ERR_TAG_NAME_MISMATCH": (r"mismatch: (\S+) line (\d+) and (\S+)",
                              "begintag {0} (regel {1}) wordt gesloten met eindtag {2}"),
    "ERR_TAG_NOT_FINISHED": (r"in tag (\S+) line (\d+)",
                             "het bestand houdt op binnen element {0} (begonnen op regel {1})"),
    "ERR_NAME_REQUIRED": (None, "een losse '&' of '<' in de tekst (schrijf &amp; of &lt;)"),
    "ERR_ATTRIBUTE_NOT_STARTED": (None, "een attribuutwaarde staat niet tussen aanhalingstekens"),
    "ERR_ATTRIBUTE_WITHOUT_VALUE": (None, "een attribuut heeft geen waarde"),
    "ERR_ATTRIBUTE_REDEFINED": (r"Attribute (\S+) redefined",
                                "attribuut {0} staat twee keer in hetzelfde element"),
    "ERR_LT_IN_ATTRIBUTE": (None, "een '<' in een attribuutwaarde (schrijf &lt;)"),
    "ERR_HYPHEN_IN_COMMENT": (None, "dubbel streepje '--' binnen commentaar"),
    "ERR_COMMENT_NOT_FINISHED": (None, "commentaar wordt niet afgesloten"),
    "ERR_PI_NOT_FINISHED": (None, "een verwerkingsinstructie <? ... ?> wordt niet afgesloten"),
    "ERR_CDATA_NOT_FINISHED": (None, "een CDATA-blok wordt niet afgesloten"),
    "ERR_UNSUPPORTED_ENCODING": (r"encoding: (\S+)", "onbekende tekenset '{0}'"),
    "ERR_INVALID_ENCODING": (None, "de tekst is niet geldig in de opgegeven tekenset (UTF-8?)"),
    "ERR_INVALID_CHAR": (None, "ongeldig teken in de tekst (een stuurteken)"),
    "ERR_INVALID_CHARREF": (None, "ongeldige tekenverwijzing &#...;"),
    "ERR_INVALID_DEC_CHARREF": (None, "ongeldige tekenverwijzing &#...;"),
    "ERR_INVALID_HEX_CHARREF": (None, "ongeldige tekenverwijzing &#x...;"),
    "ERR_UNDECLARED_ENTITY": (r"Entity '([^']*)'", "onbekende entiteit &{0};"),
    "WAR_UNDECLARED_ENTITY": (r"Entity '([^']*)'", "onbekende entiteit &{0};"),
    "ERR_ENTITY_LOOP": (None, "entiteiten verwijzen naar elkaar in een kring"),
    "ERR_DOCUMENT_EMPTY": (None, "geen XML: het bestand begint niet met een element"),
    "ERR_DOCUMENT_END": (None, "na het einde van het hoofdelement staat nog inhoud"),
    "ERR_EXTRA_CONTENT": (None, "na het einde van het hoofdelement staat nog inhoud"),
    "ERR_RESERVED_XML_NAME": (None, "de XML-declaratie <?xml ...?> staat niet aan het begin"),
    "ERR_GT_REQUIRED": (None, "een tag wordt niet afgesloten met '>'"),
    "ERR_LTSLASH_REQUIRED": (None, "een eindtag ontbreekt"),
    "ERR_EQUAL_REQUIRED": (None, "na een attribuutnaam ontbreekt '='"),
    "ERR_SPACE_REQUIRED": (None, "een spatie ontbreekt tussen attributen"),
    "ERR_STRING_NOT_CLOSED": (None, "een tekst tussen aanhalingstekens wordt niet afgesloten"),
    "ERR_STRING_NOT_STARTED": (None, "een aanhalingsteken ontbreekt"),
    "ERR_LITERAL_NOT_FINISHED": (None, "een tekst tussen aanhalingstekens wordt niet afgesloten"),
    "ERR_NOT_WELL_BALANCED": (None, "begin- en eindtags sluiten niet op elkaar aan"),
    "ERR_DOCTYPE_NOT_FINISHED": (None, "een DOCTYPE-declaratie wordt niet afgesloten"),
    "ERR_XMLDECL_NOT_FINISHED": (None, "de XML-declaratie <?xml ...?> wordt niet afgesloten"),
    "ERR_VERSION_MISSING": (None, "de XML-declaratie mist de versie"),
    "NS_ERR_UNDEFINED_NAMESPACE": (r"prefix (\S+) on (\S+)",
                                   "het voorvoegsel {0} van element {1} is niet gedeclareerd"),
    "NS_ERR_QNAME": (None, "ongeldige naam met voorvoegsel"),
    "ERR_INTERNAL_ERROR": (None, "geen element gevonden (ongeldige of onvolledige XML)"),
    "ERR_RESOURCE_LIMIT": (None, "de XML overschrijdt een veiligheidsgrens (te diep genest of "
                                 "een te lange tekst)"),
    "ERR_HUGE_LOOKUP": (None, "de XML overschrijdt een veiligheidsgrens (te lange tekst)"),
}

#: Schema errors: the part after ``Element 'X': `` -> Dutch.
_SCHEMA: dict[str, tuple[str | None, str]] = {
    "SCHEMAV_ELEMENT_CONTENT": (
        r"(?:This element is not expected|Missing child element\(s\))\.\s*"
        r"(?:Expected is(?: one of)? \(\s*(.*?)\s*\))?",
        "{kind}; verwacht: {0}"),
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_1": (
        r"'([^']*)' is not a valid value of the (?:local )?atomic type(?: '([^']*)')?",
        "'{0}' is geen geldige waarde ({1})"),
    "SCHEMAV_CVC_MAXLENGTH_VALID": (r"length of '(\d+)'.*maximum length of '(\d+)'",
                                    "de waarde is {0} tekens lang, meer dan de toegestane {1}"),
    "SCHEMAV_CVC_MINLENGTH_VALID": (r"length of '(\d+)'.*minimum length of '(\d+)'",
                                    "de waarde is {0} tekens lang, minder dan de vereiste {1}"),
    "SCHEMAV_CVC_LENGTH_VALID": (r"length of '(\d+)'.*length of '(\d+)'",
                                 "de waarde is {0} tekens lang, vereist is {1}"),
    "SCHEMAV_CVC_ENUMERATION_VALID": (r"The value '([^']*)'",
                                      "de waarde '{0}' staat niet in de toegestane lijst"),
    "SCHEMAV_CVC_PATTERN_VALID": (r"The value '([^']*)' is not accepted by the pattern '([^']*)'",
                                  "de waarde '{0}' heeft niet de vereiste vorm ({1})"),
    "SCHEMAV_CVC_MININCLUSIVE_VALID": (r"The value '([^']*)'.*\('([^']*)'\)",
                                       "de waarde '{0}' is kleiner dan het minimum {1}"),
    "SCHEMAV_CVC_MAXINCLUSIVE_VALID": (r"The value '([^']*)'.*\('([^']*)'\)",
                                       "de waarde '{0}' is groter dan het maximum {1}"),
    "SCHEMAV_CVC_MINEXCLUSIVE_VALID": (r"The value '([^']*)'.*\('([^']*)'\)",
                                       "de waarde '{0}' moet groter zijn dan {1}"),
    "SCHEMAV_CVC_MAXEXCLUSIVE_VALID": (r"The value '([^']*)'.*\('([^']*)'\)",
                                       "de waarde '{0}' moet kleiner zijn dan {1}"),
    "SCHEMAV_CVC_TOTALDIGITS_VALID": (r"The value '([^']*)'",
                                      "de waarde '{0}' heeft te veel cijfers"),
    "SCHEMAV_CVC_FRACTIONDIGITS_VALID": (r"The value '([^']*)'",
                                         "de waarde '{0}' heeft te veel cijfers achter de komma"),
    "SCHEMAV_CVC_TYPE_3_1_2": (None, "hier hoort alleen tekst, geen elementen"),
    "SCHEMAV_CVC_COMPLEX_TYPE_2_3": (None, "hier hoort geen tekst, alleen elementen"),
    "SCHEMAV_CVC_COMPLEX_TYPE_2_1": (None, "dit element moet leeg zijn"),
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1": (None, "dit attribuut is hier niet toegestaan"),
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2": (None, "dit attribuut is hier niet toegestaan"),
    "SCHEMAV_CVC_COMPLEX_TYPE_4": (r"attribute '([^']*)' is required",
                                   "het verplichte attribuut '{0}' ontbreekt"),
    "SCHEMAV_CVC_ELT_1": (None, "het hoofdelement past niet bij het schema van dit bericht"),
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_3": (r"'([^']*)'", "'{0}' is geen geldige waarde"),
    "SCHEMAV_CVC_IDC_DUPLICATE": (None, "een waarde die uniek moet zijn komt twee keer voor"),
}


def _scrub(text: str, element: str | None) -> str:
    if element == "Bsn":
        text = re.sub(r"'[^']*'", "'…'", text)
    return _DIGITS.sub("…", text)


def _apply(table: dict[str, tuple[str | None, str]], type_name: str, message: str,
           element: str | None) -> str | None:
    rule = table.get(type_name)
    if rule is None:
        return None
    pattern, template = rule
    kind = ("er ontbreekt een element" if message.startswith("Missing child")
            else "dit element hoort hier niet")
    if pattern is None:
        return template
    m = re.search(pattern, message, re.DOTALL)
    groups = [g if g is not None else "" for g in m.groups()] if m else []
    if not m:
        return template.split(";")[0].format(*[""] * 4, kind=kind) if "{kind}" in template \
            else re.sub(r"\s*'?\{\d\}'?", "", template).strip(" ()")
    return template.format(*(_NS.sub("", g) for g in groups), kind=kind)


def dutch(type_name: str, message: str) -> str:
    """The Dutch sentence for one parser or schema message (see the module docstring)."""
    message = _POSITION.sub("", message.strip())
    element = attribute = None
    m = _ELEMENT.match(message)
    if m:
        element, attribute = _NS.sub("", m.group(1)), m.group(2)
        message = message[m.end():]
    if type_name.startswith("SCHEMAV") or m:
        text = _apply(_SCHEMA, type_name, message, element) or \
            f"voldoet niet aan het schema (technische code {type_name})"
    else:
        text = _apply(_SYNTAX, type_name, message, element) or \
            f"de XML is niet goed gevormd (technische code {type_name})"
    if element is not None:
        where = f"element '{element}'" + (f", attribuut '{_NS.sub('', attribute)}'"
                                          if attribute else "")
        text = f"{where}: {text}"
    return _scrub(text, element)


_TYPE_NAMES: dict[int, str] = {}


def type_name(code: int) -> str:
    """The libxml2 name of an error code (``ERR_TAG_NAME_MISMATCH``)."""
    if not _TYPE_NAMES:
        from lxml import etree

        _TYPE_NAMES.update({v: k for k, v in vars(etree.ErrorTypes).items()
                            if isinstance(v, int) and k.isupper()})
    return _TYPE_NAMES.get(code, f"code {code}")
