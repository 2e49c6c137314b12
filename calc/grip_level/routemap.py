"""The route map: practical measures per topic and level, and an ordered development agenda.

The catalogue (``data/routekaart.toml``, our own, written for Dutch municipalities) holds
per topic measures that move it from ernstig to waakzaam and from waakzaam to in controle,
each with an owner (a role) and a duration in quarters.

The development agenda takes each topic from its current level to the next one:

1. topics in order of urgency: worst level first, then lowest score, then topic number;
   topics in controle and topics without data are left out;
2. per topic the catalogue's measures for its current level, in catalogue order;
3. at most ``per_quarter`` measures start in one quarter, from ``start`` on; a measure ends
   ``quarters - 1`` quarters after it starts.

>>> agenda = development_agenda([Level.WAAKZAAM] * 8 + [Level.ERNSTIG], start="2027-K1")
>>> agenda[0].topic, agenda[0].start, agenda[3].start
(9, '2027-K1', '2027-K2')
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from calc.errors import InputError
from calc.grip_level.rubric import N_TOPICS, Level, load_rubric, read_data_file

#: Fewest measures the catalogue holds per topic.
MIN_MEASURES_PER_TOPIC = 5


class Measure(BaseModel):
    """One practical measure that moves ``topic`` up from level ``from_level``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: int = Field(ge=1, le=N_TOPICS)
    from_level: Level
    text: str
    owner: str
    quarters: int = Field(ge=1, le=8)


@lru_cache(maxsize=1)
def load_catalogue() -> tuple[Measure, ...]:
    """The catalogue of measures shipped with Grip (``data/routekaart.toml``)."""
    data = read_data_file("routekaart.toml")
    measures = tuple(Measure(topic=m["onderwerp"], from_level=Level(m["vanaf"]),
                             text=m["maatregel"], owner=m["eigenaar"], quarters=m["kwartalen"])
                     for m in data["maatregel"])
    for topic in range(1, N_TOPICS + 1):
        n = sum(1 for m in measures if m.topic == topic)
        if n < MIN_MEASURES_PER_TOPIC:
            raise InputError(f"de routekaart heeft {n} maatregelen voor onderwerp {topic}; "
                             f"verwacht minstens {MIN_MEASURES_PER_TOPIC}", argument="routekaart")
    if any(m.from_level is Level.IN_CONTROLE for m in measures):
        raise InputError("een maatregel 'vanaf in controle' heeft geen volgend niveau",
                         argument="routekaart")
    return measures


_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[KkQq]\s*([1-4])\s*$")


def parse_quarter(text: str, *, argument: str = "startkwartaal") -> int:
    """A quarter like "2027-K1" as a count of quarters (year * 4 + quarter - 1).

    >>> parse_quarter("2027-K3") - parse_quarter("2027-K1")
    2
    """
    match = _QUARTER.match(str(text))
    if not match:
        raise InputError(f"'{str(text)[:20]}' is geen kwartaal; schrijf bijvoorbeeld 2027-K1",
                         argument=argument)
    return int(match[1]) * 4 + int(match[2]) - 1


def format_quarter(index: int) -> str:
    """The inverse of :func:`parse_quarter`.

    >>> format_quarter(parse_quarter("2028-K4") + 1)
    '2029-K1'
    """
    return f"{index // 4}-K{index % 4 + 1}"


@dataclass(frozen=True)
class AgendaItem:
    """One step of the development agenda."""

    order: int
    topic: int
    topic_name: str
    current: Level
    target: Level
    measure: str
    owner: str
    start: str
    end: str


def development_agenda(levels: Sequence[Level | None], *,
                       scores: Sequence[float] | None = None,
                       start: str = "2027-K1", per_quarter: int = 3,
                       catalogue: Sequence[Measure] | None = None) -> list[AgendaItem]:
    """The ordered agenda from each topic's current level to the next (rules in the module doc).

    Parameters
    ----------
    levels : nine levels (None: topic without data, left out)
    scores : nine scores 0-100 to order topics within a level (optional)
    start : first quarter, "2027-K1"
    per_quarter : how many measures may start in one quarter (capacity of the organisation)
    """
    if len(levels) != N_TOPICS:
        raise InputError(f"verwacht {N_TOPICS} niveaus, maar kreeg {len(levels)}", argument="niveaus")
    if per_quarter < 1:
        raise InputError(f"per kwartaal moet minstens 1 maatregel kunnen starten, niet {per_quarter}",
                         argument="per_kwartaal")
    catalogue = load_catalogue() if catalogue is None else catalogue
    names = load_rubric().topic_names()
    first = parse_quarter(start)

    def urgency(k: int) -> tuple:
        score = scores[k] if scores is not None and not math.isnan(scores[k]) else math.inf
        return (levels[k].rank, score, k)

    todo = sorted((k for k in range(N_TOPICS)
                   if levels[k] is not None and levels[k].next is not None), key=urgency)
    items: list[AgendaItem] = []
    for k in todo:
        for m in (m for m in catalogue if m.topic == k + 1 and m.from_level is levels[k]):
            begin = first + len(items) // per_quarter
            items.append(AgendaItem(len(items) + 1, k + 1, names[k], levels[k], levels[k].next,
                                    m.text, m.owner, format_quarter(begin),
                                    format_quarter(begin + m.quarters - 1)))
    return items

