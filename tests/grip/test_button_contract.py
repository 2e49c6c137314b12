"""Every ribbon button's job, where this version has it, reads and writes names the
begrotingsmodel defines, and its outputs are locked (never input cells)."""

import importlib

import pytest

from addin import ribbon
from workbooks.template import input_cells, named_cells


@pytest.fixture(scope="module")
def wb(default_model):
    return default_model


@pytest.mark.parametrize("button", ribbon.buttons(), ids=lambda b: b.id)
def test_job_names_exist_in_the_workbook(button, wb):
    try:
        module = importlib.import_module(f"grip.jobs.{button.job}")
    except ModuleNotFoundError:
        pytest.skip(f"grip.jobs.{button.job} is not in this version")
    assert hasattr(module, "run_button") or hasattr(module, "run_book")
    if not hasattr(module, "run_button"):
        return
    inputs = input_cells(wb)
    for name in (*module.INPUT_NAMES, *module.OUTPUT_NAMES):
        assert named_cells(wb, name), f"{name} is not defined in the begrotingsmodel"
    for name in module.OUTPUT_NAMES:
        assert not set(named_cells(wb, name)) & inputs, f"{name} covers input cells"
