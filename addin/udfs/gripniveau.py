"""UDFs for the gripniveau: topic scores, the grip score, levels and the development agenda.

The agenda's table (``AGENDA_HEADER``, ``agenda_rows``) lives here, beside the UDF that spills
it: the sheet Gripniveau takes its header from here, and ``convert.fixed_rows`` sizes it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from collections.abc import Sequence

from addin import convert
from addin.policy import bereik, getal, tekst, udf
from calc import cells
from calc.cells import nl
from calc.errors import InputError, Problem, raise_if
from calc.grip_level.kpis import topic_means
from calc.grip_level.rubric import (N_TOPICS, NO_DATA, GripSettings, load_rubric, make_settings,
                                    parse_level)
from calc.grip_level.routemap import AgendaItem, development_agenda
from calc.grip_level.scoring import (assess, check_scores, grip_level, grip_score, level_of,
                                     topic_levels)

_SCORES_HELP = ("De negen onderwerpscores 0-100 (onderwerp 1 tot en met 9): één kolom of één rij "
                "van 9 cellen.")
_WEIGHTS_HELP = ("Optioneel: gewicht per onderwerp (9 cellen, niet negatief); leeg = gelijke "
                 "gewichten.")
_LIMITS_HELP = ("Optioneel: twee grenzen, de laagste score voor waakzaam en voor in controle; "
                "leeg = 40 en 70.")

#: Columns of the agenda table (``SD_GRIPAGENDA``; the sheet Gripniveau's header row).
AGENDA_HEADER = ("Nr", "Onderwerp", "Van", "Naar", "Maatregel", "Eigenaar", "Start", "Gereed")


def agenda_rows(items: Sequence[AgendaItem]) -> list[list]:
    """The agenda as rows of ``AGENDA_HEADER``."""
    return [[float(i.order), f"{i.topic} {i.topic_name}", i.current.value, i.target.value,
             i.measure, i.owner, i.start, i.end] for i in items]


def _more_measures(left_out: int) -> list:
    """The last row of a full agenda range: how many measures did not fit."""
    return ["", f"… en nog {left_out} maatregelen: vergroot 'aantal' en het bereik", *[""] * 6]


def _scores(value: Any, argument: str) -> np.ndarray:
    """Nine scores from a 9 x 1 or 1 x 9 range; positions in messages follow the orientation."""
    m = convert.to_matrix(value, argument, empty=math.nan)
    across = m.shape[0] == 1 and m.shape[1] > 1
    if min(m.shape) > 1:
        raise InputError(f"verwacht één kolom of één rij van {N_TOPICS} cellen, maar kreeg "
                         f"{m.shape[0]} x {m.shape[1]}", argument=argument)
    try:
        return check_scores(m.reshape(-1), argument=argument, typed=True)
    except InputError as exc:
        if not across:
            raise
        raise_if([Problem(p.message, p.argument, 0 if p.row is not None else None, p.row)
                  for p in exc.problems])
        raise


def _given(value: Any) -> bool:
    """An optional range with at least one filled cell (``None`` and ``""`` are empty)."""
    return any(not cells.is_empty(c) for r in convert.grid(value) for c in r)


def _settings(gewichten: Any = None, grenzen: Any = None, kpi_gewicht: Any = None) -> GripSettings:
    values: dict[str, Any] = {}
    if _given(gewichten):
        w = convert.to_vector(gewichten, "gewichten", empty=None)
        values["topic_weights"] = tuple(float(x) for x in w)
        make_settings("gewichten", **values)
    if _given(grenzen):
        g = convert.to_vector(grenzen, "grenzen", empty=None)
        if g.size != 2:
            raise InputError(f"verwacht 2 grenzen (waakzaam, in controle), maar kreeg {g.size}",
                             argument="grenzen")
        if 0 < g.max() <= 1:    # 50% and 75% in cells formatted as percentages
            raise InputError(f"de grenzen {nl(g[0])} en {nl(g[1])} liggen tussen 0 en 1: staan "
                             "ze als percentage? Een grens is een score van 0 tot 100 (typ 50 "
                             "en 75)", argument="grenzen")
        values["waakzaam_from"], values["in_controle_from"] = float(g[0]), float(g[1])
        make_settings("grenzen", **values)
    if _given(kpi_gewicht):
        values["kpi_weight"] = convert.to_number(kpi_gewicht, "kpi_gewicht", minimum=0, maximum=1)
    return make_settings("instellingen", **values)


@udf(scores=bereik(_SCORES_HELP), gewichten=bereik(_WEIGHTS_HELP), grenzen=bereik(_LIMITS_HELP))
def SD_GRIPNIVEAU(scores, gewichten=None, grenzen=None):
    """Gripniveau van de gemeente: "ernstig", "waakzaam" of "in controle" uit de negen onderwerpscores.

    Ernstig bij een gripscore onder de grens voor waakzaam of bij drie of meer onderwerpen ernstig;
    in controle bij een gripscore vanaf de grens voor in controle zonder onderwerp ernstig.
    """
    settings = _settings(gewichten, grenzen)
    return grip_level(_scores(scores, "scores"), settings=settings).value


@udf(scores=bereik(_SCORES_HELP), gewichten=bereik(_WEIGHTS_HELP), grenzen=bereik(_LIMITS_HELP))
def SD_GRIPSCORE(scores, gewichten=None, grenzen=None):
    """Gripscore 0-100 van de gemeente: het gewogen gemiddelde van de negen onderwerpscores."""
    settings = _settings(gewichten, grenzen)
    return grip_score(_scores(scores, "scores"), settings=settings)


@udf(scores=bereik("Scores 0-100 (een kolom of rij); een lege cel geeft \"geen gegevens\"."),
     grenzen=bereik(_LIMITS_HELP))
def SD_GRIPNIVEAUS(scores, grenzen=None):
    """Niveau per score: "ernstig", "waakzaam", "in controle" of "geen gegevens" voor een lege cel. Geeft een kolom."""
    settings = _settings(None, grenzen)
    values = convert.to_vector(scores, "scores", empty=math.nan)
    problems = [Problem(f"score {nl(x)} ligt buiten 0 tot 100", "scores", k)
                for k, x in enumerate(values) if not math.isnan(x) and not 0 <= x <= 100]
    raise_if(problems)
    return convert.column([NO_DATA if lvl is None else lvl.value
                           for lvl in topic_levels(values, settings=settings)])


@udf(
    onderwerpen=bereik("Per gemeten KPI het nummer van zijn onderwerp (1-9)."),
    scores=bereik("Per gemeten KPI de score 0-100; leeg of \"geen gegevens\" telt niet mee."),
)
def SD_GRIPKPISCORES(onderwerpen, scores):
    """Gemiddelde score 0-100 van de gemeten KPI's per onderwerp (9 cellen); leeg waar een onderwerp geen gemeten KPI heeft."""
    rows_t = convert.cells_1d(onderwerpen, "onderwerpen")
    rows_s = convert.cells_1d(scores, "scores")
    if len(rows_t) != len(rows_s):
        raise InputError(f"onderwerpen heeft {len(rows_t)} cellen en scores {len(rows_s)}; "
                         "verwacht evenveel", argument="scores")
    topics, values = [], []
    for r, (t, cell) in enumerate(zip(rows_t, rows_s)):
        if cells.is_empty(t):
            continue
        topics.append(convert.to_whole(t, "onderwerpen"))
        if isinstance(cell, str) and cells.parse_number(cell)[0] is None:
            cell = None  # "geen gegevens" (or other text) does not count, as the help says
        values.append(convert.to_number(cell, "scores", default=math.nan, minimum=0, maximum=100,
                                        row=r))
    return convert.column(topic_means(topics, values))


@udf(
    criteria=bereik("De kolom met criterium-nummers uit de rubriek (bijv. 4.2)."),
    beoordelingen=bereik("De zelfbeoordeling per criterium: ernstig, waakzaam, in controle of n.v.t. "
                         "(leeg telt niet mee)."),
    kpi_scores=bereik("Optioneel: de score 0-100 van de gemeten KPI's per onderwerp (9 cellen); "
                      "leeg = geen gegevens."),
    kpi_gewicht=getal("Optioneel: aandeel 0-1 van de gemeten KPI's in de onderwerpscore; leeg = 0,5."),
)
def SD_GRIPONDERWERPSCORES(criteria, beoordelingen, kpi_scores=None, kpi_gewicht=None):
    """Score 0-100 per onderwerp (9 cellen) uit de zelfbeoordeling en de gemeten KPI's. Leeg waar een onderwerp geen gegevens heeft.

    Per onderwerp het gemiddelde van de punten van de criteria (ernstig 0, waakzaam 50, in controle
    100), gecombineerd met de KPI-score: (1 - kpi_gewicht) x zelfbeoordeling + kpi_gewicht x KPI.
    """
    settings = _settings(None, None, kpi_gewicht)
    ids = convert.cells_1d(criteria, "criteria")
    levels = convert.cells_1d(beoordelingen, "beoordelingen")
    if len(ids) != len(levels):
        raise InputError(f"criteria heeft {len(ids)} cellen en beoordelingen {len(levels)}; "
                         "verwacht evenveel", argument="beoordelingen")
    assessment = {}
    problems = []
    for r, (cid_cell, level) in enumerate(zip(ids, levels)):
        if cells.is_empty(cid_cell):
            continue
        cid = convert.to_text(cid_cell, "criteria")
        try:
            assessment[cid] = parse_level(level, argument="beoordelingen", row=r)
        except InputError as exc:
            problems.extend(exc.problems)
    raise_if(problems)
    measured = None
    if kpi_scores is not None and convert.grid(kpi_scores):
        measured = convert.to_vector(kpi_scores, "kpi_scores", empty=math.nan)
    result = assess(assessment, load_rubric(), kpi_scores=measured, settings=settings)
    return convert.column(result.topic_scores)


@udf(
    scores=bereik("De negen onderwerpscores 0-100; een lege cel = onderwerp zonder gegevens "
                  "(krijgt geen maatregelen)."),
    startkwartaal=tekst("Eerste kwartaal van de agenda, bijv. 2027-K1."),
    per_kwartaal=getal("Optioneel: hoeveel maatregelen per kwartaal kunnen starten; leeg = 3."),
    aantal=getal("Optioneel: aantal rijen van het uitvoerbereik; leeg = 20. Overige rijen blijven leeg."),
    grenzen=bereik(_LIMITS_HELP),
)
def SD_GRIPAGENDA(scores, startkwartaal, per_kwartaal=None, aantal=None, grenzen=None):
    """Ontwikkelagenda: per onderwerp de maatregelen naar het volgende niveau, urgentste eerst, met eigenaar en kwartalen.

    Kolommen: Nr, Onderwerp, Van, Naar, Maatregel, Eigenaar, Start, Gereed.
    """
    settings = _settings(None, grenzen)
    values = convert.to_vector(scores, "scores", empty=math.nan)
    values = check_scores(values, argument="scores", allow_missing=True, typed=True)
    start = convert.to_text(startkwartaal, "startkwartaal")
    per_q = convert.to_whole(per_kwartaal, "per_kwartaal", default=3, minimum=1)
    n = convert.to_whole(aantal, "aantal", default=20, minimum=1, maximum=500)
    levels = [level_of(float(x), settings=settings) for x in values]
    rows = agenda_rows(development_agenda(levels, scores=list(values), start=start,
                                          per_quarter=per_q))
    return convert.table(convert.fixed_rows(rows, n, len(AGENDA_HEADER), more=_more_measures,
                                            fill=""))
