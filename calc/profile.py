"""Gemeente Voorbeeld: the one profile the demo's figures come from.

The demo municipality is fictitious; its size and the choices every sheet, the demo job and
the README share are fixed here once, so no two places disagree:

* ``INHABITANTS`` (60,000) — the theme catalogue (``calc/cross_effects/data/themas.csv``),
  the meerjarenraming lines (``calc.budget.demo``) and the Wijken key are for this size; a
  test checks the catalogue's baselines against the meerjarenraming lines per theme and the
  inhabitants per wijk against this total;
* the neighbour shown beside it (``NEIGHBOUR``, 70% of its baselines); a model built for any
  other municipality shows a neutral ``COMPARISON`` instead, never the demo's names;
* ``DRAWS``: the Monte Carlo draws of every band (SD_BANDBREEDTE, the scenario button,
  SD_SALDOBAND), one number;
* ``DISTRICT_INHABITANTS``: inhabitants per wijk (the ``*`` row of the Wijken key).

The taakveld -> theme mapping is the one of ``calc/prognose/taakvelden.csv``; the theme
catalogue lists each taakveld under that theme (a test keeps them together).

>>> sum(DISTRICT_INHABITANTS) == INHABITANTS, second_municipality("Gemeente X")
(True, 'Vergelijkingsgemeente')
"""

from __future__ import annotations

NAME = "Gemeente Voorbeeld"
#: Its CBS gemeentecode in the synthetic messages (fictional: real codes stay below 1000). The
#: demo's begroting (``calc.budget.demo``) is this municipality's; only a forecast of this code
#: may be judged against it (``calc.budget.plausibility.judge``).
CODE = "9999"
INHABITANTS = 60_000
#: The demo's neighbour (shown beside it on Thema's, Dwarsverbanden and Scenario's).
NEIGHBOUR = "Gemeente Buurgemeente"
NEIGHBOUR_SHARE = 0.7
NEIGHBOUR_INHABITANTS = round(NEIGHBOUR_SHARE * INHABITANTS)
#: The second municipality of a model built for anyone else.
COMPARISON = "Vergelijkingsgemeente"
#: Monte Carlo draws of every band in the model and the buttons.
DRAWS = 10_000
#: Wijken of the demo and their inhabitants (sum = INHABITANTS).
DISTRICTS = ("Centrum", "Noord", "Oost", "Zuid")
DISTRICT_INHABITANTS = (14_400, 18_000, 13_200, 14_400)


def is_demo(municipality: str) -> bool:
    """Is this the demo municipality (its figures and self-assessment apply)?"""
    return municipality == NAME


def second_municipality(municipality: str) -> str:
    """The name of the second municipality shown beside ``municipality``."""
    return NEIGHBOUR if is_demo(municipality) else COMPARISON


def second_word(municipality: str) -> str:
    """How the second municipality's assumptions are labelled ('buurgemeente' in the demo)."""
    return "buurgemeente" if is_demo(municipality) else "vergelijkingsgemeente"
