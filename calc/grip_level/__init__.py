"""Gripniveau: a nine-topic rubric (our own operationalisation), KPIs measured from the
berichtenverkeer, scores and levels (ernstig / waakzaam / in controle), and a route map.

Modules: ``rubric`` (the versioned rubric and the municipality's settings), ``scoring``
(topic scores, the grip KPI and the overall level), ``kpis`` (measured from the long tables
of ``calc.records``), ``routemap`` (measures per topic and level, the development agenda).
"""

from calc.grip_level.rubric import (NO_DATA, NOT_APPLICABLE, GripSettings, Level, Rubric,
                                    load_rubric, make_settings, parse_level)
from calc.grip_level.scoring import (GripAssessment, assess, grip_level, grip_score, level_of,
                                     topic_levels)

__all__ = [
    "NO_DATA", "NOT_APPLICABLE", "GripSettings", "Level", "Rubric", "load_rubric",
    "make_settings", "parse_level", "GripAssessment", "assess", "grip_level", "grip_score",
    "level_of", "topic_levels",
]
