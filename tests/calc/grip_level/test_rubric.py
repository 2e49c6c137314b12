"""The rubric file and the municipality's settings."""

import pytest

from calc.errors import InputError
from calc.grip_level.rubric import (GripSettings, Level, load_rubric, make_settings, parse_level,
                                    read_data_file, rubric_from_dict, demo_assessment)


def test_rubric_has_nine_topics_of_three_to_five_criteria_with_three_descriptions():
    """Every topic of DOMAIN.md 2.3 is there, each criterion describes all three levels."""
    rubric = load_rubric()
    assert rubric.topic_names() == (
        "Visie en koers", "Sturing en organisatie", "Toegang en uitvoering", "Inkoop",
        "Contractmanagement", "Financiën", "Informatie en data", "Beheer", "Monitoring")
    for topic in rubric.topics:
        assert 3 <= len(topic.criteria) <= 5
        for c in topic.criteria:
            assert c.id.startswith(f"{topic.number}.")
            assert all(len(c.description(lvl)) > 20 for lvl in Level)


def test_rubric_says_it_is_our_own_operationalisation():
    """The source line says the criteria are ours, not the original's."""
    rubric = load_rubric()
    assert rubric.version and "Eigen operationalisatie" in rubric.source
    assert "niet openbaar" in rubric.source


def test_a_topic_with_two_criteria_is_refused_in_dutch():
    """A rubric file with too few criteria gives a Dutch message naming the topic."""
    data = read_data_file("rubric.toml")
    data["onderwerp"][4]["criterium"] = data["onderwerp"][4]["criterium"][:2]
    with pytest.raises(InputError, match="onderwerp 5 heeft 2 criteria; verwacht 3 tot 5"):
        rubric_from_dict(data)


def test_a_missing_topic_is_refused():
    """Eight topics are not a rubric."""
    data = read_data_file("rubric.toml")
    del data["onderwerp"][2]
    with pytest.raises(InputError, match="verwacht de onderwerpen 1 tot en met 9"):
        rubric_from_dict(data)


@pytest.mark.parametrize("values, message", [
    ({"waakzaam_from": 75.0}, "moet lager zijn dan de grens voor in controle"),
    ({"topic_weights": (1.0,) * 8}, "verwacht 9 gewichten, maar kreeg 8"),
    ({"topic_weights": (0.0,) * 9}, "tellen op tot 0"),
    ({"topic_weights": (1.0,) * 8 + (-1.0,)}, "mag niet negatief"),
    ({"kpi_weight": 1.5}, r"kpi_weight: mag hoogstens 1 zijn \(ontvangen: 1.5\)"),
    ({"level_points": (100.0, 50.0, 0.0)}, "moeten oplopen"),
])
def test_unsensible_settings_get_a_dutch_message(values, message):
    """Thresholds out of order, weights that sum to nothing: refused with a Dutch message."""
    with pytest.raises(InputError, match=message):
        make_settings(**values)


def test_settings_defaults():
    """Grip's suggested defaults: 40 and 70, equal weights, half KPI half self-assessment."""
    s = GripSettings()
    assert (s.waakzaam_from, s.in_controle_from, s.kpi_weight) == (40.0, 70.0, 0.5)


def test_parse_level_refuses_unknown_text():
    """A typo in a dropdown cell is refused with its position."""
    with pytest.raises(InputError) as info:
        parse_level("groen", argument="beoordelingen", row=3)
    assert info.value.row == 3 and "geen niveau" in info.value.message
    assert parse_level("WAAKZAAM", argument="x") is Level.WAAKZAAM


def test_demo_assessment_covers_every_criterion():
    """Gemeente Voorbeeld assessed every criterion of the rubric."""
    assert set(demo_assessment()) == {c.id for c in load_rubric().criteria()}
