"""The simulation of the synthetic municipality: clients, allocations, claims and answers.

``Simulation`` draws everything in the order the messages are sent and hands each message to
a sink (:class:`berichten.synth.xml_writer.XmlSink` or
:class:`berichten.synth.row_writer.RowSink`); the draws do not depend on the sink.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import defaultdict
from datetime import date, timedelta
from itertools import accumulate

import numpy as np

from berichten.synth.common import (FILE_PREFIX as _FILE_PREFIX, MUNICIPALITY_CODE,
                                    MUNICIPALITY_NAME, RETOUR_OF)
from berichten.synth.habits import CALENDARS, Habits
from berichten.synth.summary import SynthSummary
from berichten.synth_catalog import (
    HABITS, JEUGD_PRODUCTS, PRODUCTS, PROVIDERS, TARIFF_INDEX, WMO_PRODUCTS, Product, Provider,
    providers_for,
)
from calc.errors import InputError

#: Per law: clients with care in a year at scale 1, yearly growth of the inflow, the monthly
#: seasonal pattern of the inflow (January first), the chance of a second product, the chance
#: of a change request (317), the stop reasons with their weights.
_LAW = {
    "jw": dict(clients_per_year=1500, growth=1.04,
               season=(1.05, 1.0, 1.1, 1.0, 1.0, 0.95, 0.7, 0.65, 1.15, 1.2, 1.15, 0.9),
               second=0.15, change=0.10,
               stops=(("31", 50), ("32", 8), ("33", 6), ("34", 12), ("35", 4), ("38", 10), ("39", 10))),
    "wmo": dict(clients_per_year=2500, growth=1.03,
                season=(1.15, 1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.85, 0.95, 1.0, 1.05, 1.15),
                second=0.25, change=0.08,
                stops=(("02", 30), ("31", 30), ("32", 8), ("34", 10), ("36", 10), ("38", 6), ("39", 6))),
}
#: Referrers of youth care (codelijst verwijzer): "01" gemeente means no 315 request.
_REFERRERS = (("01", 30), ("02", 42), ("03", 6), ("04", 6), ("05", 10), ("06", 4), ("08", 2))
#: Fictional AGB codes of general practitioners (huisartsen) who refer.
_GPS = tuple(f"0199{i:04d}" for i in range(1, 26))
_DURATION_SIGMA = 0.8
_BSN_CAPACITY = 90_909  # valid 11-test numbers in 999000000..999999999
#: Scale that gives about one million claim lines in the default three years (920,888 at 8.0;
#: 1,039,114 at 9.0, seed 2026).
MILLION_SCALE = 9.0


def synthetic_bsns():
    """All valid BSNs of the reserved test range 999000000..999999999, ascending.

    >>> from itertools import islice
    >>> list(islice(synthetic_bsns(), 2))
    ['999000007', '999000019']
    """
    # 999abcde + check digit: the 11-test fixes the last digit of each prefix (none when it
    # would be 10), so one candidate per prefix, in ascending order.
    for rest in range(100_000):
        a, b, c, d, e = (rest // 10_000, rest // 1000 % 10, rest // 100 % 10, rest // 10 % 10,
                         rest % 10)
        check = (9 * 9 + 8 * 9 + 7 * 9 + 6 * a + 5 * b + 4 * c + 3 * d + 2 * e) % 11
        if check < 10:
            yield f"999{rest:05d}{check}"



class _Client:
    __slots__ = ("bsn", "law", "birth", "gender", "initial", "written")

    def __init__(self, bsn, law, birth, gender, initial):
        self.bsn, self.law, self.birth, self.gender, self.initial = bsn, law, birth, gender, initial
        self.written = False


class _Seg:
    """One allocation (ToewijzingNummer) with its lifecycle."""

    __slots__ = ("number", "client", "provider", "product", "issued", "issued_msg", "start", "end",
                 "volume", "short_date", "short_end", "care_begin", "care_end", "u", "reference",
                 "stopped", "never", "budget")

    def __init__(self, number, client, provider, product, issued, start, end, volume, u):
        self.number, self.client, self.provider, self.product = number, client, provider, product
        self.issued, self.start, self.end, self.volume, self.u = issued, start, end, volume, u
        self.issued_msg = issued
        self.short_date = None
        self.short_end = None
        self.care_begin = None
        self.care_end = None
        self.reference = None
        self.stopped = False
        self.never = False      # allocated, but the care never starts (a waiting-list habit)
        self.budget = None      # eurocent over the validity: a budget allocation (a habit)

    def end_at(self, d):
        """Einddatum as known on date ``d``."""
        if self.short_date is not None and self.short_date <= d:
            return self.short_end
        return self.end


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    last = (date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(d.day, last))



class Simulation:
    """The simulation: clients, allocations, claims and answers, in the order messages are sent.

    Every message goes to ``sink`` (``XmlSink`` writes the XML file, ``RowSink`` keeps the
    rows its import gives); the random draws and identifiers do not depend on the sink, so both
    give the same municipality and the same ``SynthSummary``.
    """

    def __init__(self, sink, seed: int, scale: float, first_year: int, years: int,
                 retours: bool = True, only: frozenset | None = None,
                 habits: Habits | None = None):
        self.sink = sink
        self.habits = habits if habits is not None else Habits()
        # the habits draw from their own stream, so without habits nothing changes
        self.hrng = random.Random(f"gewoonten-simulatie-{seed}")
        self.retours = retours
        self.only = only
        self.seed, self.scale, self.first_year, self.years = seed, scale, first_year, years
        self.rng = random.Random(seed)
        self.nprng = np.random.default_rng(seed)
        self.first_day = date(first_year, 1, 1)
        self.horizon_end = date(first_year + years - 1, 12, 31)
        self.peildatum = date(first_year + years, 1, 15)
        d = date(first_year, 1, 2)
        while d.weekday() >= 5:
            d += timedelta(days=1)
        self.first_msg = d
        self.n_months = 12 * years
        self.month_start = [_add_months(self.first_day, k) for k in range(self.n_months + 1)]
        self.bsns = synthetic_bsns()
        self.n_bsn = 0
        self.msg_seq = 0
        self.alloc_seq = {"jw": 1_000_000, "wmo": 5_000_000}
        self.req_seq = 0
        self.ref_seq = defaultdict(int)
        self.segments: list[_Seg] = []
        self.clients: dict[str, list[_Client]] = {"jw": [], "wmo": []}
        self.summary = SynthSummary(MUNICIPALITY_CODE, MUNICIPALITY_NAME, seed, scale, first_year,
                                    years, self.peildatum.isoformat())
        self.summary.messages = {law: defaultdict(int) for law in ("jw", "wmo")}
        h = self.habits
        if h.active:
            self.summary.habits = h.to_json()
        self.stopping = next((p for p in PROVIDERS if p.agb == h.stopping_provider), None)
        self.stop_day = date.fromisoformat(h.stop_day) if h.stop_day else None
        #: provider index -> the claim months (1..12) of its calendar
        self.calendars = {p.index: CALENDARS[h.calendars[p.agb]] for p in PROVIDERS
                          if p.agb in h.calendars}

    # ---- small helpers

    def _ident(self, code: str) -> str:
        self.msg_seq += 1
        return f"{code}{self.msg_seq:09d}"

    def _skip(self, code: str) -> bool:
        """True when ``only`` leaves this message out (its identifier is still drawn)."""
        return self.only is not None and code not in self.only

    def _count(self, law, code):
        """One message sent (a file written, or its rows kept)."""
        self.summary.files += 1
        self.summary.messages[law][code] += 1

    def _retour(self, law, code, sender, receiver, ident, day):
        """The header-only retour (approved, 0200) of a message, a day later."""
        rcode = RETOUR_OF[code]
        rday = day + timedelta(days=1)
        if not self.retours or rday > self.peildatum:
            return
        rid = self._ident(rcode)
        if self._skip(rcode):
            return
        self.sink.retour(law, rcode, sender, receiver, ident, day, rid, rday)
        self._count(law, rcode)

    def _new_client(self, law, t0):
        try:
            bsn = next(self.bsns)
        except StopIteration:
            raise InputError(f"schaal {self.scale} is te groot: er zijn maar {_BSN_CAPACITY} "
                             "synthetische BSN's in de testreeks 999", argument="scale") from None
        rng = self.rng
        if law == "jw":
            age = rng.choices(range(18), weights=(2, 2, 3, 3, 4, 5, 6, 7, 8, 8, 8, 8, 9, 9, 9, 8, 7, 5))[0]
        else:
            age = 18 + int(rng.betavariate(4.0, 1.6) * 80)
        birth = t0 - timedelta(days=age * 365 + rng.randrange(365))
        c = _Client(bsn, law, birth, rng.choice("1122120"), rng.choice("ABCDEFGHIJKLMNOPRSTVW"))
        self.clients[law].append(c)
        return c

    def _duration_days(self, product: Product) -> int:
        z = self.rng.lognormvariate(-_DURATION_SIGMA ** 2 / 2, _DURATION_SIGMA)
        return max(14, int(product.months * 30.44 * z))

    def _pick_provider(self, code: str, prefer: Provider | None = None,
                       day: date | None = None) -> Provider:
        cands = providers_for(code)
        if self.stopping is not None and day is not None and day >= self.stop_day:
            cands = [p for p in cands if p is not self.stopping]     # it takes no one new
        if prefer is not None and prefer in cands:
            return prefer
        return self.rng.choices(cands, weights=[p.size for p in cands])[0]

    def _utilisation(self, product: Product) -> float:
        m = product.utilisation
        if m >= 1.0:
            return 1.0
        return min(1.0, max(0.3, self.rng.betavariate(m * 14, (1 - m) * 14)))

    # ---- clients and allocations

    def simulate(self):
        for law, products in (("jw", JEUGD_PRODUCTS), ("wmo", WMO_PRODUCTS)):
            self._simulate_law(law, products)

    def _simulate_law(self, law, products):
        par = _LAW[law]
        weights = [p.weight for p in products]
        mean_months = sum(p.months * p.weight for p in products) / sum(weights)
        inflow = par["clients_per_year"] / (mean_months + 12) * self.scale
        stock = round(inflow * mean_months)
        rng = self.rng
        stock_weights = [p.weight * p.months for p in products]
        for _ in range(stock):
            product = rng.choices(products, weights=stock_weights)[0]
            window = int(4 * product.months * 30.44)
            while True:
                t0 = self.first_day - timedelta(days=1 + rng.randrange(window))
                duration = self._duration_days(product)
                if t0 + timedelta(days=duration) >= self.first_day:
                    break
            self._episode(law, products, weights, product, t0, duration)
        season = par["season"]
        norm = sum(season) / 12
        for k in range(self.n_months):
            start = self.month_start[k]
            lam = inflow * season[start.month - 1] / norm * par["growth"] ** (k / 12)
            cut = self.habits.policy_cut_from
            if cut and f"{start.year:04d}-{start.month:02d}" >= cut:
                lam *= 1.0 - self.habits.policy_cut
            n = int(self.nprng.poisson(lam))
            self.summary.inflow_per_month.setdefault(law, {})[f"{start.year:04d}-{start.month:02d}"] = n
            days = (self.month_start[k + 1] - start).days
            for t in sorted(rng.randrange(days) for _ in range(n)):
                product = rng.choices(products, weights=weights)[0]
                t0 = start + timedelta(days=t)
                self._episode(law, products, weights, product, t0, self._duration_days(product))

    def _episode(self, law, products, weights, product, t0, duration):
        rng = self.rng
        client = self._new_client(law, t0)
        provider = self._pick_provider(product.code, day=t0)
        referrer = None
        if law == "jw":
            if product.category in ("47", "48"):
                referrer = "08" if rng.random() < 0.8 else "04"
            else:
                referrer = rng.choices([r for r, _ in _REFERRERS], weights=[w for _, w in _REFERRERS])[0]
        plan = [(product, provider, t0, duration)]
        if rng.random() < _LAW[law]["second"]:
            pair = {"41A01": "42A01", "07A01": "08A01", "07A02": "08A01"}.get(product.code)
            if pair is None:
                others = [p for p in products if p.category != product.category]
                second = rng.choices(others, weights=[p.weight for p in others])[0]
                prov2 = self._pick_provider(second.code, day=t0)
                plan.append((second, prov2, t0 + timedelta(days=rng.randrange(60)),
                             self._duration_days(second)))
            else:
                second = PRODUCTS[pair]
                plan.append((second, self._pick_provider(pair, provider, day=t0), t0, duration))
        segs = []
        for prod, prov, start, dur in plan:
            segs.extend(self._care(law, client, prod, prov, start, dur))
        if not segs:
            return
        self._write_client_messages(law, client, segs, referrer)

    def _care(self, law, client, product, provider, t0, duration):
        """The allocations of one product for one client, with the habits: a waiting time
        (or care that never starts) for a new client, and a move to another provider when
        its provider stops."""
        h, hrng = self.habits, self.hrng
        wait, never = 0, False
        if h.waiting_months > 0 and t0 >= self.first_day:
            wait = int(hrng.expovariate(1.0 / (h.waiting_months * 30.44)))
            never = hrng.random() < h.never_used
        stop = self.stop_day
        if provider is self.stopping and stop <= t0 + timedelta(days=15 + wait):
            provider = self._pick_provider(product.code, day=stop)   # care starts after it stops
        if (provider is not self.stopping or never
                or not stop < t0 + timedelta(days=15 + wait + duration)):
            return self._allocations(law, client, product, provider, t0, duration, wait, never)
        # the provider stops while care goes on: care there ends, the client moves
        before = self._allocations(law, client, product, provider, t0, duration, wait,
                                   until=stop)
        moved = self._pick_provider(product.code, day=stop)
        left = duration - (stop - t0).days + wait
        return before + self._allocations(law, client, product, moved, stop, max(14, left))

    def _allocations(self, law, client, product, provider, t0, duration, wait=0, never=False,
                     until=None):
        """The chain of allocations of one product at one provider, with care begin and stop.

        ``wait``: days from the allocation's start to the care's start (beside the usual
        first two weeks); ``never``: one allocation whose care never starts; ``until``: the
        care stops at this day at the latest (its provider stops).
        """
        rng = self.rng
        months = product.allocation_months
        if months is None and rng.random() < 0.4:
            months = 36
        volume = rng.randint(*product.volume)
        care_begin = t0 + timedelta(days=rng.randrange(15) + wait)
        care_stop = care_begin + timedelta(days=duration)
        if until is not None:
            care_stop = min(care_stop, until)
        if never:
            return self._unused(law, client, product, provider, t0, months or 12, volume)
        change_at = None
        lo, hi = product.volume
        if (hi > lo and duration > 120 and rng.random() < _LAW[law]["change"]
                and product.code not in self.habits.budget_products):
            change_at = care_begin + timedelta(days=rng.randint(45, duration - 60))
            if change_at > care_stop - timedelta(days=60):      # its provider stops before
                change_at = None
        u = self._utilisation(product)
        issued = t0 - timedelta(days=rng.randrange(11))
        start = t0
        chain: list[_Seg] = []
        while True:
            end = None if months is None else _add_months(start, months) - timedelta(days=1)
            self.alloc_seq[law] += 1
            seg = _Seg(self.alloc_seq[law], client, provider, product, issued, start, end, volume, u)
            if product.code in self.habits.budget_products and end is not None:
                seg.budget = self._budget(product, volume, start, end)
            seg.care_begin = max(start, care_begin)
            chain.append(seg)
            if change_at is not None and start < change_at and (end is None or change_at <= end):
                # 317 change: shorten this allocation, a new one with the new volume from change_at
                seg.short_date = change_at - timedelta(days=rng.randrange(8))
                seg.short_end = change_at - timedelta(days=1)
                seg.care_end = seg.short_end
                factor = rng.uniform(1.3, 1.6) if rng.random() < 0.7 else rng.uniform(0.5, 0.8)
                volume = max(lo, min(hi * 2, round(volume * factor)))
                if volume == seg.volume:
                    volume = seg.volume + 1
                issued, start = seg.short_date, change_at
                change_at = None
                u = min(1.0, max(0.3, u + rng.uniform(-0.05, 0.05)))
                continue
            if end is None or care_stop <= end:
                seg.care_end = care_stop if care_stop <= self.horizon_end else None
                seg.stopped = care_stop <= self.horizon_end
                if care_stop <= self.horizon_end and (end is None or care_stop < end - timedelta(days=7)):
                    if end is None or rng.random() < 0.6:
                        seg.short_date = care_stop + timedelta(days=rng.randint(5, 25))
                        seg.short_end = care_stop
                break
            seg.care_end = end
            issued = end - timedelta(days=rng.randint(7, 28))
            start = end + timedelta(days=1)
            if issued > self.peildatum or start > self.horizon_end:
                break
        return self._kept(chain)

    def _unused(self, law, client, product, provider, t0, months, volume):
        """An allocation whose care never starts: it commits, nothing is delivered."""
        self.alloc_seq[law] += 1
        issued = t0 - timedelta(days=self.hrng.randrange(11))
        end = _add_months(t0, months) - timedelta(days=1)
        seg = _Seg(self.alloc_seq[law], client, provider, product, issued, t0, end, volume, 0.0)
        seg.care_begin, seg.never = t0, True
        return self._kept([seg])

    def _kept(self, chain):
        """The allocations of a chain that the data holds (issued by the peildatum, ending
        after the first day), registered with the simulation."""
        kept = []
        for seg in chain:
            final_end = seg.end_at(self.peildatum)
            if final_end is not None and final_end < self.first_day:
                continue  # ended before the data starts
            if seg.issued > self.peildatum:
                continue
            seg.issued_msg = max(seg.issued, self.first_msg)
            if seg.short_date is not None and seg.short_date > self.peildatum:
                seg.short_date = seg.short_end = None
            kept.append(seg)
            self.segments.append(seg)
        return kept

    # ---- client-level messages

    def _snapshot(self, segs, d):
        out = []
        for s in segs:
            if s.issued_msg > d:
                continue
            end = s.end_at(d)
            if end is not None and end < d and s.short_date != d and s.issued_msg != d:
                continue
            out.append((s, end))
        return out

    def _write_client_messages(self, law, client, segs, referrer):
        by_provider: dict[int, list[_Seg]] = {}
        for s in segs:
            by_provider.setdefault(s.provider.index, []).append(s)
        rng = self.rng
        for pidx in sorted(by_provider):
            psegs = sorted(by_provider[pidx], key=lambda s: s.number)
            prov = psegs[0].provider
            # 315 request before the first allocation (youth care with another referrer)
            first = psegs[0]
            if law == "jw" and referrer not in (None, "01") and first.issued == first.issued_msg:
                d315 = first.issued - timedelta(days=rng.randint(3, 20))
                if d315 >= self.first_msg:
                    self._write_315(law, client, first, prov, d315, referrer)
            # 301 snapshots on every issue or shortening
            dates = sorted({s.issued_msg for s in psegs}
                           | {s.short_date for s in psegs if s.short_date is not None})
            for d in dates:
                if d <= self.peildatum:
                    self._write_301(law, client, prov, self._snapshot(psegs, d), d)
            # 305 per allocation with care, 307 stops and 317 change requests
            for s in psegs:
                if s.never or (s.care_end is not None and s.care_end < s.care_begin):
                    continue
                d305 = max(s.care_begin + timedelta(days=rng.randint(1, 10)), s.issued_msg)
                if d305 <= self.peildatum:
                    self._write_start_stop(law, client, prov, s, "305", d305)
                successor = next((t for t in psegs if t.start == (s.short_end or s.end or date.max)
                                  + timedelta(days=1) and t.product is s.product), None) \
                    if s.short_end is not None or s.end is not None else None
                if s.short_end is not None and successor is not None and s.care_end == s.short_end:
                    # change of volume: 317 before, 307 with reason 37 after
                    d317 = s.short_date - timedelta(days=rng.randint(10, 25))
                    if d317 >= self.first_msg:
                        self._write_317(law, client, prov, s, successor, psegs, d317)
                    d307 = max(s.short_end + timedelta(days=rng.randint(1, 10)), self.first_msg)
                    if d307 <= self.peildatum:
                        self._write_start_stop(law, client, prov, s, "307", d307, "37")
                elif s.stopped:
                    d307 = s.care_end + timedelta(days=rng.randint(1, 14))
                    if s.short_date is not None:
                        d307 = min(d307, s.short_date - timedelta(days=1))
                    d307 = max(d307, s.care_end, self.first_msg)
                    if d307 <= self.peildatum:
                        reason = rng.choices([r for r, _ in _LAW[law]["stops"]],
                                             weights=[w for _, w in _LAW[law]["stops"]])[0]
                        self._write_start_stop(law, client, prov, s, "307", d307, reason)
            client.written = True

    def _write_301(self, law, client, prov, snapshot, d):
        if not snapshot:
            return  # a 301 carries at least one ToegewezenProduct (XSD); nothing to send
        code = "301"
        ident = self._ident(code)
        if not self._skip(code):
            self.sink.allocation(law, client, prov, snapshot, d, ident)
            self._count(law, code)
        self._retour(law, code, MUNICIPALITY_CODE, prov.agb, ident, d)

    def _write_start_stop(self, law, client, prov, s, code, d, reason=None):
        ident = self._ident(code)
        if not self._skip(code):
            self.sink.start_stop(law, client, prov, s, code, d, ident, reason)
            self._count(law, code)
        self._retour(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)

    def _write_315(self, law, client, s, prov, d, referrer):
        code = "315"
        ident = self._ident(code)
        self.req_seq += 1
        s.reference = f"AV{prov.agb}{self.req_seq:08d}"
        gp = self.rng.choice(_GPS) if referrer == "02" else None
        if not self._skip(code):
            self.sink.request(law, client, s, prov, d, ident, referrer, gp)
            self._count(law, code)
        self._retour(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)

    def _write_317(self, law, client, prov, s, successor, psegs, d):
        code = "317"
        ident = self._ident(code)
        self.req_seq += 1
        if not self._skip(code):
            others = [t for t, _ in self._snapshot(psegs, d) if t is not s]
            reference = f"VW{prov.agb}{self.req_seq:08d}"
            self.sink.change(law, client, prov, s, successor, others, d, ident, reference)
            self._count(law, code)
        self._retour(law, code, prov.agb, MUNICIPALITY_CODE, ident, d)

    # ---- claims (323) and answers (325)

    def _budget(self, product: Product, volume: int, start: date, end: date) -> int:
        """The budget (eurocent) of an allocation over its validity: its volume at the tariff
        of the year it starts in."""
        days = (end - start).days + 1
        tariff = product.tariff * self._tariff_index(max(start.year - self.first_year, 0))
        return round(_allocated(volume, product.frequency, days, 30.44, days) * tariff)

    def _tariff_index(self, yi: int) -> float:
        """The tariff level of year ``yi`` (0 = the first) relative to the catalogue."""
        if not self.habits.indexation:
            return TARIFF_INDEX ** yi
        out = 1.0
        for rise in self.habits.indexation[:yi]:
            out *= 1.0 + rise
        return out

    def _claim_month(self, prov: Provider, k: int, lag: int) -> int | None:
        """The claim month (index) of service month ``k`` that the provider's lag puts in
        ``k + lag``: the next month of its claim calendar; for a stopped provider, after its
        stop the curator's batch month or never (None)."""
        c = k + lag
        calendar = self.calendars.get(prov.index)
        if calendar:
            while c % 12 + 1 not in calendar:       # month index 0 is January
                c += 1
        if prov is self.stopping:
            stop = self.stop_day
            stop_k = (stop.year - self.first_year) * 12 + stop.month - 1
            if c >= stop_k:
                if self.hrng.random() >= self.habits.curator_share:
                    return None
                c = max(stop_k + self.habits.curator_delay, k)
        return c

    def claims(self):
        """Month by month: the care delivered, claimed in the claim month the habit decides."""
        rng = self.rng
        s = self.summary
        n = self.n_months
        tariffs = {}
        lag_cum = {}
        for name, habit in HABITS.items():
            total = sum(habit.lag_weights)
            lag_cum[name] = [w / total for w in accumulate(habit.lag_weights)][:-1]
        buckets: list[dict] = [defaultdict(list) for _ in range(n)]
        by_first_month: list[list] = [[] for _ in range(n)]
        for seg in self.segments:
            if seg.never:
                continue
            final = seg.end_at(self.peildatum)
            a0, a1 = max(seg.start, self.first_day), min(final or self.horizon_end, self.horizon_end)
            c0 = max(seg.care_begin, self.first_day)
            c1 = min(seg.care_end or self.horizon_end, self.horizon_end, final or self.horizon_end)
            first = min(a0, c0)
            last = max(a1, c1)
            if last < first or first > self.horizon_end:
                continue
            total = ((seg.end - seg.start).days + 1) if seg.end is not None else None
            k0 = (first.year - self.first_year) * 12 + first.month - 1
            k1 = (last.year - self.first_year) * 12 + last.month - 1
            by_first_month[k0].append((seg, a0, a1, c0, c1, k1, total))
        active: list = []
        delivered = defaultdict(int)
        per_taakveld = defaultdict(lambda: defaultdict(int))
        per_category = self._per_category = defaultdict(lambda: defaultdict(int))
        committed = defaultdict(int)
        with_care = {"jw": [set() for _ in range(self.years)], "wmo": [set() for _ in range(self.years)]}
        for k in range(n):
            ms, me = self.month_start[k], self.month_start[k + 1] - timedelta(days=1)
            mdays = me.day
            yi = k // 12
            year = str(self.first_year + yi)
            active = [a for a in active if a[5] >= k] + by_first_month[k]
            for seg, a0, a1, c0, c1, k1, total in active:
                prod = seg.product
                key = (prod.code, yi)
                tariff = tariffs.get(key)
                if tariff is None:
                    tariff = tariffs[key] = round(prod.tariff * self._tariff_index(yi))
                freq = prod.frequency
                adays = (min(a1, me) - max(a0, ms)).days + 1
                if adays > 0:
                    committed[year] += round(_allocated(seg.volume, freq, adays, mdays, total) * tariff)
                if prod.trajectory:
                    if not (seg.stopped and c1 == seg.care_end and ms <= c1 <= me):
                        continue
                    volume = 1
                else:
                    cdays = (min(c1, me) - max(c0, ms)).days + 1
                    if cdays <= 0:
                        continue
                    alloc = _allocated(seg.volume, freq, cdays, mdays, total)
                    volume = min(round(alloc), round(alloc * seg.u * rng.uniform(0.85, 1.1)))
                    if volume <= 0:
                        continue
                if seg.budget is not None:          # claimed in euro (Eenheid 83)
                    volume, tariff = round(volume * tariff / 100), 100
                    if volume <= 0:
                        continue
                amount = volume * tariff
                delivered[year] += amount
                per_taakveld[prod.taakveld][year] += amount
                per_category[prod.category][year] += amount
                with_care[prod.law][yi].add(seg.client.bsn)
                habit = HABITS[seg.provider.habit]
                lag = bisect_right(lag_cum[habit.name], rng.random())
                claimed = volume
                if rng.random() < habit.error_rate:
                    claimed = volume + max(1, round(volume * rng.uniform(0.05, 0.3)))
                c = self._claim_month(seg.provider, k, lag) if self.habits.active else k + lag
                if c is None:           # never claimed (a stopped provider): not spent
                    delivered[year] -= amount
                    per_taakveld[prod.taakveld][year] -= amount
                    per_category[prod.category][year] -= amount
                elif c < n:
                    line = _Line(seg, k, max(c0, ms), min(c1, me), claimed, tariff, "D", None, volume)
                    buckets[c][(prod.law, seg.provider.index)].append(line)
            for (law, pidx), lines in sorted(buckets[k].items()):
                self._claim(law, PROVIDERS[pidx], k, lines, buckets, delivered, per_taakveld)
            buckets[k] = None
        s.delivered_cents_per_year = dict(delivered)
        s.delivered_cents_per_taakveld_year = {tv: dict(v) for tv, v in sorted(per_taakveld.items())}
        s.delivered_cents_per_category_year = {c: dict(v) for c, v in sorted(per_category.items())}
        s.committed_cents_per_year = dict(committed)
        s.clients_per_year = {law: {str(self.first_year + i): len(v) for i, v in enumerate(sets)}
                              for law, sets in with_care.items()}

    def _claim(self, law, prov: Provider, c, lines, buckets, delivered, per_taakveld):
        rng = self.rng
        s = self.summary
        habit = HABITS[prov.habit]
        for line in lines:
            self.ref_seq[prov.index] += 1
            line.ref = f"{prov.agb}{self.ref_seq[prov.index]:010d}"
            line.rejected = (line.dc == "D" and line.prev is None and not line.resubmit
                             and rng.random() < habit.reject_rate)
        code = "323"
        ident = self._ident(code)
        day = self.month_start[c + 1] + timedelta(days=1 + prov.index % 8)
        ms, me = self.month_start[c], self.month_start[c + 1] - timedelta(days=1)
        number = f"D{prov.agb[4:]}{ms.year % 100:02d}{ms.month:02d}{_FILE_PREFIX[law][0]}"
        groups: dict[str, list] = {}
        net = 0
        granted = 0
        n_rejected = 0
        for line in lines:
            groups.setdefault(line.seg.client.bsn, []).append(line)
            amount = line.volume * line.tariff
            sign = 1 if line.dc == "D" else -1
            net += sign * amount
            if line.rejected:
                n_rejected += 1
            else:
                granted += sign * amount
            year = str(self.first_year + line.k // 12)
            s.claimed_net_cents_per_year[year] = s.claimed_net_cents_per_year.get(year, 0) + sign * amount
            per_law = s.claimed_net_cents_per_law_year.setdefault(law, {})
            per_law[year] = per_law.get(year, 0) + sign * amount
            if sign > 0:
                s.claim_lines_debit += 1
            else:
                s.claim_lines_credit += 1
        cyear = str(ms.year)
        s.claimed_net_cents_per_claim_year[cyear] = s.claimed_net_cents_per_claim_year.get(cyear, 0) + net
        s.claimed_net_cents += net
        s.claim_lines += len(lines)
        if not self._skip(code):
            self.sink.claim(law, prov, ident, day, number, ms, me, net, groups)
            self._count(law, code)
        answer_day = day + timedelta(days=rng.randint(7, 16))
        if answer_day <= self.peildatum:
            self._write_325(law, prov, ident, day, answer_day, number, net, granted, groups)
            s.granted_cents += granted
            s.rejected_lines += n_rejected
        self._follow_up(law, prov, c, lines, buckets, delivered, per_taakveld)

    def _follow_up(self, law, prov, c, lines, buckets, delivered, per_taakveld):
        """What follows from the answer: resubmissions and corrections in later claim months."""
        rng = self.rng
        n = self.n_months
        for line in lines:
            if line.rejected:
                if rng.random() < 0.6:
                    if c + 1 < n:
                        again = _Line(line.seg, line.k, line.begin, line.end, line.true_volume,
                                      line.tariff, "D", None, line.true_volume)
                        again.resubmit = True
                        buckets[c + 1][(law, prov.index)].append(again)
                else:
                    amount = line.true_volume * line.tariff
                    year = str(self.first_year + line.k // 12)
                    delivered[year] -= amount
                    per_taakveld[line.seg.product.taakveld][year] -= amount
                    self._per_category[line.seg.product.category][year] -= amount
            elif line.dc == "D" and line.volume != line.true_volume:
                c2 = c + rng.randint(1, 3)
                if c2 < n:
                    credit = _Line(line.seg, line.k, line.begin, line.end, line.volume, line.tariff,
                                   "C", line.ref, line.true_volume)
                    rebill = _Line(line.seg, line.k, line.begin, line.end, line.true_volume,
                                   line.tariff, "D", line.ref, line.true_volume)
                    buckets[c2][(law, prov.index)].extend((credit, rebill))

    def _write_325(self, law, prov, decl_ident, decl_day, day, number, net, granted, groups):
        code = "325"
        ident = self._ident(code)
        if self._skip(code):
            return
        self.sink.answer(law, prov, ident, decl_ident, decl_day, day, number, net, granted, groups)
        self._count(law, code)

    def finish(self) -> SynthSummary:
        s = self.summary
        s.messages = {law: dict(sorted(v.items())) for law, v in s.messages.items()}
        s.clients = {law: sum(1 for c in cs if c.written) for law, cs in self.clients.items()}
        used = sorted({seg.provider.index for seg in self.segments})
        s.providers = len(used)
        s.provider_habits = {PROVIDERS[i].agb: PROVIDERS[i].habit for i in used}
        for name in ("claimed_net_cents_per_year", "claimed_net_cents_per_claim_year",
                     "delivered_cents_per_year", "committed_cents_per_year"):
            setattr(s, name, dict(sorted(getattr(s, name).items())))
        s.claimed_net_cents_per_law_year = {law: dict(sorted(v.items()))
                                            for law, v in sorted(s.claimed_net_cents_per_law_year.items())}
        return s


class _Line:
    """One claim line (323 Prestatie) on its way to a claim file."""

    __slots__ = ("seg", "k", "begin", "end", "volume", "tariff", "dc", "prev", "true_volume",
                 "ref", "rejected", "resubmit")

    def __init__(self, seg, k, begin, end, volume, tariff, dc, prev, true_volume):
        self.seg, self.k, self.begin, self.end = seg, k, begin, end
        self.volume, self.tariff, self.dc, self.prev = volume, tariff, dc, prev
        self.true_volume = true_volume
        self.ref = None
        self.rejected = False
        self.resubmit = False


def _allocated(volume, frequency, days, month_days, total_days):
    """Allocated volume over ``days`` days of one month (Frequentie 1 dag, 2 week, 4 maand, 6 totaal)."""
    if frequency == "1":
        return volume * days
    if frequency == "2":
        return volume * days / 7
    if frequency == "4":
        return volume * days / month_days
    return volume * days / total_days if total_days else 0.0
