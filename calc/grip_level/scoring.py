"""Scores 0-100 and levels per topic, and the one grip KPI with its overall level.

The rules (also in the README, tested with Hypothesis for monotonicity):

1. **Criterion** — a self-assessed ernstig / waakzaam / in controle counts 0 / 50 / 100
   points (``GripSettings.level_points``); empty or *n.v.t.* does not count.
2. **Self-assessment per topic** — the mean of the points of its assessed criteria,
   weighted by the criterion weights of the rubric (``gewicht``, default 1).
3. **Measured KPIs per topic** — each KPI with data has a score 0-100 (see
   ``calc.grip_level.kpis``); the topic's KPI score is their mean. A KPI without data
   ("geen gegevens") does not count.
4. **Topic score** — with both: ``(1 - w) * self + w * kpi`` with ``w = kpi_weight``
   (default 0.5); with only one of the two: that one; with neither: no score
   ("geen gegevens").
5. **Topic level** — ernstig below ``waakzaam_from`` (40), in controle from
   ``in_controle_from`` (70), waakzaam in between.
6. **Grip score (overall)** — the weighted mean of the nine topic scores with the
   municipality's topic weights (normalised; default equal).
7. **Overall level** — ernstig if the grip score is below ``waakzaam_from`` *or* at least
   ``max_ernstig_topics`` (3) topics are ernstig; in controle if the grip score is at least
   ``in_controle_from`` *and* no topic is ernstig; otherwise waakzaam.

All weights are fixed (they never depend on the scores), so raising any criterion, KPI
or topic score never lowers a topic score, a level, the grip score or the overall level.

>>> s = GripSettings()
>>> grip_score([50.0] * 9, settings=s), grip_level([50.0] * 9, settings=s).value
(50.0, 'waakzaam')
>>> grip_level([90.0] * 8 + [30.0], settings=s).value
'waakzaam'
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from calc.cells import nl
from calc.errors import InputError, Problem, raise_if
from calc.grip_level.rubric import N_TOPICS, GripSettings, Level, Rubric

DEFAULT = GripSettings()


def level_of(score: float, *, settings: GripSettings = DEFAULT) -> Level | None:
    """The level of one score 0-100 (None for NaN: no data).

    >>> level_of(39.9).value, level_of(40).value, level_of(70).value, level_of(float("nan"))
    ('ernstig', 'waakzaam', 'in controle', None)
    """
    if score is None or math.isnan(score):
        return None
    if score < settings.waakzaam_from:
        return Level.ERNSTIG
    if score < settings.in_controle_from:
        return Level.WAAKZAAM
    return Level.IN_CONTROLE


def check_scores(scores: Iterable[float], *, argument: str = "scores",
                 allow_missing: bool = False, typed: bool = False) -> np.ndarray:
    """Nine topic scores as an array, refusing a wrong count, a missing one, one outside 0-100,
    and with ``typed`` (scores read from cells) scores that are all fractions between 0 and 1
    (a range formatted as percentages). Computed scores may all be that low (a KPI score of
    0,5 beside a 0), so the core does not refuse them.

    >>> check_scores([0.65] * 9, typed=True)
    Traceback (most recent call last):
    ...
    calc.errors.InputError: alle scores liggen tussen 0 en 1: staan ze als percentage (65% is 0,65)? Een score loopt van 0 tot 100: typ 65
    >>> float(check_scores([0.65] * 9)[0])
    0.65

    Positions in messages are the 0-based row within ``argument``.
    """
    arr = np.asarray(list(scores), dtype=float).reshape(-1)
    if arr.size != N_TOPICS:
        raise InputError(f"verwacht {N_TOPICS} scores (één per onderwerp), maar kreeg {arr.size}",
                         argument=argument)
    problems = []
    for k, x in enumerate(arr):
        if math.isnan(x):
            if not allow_missing:
                problems.append(Problem(f"de score van onderwerp {k + 1} ontbreekt (vul de "
                                        "zelfbeoordeling in of meet de KPI's)", argument, k))
        elif not 0.0 <= x <= 100.0:
            problems.append(Problem(f"score {nl(x)} van onderwerp {k + 1} ligt buiten 0 tot 100",
                                    argument, k))
    raise_if(problems)
    known = arr[~np.isnan(arr)]
    if typed and known.size >= 2 and known.max() <= 1 and np.any((known > 0) & (known < 1)):
        # a range formatted as percentages: 65% is 0,65, a score of almost nothing; every
        # level would be 'ernstig' without a word
        raise InputError("alle scores liggen tussen 0 en 1: staan ze als percentage (65% is "
                         "0,65)? Een score loopt van 0 tot 100: typ 65", argument=argument)
    return arr


def grip_score(scores: Iterable[float], *, settings: GripSettings = DEFAULT) -> float:
    """The grip KPI: the weighted mean (topic weights, normalised) of the nine topic scores.

    Parameters
    ----------
    scores : nine numbers 0-100, topic 1 first
    settings : the municipality's weights and thresholds
    """
    arr = check_scores(scores)
    w = np.asarray(settings.topic_weights, dtype=float)
    # rounding to 1e-9 keeps 9 x 40 at exactly 40 (and rounding is monotone)
    return round(float(np.dot(w, arr) / w.sum()), 9)


def topic_levels(scores: Iterable[float], *, settings: GripSettings = DEFAULT) -> list[Level | None]:
    """The level of each score (None where a score is NaN)."""
    return [level_of(float(x), settings=settings) for x in np.asarray(list(scores), dtype=float)]


def grip_level(scores: Iterable[float], *, settings: GripSettings = DEFAULT) -> Level:
    """The overall level from the nine topic scores (rule 7 of the module docstring).

    >>> grip_level([80.0] * 9).value, grip_level([80.0] * 6 + [10.0] * 3).value
    ('in controle', 'ernstig')
    """
    arr = check_scores(scores)
    score = grip_score(arr, settings=settings)
    n_ernstig = sum(1 for x in arr if x < settings.waakzaam_from)
    if score < settings.waakzaam_from or n_ernstig >= settings.max_ernstig_topics:
        return Level.ERNSTIG
    if score >= settings.in_controle_from and n_ernstig == 0:
        return Level.IN_CONTROLE
    return Level.WAAKZAAM


def self_assessment_scores(assessment: Mapping[str, Level | None], rubric: Rubric, *,
                           settings: GripSettings = DEFAULT) -> np.ndarray:
    """Per topic the (criterion-weighted) mean points of its assessed criteria (NaN where none).

    ``assessment`` maps a criterion id ("4.2") to a level or None (empty / n.v.t.); an
    unknown id is refused, a missing one counts as not assessed.
    """
    known = {c.id for c in rubric.criteria()}
    unknown = sorted(set(assessment) - known)
    if unknown:
        raise InputError(f"onbekend criterium: {', '.join(unknown)}", argument="zelfbeoordeling")
    out = np.full(N_TOPICS, np.nan)
    for k, topic in enumerate(rubric.topics):
        pairs = [(settings.level_points[lvl.rank], c.weight) for c in topic.criteria
                 if (lvl := assessment.get(c.id)) is not None]
        if pairs:
            points, weights = np.array(pairs).T
            out[k] = float(np.dot(points, weights) / weights.sum())
    return out


def combine(self_scores: Sequence[float], kpi_scores: Sequence[float], *,
            settings: GripSettings = DEFAULT) -> np.ndarray:
    """Topic scores from the self-assessment and the measured KPIs (rule 4).

    >>> combine([50.0, 50.0, np.nan], [90.0, np.nan, np.nan]).tolist()
    [70.0, 50.0, nan]
    """
    s = np.asarray(self_scores, dtype=float)
    m = np.asarray(kpi_scores, dtype=float)
    w = settings.kpi_weight
    # weighted means of scores in 0-100 stay in 0-100; clipping (monotone; NaN stays NaN)
    # removes the rounding (100.00000000001) that check_scores would refuse downstream
    both = (1 - w) * s + w * m
    return np.clip(np.where(np.isnan(s), m, np.where(np.isnan(m), s, both)), 0.0, 100.0)


@dataclass(frozen=True)
class GripAssessment:
    """The result of a grip scan: per topic and overall.

    ``topic_scores`` holds NaN and ``topic_levels`` None where a topic has no data;
    ``score`` and ``level`` are None unless every topic has a score.
    """

    rubric: Rubric
    settings: GripSettings
    self_scores: np.ndarray
    kpi_scores: np.ndarray
    topic_scores: np.ndarray
    topic_levels: tuple[Level | None, ...]
    score: float | None
    level: Level | None

    def missing_topics(self) -> list[str]:
        return [t.name for t, x in zip(self.rubric.topics, self.topic_scores) if math.isnan(x)]


def assess(assessment: Mapping[str, Level | None], rubric: Rubric, *,
           kpi_scores: Sequence[float] | None = None,
           settings: GripSettings = DEFAULT) -> GripAssessment:
    """A complete scan: self-assessment plus measured KPI scores per topic (NaN = none)."""
    own = self_assessment_scores(assessment, rubric, settings=settings)
    measured = np.full(N_TOPICS, np.nan) if kpi_scores is None else \
        check_scores(kpi_scores, argument="kpi_scores", allow_missing=True)
    topics = combine(own, measured, settings=settings)
    complete = not np.isnan(topics).any()
    return GripAssessment(
        rubric=rubric, settings=settings, self_scores=own, kpi_scores=measured,
        topic_scores=topics, topic_levels=tuple(topic_levels(topics, settings=settings)),
        score=grip_score(topics, settings=settings) if complete else None,
        level=grip_level(topics, settings=settings) if complete else None,
    )
