"""The synthetic municipality: deterministic, schema-valid, privacy-safe, with the habits it promises."""

import json
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from lxml import etree

from berichten.synth import MUNICIPALITY_CODE, generate, is_valid_bsn
from berichten.synth_catalog import HABITS, PROVIDERS
from calc.errors import InputError

XSD = Path(__file__).parents[2] / "berichten" / "xsd"
SCALE = 0.02


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    return out, generate(out, seed=7, scale=SCALE, years=2)


def _local(el):
    return etree.QName(el).localname


def _text(el, name):
    for child in el.iter():
        if isinstance(child.tag, str) and _local(child) == name:
            return child.text
    return None


def claim_lines(out: Path):
    """Every 323 Prestatie as a dict, with its provider and claim month."""
    lines = []
    for f in sorted(out.rglob("*323_*.xml")):
        root = etree.parse(str(f)).getroot()
        provider = _text(root, "Afzender")
        period = next(e for e in root.iter() if isinstance(e.tag, str) and _local(e) == "DeclaratiePeriode")
        claim_month = _text(period, "Begindatum")[:7]
        for client in (e for e in root.iter() if isinstance(e.tag, str) and _local(e) == "Client"):
            bsn = _text(client, "Bsn")
            for p in (e for e in client.iter() if isinstance(e.tag, str) and _local(e) == "Prestatie"):
                lines.append(dict(
                    provider=provider, bsn=bsn, claim_month=claim_month, file=f.name,
                    ref=_text(p, "ReferentieNummer"), prev=_text(p, "VorigReferentieNummer"),
                    allocation=_text(p, "ToewijzingNummer"),
                    service_month=_text(p, "Begindatum")[:7], volume=int(_text(p, "GeleverdVolume")),
                    amount=int(_text(p, "Bedrag")), dc=_text(p, "DebetCredit")))
    return lines


def _months_between(a: str, b: str) -> int:
    return (int(b[:4]) - int(a[:4])) * 12 + int(b[5:7]) - int(a[5:7])


def test_same_seed_gives_byte_identical_files(tmp_path):
    """Two runs with the same seed write the same files, byte for byte; another seed differs."""
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, seed=11, scale=0.005, years=1)
    generate(b, seed=11, scale=0.005, years=1)
    generate(c, seed=12, scale=0.005, years=1)
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    files_c = {p.relative_to(c): p.read_bytes() for p in c.rglob("*") if p.is_file()}
    assert len(files_a) > 50
    assert files_a == files_b
    assert files_a != files_c


def test_every_ijw_file_validates_against_the_schema(synth):
    """All iJw messages, every message type, validate against the iJw 3.2 XSDs."""
    out, summary = synth
    schemas, seen = {}, Counter()
    for f in sorted((out / "jeugd").rglob("*.xml")):
        code = f.parent.name
        if code not in schemas:
            schemas[code] = etree.XMLSchema(etree.parse(str(XSD / f"JW{code}.xsd")))
        doc = etree.parse(str(f))
        assert schemas[code].validate(doc), (f, schemas[code].error_log.last_error)
        seen[code] += 1
    assert set(seen) == {"301", "302", "305", "306", "307", "308", "315", "316", "317", "318",
                         "323", "325"}


def test_iwmo_files_use_the_iwmo_namespaces_and_codes(synth):
    """iWmo messages are well-formed, in the iWmo 3.2 namespaces, with iWmo message codes."""
    out, _ = synth
    files = sorted((out / "wmo").rglob("*.xml"))
    assert files
    for f in files[::7]:
        root = etree.parse(str(f)).getroot()
        code = f.parent.name
        assert root.tag == f"{{http://www.istandaarden.nl/iwmo/3_2/wmo{code}/schema}}Bericht"
        wmo_code = {"301": "414", "302": "415", "305": "418", "307": "420", "317": "480",
                    "323": "484", "325": "485"}.get(code)
        if wmo_code:
            assert _text(root, "BerichtCode") == wmo_code


def test_every_bsn_is_synthetic_and_passes_the_11_test(synth):
    """Each BSN in each file lies in the reserved 999 range and passes the elfproef."""
    out, _ = synth
    bsns = set()
    for f in out.rglob("*.xml"):
        bsns.update(re.findall(r"<\w+:Bsn>([^<]*)<", f.read_text(encoding="utf-8")))
    assert len(bsns) > 100
    assert all(b.startswith("999") and is_valid_bsn(b) for b in bsns)


def test_summary_counts_match_the_files(synth):
    """Files and messages per law and code, claim lines and the net claimed amount add up."""
    out, summary = synth
    counted = defaultdict(Counter)
    for f in out.rglob("*.xml"):
        law = {"jeugd": "jw", "wmo": "wmo"}[f.relative_to(out).parts[0]]
        counted[law][f.parent.name] += 1
    assert {law: dict(c) for law, c in counted.items()} == summary.messages
    assert sum(sum(c.values()) for c in counted.values()) == summary.files
    lines = claim_lines(out)
    assert len(lines) == summary.claim_lines
    assert sum(1 for x in lines if x["dc"] == "C") == summary.claim_lines_credit
    net = sum(x["amount"] if x["dc"] == "D" else -x["amount"] for x in lines)
    assert net == summary.claimed_net_cents
    assert sum(summary.claimed_net_cents_per_year.values()) == net
    on_disk = json.loads((out / "samenvatting.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(summary.to_json()))
    assert on_disk["gedeclareerd_euro"] == round(net / 100, 2)
    assert summary.providers >= 30
    assert {c for c in summary.provider_habits.values()} == set(HABITS)


def test_claim_lag_shows_each_providers_habit(synth):
    """Late providers claim a median of 3+ months after the service month; punctual ones 0."""
    out, _ = synth
    lags = defaultdict(list)
    for x in claim_lines(out):
        if x["dc"] == "D" and x["prev"] is None:
            lags[x["provider"]].append(_months_between(x["service_month"], x["claim_month"]))
    habit = {p.agb: p.habit for p in PROVIDERS}
    medians = defaultdict(list)
    for agb, values in lags.items():
        if len(values) >= 8:
            medians[habit[agb]].append(statistics.median(values))
    assert medians["structureel_laat"] and min(medians["structureel_laat"]) >= 3
    assert medians["stipt"] and max(medians["stipt"]) == 0
    assert medians["maand_later"] and all(m == 1 for m in medians["maand_later"])


def test_credits_cancel_an_earlier_debit_of_the_same_provider(synth):
    """Each credit names (VorigReferentieNummer) a debit claimed earlier, identical in content."""
    out, _ = synth
    lines = claim_lines(out)
    by_ref = {(x["provider"], x["ref"]): x for x in lines}
    assert len(by_ref) == len(lines), "ReferentieNummer is unique per provider"
    credits = [x for x in lines if x["dc"] == "C"]
    assert credits
    cancelled = Counter()
    for c in credits:
        debit = by_ref[(c["provider"], c["prev"])]
        assert debit["dc"] == "D" and debit["claim_month"] < c["claim_month"]
        for key in ("bsn", "allocation", "service_month", "volume", "amount"):
            assert debit[key] == c[key]
        cancelled[(c["provider"], c["prev"])] += 1
    assert max(cancelled.values()) == 1
    creditors = {p.agb for p in PROVIDERS if p.habit == "crediteert"}
    share = Counter(c["provider"] in creditors for c in credits)
    assert share[True] > share[False]


def test_claims_refer_to_allocations_sent_to_that_provider(synth):
    """Every claim line's ToewijzingNummer was allocated (301) to the claiming provider."""
    out, _ = synth
    allocated = set()
    for f in out.rglob("*301_*.xml"):
        text = f.read_text(encoding="utf-8")
        agb = re.search(r":Ontvanger>(\d+)<", text).group(1)
        allocated.update((agb, n) for n in re.findall(r":ToewijzingNummer>(\d+)<", text))
    assert all((x["provider"], x["allocation"]) in allocated for x in claim_lines(out))


def test_utilisation_stays_below_allocation(synth):
    """Delivered care is below the allocated (committed) value, per year, well above zero."""
    _, summary = synth
    for year, committed in summary.committed_cents_per_year.items():
        ratio = summary.delivered_cents_per_year[year] / committed
        assert 0.5 < ratio < 1.0, (year, ratio)


def test_municipality_and_requests(synth):
    """The municipality is the fictional 9999; youth requests (315) carry a referrer."""
    out, _ = synth
    f = next((out / "jeugd").rglob("*315_*.xml"))
    text = f.read_text(encoding="utf-8")
    assert f":Ontvanger>{MUNICIPALITY_CODE}<" in text and ":Verwijzer><ijw:Type>" in text


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(scale=0), "schaal"),
    (dict(scale=float("nan")), "schaal"),
    (dict(years=0), "jaren"),
])
def test_bad_arguments_are_refused_in_dutch(tmp_path, kwargs, fragment):
    """Impossible arguments give a Dutch InputError naming them."""
    with pytest.raises(InputError, match=fragment):
        generate(tmp_path, **kwargs)


def test_a_folder_with_messages_is_refused(tmp_path):
    """Generating into a folder that already holds messages is refused, so runs never mix."""
    generate(tmp_path, scale=0.005, years=1)
    with pytest.raises(InputError, match="bevat al berichten"):
        generate(tmp_path, scale=0.005, years=1)


def test_only_writes_the_named_messages_with_the_same_truth(tmp_path):
    """``only=("323",)`` writes just the claims, byte-identical, with the same ground truth."""
    full = generate(tmp_path / "alle", seed=4, scale=0.005, years=1)
    claims = generate(tmp_path / "323", seed=4, scale=0.005, years=1, only=("323",))
    assert set(claims.messages["jw"]) | set(claims.messages["wmo"]) == {"323"}
    assert claims.claimed_net_cents == full.claimed_net_cents
    assert claims.delivered_cents_per_year == full.delivered_cents_per_year
    for f in (tmp_path / "323").rglob("*.xml"):
        assert f.read_bytes() == (tmp_path / "alle" / f.relative_to(tmp_path / "323")).read_bytes()


def test_youth_inflow_is_seasonal_and_the_size_is_as_promised():
    """More new youth clients in September-October than in July-August; about the promised size."""
    summary = generate_nothing(scale=0.3)
    inflow = summary.inflow_per_month["jw"]
    summer = sum(n for month, n in inflow.items() if month[5:] in ("07", "08"))
    autumn = sum(n for month, n in inflow.items() if month[5:] in ("09", "10"))
    assert autumn > 1.3 * summer
    assert sum(summary.clients_per_year["jw"].values()) / 3 == pytest.approx(1500 * 0.3, rel=0.2)
    assert sum(summary.clients_per_year["wmo"].values()) / 3 == pytest.approx(2500 * 0.3, rel=0.2)


def generate_nothing(**kwargs):
    """The simulation and its ground truth without writing a message (``only=()``)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return generate(Path(tmp), only=(), **kwargs)
