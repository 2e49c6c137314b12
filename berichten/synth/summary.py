"""The summary of one generated municipality: counts and the ground truth (``samenvatting.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SynthSummary:
    """Counts and ground truth of one generated municipality (amounts in eurocent).

    ``messages`` counts per law (``jw``/``wmo``) per message (``"301"`` ...); the ``*_per_year``
    mappings are per service year (the year of the ProductPeriode) unless named otherwise.
    ``claimed_*`` is what the 323 files hold, net (debit minus credit); ``granted`` what the
    written 325 answers granted; ``delivered`` the value of the care actually delivered that will
    be owed once all claims are in (so ``delivered - claimed`` is the late-claims truth);
    ``committed`` the allocated value (volume x frequency x tariff over the allocation's
    validity); ``clients_per_year`` the clients with delivered care in the year;
    ``inflow_per_month`` the new clients (first allocation starting) per month.
    """

    municipality_code: str
    municipality_name: str
    seed: int
    scale: float
    first_year: int
    years: int
    peildatum: str
    files: int = 0
    messages: dict[str, dict[str, int]] = field(default_factory=dict)
    claim_lines: int = 0
    claim_lines_debit: int = 0
    claim_lines_credit: int = 0
    rejected_lines: int = 0
    clients: dict[str, int] = field(default_factory=dict)
    clients_per_year: dict[str, dict[str, int]] = field(default_factory=dict)
    inflow_per_month: dict[str, dict[str, int]] = field(default_factory=dict)
    providers: int = 0
    provider_habits: dict[str, str] = field(default_factory=dict)
    claimed_net_cents: int = 0
    claimed_net_cents_per_year: dict[str, int] = field(default_factory=dict)
    claimed_net_cents_per_claim_year: dict[str, int] = field(default_factory=dict)
    claimed_net_cents_per_law_year: dict[str, dict[str, int]] = field(default_factory=dict)
    granted_cents: int = 0
    delivered_cents_per_year: dict[str, int] = field(default_factory=dict)
    delivered_cents_per_taakveld_year: dict[str, dict[str, int]] = field(default_factory=dict)
    delivered_cents_per_category_year: dict[str, dict[str, int]] = field(default_factory=dict)
    committed_cents_per_year: dict[str, int] = field(default_factory=dict)
    #: The habits of this municipality (``berichten.synth.habits``, Dutch keys); empty: none.
    habits: dict = field(default_factory=dict)

    @property
    def claimed_net_euro(self) -> float:
        return self.claimed_net_cents / 100

    def to_json(self) -> dict:
        """The Dutch ``samenvatting.json`` (euro amounts with two decimals)."""
        def euro(cents):
            return round(cents / 100, 2)

        def euros(mapping):
            return {k: euro(v) for k, v in mapping.items()}

        return {
            "gemeente": self.municipality_name,
            "gemeentecode": self.municipality_code,
            "seed": self.seed,
            "schaal": self.scale,
            "eerste_jaar": self.first_year,
            "jaren": self.years,
            "peildatum": self.peildatum,
            "bestanden": self.files,
            "berichten": self.messages,
            "declaratieregels": self.claim_lines,
            "declaratieregels_debet": self.claim_lines_debit,
            "declaratieregels_credit": self.claim_lines_credit,
            "afgewezen_regels": self.rejected_lines,
            "clienten": self.clients,
            "clienten_met_zorg_per_jaar": self.clients_per_year,
            "instroom_per_maand": self.inflow_per_month,
            "aanbieders": self.providers,
            "declaratiegedrag_per_aanbieder": self.provider_habits,
            "gedeclareerd_euro": euro(self.claimed_net_cents),
            "gedeclareerd_euro_per_jaar": euros(self.claimed_net_cents_per_year),
            "gedeclareerd_euro_per_declaratiejaar": euros(self.claimed_net_cents_per_claim_year),
            "gedeclareerd_euro_per_wet_per_jaar": {
                law: euros(v) for law, v in self.claimed_net_cents_per_law_year.items()},
            "toegekend_euro": euro(self.granted_cents),
            "geleverd_euro_per_jaar": euros(self.delivered_cents_per_year),
            "geleverd_euro_per_taakveld_per_jaar": {
                tv: euros(v) for tv, v in self.delivered_cents_per_taakveld_year.items()},
            "geleverd_euro_per_productcategorie_per_jaar": {
                c: euros(v) for c, v in self.delivered_cents_per_category_year.items()},
            "verplicht_euro_per_jaar": euros(self.committed_cents_per_year),
            **({"gewoonten": self.habits} if self.habits else {}),
            "_toelichting": {
                "bedragen": "euro; per jaar = jaar van de ProductPeriode, tenzij anders genoemd",
                "gedeclareerd": "netto (debet min credit) in de 323-bestanden",
                "geleverd": "waarde van de geleverde zorg die uiteindelijk gedeclareerd wordt "
                            "(ook wat na de peildatum nog komt): geleverd - gedeclareerd = "
                            "nagekomen declaraties",
                "verplicht": "toegewezen volume x frequentie x tarief over de geldigheid",
            },
        }

    @classmethod
    def from_json_file(cls, path: Path) -> dict:
        """Read a ``samenvatting.json`` back (as the Dutch mapping)."""
        return json.loads(Path(path).read_text(encoding="utf-8"))
