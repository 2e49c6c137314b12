"""Session fixtures shared by the whole suite: what is expensive is built once.

- ``demo``: one demo run (synthetic messages, store, engines, build, headless recalculation,
  values-only copy) at ``TEST_SCALE``; the workbook tests and ``grip demo``'s own test read it.
  Under ``pytest -n 2`` (pytest-xdist, as ``make test`` runs) the first worker that needs it
  builds it in a folder beside the workers' own temporary folders, under a file lock; the
  other worker reads the same files and result: built once in total, as without xdist.
- ``demo_forecast``: the demo prognose of the record tables in memory (sheet and export tests),
  computed once across the workers like ``demo``.
- ``default_model`` / ``model_file``: the begrotingsmodel of ``BuildContext()`` built once as an
  openpyxl workbook (per worker), and built and saved once as a file (one file for the whole
  run, like ``demo``). Both are read-only: a test that changes the file takes ``model_copy``.
- ``_log_folder``: Grip's log file goes to a temporary folder, never the user's own.
- ``_shared_recalculations``: under xdist, ``workbooks.recalc``'s memo of recent
  recalculations (by ``content_key``) gets a second tier on disk that both workers read, so a
  workbook of the same content (the default begrotingsmodel, the demo's) is evaluated once in
  the whole run instead of once per worker.
"""

import os
import pickle
import shutil
from collections import OrderedDict
from pathlib import Path

import pytest

#: A small synthetic berichtenverkeer: every engine has data, the suite stays fast.
TEST_SCALE = 0.05


@pytest.fixture(autouse=True, scope="session")
def _log_folder(tmp_path_factory):
    """Point ``GRIP_LOGMAP`` at a session folder for every test."""
    os.environ["GRIP_LOGMAP"] = str(tmp_path_factory.mktemp("griplog"))
    yield


class SharedMemo(OrderedDict):
    """``workbooks.recalc._RECENT`` with a tier on disk in ``folder`` shared by the workers.

    A key missing in memory is looked up as ``<folder>/<key>.pickle``; a value set is also
    written there (whole, then renamed). ``SharedMemo()`` without a folder is a plain memo:
    ``workbooks.recorded.record_calls`` makes one with ``type(recent)()`` to evaluate for certain.
    """

    def __init__(self, folder: Path | None = None, items=()):
        super().__init__(items)
        self.folder = folder

    def _file(self, key: str) -> Path:
        return self.folder / (key.replace(":", "_") + ".pickle")

    def __contains__(self, key) -> bool:
        if super().__contains__(key):
            return True
        if self.folder is None or not self._file(key).exists():
            return False
        super().__setitem__(key, pickle.loads(self._file(key).read_bytes()))
        return True

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if self.folder is not None and not self._file(key).exists():
            tmp = self._file(key).with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(value))
            os.replace(tmp, self._file(key))


@pytest.fixture(autouse=True, scope="session")
def _shared_recalculations(tmp_path_factory):
    """Under xdist: one recalculation per workbook content for both workers (``SharedMemo``)."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        yield
        return
    from workbooks import recalc

    folder = tmp_path_factory.getbasetemp().parent / "recalculations"
    folder.mkdir(exist_ok=True)
    recent = recalc._RECENT
    recalc._RECENT = SharedMemo(folder, recent)
    yield
    recalc._RECENT = recent


def shared_once(tmp_path_factory, name, build):
    """``build(folder)`` run once for the whole test run, also across pytest-xdist workers.

    Without xdist: ``build`` in a fresh session folder. Under xdist: the workers share
    ``<basetemp>/../<name>`` (the pattern of pytest-xdist's documentation); the first one
    builds under a file lock and pickles the result there, the others load it.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        return build(tmp_path_factory.mktemp(name))
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp().parent
    done = root / f"{name}.pickle"
    with FileLock(str(root / f"{name}.lock")):
        if done.exists():
            return pickle.loads(done.read_bytes())
        folder = root / name
        folder.mkdir()
        result = build(folder)
        done.write_bytes(pickle.dumps(result))
        return result


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    from grip.jobs.demo import run_demo

    return shared_once(tmp_path_factory, "demo", lambda folder: run_demo(folder, scale=TEST_SCALE))


@pytest.fixture(scope="session")
def demo_forecast(tmp_path_factory):
    """``grip.jobs.prognose.demo_prognose()``: the demo municipality's prognose from its record
    tables in memory, computed once in the whole run (``shared_once``; do not change it)."""
    from grip.jobs.prognose import demo_prognose

    return shared_once(tmp_path_factory, "demo_forecast", lambda folder: demo_prognose())


@pytest.fixture(scope="session")
def default_model():
    """The default begrotingsmodel as an openpyxl workbook (do not change it)."""
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext

    return build_workbook(BuildContext())


@pytest.fixture(scope="session")
def model_file(tmp_path_factory):
    """The default begrotingsmodel saved once in the whole run, one file for every worker
    (``shared_once``; do not change the file: see ``model_copy``).

    Built on its own, not from ``default_model``: reading a range of an openpyxl workbook
    creates its empty cells, so a shared object saved later would not be a fresh build.
    """
    from workbooks.begrotingsmodel import build_workbook
    from workbooks.context import BuildContext
    from workbooks.files import save

    return shared_once(tmp_path_factory, "model",
                       lambda folder: save(build_workbook(BuildContext()), folder / "m.xlsx"))


@pytest.fixture()
def model_copy(model_file, tmp_path):
    """A copy of the default begrotingsmodel that a test may change."""
    return shutil.copyfile(model_file, tmp_path / "m.xlsx")
