"""Session fixtures shared by the whole suite: what is expensive is built once.

- ``demo``: one demo run (synthetic messages, store, engines, build, headless recalculation,
  values-only copy) at ``TEST_SCALE``; the workbook tests and ``grip demo``'s own test read it.
- ``default_model`` / ``model_file``: the begrotingsmodel of ``BuildContext()`` built once as an
  openpyxl workbook, and built and saved once as a file. Both are read-only: a test that
  changes the file takes ``model_copy``.
"""

import shutil

import pytest

#: A small synthetic berichtenverkeer: every engine has data, the suite stays fast.
TEST_SCALE = 0.05


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    from grip.jobs.demo import run_demo

    return run_demo(tmp_path_factory.mktemp("demo"), scale=TEST_SCALE)


@pytest.fixture(scope="session")
def default_model():
    """The default begrotingsmodel as an openpyxl workbook (do not change it)."""
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext

    return build_workbook(BuildContext())


@pytest.fixture(scope="session")
def model_file(tmp_path_factory):
    """The default begrotingsmodel saved once (do not change the file: see ``model_copy``).

    Built on its own, not from ``default_model``: reading a range of an openpyxl workbook
    creates its empty cells, so a shared object saved later would not be a fresh build.
    """
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext
    from workbooks.files import save

    return save(build_workbook(BuildContext()), tmp_path_factory.mktemp("model") / "m.xlsx")


@pytest.fixture()
def model_copy(model_file, tmp_path):
    """A copy of the default begrotingsmodel that a test may change."""
    return shutil.copyfile(model_file, tmp_path / "m.xlsx")
