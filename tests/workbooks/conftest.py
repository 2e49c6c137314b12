"""One demo begrotingsmodel (built, recalculated, values copy) shared by the workbook tests."""

import pytest

from grip.jobs.demo import run_demo

#: A small synthetic berichtenverkeer: every engine has data, the suite stays fast.
TEST_SCALE = 0.05


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("demo"), scale=TEST_SCALE)
