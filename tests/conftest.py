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
- ``shared_forecasts``: for every test module under ``tests/`` but ``tests/calc/`` (autouse,
  module scope), and for ``demo`` and ``demo_forecast``,
  ``calc.prognose.yearend.year_end_forecast`` answers a call whose
  arguments it has seen before with a copy of that answer (``ForecastMemo``, by the content
  of every argument, both workers through a tier on disk). Every prognose job on the
  synthetic store replays the same twelve months of last year for its look-back; now they
  are computed once in the run. The calc tests and the doctests never use it;
  ``GRIP_TEST_MEMO=0`` switches it off (to see that the memo changes no outcome).
- ``_shared_builds``: ``workbooks.begrotingsmodel.build_workbook`` answers a ``BuildContext``
  equal to an earlier one with a new copy of that build (``BuildMemo``, by content, both
  workers through a tier on disk), except in a test about the build itself (``real_builds``).
"""

import contextlib
import functools
import hashlib
import io
import os
import pickle
import shutil
import sys
from collections import OrderedDict
from pathlib import Path

import pytest

#: A small synthetic berichtenverkeer: every engine has data, the suite stays fast.
TEST_SCALE = 0.05


#: The cyclic garbage collector's first threshold during the run (Python's default: 700).
GC_THRESHOLD = 50_000


def _collect_less_often() -> None:
    import gc

    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


# From here on, collection included: pytest loads this file before it imports the test
# modules and the doctests' packages (pandas, scipy, the engine, every Grip module); with the
# default threshold the collector walked the young objects of those imports some 80 times in
# each worker (about 1,5 of a worker's 7 CPU-s of collection).
_collect_less_often()


def pytest_collection_finish(session):
    """After collection: the modules, doctests and test objects are frozen out of the cyclic
    garbage collector (``gc.freeze``: never collected, never walked again), and a young
    collection runs after 50.000 new container objects instead of 700. The workbook engine
    and pandas make millions of short-lived objects; with the defaults the collector walked
    them over and over, for nothing (they are freed by reference counting). Every object is
    still freed; only when the cyclic collector looks changes (the threshold holds from the
    import of this file, ``_collect_less_often``)."""
    import gc

    gc.collect()
    gc.freeze()
    _collect_less_often()


@pytest.fixture(autouse=True, scope="session")
def _log_folder(tmp_path_factory):
    """Point ``GRIP_LOGMAP`` at a session folder for every test."""
    os.environ["GRIP_LOGMAP"] = str(tmp_path_factory.mktemp("griplog"))
    yield


@pytest.fixture(autouse=True, scope="session")
def _one_parser_per_worker():
    """Under xdist: an import parses its files in the test worker itself, never in a pool.

    Each test worker already has a core of its own (``-n auto``); the import's default pool
    (``berichten.importer``: one parse process per core from ``PARALLEL_FROM`` new files on)
    only added processes on busy cores and the pickling of every parsed file between them:
    the demo's 3.898 files took 3,5 CPU-s that way against 2,4 in one process. The parallel
    path keeps its own tests (``workers=2`` in ``test_examples``, the pool's end in
    ``test_hostile``), which pass their ``workers`` and are not touched by this.
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        yield
        return
    from berichten import importer

    most = importer.MAX_WORKERS
    importer.MAX_WORKERS = 1
    yield
    importer.MAX_WORKERS = most


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


#: While ``compute_prognose`` runs under the memo: the content of each table already pickled
#: for a key, by ``id`` (with the table itself, so the id stays its own). Its thirteen
#: forecasts get the same table objects, and no test code runs between them to change one,
#: so each table is hashed once per ``compute_prognose`` instead of once per forecast.
_CONTENT_SCOPE: list[dict] = []


class _ContentPickler(pickle.Pickler):
    """Pickles a table as its content: column names, dtypes, the Python types in each object
    column and pandas' hash of every row with its index. A plain pickle of equal tables may differ (pandas' internal layout and
    caches change when a table is read), which would only cost a miss; this one does not."""

    def reducer_override(self, obj):
        import pandas as pd

        if isinstance(obj, (pd.DataFrame, pd.Series)):
            scope = _CONTENT_SCOPE[-1] if _CONTENT_SCOPE else None
            if scope is not None and id(obj) in scope and scope[id(obj)][0] is obj:
                return scope[id(obj)][1]
            reduced = self._content(obj)
            if scope is not None:
                scope[id(obj)] = (obj, reduced)
            return reduced
        return NotImplemented

    @staticmethod
    def _content(obj):
        import pandas as pd

        frame = obj.to_frame() if isinstance(obj, pd.Series) else obj
        rows = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
        # pandas hashes an object column's values as text (1 and "1" alike): add which
        # Python types each such column (and the index) holds
        kinds = tuple(sorted({type(v).__name__ for v in values.to_numpy()})
                      for values in [frame.index, *(frame.iloc[:, k] for k in
                                                    range(frame.shape[1]))]
                      if values.dtype == object)
        return tuple, ((type(obj).__name__, tuple(map(str, frame.columns)),
                        tuple(map(str, frame.dtypes)), str(frame.index.dtype), kinds,
                        rows),)


def content_digest(prefix: str, inputs) -> str | None:
    """``prefix`` and the SHA-256 of ``inputs`` pickled with every table as its content
    (``_ContentPickler``), or ``None`` for inputs a pickle cannot hold."""
    buffer = io.BytesIO()
    try:
        _ContentPickler(buffer, protocol=5).dump(inputs)
    except Exception:  # noqa: BLE001 — an input pickle cannot hold: no key, compute
        return None
    return prefix + hashlib.sha256(buffer.getvalue()).hexdigest()


class ForecastMemo:
    """``year_end_forecast`` answers by the content of its arguments, for the whole run.

    The key is the SHA-256 of the pickled arguments (every table with its content, the
    peilmaand, every option), so a call is answered from the memo only when a call with equal
    arguments was computed before (the forecast is deterministic). Arguments that are only a
    cache of the calc itself (``CACHE_ARGUMENTS``) are passed on but not part of the key. An
    answer is kept pickled and handed out as a fresh copy (a caller may change it); a
    ``GripError`` is kept and raised again the same way. ``store``: a ``SharedMemo`` (with a
    folder under xdist, so both workers share the answers).
    """

    #: Keyword arguments that hold the calc's own cache, not an input (acc17's ``replays``).
    CACHE_ARGUMENTS = ("replays",)

    def __init__(self, store: "SharedMemo"):
        self.store = store
        self.hits = self.misses = 0

    @staticmethod
    def key(args: tuple, kwargs: dict) -> str | None:
        inputs = sorted((k, v) for k, v in kwargs.items() if k not in ForecastMemo.CACHE_ARGUMENTS)
        return content_digest("forecast_", (args, inputs))

    def wrap(self, forecast):
        from calc.errors import GripError

        @functools.wraps(forecast)
        def memo(*args, **kwargs):
            key = self.key(args, kwargs)
            if key is None:
                return forecast(*args, **kwargs)
            if key not in self.store:
                self.misses += 1
                try:
                    answer = ("value", forecast(*args, **kwargs))
                except GripError as exc:
                    answer = ("error", exc)
                try:
                    kept = pickle.dumps(answer)
                    again = pickle.loads(kept)[1]
                except Exception:  # noqa: BLE001 — cannot be kept: hand it over as computed
                    if answer[0] == "error":
                        raise answer[1]
                    return answer[1]
                if answer[0] == "error" and \
                        (type(again), str(again)) != (type(answer[1]), str(answer[1])):
                    raise answer[1]      # does not survive pickling as it was: not kept
                self.store[key] = kept
            else:
                self.hits += 1
            kind, value = pickle.loads(self.store[key])
            if kind == "error":
                raise value
            return value

        memo.__wrapped_by_memo__ = True
        return memo

    @contextlib.contextmanager
    def active(self, when: bool = True):
        """Within the block, every module's name ``year_end_forecast`` is the memo (``when``:
        False leaves it alone)."""
        if not when:
            yield
            return
        import calc.prognose.backtest  # noqa: F401 — import the users before patching
        import calc.prognose.report  # noqa: F401
        import calc.prognose.yearend as yearend

        import calc.prognose.report as report

        original = yearend.year_end_forecast
        if getattr(original, "__wrapped_by_memo__", False):   # already active (nested)
            yield
            return
        memo = self.wrap(original)
        compute = report.compute_prognose

        @functools.wraps(compute)
        def scoped(*args, **kwargs):
            _CONTENT_SCOPE.append({})       # its forecasts' tables hashed once (_CONTENT_SCOPE)
            try:
                return compute(*args, **kwargs)
            finally:
                _CONTENT_SCOPE.pop()

        swaps = [(original, memo), (compute, scoped)]
        # sys.modules.copy(), not list(sys.modules.items()): the list makes a tuple per module,
        # a garbage collection can run in between, and a finalizer that imports changed the
        # dict under it ("dictionary changed size during iteration", seen once in a full run)
        patched = [(m, attr, new) for name, m in sys.modules.copy().items()
                   if name.split(".")[0] in ("calc", "grip", "workbooks", "addin", "berichten")
                   for (old, new), attr in zip(swaps, ("year_end_forecast", "compute_prognose"))
                   if getattr(m, attr, None) is old]
        for module, attr, new in patched:
            setattr(module, attr, new)
        try:
            yield
        finally:
            for module, attr, _ in patched:
                setattr(module, attr, original if attr == "year_end_forecast" else compute)


@pytest.fixture(scope="session")
def _forecast_memo(tmp_path_factory):
    folder = None
    if os.environ.get("PYTEST_XDIST_WORKER") is not None:
        folder = tmp_path_factory.getbasetemp().parent / "forecasts"
        folder.mkdir(exist_ok=True)
    return ForecastMemo(SharedMemo(folder))


#: Folders and files under ``tests/`` whose tests compute every forecast, not through the memo
#: (the memo's own tests check that it patches and restores).
OWN_FORECASTS = ("calc", "test_forecast_memo.py")


@pytest.fixture(autouse=True, scope="module")
def shared_forecasts(request, _forecast_memo):
    """``year_end_forecast`` through the run's ``ForecastMemo`` for every test module under
    ``tests/`` except ``tests/calc/`` (module scope and autouse: before the module's own
    fixtures, such as ``first_run``); doctests and the calc tests compute every forecast."""
    tests = Path(__file__).parent
    path = Path(str(request.node.path))
    inside = tests in path.parents and path.relative_to(tests).parts[0] not in OWN_FORECASTS
    if not inside or os.environ.get("GRIP_TEST_MEMO") == "0":
        yield None
        return
    with _forecast_memo.active():
        yield _forecast_memo


class BuildMemo:
    """``workbooks.begrotingsmodel.build_workbook`` answers a ``BuildContext`` equal to an
    earlier one with a copy of that build, for the whole run (``_shared_builds``).

    Some twenty builds in a run are of a context built before (the default model by the
    commands ``grip werkmap bouw``, the add-in and the button tests; "Gemeente Proef",
    "Gemeente Elders", one forecast three times); a build takes 0,4 CPU-s, a copy a sixth of
    that. The key is ``content_digest`` of the context (every table in ``data`` by its
    content); a build is kept pickled (``store``: a ``SharedMemo``, across the workers under
    xdist) and handed out as a new workbook (``workbooks.files.unpickled``: byte for byte the
    build when saved), so a caller may change its copy. It answers only while ``on``
    (``pytest_runtest_setup``: not for a test about the build itself, ``real_builds``).
    ``GRIP_TEST_MEMO_CHECK=1``: every answer is also built, both are saved and compared
    (``content_key``); a difference fails the test.
    """

    def __init__(self, store: "SharedMemo"):
        self.store = store
        self.on = False
        self.hits = self.misses = 0
        self.check = os.environ.get("GRIP_TEST_MEMO_CHECK") == "1"

    def wrap(self, build):
        from workbooks.context import BuildContext
        from workbooks.files import unpickled

        @functools.wraps(build)
        def memo(ctx=None):
            key = content_digest("build_", ctx or BuildContext()) if self.on else None
            if key is None:
                return build(ctx)
            if key in self.store:
                self.hits += 1
                if self.check:      # on a copy of its own: a save can change a workbook
                    assert _saved(unpickled(self.store[key])) == _saved(build(ctx)), \
                        "BuildMemo: a copy saves otherwise than a build"
                return unpickled(self.store[key])
            self.misses += 1
            wb = build(ctx)
            self.store[key] = pickle.dumps(wb, protocol=5)
            return wb

        memo.__wrapped_by_memo__ = True
        return memo


def _saved(wb) -> str:
    """``content_key`` of ``wb`` saved as ``workbooks.files.save`` saves it."""
    from workbooks.files import save
    from workbooks.recalc import content_key

    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return content_key(save(wb, Path(folder) / "w.xlsx").read_bytes())


#: Test files whose tests are about the build itself (its determinism, what it writes): every
#: ``build_workbook`` there builds (``BuildMemo``), as in ``tests/calc/`` and the doctests.
REAL_BUILDS = ("test_begrotingsmodel.py", "test_demo_workbook.py")


def real_builds(item) -> bool:
    """Whether ``build_workbook`` builds for certain in this test: outside ``tests/``, in
    ``tests/calc/``, a file of ``REAL_BUILDS``, a test with ``monkeypatch`` (it may change what
    a build reads), ``GRIP_TEST_MEMO=0``."""
    tests = Path(__file__).parent
    path = Path(str(item.path))
    return tests not in path.parents or path.relative_to(tests).parts[0] == "calc" or \
        path.name in REAL_BUILDS or "monkeypatch" in getattr(item, "fixturenames", ()) or \
        os.environ.get("GRIP_TEST_MEMO") == "0"


#: The run's ``BuildMemo`` (once ``_shared_builds`` made it) and whether it answers in the
#: test being set up or run.
_BUILD_MEMO: list[BuildMemo] = []
_BUILDS_ANSWERED = [False]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before a test's fixtures: the run's ``BuildMemo`` answers in it, or not."""
    _BUILDS_ANSWERED[0] = not real_builds(item)
    for memo in _BUILD_MEMO:
        memo.on = _BUILDS_ANSWERED[0]


@pytest.fixture(autouse=True, scope="session")
def _shared_builds(tmp_path_factory):
    """Every module's name ``build_workbook`` is the run's ``BuildMemo`` (across the workers
    under xdist), switched on and off per test (``pytest_runtest_setup``)."""
    import workbooks.begrotingsmodel as begrotingsmodel

    folder = None
    if os.environ.get("PYTEST_XDIST_WORKER") is not None:
        folder = tmp_path_factory.getbasetemp().parent / "builds"
        folder.mkdir(exist_ok=True)
    memo = BuildMemo(SharedMemo(folder))
    memo.on = _BUILDS_ANSWERED[0]      # made in the setup of the first test
    original = begrotingsmodel.build_workbook
    wrapped = memo.wrap(original)
    patched = [m for name, m in sys.modules.copy().items()
               if name.split(".")[0] in ("tests", "grip", "workbooks", "addin")
               and getattr(m, "build_workbook", None) is original]
    for module in patched:
        module.build_workbook = wrapped
    _BUILD_MEMO.append(memo)
    yield memo
    _BUILD_MEMO.remove(memo)
    for module in patched:
        module.build_workbook = original


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
def demo(tmp_path_factory, _forecast_memo):
    from grip.jobs.demo import run_demo

    with _forecast_memo.active(when=os.environ.get("GRIP_TEST_MEMO") != "0"):
        return shared_once(tmp_path_factory, "demo",
                           lambda folder: run_demo(folder, scale=TEST_SCALE))


@pytest.fixture(scope="session")
def demo_forecast(demo):
    """The demo municipality's prognose (a ``PrognoseResult``) as the session's ``demo``
    computed it: ``run_prognose`` on its store at ``DEMO_AS_OF``, with its register (do not
    change it)."""
    return demo.data["prognose"]


@pytest.fixture(scope="session")
def demo_tables_in_memory():
    """The demo municipality's record tables as the session's ``demo`` imported them (its
    seed and ``TEST_SCALE``), made in memory (``grip.jobs.synth.demo_tables``; do not change
    them)."""
    from grip.jobs.synth import demo_tables

    return demo_tables(scale=TEST_SCALE)


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


# Hypothesis' per-example deadline (200 ms) is a timing assertion inside a unit test: on a
# loaded 2-core machine test_baseline's property took 371 ms once and failed the suite as
# flaky. Speed is measured by benchmarks/, never by a test; the examples stay the same.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("grip", deadline=None)
_hypothesis_settings.load_profile("grip")
