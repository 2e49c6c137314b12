"""The habits of a blind municipality: every one a seeded parameter with its true value.

Written from the domain (DOMAIN.md, the iJw 3.2 standard, how controllers describe their
municipality), not from Grip's own synthetic municipality or its forecast. Each habit can be
switched off (``Habits.draw(rng, off={...})``) so a benchmark can see what each one costs.
The drawn values go into ``waarheid.json`` next to the messages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

#: Names of the habits that can be switched off one by one.
HABIT_NAMES = (
    "batches",        # providers claiming a quarter at once, or most of the year in December
    "indexation",     # 1 January tariff indexation of 6-8 %
    "bankruptcy",     # a provider that goes bankrupt mid-2025
    "waiting_list",   # care starts months after the allocation, some never
    "budgets",        # budget allocations without volume
    "policy_cut",     # a cut on new allocations from mid-2025
    "late_tail",      # late claims with long tails
    "corrections",    # credit + debit corrections, late indexation corrected, rejected lines
    "seasonality",    # summer and Christmas dips in delivery, September and January peaks in inflow
    "extend_in_place",  # extensions as a new Einddatum on the same ToewijzingNummer (else a new one)
    "close_on_stop",  # the municipality ends an allocation by a 301 after an early 307 stop
)


@dataclass
class Habits:
    """One draw of every habit (the truth of the generator's parameters)."""

    seed: int
    scale: float
    municipality: str
    # demand
    growth_per_year: float                  # underlying growth of inflow per year
    summer_dip: float                       # July/August drop of ambulant delivery
    christmas_dip: float                    # December drop of ambulant delivery
    inflow_peaks: dict = field(default_factory=dict)   # month -> factor on inflow
    # claiming
    on_time_share: float = 0.8              # monthly claimers: share claimed in the service month
    tail_mean_months: float = 2.0           # mean of the geometric lag of the rest
    slow_tail_mean_months: float = 4.0      # the slow providers' tail
    quarterly_providers: int = 1
    catch_up_providers: int = 1
    catch_up_regular_share: float = 0.25    # share a catch-up provider still claims monthly
    # tariffs
    indexation: dict = field(default_factory=dict)     # year -> factor on last year's tariff
    late_indexation_months: int = 0         # a provider claims Jan.. at the old tariff, then corrects
    # bankruptcy
    bankrupt_month: str | None = None       # "2025-06"
    curator_share: float = 0.0              # share of unclaimed care the curator still claims
    curator_delay_months: int = 0
    # waiting list
    wait_mean_months: float = 0.0           # for the waiting-list products
    never_start_share: float = 0.0
    # budgets
    budget_share: float = 0.0               # share of maatwerk allocations given as a budget
    budget_use: float = 0.85                # mean share of a budget that is used
    # policy cut
    cut_month: str | None = None            # first month of the cut ("2025-07")
    cut_volume: float = 0.0                 # volume of a new allocation lowered by this share
    cut_inflow: float = 0.0                 # inflow of the cut products lowered by this share
    # corrections
    extend_in_place_share: float = 0.0      # share of extensions on the same ToewijzingNummer
    close_on_stop_share: float = 0.0        # early stops followed by a 301 with the new Einddatum
    correction_share: float = 0.0           # debit lines later credited and claimed again
    rejected_share: float = 0.0             # debit lines rejected in the 325 and claimed again
    off: tuple = ()

    @classmethod
    def draw(cls, rng: np.random.Generator, *, seed: int, scale: float,
             off: frozenset | set | tuple = ()) -> "Habits":
        off = tuple(sorted(off))
        unknown = set(off) - set(HABIT_NAMES)
        if unknown:
            raise ValueError(f"unknown habit(s): {sorted(unknown)}")
        on = lambda name: name not in off  # noqa: E731
        municipality = f"{int(rng.integers(1700, 1999)):04d}"
        h = cls(
            seed=seed, scale=scale, municipality=municipality,
            growth_per_year=float(rng.uniform(0.02, 0.07)),
            summer_dip=float(rng.uniform(0.12, 0.30)) if on("seasonality") else 0.0,
            christmas_dip=float(rng.uniform(0.06, 0.15)) if on("seasonality") else 0.0,
            inflow_peaks=({1: float(rng.uniform(1.1, 1.3)), 7: float(rng.uniform(0.6, 0.8)),
                           8: float(rng.uniform(0.5, 0.75)), 9: float(rng.uniform(1.2, 1.45)),
                           12: float(rng.uniform(0.7, 0.9))} if on("seasonality") else {}),
        )
        h.off = off
        h.on_time_share = float(rng.uniform(0.55, 0.85)) if on("late_tail") else 0.92
        h.tail_mean_months = float(rng.uniform(1.5, 3.5)) if on("late_tail") else 1.0
        h.slow_tail_mean_months = float(rng.uniform(3.0, 6.0)) if on("late_tail") else 1.0
        if on("batches"):
            h.quarterly_providers = int(rng.integers(1, 3))
            h.catch_up_providers = int(rng.integers(1, 3))
            h.catch_up_regular_share = float(rng.uniform(0.1, 0.35))
        else:
            h.quarterly_providers = h.catch_up_providers = 0
        h.indexation = ({2024: float(rng.uniform(1.06, 1.08)), 2025: float(rng.uniform(1.06, 1.08)),
                         2026: float(rng.uniform(1.03, 1.05))}
                        if on("indexation") else {2024: 1.0, 2025: 1.0, 2026: 1.0})
        if on("indexation") and on("corrections"):
            h.late_indexation_months = int(rng.integers(2, 5))
        if on("bankruptcy"):
            h.bankrupt_month = f"2025-{int(rng.integers(4, 9)):02d}"
            h.curator_share = float(rng.uniform(0.0, 0.8))
            h.curator_delay_months = int(rng.integers(3, 9))
        if on("waiting_list"):
            h.wait_mean_months = float(rng.uniform(1.5, 4.5))
            h.never_start_share = float(rng.uniform(0.08, 0.25))
        if on("budgets"):
            h.budget_share = float(rng.uniform(0.5, 1.0))
            h.budget_use = float(rng.uniform(0.7, 0.95))
        if on("policy_cut"):
            h.cut_month = f"2025-{int(rng.integers(5, 10)):02d}"
            h.cut_volume = float(rng.uniform(0.10, 0.25))
            h.cut_inflow = float(rng.uniform(0.05, 0.20))
        if on("extend_in_place"):
            h.extend_in_place_share = float(rng.uniform(0.3, 1.0))
        if on("close_on_stop"):
            h.close_on_stop_share = float(rng.uniform(0.2, 0.9))
        if on("corrections"):
            h.correction_share = float(rng.uniform(0.01, 0.05))
            h.rejected_share = float(rng.uniform(0.005, 0.02))
        return h

    def to_json(self) -> dict:
        d = asdict(self)
        d["inflow_peaks"] = {str(k): v for k, v in self.inflow_peaks.items()}
        d["indexation"] = {str(k): v for k, v in self.indexation.items()}
        d["off"] = list(self.off)
        return d
