"""The grip rubric as versioned data: nine topics, their criteria and the three levels.

**Our own operationalisation.** The idea of one grip indicator with the three levels
*ernstig / waakzaam / in controle* over nine topics comes from a consultancy's
"Gemeentelijke Gripniveau Routekaart"; its criteria are not public. The topics as named
here, every criterion and every level description are Grip's own, kept in
``calc/grip_level/data/rubric.toml`` (version in the file) and never presented as theirs.

A municipality configures weights and thresholds with :class:`GripSettings` (frozen,
validated, all problems at once in Dutch).

>>> rubric = load_rubric()
>>> len(rubric.topics), rubric.topics[3].name, len(rubric.criteria()) >= 27
(9, 'Inkoop', True)
"""

from __future__ import annotations

import tomllib
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from calc.cells import is_empty, nl, pydantic_message
from calc.errors import InputError, Problem, raise_if

#: Number of topics of the grip rubric.
N_TOPICS = 9


class Level(str, Enum):
    """The three grip levels, worst first (their order is their rank)."""

    ERNSTIG = "ernstig"
    WAAKZAAM = "waakzaam"
    IN_CONTROLE = "in controle"

    @property
    def rank(self) -> int:
        """0 for ernstig, 1 for waakzaam, 2 for in controle."""
        return list(Level).index(self)

    @property
    def next(self) -> "Level | None":
        """The level above this one (None for in controle)."""
        order = list(Level)
        return order[self.rank + 1] if self.rank + 1 < len(order) else None


#: What the self-assessment dropdown offers besides the three levels.
NOT_APPLICABLE = "n.v.t."
#: Shown where a KPI or a topic has no data: never a pretended level.
NO_DATA = "geen gegevens"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Criterion(_Frozen):
    """One criterion of a topic with what each level looks like."""

    id: str
    topic: int
    name: str
    ernstig: str
    waakzaam: str
    in_controle: str
    weight: float = Field(1.0, gt=0)

    def description(self, level: Level) -> str:
        """The description of ``level`` for this criterion."""
        return {Level.ERNSTIG: self.ernstig, Level.WAAKZAAM: self.waakzaam,
                Level.IN_CONTROLE: self.in_controle}[level]


class Topic(_Frozen):
    """One of the nine topics, with three to five criteria."""

    number: int = Field(ge=1, le=N_TOPICS)
    name: str
    criteria: tuple[Criterion, ...]

    @model_validator(mode="after")
    def _three_to_five(self) -> "Topic":
        if not 3 <= len(self.criteria) <= 5:
            raise ValueError(f"onderwerp {self.number} heeft {len(self.criteria)} criteria; "
                             "verwacht 3 tot 5")
        return self


class Rubric(_Frozen):
    """The versioned rubric: nine topics numbered 1..9 in order."""

    version: str
    source: str
    topics: tuple[Topic, ...]

    @model_validator(mode="after")
    def _nine_topics(self) -> "Rubric":
        numbers = [t.number for t in self.topics]
        if numbers != list(range(1, N_TOPICS + 1)):
            raise ValueError(f"verwacht de onderwerpen 1 tot en met {N_TOPICS} op volgorde, "
                             f"maar kreeg {numbers}")
        ids = [c.id for c in self.criteria()]
        if len(set(ids)) != len(ids):
            raise ValueError("een criterium-id komt twee keer voor")
        return self

    def criteria(self) -> tuple[Criterion, ...]:
        """All criteria, topic by topic."""
        return tuple(c for t in self.topics for c in t.criteria)

    def topic_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.topics)


#: pydantic error types the rubric words itself (the rest: ``calc.cells.PYDANTIC_MESSAGES``).
_LEVEL_MESSAGES = {"enum": "is geen niveau; kies ernstig, waakzaam of in controle"}


def pydantic_problems(exc: ValidationError, argument: str) -> list[Problem]:
    """Pydantic's validation errors as Dutch problems: field, rule, value received.

    >>> try:
    ...     GripSettings(kpi_weight=2)
    ... except ValidationError as e:
    ...     print(pydantic_problems(e, "instellingen")[0].message)
    kpi_weight: mag hoogstens 1 zijn (ontvangen: 2)
    """
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = pydantic_message(err, extra=_LEVEL_MESSAGES)
        out.append(Problem(f"{where}: {msg}" if where else msg, argument))
    return out


def rubric_from_dict(data: dict[str, Any], *, argument: str = "rubriek") -> Rubric:
    """Build a :class:`Rubric` from the parsed TOML layout (Dutch keys, see rubric.toml)."""
    try:
        topics = [
            Topic(number=t["nummer"], name=t["naam"],
                  criteria=tuple(Criterion(id=c["id"], topic=t["nummer"], name=c["naam"],
                                           ernstig=c["ernstig"], waakzaam=c["waakzaam"],
                                           in_controle=c["in_controle"],
                                           weight=c.get("gewicht", 1.0))
                                 for c in t.get("criterium", [])))
            for t in data.get("onderwerp", [])
        ]
        return Rubric(version=str(data["versie"]), source=data.get("bron", ""), topics=tuple(topics))
    except KeyError as exc:
        raise InputError(f"verplicht veld ontbreekt: {exc.args[0]}", argument=argument) from None
    except ValidationError as exc:
        raise_if(pydantic_problems(exc, argument))
        raise


def read_data_file(name: str) -> dict[str, Any]:
    """Parse one TOML file of ``calc/grip_level/data``."""
    text = resources.files("calc.grip_level").joinpath("data", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def load_rubric() -> Rubric:
    """The rubric shipped with Grip (``data/rubric.toml``)."""
    return rubric_from_dict(read_data_file("rubric.toml"))


class GripSettings(_Frozen):
    """What a municipality may configure; defaults are Grip's suggestion.

    Parameters
    ----------
    waakzaam_from : float
        Lowest score 0-100 that counts as waakzaam (below: ernstig). Default 40.
    in_controle_from : float
        Lowest score that counts as in controle. Default 70.
    topic_weights : tuple of 9 floats
        Weights of the topics in the overall score; non-negative, not all zero (normalised).
    kpi_weight : float
        Share 0-1 of the measured KPIs in a topic score when both KPIs and a
        self-assessment exist. Default 0.5.
    level_points : tuple of 3 floats
        Points 0-100 of a self-assessed ernstig, waakzaam, in controle. Default 0, 50, 100.
    max_ernstig_topics : int
        With this many topics ernstig (or more), the overall level is ernstig whatever the
        overall score. Default 3.
    """

    waakzaam_from: float = Field(40.0, ge=0, le=100)
    in_controle_from: float = Field(70.0, ge=0, le=100)
    topic_weights: tuple[float, ...] = (1.0,) * N_TOPICS
    kpi_weight: float = Field(0.5, ge=0, le=1)
    level_points: tuple[float, float, float] = (0.0, 50.0, 100.0)
    max_ernstig_topics: int = Field(3, ge=1, le=N_TOPICS)

    @model_validator(mode="after")
    def _sensible(self) -> "GripSettings":
        problems = []
        if not self.waakzaam_from < self.in_controle_from:
            problems.append(f"de grens voor waakzaam ({nl(self.waakzaam_from)}) moet lager zijn dan "
                            f"de grens voor in controle ({nl(self.in_controle_from)})")
        if len(self.topic_weights) != N_TOPICS:
            problems.append(f"verwacht {N_TOPICS} gewichten, maar kreeg {len(self.topic_weights)}")
        elif any(w < 0 for w in self.topic_weights):
            problems.append("een gewicht mag niet negatief zijn")
        elif sum(self.topic_weights) <= 0:
            problems.append("de gewichten tellen op tot 0; geef minstens één onderwerp gewicht")
        if not all(0 <= p <= 100 for p in self.level_points) or \
                list(self.level_points) != sorted(self.level_points):
            problems.append("de punten voor ernstig, waakzaam en in controle moeten oplopen "
                            "binnen 0 tot 100")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def make_settings(argument: str = "instellingen", **values: Any) -> GripSettings:
    """:class:`GripSettings` with a Dutch :class:`InputError` (all problems) instead of pydantic's.

    >>> make_settings(waakzaam_from=80).in_controle_from
    Traceback (most recent call last):
    ...
    calc.errors.InputError: de grens voor waakzaam (80) moet lager zijn dan de grens voor in controle (70)
    """
    try:
        return GripSettings(**values)
    except ValidationError as exc:
        raise_if(pydantic_problems(exc, argument))
        raise


def parse_level(text: Any, *, argument: str, row: int | None = None,
                column: int | None = None) -> Level | None:
    """A self-assessment cell as a :class:`Level`; None for empty or n.v.t.

    >>> parse_level(" In Controle ", argument="x"), parse_level("n.v.t.", argument="x")
    (<Level.IN_CONTROLE: 'in controle'>, None)
    """
    if is_empty(text):
        return None
    if isinstance(text, str):
        norm = " ".join(text.strip().lower().split())
        if norm in (NOT_APPLICABLE, "nvt", "n.v.t"):
            return None
        for level in Level:
            if norm == level.value:
                return level
    shown = str(text)[:20]
    raise InputError(f"'{shown}' is geen niveau; kies ernstig, waakzaam, in controle of n.v.t.",
                     argument=argument, row=row, column=column)


def demo_assessment() -> dict[str, Level | None]:
    """The self-assessment of the fictitious Gemeente Voorbeeld (``data/demo.toml``)."""
    data = read_data_file("demo.toml")["zelfbeoordeling"]
    return {cid: parse_level(v, argument="demo") for cid, v in data.items()}
