"""The suite's memo of begrotingsmodel builds (tests/conftest.py ``BuildMemo``): a copy of an
earlier build only for an equal context, a new workbook per caller, a real build where a test
is about the build."""

from types import SimpleNamespace
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from tests.conftest import BuildMemo, SharedMemo, real_builds
from workbooks.context import BuildContext
from workbooks.files import save

TESTS = Path(__file__).parent


def counting():
    calls = []

    def build(ctx=None):
        calls.append(ctx)
        wb = Workbook()
        wb.active["A1"] = (ctx or BuildContext()).municipality
        return wb

    return build, calls


def test_an_equal_context_gets_a_new_copy_of_the_earlier_build():
    build, calls = counting()
    memo = BuildMemo(SharedMemo())
    memo.on, memo.check = True, False
    wrapped = memo.wrap(build)
    first = wrapped(BuildContext(data={"t": pd.DataFrame({"euro": [225.0]})}))
    first.active["A1"] = "gewijzigd"
    again = wrapped(BuildContext(data={"t": pd.DataFrame({"euro": [225.0]})}))
    third = wrapped(BuildContext(data={"t": pd.DataFrame({"euro": [225.0]})}))
    assert len(calls) == 1 and (memo.misses, memo.hits) == (1, 2)
    assert again is not third and again.active["A1"].value == BuildContext().municipality
    # a row sized in a copy (the pickle's dimension holders make new entries again)
    again.active.row_dimensions[7].height = 30


def test_another_context_or_a_memo_that_is_off_builds():
    build, calls = counting()
    memo = BuildMemo(SharedMemo())
    memo.on, memo.check = True, False
    wrapped = memo.wrap(build)
    wrapped(BuildContext(data={"t": pd.DataFrame({"euro": [225.0]})}))
    wrapped(BuildContext(data={"t": pd.DataFrame({"euro": [225.01]})}))
    wrapped(None)
    wrapped(BuildContext())              # the default context, as None
    memo.on = False
    wrapped(BuildContext())
    assert len(calls) == 4 and memo.hits == 1


def test_a_copy_from_the_memo_saves_as_a_build(_shared_builds, model_file, tmp_path):
    """The run's memo on the default model (built for ``model_file`` without it): a copy it
    hands out is byte for byte that build."""
    import workbooks.begrotingsmodel as begrotingsmodel

    on, _shared_builds.on = _shared_builds.on, True     # also under GRIP_TEST_MEMO=0
    try:
        begrotingsmodel.build_workbook(BuildContext())            # built or already kept
        hits = _shared_builds.hits
        copy = begrotingsmodel.build_workbook(BuildContext())
    finally:
        _shared_builds.on = on
    assert _shared_builds.hits == hits + 1
    assert save(copy, tmp_path / "m.xlsx").read_bytes() == model_file.read_bytes()


def test_tests_about_the_build_build_for_certain(monkeypatch):
    monkeypatch.delenv("GRIP_TEST_MEMO", raising=False)

    def item(path, *fixtures):
        return SimpleNamespace(path=path, fixturenames=["tmp_path", *fixtures])

    assert not real_builds(item(TESTS / "workbooks" / "test_layout.py"))
    assert real_builds(item(TESTS / "workbooks" / "test_begrotingsmodel.py"))
    assert real_builds(item(TESTS / "workbooks" / "test_demo_workbook.py"))
    assert real_builds(item(TESTS / "calc" / "test_wasm32_guard.py"))
    assert real_builds(item(TESTS.parent / "workbooks" / "begrotingsmodel.py"))   # a doctest
    assert real_builds(item(TESTS / "grip" / "test_cli.py", "monkeypatch"))
    monkeypatch.setenv("GRIP_TEST_MEMO", "0")
    assert real_builds(item(TESTS / "workbooks" / "test_layout.py"))
