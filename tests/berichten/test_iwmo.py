"""iWmo 3.2 messages: same structure, own namespace, message codes and product categories."""

import pytest

from berichten.importer import import_paths
from berichten.store import Store


def to_wmo(text: str, code: str) -> str:
    """An iJw message rewritten as its iWmo sibling (namespaces, prefixes, BerichtCode)."""
    jw = {"323": "490", "301": "436"}[code]
    wmo = {"323": "484", "301": "414"}[code]
    return (text.replace("/ijw/3_2/", "/iwmo/3_2/").replace(f"jw{code}", f"wmo{code}")
            .replace("ijw:", "iwmo:").replace("xmlns:ijw=", "xmlns:iwmo=").replace(f"BerichtCode>{jw}<", f"BerichtCode>{wmo}<"))


def test_wmo_claims_are_read_with_wmo_categories(msg, tmp_path, store_path):
    """A WMO323 with category 02 is read as law 'wmo'; an iJw category (45) is unknown there."""
    text = to_wmo(msg.claim([msg.Line("W1", category="02", code="02A01"),
                             msg.Line("W2", category="45", code="45A03")]), "323")
    report = import_paths(store_path, [msg.write(tmp_path, "wmo.xml", text)])
    assert (report.read, report.accepted, report.quarantined) == (2, 1, 1)
    with Store(store_path) as store:
        lines, q, overview = store.claim_lines(), store.quarantine(), store.overview()
    assert lines["law"].tolist() == ["wmo"] and lines["product_category"].tolist() == ["02"]
    assert q.loc[0, "reason"] == "onbekende productcategorie '45'" and q.loc[0, "message_code"] == "WMO323"
    assert overview["berichten"] == {"WMO323": 1}


def test_wmo_message_code_must_match(msg, tmp_path, store_path):
    """A WMO323 carrying the iJw BerichtCode 490 is refused."""
    text = to_wmo(msg.claim([msg.Line("W1", category="02", code="02A01")]), "323")
    text = text.replace("BerichtCode>484<", "BerichtCode>490<")
    report = import_paths(store_path, [msg.write(tmp_path, "wmo.xml", text)])
    assert report.files[0].status == "geweigerd"
    assert report.files[0].reason == "BerichtCode '490' hoort niet bij WMO323 (verwacht 484)"
