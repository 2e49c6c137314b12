"""Stores are attached to one DuckDB instance per process (``berichten.store._Instance``):
the locking and the messages a user sees are those of a DuckDB connection per store."""

import subprocess
import sys

import duckdb
import pytest

from berichten.store import (MEMORY, Store, StoreError, _INSTANCE, _Instance, _store_problem,
                             open_store)

#: A second process that opens the store for writing, says how that went, and lets go.
_OTHER = ("import duckdb, sys\n"
          "try:\n"
          "    duckdb.connect(sys.argv[1]).close()\n"
          "    print('open')\n"
          "except duckdb.Error as exc:\n"
          "    print('refused', exc)\n")


def _other_process_opens(path) -> str:
    return subprocess.run([sys.executable, "-c", _OTHER, str(path)], capture_output=True,
                          text=True, check=True).stdout


def test_a_store_is_locked_while_open_and_free_once_closed(tmp_path):
    """While this process writes a store no other program can open it; once the last store of
    that file is closed (detached) it can, and nothing is left in a log beside it."""
    path = tmp_path / "opslag.duckdb"
    with Store(path) as store:
        store.con.execute("INSERT INTO meta VALUES ('proef', '1')")
        assert _other_process_opens(path).startswith("refused")
        assert "lock" in _other_process_opens(path).lower()
    assert _other_process_opens(path).strip() == "open"
    assert not path.with_name(path.name + ".wal").exists()
    with open_store(path) as store:
        assert store.con.execute("SELECT value FROM meta WHERE key = 'proef'").fetchone() == ("1",)


def test_the_same_file_twice_in_one_process_is_shared_and_the_other_mode_refused(tmp_path):
    """Two stores of one file in the same mode share it (as two connections to one DuckDB
    file do, each with its own transactions); the other mode is refused with DuckDB's own
    reason, named as before; the file stays open until the last of them closes."""
    path = tmp_path / "opslag.duckdb"
    Store(path).close()
    first = open_store(path)
    second = open_store(path)
    # the message of a second duckdb.connect in the other mode, as before
    before = _store_problem(path, duckdb.ConnectionException(_Instance.OTHER_MODE))
    with pytest.raises(StoreError) as refused:
        Store(path)
    assert str(refused.value) == before
    first.close()
    assert second.con.execute("SELECT count(*) FROM meta").fetchone()[0] == 1
    with pytest.raises(StoreError) as refused:
        Store(path)
    assert str(refused.value) == before
    second.close()
    second.close()                        # a second close changes nothing
    with Store(path) as store:            # now it can be written
        assert store.con.execute("SELECT count(*) FROM meta").fetchone()[0] == 1
    assert _INSTANCE._attached == {}


def test_stores_see_only_their_own_tables(tmp_path):
    """Each store's queries (also the check that a file is a store) see that file alone, not
    the other stores attached beside it; a store in memory is new each time."""
    grip = tmp_path / "opslag.duckdb"
    Store(grip).close()
    other = tmp_path / "ander.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (a INTEGER)")
    con.close()
    with open_store(grip):
        with pytest.raises(StoreError, match="is geen opslag van Grip"):
            open_store(other)
        with Store(MEMORY) as memory:
            memory.con.execute("INSERT INTO meta VALUES ('proef', '1')")
            assert memory._has_column("meta", "value")
            with Store(MEMORY) as fresh:
                assert fresh.con.execute("SELECT count(*) FROM meta").fetchone()[0] == 1
    assert _INSTANCE._attached == {}


def test_a_store_left_unclosed_lets_go_when_it_is_collected(tmp_path):
    """As a DuckDB connection does: a store nobody closed is closed when collected."""
    import gc

    path = tmp_path / "opslag.duckdb"
    store = Store(path)
    assert _INSTANCE._attached
    del store
    gc.collect()
    assert _INSTANCE._attached == {}
    assert _other_process_opens(path).strip() == "open"
