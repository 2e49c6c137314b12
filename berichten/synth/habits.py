"""Habits of a municipality and its providers that a year-end forecast has to live with.

Each habit is a parameter of the simulation with a known truth (it is written into
``samenvatting.json`` under ``gewoonten``), so a forecast can be tested on many draws of them:

- **claim calendars**: a provider claims only in fixed calendar months (``kwartaal``: March,
  June, September, December, each for the months before; ``december``: the whole year in a
  December catch-up);
- **tariff indexation** on 1 January (6-8 % a year instead of the catalogue's 4 %);
- **a provider that stops** mid-year (bankruptcy): from that day its clients move to another
  provider of the same product; a share of its claims not yet sent comes months later in one
  curator's batch, the rest never (that care is then not spent);
- **waiting lists**: care starts an exponential waiting time after the allocation's start
  (the allocation commits from its start); some allocations are never used;
- **a policy cut** on new allocations from a month on (fewer new clients);
- **budget allocations**: a product allocated as a budget (eurocent over the validity, no
  volume) and claimed in euro (Eenheid 83).

``Habits()`` (all off) is Gemeente Voorbeeld as it always was, byte for byte. ``draw_habits``
draws a realistic set per seed (the "gewoonten" profile).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from berichten.synth_catalog import PRODUCTS, PROVIDERS, providers_for

#: Claim calendars: the calendar months (1-12) in which a provider sends its claims.
CALENDARS = {"kwartaal": (3, 6, 9, 12), "december": (12,)}


@dataclass(frozen=True)
class Habits:
    """The habits of one synthetic municipality (all off by default).

    ``indexation``: tariff rise on 1 January of each year after the first (fractions, e.g.
    ``(0.07, 0.065)``; empty: the catalogue's ``TARIFF_INDEX``). ``calendars``: provider AGB
    -> calendar name (:data:`CALENDARS`). ``stopping_provider`` (AGB) stops on
    ``stop_day`` (ISO date); ``curator_share`` of its claims still to send come in one batch
    ``curator_delay`` months after the stop month, the rest never. ``waiting_months``: mean
    waiting time from an allocation's start to the start of care; ``never_used``: the share
    of new allocations whose care never starts. ``policy_cut``: the share of new clients
    fewer from ``policy_cut_from`` (``YYYY-MM``) on. ``budget_products``: product codes
    allocated as a budget instead of a volume.
    """

    indexation: tuple[float, ...] = ()
    calendars: dict[str, str] = field(default_factory=dict)
    stopping_provider: str | None = None
    stop_day: str | None = None
    curator_share: float = 0.0
    curator_delay: int = 0
    waiting_months: float = 0.0
    never_used: float = 0.0
    policy_cut: float = 0.0
    policy_cut_from: str | None = None
    budget_products: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self != Habits()

    def to_json(self) -> dict:
        """The habits in Dutch words for ``samenvatting.json`` (the truth of a draw)."""
        d = asdict(self)
        return {"indexatie_per_jaar": list(d["indexation"]),
                "declaratiekalender_per_aanbieder": d["calendars"],
                "stoppende_aanbieder": d["stopping_provider"], "stopdatum": d["stop_day"],
                "curator_aandeel": d["curator_share"],
                "curator_maanden_later": d["curator_delay"],
                "wachttijd_maanden": d["waiting_months"], "nooit_gebruikt": d["never_used"],
                "beleidskorting_instroom": d["policy_cut"],
                "beleidskorting_vanaf": d["policy_cut_from"],
                "budget_producten": list(d["budget_products"])}


def _can_stop(provider) -> bool:
    """A provider can stop when every product it delivers has another provider."""
    return all(len(providers_for(code)) > 1 for code in provider.products)


def draw_habits(seed: int, *, first_year: int = 2023, years: int = 3) -> Habits:
    """A realistic set of habits, drawn per ``seed`` (independent of the simulation's draws).

    Indexation 6-8 % each year; one provider claiming in a December catch-up and one to three
    quarterly; one provider (with products others deliver too) stopping between March and
    September of one of the later years, 30-80 % of its open claims in a curator's batch 2-6
    months later; mean waiting time 0-2,5 months with 3-12 % never used; a policy cut of
    10-30 % on new clients from April-August of the last year; one or two products allocated
    as a budget.

    >>> h = draw_habits(7)
    >>> all(0.06 <= i <= 0.08 for i in h.indexation), h == draw_habits(7)
    (True, True)
    """
    rng = random.Random(f"gewoonten-{seed}")
    indexation = tuple(round(rng.uniform(0.06, 0.08), 4) for _ in range(years - 1))
    candidates = [p for p in PROVIDERS if p.size <= 2]
    batch = rng.sample(candidates, k=1 + rng.randint(1, 3))
    calendars = {batch[0].agb: "december"} | {p.agb: "kwartaal" for p in batch[1:]}
    stoppable = [p for p in PROVIDERS if _can_stop(p) and p.agb not in calendars]
    stopping = rng.choice(stoppable)
    stop_year = first_year + rng.randint(min(1, years - 1), years - 1)
    stop_day = f"{stop_year:04d}-{rng.randint(3, 9):02d}-{rng.randint(1, 28):02d}"
    last = first_year + years - 1
    budgets = [p.code for p in PRODUCTS.values() if p.allocation_months and not p.trajectory
               and p.frequency in ("2", "4")]
    budget_products = tuple(sorted(rng.sample(budgets, k=rng.randint(1, 2))))
    return Habits(indexation=indexation, calendars=calendars, stopping_provider=stopping.agb,
                  stop_day=stop_day, curator_share=round(rng.uniform(0.3, 0.8), 2),
                  curator_delay=rng.randint(2, 6),
                  waiting_months=round(rng.uniform(0.0, 2.5), 2),
                  never_used=round(rng.uniform(0.03, 0.12), 3),
                  policy_cut=round(rng.uniform(0.1, 0.3), 2),
                  policy_cut_from=f"{last:04d}-{rng.randint(4, 8):02d}",
                  budget_products=budget_products)
