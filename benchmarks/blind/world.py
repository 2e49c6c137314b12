"""Simulate a blind municipality month by month: clients, allocations, care, claims.

Everything here is plain Python objects; ``messages.py`` turns them into iJw 3.2 XML. Money in
eurocent (integers), as in the messages. A month is an integer index ``year * 12 + month - 1``.

The truth of a year is the care delivered in it that will eventually be claimed and accepted
(credits netted, rejected lines left out), whenever the claim arrives; care a bankrupt
provider never claims is counted apart (``unclaimed``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from benchmarks.blind.habits import Habits

SIM_START_YEAR = 2017      # the simulation starts empty here (burn-in of the client stock)
START_YEAR = 2021          # messages from 1 January of this year (plus the 301s in force then)
LAST_SERVICE_YEAR = 2025   # last year of care simulated
LAST_CLAIM = (2027, 12)    # the long tail is followed until this claim month


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_of(day: dt.date) -> int:
    return month_index(day.year, day.month)


def first_day(m: int) -> dt.date:
    return dt.date(m // 12, m % 12 + 1, 1)


def last_day(m: int) -> dt.date:
    y, mo = m // 12, m % 12 + 1
    return dt.date(y, mo, calendar.monthrange(y, mo)[1])


def parse_month(text: str | None) -> int | None:
    if not text:
        return None
    y, m = text.split("-")
    return month_index(int(y), int(m))


@dataclass(frozen=True)
class Product:
    code: str
    category: str
    unit: str            # Eenheid
    frequency: str       # Frequentie ("" for a budget)
    tariff_2023: int     # eurocent per unit
    kind: str            # weekly | total | stay | monthly | budget
    inflow: float        # new allocations per month at scale 1
    duration: float      # mean planned duration in months
    volume: tuple        # (low, high) of the allocated volume
    waiting_list: bool = False
    cut: bool = False    # hit by the policy cut
    seasonal: bool = True
    open_ended: float = 0.0   # share of allocations without Einddatum


#: The municipality's product list (our own codes; category from the iJw code list).
PRODUCTS = (
    Product("45A11", "45", "04", "2", 7150, "weekly", 13.0, 8, (2, 6), cut=True),    # begeleiding
    Product("45B21", "45", "04", "2", 10350, "weekly", 8.0, 6, (1, 3), cut=True),    # behandeling
    Product("41C01", "41", "16", "2", 8900, "weekly", 2.5, 10, (2, 6), cut=True),    # dagbehandeling
    Product("54G10", "54", "04", "6", 11600, "total", 7.0, 9, (20, 70), waiting_list=True),
    Product("43V01", "43", "14", "1", 29500, "stay", 1.8, 12, (1, 1), waiting_list=True,
            seasonal=False, open_ended=0.3),
    Product("44P01", "44", "14", "1", 7400, "stay", 2.0, 22, (1, 1), seasonal=False,
            open_ended=0.6),
    Product("46K01", "46", "14", "1", 40500, "stay", 0.9, 1.3, (1, 1), seasonal=False),
    Product("48J01", "48", "82", "4", 163000, "monthly", 1.4, 16, (1, 1), seasonal=False,
            open_ended=0.5),
    Product("50M01", "50", "04", "2", 8400, "weekly", 3.0, 9, (2, 5), cut=True),    # maatwerk
)
EARLY_STOP = 0.22          # share of allocations whose care stops before the planned end
EXTEND = {False: 0.45, True: 0.25}   # share extended at the planned end (key: is a stay)
BUDGET_PRODUCT = "50M01"


@dataclass(frozen=True)
class Structure:
    """How care runs, apart from the habits: the product list, early stops, extensions."""
    products: tuple = PRODUCTS
    early_stop: float = EARLY_STOP
    extend: tuple = (EXTEND[False], EXTEND[True])   # (not a stay, a stay)


#: ``gewoon``: the municipality as described above. ``eenvoudig``: a control world with only the
#: weekly products, allocations of five years on average, no early stops and no extensions,
#: where commitments x utilisation is the whole story (use it with every habit switched off).
STRUCTURES = {
    "gewoon": Structure(),
    "eenvoudig": Structure(
        products=tuple(replace(p, duration=60.0, open_ended=0.0) for p in PRODUCTS
                       if p.kind == "weekly"),
        early_stop=0.0, extend=(0.0, 0.0)),
}   # the product that can be allocated as a budget (Eenheid 83 in claims)
BUDGET_MONTH = (90_000, 240_000)  # budget per month of validity, eurocent


@dataclass
class Provider:
    agb: str
    products: tuple
    size: float
    habit: str           # monthly | slow | quarterly | catch_up
    bankrupt: bool = False
    late_index: bool = False


@dataclass
class Version:
    day: dt.date               # Dagtekening of the 301 that carries this version
    end: dt.date | None        # Einddatum
    reason: str | None         # RedenWijziging


@dataclass
class Allocation:
    number: int
    client: int
    provider: str
    product: Product
    start: dt.date             # Ingangsdatum
    end: dt.date | None        # planned Einddatum (first version)
    volume: int | None
    budget: int | None         # eurocent
    granted: dt.date           # Toewijzingsdatum (= Dagtekening of its first 301)
    versions: list = field(default_factory=list)
    care_start: dt.date | None = None
    care_end: dt.date | None = None
    stop_reason: str | None = None
    utilisation: float = 1.0

    def end_as_of(self, day: dt.date) -> dt.date | None:
        current = self.versions[0]
        for v in self.versions:
            if v.day <= day:
                current = v
        return current.end


@dataclass
class Line:
    """One claim line (323 Prestatie) as sent, or planned to be sent."""
    provider: str
    client: int
    allocation: Allocation
    service_month: int
    period: tuple              # (begin, end) within the service month
    volume: int
    unit: str
    tariff: int
    amount: int                # eurocent, positive
    debit: bool
    reference: str
    previous: str | None
    claim_month: int           # DeclaratiePeriode
    rejected: bool = False
    truth: bool = True         # counts in the truth (False: a line later credited, a rejected one)


@dataclass
class World:
    habits: Habits
    providers: list
    clients: dict              # id -> (bsn, birth date, sex)
    allocations: list
    lines: list
    snapshots: list            # (day, client, provider, reason)
    starts: list               # (day, allocation)
    stops: list                # (day, allocation)
    unclaimed: dict            # year -> eurocent delivered by the bankrupt provider, never claimed


def bsn_generator(rng: np.random.Generator):
    """Distinct test BSNs: 999 range, passing the 11-test."""
    seen: set[str] = set()
    while True:
        digits = [9, 9, 9] + [int(d) for d in rng.integers(0, 10, 5)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last == 10:
            continue
        bsn = "".join(map(str, digits)) + str(last)
        if bsn not in seen:
            seen.add(bsn)
            yield bsn


def tariff(h: Habits, product: Product, year: int) -> int:
    value = float(product.tariff_2023)
    for y in range(2024, year + 1):
        value *= h.indexation.get(y, 1.0)
    return int(round(value))


def season(h: Habits, product: Product, month: int) -> float:
    if not product.seasonal:
        return 1.0
    mo = month % 12 + 1
    if mo in (7, 8):
        return 1.0 - h.summer_dip * (1.0 if mo == 7 else 1.3)
    if mo == 12:
        return 1.0 - h.christmas_dip
    return 1.0


def make_providers(h: Habits, rng: np.random.Generator,
                   structure: Structure = STRUCTURES["gewoon"]) -> list[Provider]:
    n = 8 + int(round(4 * h.scale ** 0.5))
    ambulant = ["45A11", "45B21", "41C01", "50M01"]
    providers = []
    used = set()
    for i in range(n):
        while True:
            agb = f"98{int(rng.integers(0, 10**6)):06d}"
            if agb not in used:
                used.add(agb)
                break
        if i < 4:
            offer = tuple(sorted(set(rng.choice(ambulant, size=int(rng.integers(2, 4)),
                                                replace=False))))
        elif i < 6:
            offer = ("54G10",) + (("45B21",) if i == 5 else ())
        elif i == 6:
            offer = ("43V01", "44P01", "46K01")
        elif i == 7:
            offer = ("48J01", "44P01")
        else:
            offer = tuple(sorted(set(rng.choice([p.code for p in structure.products],
                                                size=int(rng.integers(1, 3)), replace=False))))
        providers.append(Provider(agb, offer, float(rng.lognormal(0, 0.5)), "monthly"))
    # every product at two providers at least (a bankrupt provider's clients must move)
    for p in structure.products:
        offering = [pr for pr in providers if p.code in pr.products]
        while len(offering) < 2:
            pr = providers[int(rng.integers(0, n))]
            if p.code not in pr.products:
                pr.products = pr.products + (p.code,)
                offering.append(pr)
    order = list(rng.permutation(n))
    for _ in range(h.quarterly_providers):
        providers[order.pop()].habit = "quarterly"
    for _ in range(h.catch_up_providers):
        providers[order.pop()].habit = "catch_up"
    if "late_tail" not in h.off:
        providers[order.pop()].habit = "slow"
    if h.bankrupt_month:
        # a medium-sized ambulant provider that claims monthly
        cands = [i for i in order if set(providers[i].products) & set(ambulant)]
        pick = cands[0] if cands else order[0]
        order.remove(pick)
        providers[pick].bankrupt = True
        providers[pick].size = max(providers[pick].size, 0.8)
    if h.late_indexation_months:
        providers[order.pop()].late_index = True
    return providers


def simulate(h: Habits, rng: np.random.Generator,
             structure: Structure = STRUCTURES["gewoon"]) -> World:
    providers = make_providers(h, rng, structure)
    bsns = bsn_generator(rng)
    clients: dict[int, tuple] = {}
    allocations: list[Allocation] = []
    snapshots: list = []
    starts: list = []
    stops: list = []
    next_number = [int(rng.integers(1_000_000, 2_000_000))]
    bankrupt = next((p for p in providers if p.bankrupt), None)
    b_month = parse_month(h.bankrupt_month)
    b_day = first_day(b_month) + dt.timedelta(days=int(rng.integers(0, 20))) if b_month else None
    cut_month = parse_month(h.cut_month)
    first = month_index(SIM_START_YEAR, 1)
    last = month_index(LAST_SERVICE_YEAR, 12)

    def new_client() -> int:
        cid = len(clients)
        birth = dt.date(int(rng.integers(2006, 2022)), int(rng.integers(1, 13)),
                        int(rng.integers(1, 29)))
        clients[cid] = (next(bsns), birth, str(int(rng.integers(1, 3))))
        return cid

    def pick_provider(product: Product, day: dt.date) -> Provider:
        cands = [p for p in providers if product.code in p.products
                 and not (p.bankrupt and b_day and day >= b_day - dt.timedelta(days=30))]
        w = np.array([p.size for p in cands])
        return cands[int(rng.choice(len(cands), p=w / w.sum()))]

    def allocate(product: Product, client: int, granted: dt.date, start: dt.date,
                 months: float | None, provider: Provider | None = None,
                 volume: int | None = None, budget: int | None = None,
                 follows: bool = False) -> Allocation:
        provider = provider or pick_provider(product, granted)
        if months is None:
            months = max(0.5, rng.gamma(2.0, product.duration / 2.0))
        open_ended = rng.random() < product.open_ended
        end = None if open_ended else start + dt.timedelta(days=int(months * 30.4))
        month = month_of(granted)
        cut = (product.cut and cut_month is not None and month >= cut_month)
        if volume is None and budget is None:
            if product.code == BUDGET_PRODUCT and rng.random() < h.budget_share:
                per_month = rng.uniform(*BUDGET_MONTH) * (1 - h.cut_volume if cut else 1.0)
                growth = tariff(h, product, granted.year) / product.tariff_2023
                budget = int(round(per_month * growth * max(months, 1.0) / 100.0)) * 100
            else:
                lo, hi = product.volume
                volume = int(rng.integers(lo, hi + 1))
                if cut and product.kind in ("weekly", "total"):
                    volume = max(1, int(round(volume * (1 - h.cut_volume))))
        number = next_number[0]
        next_number[0] += int(rng.integers(1, 4))
        a = Allocation(number, client, provider.agb, product, start, end, volume, budget,
                       granted, utilisation=float(np.clip(rng.beta(8, 2), 0.3, 1.0)))
        a.versions.append(Version(granted, end, None))
        allocations.append(a)
        snapshots.append((granted, client, provider.agb, "new"))
        # when does care really start and end?
        if follows:   # care goes on without a break
            a.care_start = start
        elif product.waiting_list and h.wait_mean_months > 0:
            if rng.random() < h.never_start_share:
                a.care_start = None
            else:
                wait = rng.exponential(h.wait_mean_months)
                a.care_start = start + dt.timedelta(days=int(wait * 30.4) + int(rng.integers(0, 10)))
        else:
            a.care_start = start + dt.timedelta(days=int(rng.integers(0, 15)))
        planned = months if end is None else (end - start).days / 30.4
        if end is not None and a.care_start is not None and a.care_start > end:
            a.care_start = None
        if a.care_start is None:
            return a
        if end is None:
            a.care_end = a.care_start + dt.timedelta(days=int(planned * 30.4))
            a.stop_reason = "31"
        elif rng.random() < structure.early_stop:
            a.care_end = a.care_start + dt.timedelta(
                days=int(rng.uniform(0.2, 0.9) * max(1, (end - a.care_start).days)))
            a.stop_reason = str(rng.choice(["32", "33", "34", "35", "39"]))
        elif rng.random() < structure.extend[product.kind == "stay"]:
            # reassessed before the end and extended: the same ToewijzingNummer with a new
            # Einddatum (RedenWijziging 04), or a new allocation from the next day
            extra = max(1.0, rng.gamma(2.0, product.duration / 3.0))
            new_end = end + dt.timedelta(days=int(extra * 30.4))
            day = max(end - dt.timedelta(days=int(rng.integers(5, 40))),
                      granted + dt.timedelta(days=1))
            a.stop_reason = "31"
            if rng.random() < h.extend_in_place_share:
                a.versions.append(Version(day, new_end, "04"))
                snapshots.append((day, client, provider.agb, "extend"))
                a.care_end = new_end
            else:
                a.care_end = end
                budget = (int(round(a.budget / max(planned, 1.0) * extra / 100.0)) * 100
                          if a.budget is not None else None)
                allocate(product, client, day, end + dt.timedelta(days=1), extra,
                         provider=provider, volume=a.volume, budget=budget, follows=True)
        else:
            a.care_end = end
            a.stop_reason = "31"
        if a.care_end < a.care_start:
            a.care_end = a.care_start
        return a

    # inflow month by month
    for m in range(first, last + 1):
        year = m // 12
        peak = h.inflow_peaks.get(m % 12 + 1, 1.0)
        for product in structure.products:
            lam = product.inflow * h.scale * peak * (1 + h.growth_per_year) ** (year - START_YEAR)
            if product.cut and cut_month is not None and m >= cut_month:
                lam *= 1 - h.cut_inflow
            for _ in range(rng.poisson(lam)):
                granted = first_day(m) + dt.timedelta(days=int(rng.integers(0, 28)))
                start = granted + dt.timedelta(days=int(rng.integers(0, 21)))
                existing = rng.random() < 0.15 and clients
                client = int(rng.integers(0, len(clients))) if existing else new_client()
                allocate(product, client, granted, start, None)
    # bankruptcy: the municipality ends the allocations, the clients move
    if bankrupt is not None:
        for a in list(allocations):
            if a.provider != bankrupt.agb or a.care_start is None:
                continue
            if a.care_end is not None and a.care_end <= b_day:
                continue
            if a.care_start >= b_day:
                # not started yet (a follow-up or after a wait): revoked, moves as a whole
                months = max(0.5, ((a.care_end or a.care_start) - a.care_start).days / 30.4)
                a.versions.append(Version(b_day + dt.timedelta(days=int(rng.integers(1, 10))),
                                          a.start, "09"))
                snapshots.append((a.versions[-1].day, a.client, a.provider, "bankrupt"))
                a.care_start = None
                succ = pick_provider(a.product, b_day + dt.timedelta(days=60))
                allocate(a.product, a.client, b_day, max(a.start, b_day), months,
                         provider=succ, volume=a.volume, budget=a.budget, follows=True)
                continue
            remaining_end = a.care_end
            a.care_end = b_day
            a.stop_reason = "35"
            a.versions.append(Version(b_day + dt.timedelta(days=int(rng.integers(1, 10))),
                                      b_day, "09"))
            snapshots.append((a.versions[-1].day, a.client, a.provider, "bankrupt"))
            move = b_day + dt.timedelta(days=int(rng.integers(0, 25)))
            months = max(0.5, (remaining_end - move).days / 30.4)
            succ = pick_provider(a.product, b_day + dt.timedelta(days=60))
            # a move is a continuation of care (DOMAIN.md): no new wait on the list
            allocate(a.product, a.client, move - dt.timedelta(days=2), move, months,
                     provider=succ, volume=a.volume, budget=a.budget, follows=True)
    for a in allocations:
        if a.care_start is not None and a.care_start <= last_day(last + 24):
            starts.append((a.care_start + dt.timedelta(days=int(rng.integers(0, 12))), a))
            if a.care_end is not None and not (a.stop_reason == "35"):
                day = a.care_end + dt.timedelta(days=int(rng.integers(1, 20)))
                stops.append((day, a))
                planned = a.end_as_of(day)
                if ((planned is None or a.care_end < planned)
                        and rng.random() < h.close_on_stop_share):
                    # the municipality ends the allocation after the stop (RedenWijziging 12)
                    a.versions.append(Version(day + dt.timedelta(days=int(rng.integers(3, 30))),
                                              a.care_end, "12"))
                    snapshots.append((a.versions[-1].day, a.client, a.provider, "close"))
    world = World(h, providers, clients, allocations, [], snapshots, starts, stops, {})
    deliver_and_claim(world, rng, b_day)
    return world


def delivered(h: Habits, a: Allocation, m: int, rng: np.random.Generator) -> tuple | None:
    """(period begin, period end, volume, unit, tariff) of care in month m, or None."""
    if a.care_start is None:
        return None
    begin = max(first_day(m), a.care_start)
    end = min(last_day(m), a.care_end) if a.care_end else last_day(m)
    if end < begin:
        return None
    days = (end - begin).days + 1
    share = days / ((last_day(m) - first_day(m)).days + 1)
    p = a.product
    s = season(h, p, m) * a.utilisation
    year = m // 12
    if a.budget is not None:
        months = max(1.0, ((a.care_end or a.start) - a.start).days / 30.4)
        euros = rng.poisson(max(0.0, a.budget / 100.0 / months * share * h.budget_use
                                / 0.85 * s))
        return (begin, end, int(euros), "83", 100) if euros > 0 else None
    if p.kind == "weekly":
        vol = rng.poisson(a.volume * days / 7.0 * s)
    elif p.kind == "total":
        months = max(1.0, ((a.care_end or a.start) - a.care_start).days / 30.4)
        vol = rng.poisson(a.volume / months * share * s)
    elif p.kind == "stay":
        vol = days - int(rng.binomial(days, 0.03)) if days > 3 else days
    else:   # monthly output: one per month begun
        vol = a.volume
    if vol <= 0:
        return None
    return (begin, end, int(vol), p.unit, tariff(h, p, year))


def geometric_lag(rng: np.random.Generator, on_time: float, mean: float, cap: int) -> int:
    if rng.random() < on_time:
        return 0
    return int(min(cap, 1 + rng.geometric(1.0 / max(mean, 1.0)) - 1))


def deliver_and_claim(world: World, rng: np.random.Generator, b_day: dt.date | None) -> None:
    h = world.habits
    prov = {p.agb: p for p in world.providers}
    last = month_index(LAST_SERVICE_YEAR, 12)
    final_claim = month_index(*LAST_CLAIM)
    ref = [0]
    # a correction of a claim sent before the messages begin is not in the messages either
    first_sent = month_index(START_YEAR, 1) - 1

    def reference(agb: str) -> str:
        ref[0] += 1
        return f"R{agb[-4:]}X{ref[0]:07d}"

    lines: list[Line] = []
    for a in world.allocations:
        if a.care_start is None:
            continue
        p = prov[a.provider]
        m0 = month_of(a.care_start)
        m1 = min(last, month_of(a.care_end) if a.care_end else last)
        for m in range(max(m0, month_index(SIM_START_YEAR, 1)), m1 + 1):
            got = delivered(h, a, m, rng)
            if got is None:
                continue
            begin, end, vol, unit, tar = got
            claim = claim_month(p, h, m, rng)
            if p.bankrupt and b_day is not None and first_day(claim + 1) >= b_day:
                # would be sent after the bankruptcy: the curator's batch, or never
                if rng.random() < h.curator_share:
                    claim = month_of(b_day) + h.curator_delay_months
                else:
                    world.unclaimed[m // 12] = world.unclaimed.get(m // 12, 0) + vol * tar
                    continue
            if claim > final_claim:
                continue
            line_tariff = tar
            late_index = (p.late_index and unit != "83" and m % 12 < h.late_indexation_months
                          and claim % 12 < h.late_indexation_months and claim // 12 == m // 12
                          and m // 12 >= 2024)
            if late_index:
                line_tariff = tariff(h, a.product, m // 12 - 1)
            line = Line(a.provider, a.client, a, m, (begin, end), vol, unit, line_tariff,
                        vol * line_tariff, True, reference(a.provider), None, claim)
            lines.append(line)
            if late_index:
                # credit at the old tariff and debit at the new one, in the claim of month k
                fix = month_index(m // 12, h.late_indexation_months + 1)
                line.truth = False
                lines.append(Line(a.provider, a.client, a, m, (begin, end), vol, unit,
                                  line_tariff, vol * line_tariff, False, line.reference, None,
                                  fix, truth=False))
                lines.append(Line(a.provider, a.client, a, m, (begin, end), vol, unit, tar,
                                  vol * tar, True, reference(a.provider), line.reference, fix))
                continue
            if rng.random() < h.rejected_share:
                line.rejected, line.truth = True, False
                again = claim + int(rng.integers(1, 3))
                if again <= final_claim and not (p.bankrupt and b_day and first_day(again) >= b_day):
                    lines.append(Line(a.provider, a.client, a, m, (begin, end), vol, unit, tar,
                                      vol * tar, True, reference(a.provider), None, again))
                continue
            if rng.random() < h.correction_share and claim >= first_sent:
                fix = claim + int(rng.integers(1, 6))
                if fix <= final_claim and not (p.bankrupt and b_day and first_day(fix) >= b_day):
                    line.truth = False
                    lines.append(Line(a.provider, a.client, a, m, (begin, end), vol, unit, tar,
                                      vol * tar, False, line.reference, None, fix, truth=False))
                    new_vol = int(round(vol * rng.uniform(0.6, 1.1)))
                    if new_vol > 0:
                        lines.append(Line(a.provider, a.client, a, m, (begin, end), new_vol,
                                          unit, tar, new_vol * tar, True, reference(a.provider),
                                          line.reference, fix))
    world.lines = lines


def claim_month(p: Provider, h: Habits, m: int, rng: np.random.Generator) -> int:
    """DeclaratiePeriode of care delivered in month m, by the provider's habit."""
    if p.habit == "quarterly":
        q_end = m - m % 3 + 2
        return q_end + (3 if rng.random() < 0.12 else 0) + geometric_lag(rng, 0.9, 2.0, 12)
    if p.habit == "catch_up":
        if rng.random() < h.catch_up_regular_share:
            return m + geometric_lag(rng, h.on_time_share, h.tail_mean_months, 18)
        mo = m % 12 + 1
        if mo <= 11:
            return month_index(m // 12, 11)     # the December batch (DeclaratiePeriode November)
        return m + 1 + geometric_lag(rng, 0.7, 1.5, 6)
    if p.habit == "slow":
        return m + geometric_lag(rng, h.on_time_share * 0.4, h.slow_tail_mean_months, 30)
    return m + geometric_lag(rng, h.on_time_share, h.tail_mean_months, 24)


def truth(world: World) -> dict:
    """The value of care per service year (and per category) that will be claimed and accepted."""
    out: dict = {}
    for line in world.lines:
        if not line.truth and line.debit:
            continue
        if not line.debit:
            continue   # credits only cancel lines already marked truth=False
        year = line.service_month // 12
        cat = line.allocation.product.category
        y = out.setdefault(year, {"total": 0, "per_category": {}})
        y["total"] += line.amount
        y["per_category"][cat] = y["per_category"].get(cat, 0) + line.amount
    return out


def truth_split(world: World, year: int, month: int) -> dict:
    """The truth of ``year`` seen from peildatum 1 ``month``: care before the peilmaand, care
    from it on under allocations granted before the peildatum, and under later ones (eurocent)."""
    cut = month_index(year, month)
    before = known = new = 0
    day = first_day(cut)
    for line in world.lines:
        if not (line.debit and line.truth) or line.service_month // 12 != year:
            continue
        if line.service_month < cut:
            before += line.amount
        elif line.allocation.granted < day:
            known += line.amount
        else:
            new += line.amount
    return {"before": before, "known_allocations": known, "new_allocations": new}
