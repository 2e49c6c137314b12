"""The ribbon tab "Grip": one Python description, rendered into the add-in's customUI XML.

Every button calls the one generic VBA callback ``GripRibbon.OnAction`` (shipped as
``GripRibbon.bas``, see ``addin.vba.render_ribbon_module``), which hands the button id to
``grip.buttons.run_from_excel``. The button "Werkmap controleren" calls the template's own
callback ``RibbonMyAddin.RunMain`` instead (it runs ``grip.main()``), so that one button
works before the one-time import of ``GripRibbon.bas``.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

#: Namespace of the Office 2010+ ribbon XML (customUI14.xml).
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
#: The generic VBA callback (module GripRibbon, shipped as a .bas file).
CALLBACK = "GripRibbon.OnAction"
#: The callback xlwings' ribbon add-in template already contains: runs ``grip.main()``.
TEMPLATE_CALLBACK = "RibbonMyAddin.RunMain"


@dataclass(frozen=True)
class Button:
    """One ribbon button: ``job`` is the module (``grip.jobs.<job>``) the dispatcher runs."""

    id: str
    label: str
    job: str
    image: str
    tip: str
    callback: str = CALLBACK
    #: The job needs nothing but the workbook: it is also a script in xlwings Lite.
    lite: bool = False


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    buttons: tuple[Button, ...]


TAB_ID = "gripTab"
TAB_LABEL = "Grip"

GROUPS = (
    Group("gripGegevens", "Gegevens", (
        Button("grip_berichten", "Berichtenverkeer inlezen", "berichten", "ImportTextFile",
               "Leest iJw/iWmo-berichten en exports uit de map op het blad Parameters in "
               "de opslag van Grip."),
    )),
    Group("gripRekenen", "Rekenen", (
        Button("grip_prognose", "Prognose bijwerken", "prognose", "ChartTrendline",
               "Werkt de jaareindeprognose en het aanbiedersoverzicht bij uit de opslag."),
        Button("grip_scenario", "Scenario doorrekenen", "scenario", "WhatIfAnalysisMenu",
               "Rekent de scenario's door (P10, P50, P90).", lite=True),
        Button("grip_begroting", "Begroting doorrekenen", "begroting", "AccountingFormat",
               "Rekent de meerjarenraming door: saldo en kans op een sluitende begroting.",
               lite=True),
        Button("grip_gripniveau", "Gripniveau bijwerken", "gripniveau", "ChartTypeOtherInsertGallery",
               "Meet de kengetallen van het gripniveau uit de opslag."),
    )),
    Group("gripWerkmap", "Werkmap", (
        Button("grip_controleren", "Werkmap controleren", "controleren", "ReviewShowAllComments",
               "Lijst van invoer buiten de grenzen, kapotte verwijzingen en foutmeldingen "
               "van Grip-functies, met links naar de cellen.", TEMPLATE_CALLBACK),
        Button("grip_waarden", "Deel als waarden", "waarden", "PasteValues",
               "Schrijft een kopie zonder formules en zonder invoegtoepassing, om te delen."),
    )),
)


def buttons() -> tuple[Button, ...]:
    """Every button, in ribbon order.

    >>> [b.label for b in buttons()][:2]
    ['Berichtenverkeer inlezen', 'Prognose bijwerken']
    """
    return tuple(b for g in GROUPS for b in g.buttons)


def button(button_id: str) -> Button:
    """The button with this id (KeyError with the known ids if there is none)."""
    for b in buttons():
        if b.id == button_id:
            return b
    raise KeyError(f"onbekende knop {button_id!r}; bekend: {', '.join(b.id for b in buttons())}")


def customui_xml() -> str:
    """The ``customUI/customUI14.xml`` part of the add-in."""
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             f'<customUI xmlns="{CUSTOMUI_NS}">',
             "  <ribbon>",
             "    <tabs>",
             f"      <tab id={quoteattr(TAB_ID)} label={quoteattr(TAB_LABEL)}>"]
    for group in GROUPS:
        lines.append(f"        <group id={quoteattr(group.id)} label={quoteattr(group.label)}>")
        for b in group.buttons:
            lines.append(
                f"          <button id={quoteattr(b.id)} label={quoteattr(b.label)} "
                f'size="large" imageMso={quoteattr(b.image)} screentip={quoteattr(b.label)} '
                f"supertip={quoteattr(b.tip)} onAction={quoteattr(b.callback)}/>")
        lines.append("        </group>")
    lines += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(lines)
