"""Every argument calc raises an error with reaches a user in Dutch words: a UDF's Dutch
parameter, or a Python name with its words in ``calc.errors.LABELS``."""

import re
from pathlib import Path

from calc.errors import LABELS, InputError, describe
from tests.addin.test_contract import CONTRACT

CALC = Path(__file__).parents[2] / "calc"


def _raised_arguments() -> dict[str, str]:
    """argument name -> the first file:line that raises with it (doctest lines left out)."""
    found = {}
    for path in sorted(CALC.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.lstrip().startswith(">>>"):
                continue
            for name in re.findall(r'argument="([^"]+)"', line):
                found.setdefault(name, f"{path.relative_to(CALC.parent)}:{n}")
    return found


def test_every_argument_calc_raises_with_has_dutch_words():
    udf_parameters = {p for params in CONTRACT.values() for p in params}
    raised = _raised_arguments()
    assert "claim_lines" in raised and "as_of" in raised     # the scan sees the raise sites
    missing = {name: where for name, where in raised.items()
               if name not in udf_parameters and name not in LABELS}
    assert missing == {}


def test_a_python_name_is_never_shown():
    """The error keeps the argument for developers; the text shows its Dutch words."""
    error = InputError("er zijn geen declaratieregels", argument="claim_lines")
    assert error.argument == "claim_lines"
    assert describe(error) == "declaratieregels in de opslag: er zijn geen declaratieregels"
    assert "claim_lines" not in describe(error)


def test_every_field_of_a_validated_model_has_dutch_words():
    """``validated`` names a field by the model's LABELS: no English field name in a message."""
    from calc.budget.business_case import BusinessCase
    from calc.budget.income import FundScenario
    from calc.budget.measures import Measure
    from calc.budget.years import Horizon

    for model in (Horizon, FundScenario, Measure, BusinessCase):
        assert set(model.model_fields) <= set(model.LABELS), model.__name__


def test_a_scenario_year_out_of_range_is_named_in_dutch():
    import pytest

    from calc.budget.income import FundScenario

    with pytest.raises(InputError) as err:
        FundScenario.from_labels("2,4 mld", 1999)
    assert describe(err.value).startswith("scenario: korting vanaf: moet minstens 2020 zijn")
