"""The ribbon XML is generated from the one description and says exactly what it describes."""

import xml.etree.ElementTree as ET

from addin import ribbon

NS = {"ui": ribbon.CUSTOMUI_NS}
REQUIRED = ["Berichtenverkeer inlezen", "Prognose bijwerken", "Scenario doorrekenen",
            "Begroting doorrekenen", "Gripniveau bijwerken", "Werkmap controleren",
            "Deel als waarden"]


def test_xml_parses_and_matches_the_description():
    root = ET.fromstring(ribbon.customui_xml().encode("utf-8"))
    assert root.tag == f"{{{ribbon.CUSTOMUI_NS}}}customUI"
    tab, = root.findall("ui:ribbon/ui:tabs/ui:tab", NS)
    assert (tab.get("id"), tab.get("label")) == (ribbon.TAB_ID, "Grip")
    groups = tab.findall("ui:group", NS)
    assert [g.get("label") for g in groups] == [g.label for g in ribbon.GROUPS]
    seen = [(b.get("id"), b.get("label"), b.get("onAction"), b.get("supertip"))
            for b in tab.iter(f"{{{ribbon.CUSTOMUI_NS}}}button")]
    assert seen == [(b.id, b.label, b.callback, b.tip) for b in ribbon.buttons()]


def test_every_required_button_is_there_once():
    labels = [b.label for b in ribbon.buttons()]
    assert labels == REQUIRED
    ids = [b.id for b in ribbon.buttons()]
    assert len(set(ids)) == len(ids)


def test_only_the_check_uses_the_template_callback():
    """One button works without the .bas import (the template's RunMain runs grip.main)."""
    template = [b.label for b in ribbon.buttons() if b.callback == ribbon.TEMPLATE_CALLBACK]
    assert template == ["Werkmap controleren"]


def test_ampersand_and_quotes_are_escaped(monkeypatch):
    odd = ribbon.Group("g", 'A & "B"', (ribbon.Button("x", "<x>", "x", "Help", "t & t"),))
    monkeypatch.setattr(ribbon, "GROUPS", (odd,))
    root = ET.fromstring(ribbon.customui_xml().encode())
    button = next(root.iter(f"{{{ribbon.CUSTOMUI_NS}}}button"))
    assert button.get("label") == "<x>" and button.get("supertip") == "t & t"
