"""The route map catalogue and the development agenda."""

import pytest

from calc.errors import InputError
from calc.grip_level.rubric import Level
from calc.grip_level.routemap import (development_agenda, format_quarter, load_catalogue,
                                      parse_quarter)

W, E, C = Level.WAAKZAAM, Level.ERNSTIG, Level.IN_CONTROLE


def test_catalogue_has_at_least_five_measures_per_topic_with_owner_and_both_steps():
    """Every topic has ≥ 5 Dutch measures, some for each step up, each with an owner."""
    cat = load_catalogue()
    for topic in range(1, 10):
        mine = [m for m in cat if m.topic == topic]
        assert len(mine) >= 5
        assert {m.from_level for m in mine} == {E, W}
        assert all(m.owner and m.text.endswith(".") for m in mine)


def test_agenda_orders_worst_topic_first_and_respects_capacity():
    """Topic 4 ernstig comes first; 3 measures per quarter; then waakzaam topics by score."""
    levels = [C, W, C, E, C, C, C, W, C]
    scores = [80, 60, 80, 20, 80, 80, 80, 45, 80]
    agenda = development_agenda(levels, scores=scores, start="2027-K3", per_quarter=3)
    assert [i.topic for i in agenda] == [4, 4, 4, 8, 8, 8, 2, 2, 2]
    assert all(i.current is E and i.target is W for i in agenda[:3])
    assert [i.start for i in agenda] == ["2027-K3"] * 3 + ["2027-K4"] * 3 + ["2028-K1"] * 3
    first = agenda[0]
    cat = [m for m in load_catalogue() if m.topic == 4 and m.from_level is E]
    assert first.measure == cat[0].text
    assert first.end == format_quarter(parse_quarter("2027-K3") + cat[0].quarters - 1)


def test_in_controle_and_no_data_topics_get_no_measures():
    """A topic in controle needs no step; a topic without data gets no pretended agenda."""
    assert development_agenda([C] * 9) == []
    agenda = development_agenda([None] * 8 + [E])
    assert {i.topic for i in agenda} == {9}


@pytest.mark.parametrize("text", ["2027", "2027-K5", "K1-2027", ""])
def test_a_bad_quarter_is_refused(text):
    """A quarter must look like 2027-K1."""
    with pytest.raises(InputError, match="geen kwartaal"):
        parse_quarter(text)
