"""One demo begrotingsmodel (built, recalculated, values copy) shared by the workbook tests."""

import pytest

from grip.jobs.demo import run_demo


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo"))
