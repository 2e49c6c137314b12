"""Faults around a command (issue 16): a full disk, a read-only folder or an unforeseen error
end with one Dutch line (and the details in the log file), never a traceback; nothing is lost."""

import errno

import duckdb
import pandas as pd
import pytest

from berichten import importer
from grip.cli import main
from grip.jobs import prognose
from tests.factories import FakeStore


def test_the_store_faults_become_an_os_error_naming_the_store(tmp_path):
    """Read-only, permission and disk-full messages of DuckDB map to their errno."""
    for text, code in [("No space left on device", errno.ENOSPC),
                       ("Cannot open file: Read-only file system", errno.EROFS),
                       ("Permission denied", errno.EACCES)]:
        with pytest.raises(OSError) as info, importer._store_faults(tmp_path / "s.duckdb"):
            raise duckdb.IOException(text)
        assert info.value.errno == code and info.value.filename.endswith("s.duckdb")


def test_prognose_beside_a_read_only_folder_still_shows_the_forecast(tmp_path, monkeypatch,
                                                                    capsys):
    """The snapshot cannot be written: the forecast is shown with a Dutch note, no traceback,
    and an earlier snapshot file is never cut off."""
    store = tmp_path / "b.duckdb"
    prognose.run_prognose(store, as_of="2025-05-01", open_store=FakeStore)
    snaps = prognose.snapshot_path(store)
    before = snaps.read_bytes()

    def read_only(self, path, *args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", read_only)
    result = prognose.run_prognose(store, as_of="2025-06-01", open_store=FakeStore)
    assert any("niet bewaard" in n and "alleen-lezen" in n for n in result.notes)
    assert snaps.read_bytes() == before and not list(tmp_path.glob("*.tmp"))
    assert any("niet bewaard" in line for line in prognose.summary(result))


def test_a_missing_file_is_one_dutch_line(tmp_path, capsys):
    """The command line words a missing file through grip.faults, as a button does."""
    code = main(["werkmap", "herbereken", str(tmp_path / "weg.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and err == f"Fout: bestand niet gevonden: {tmp_path / 'weg.xlsx'}\n"


def test_an_unforeseen_error_is_one_line_and_the_log_has_the_traceback(tmp_path, monkeypatch,
                                                                      capsys):
    """Any other error: 'onverwachte fout', the log file named; its traceback only there."""
    from addin import logfile

    monkeypatch.setenv(logfile.ENV_FOLDER, str(tmp_path / "logs"))
    import grip.commands.werkmap as werkmap

    def boom(args):
        raise RecursionError("te diep")

    monkeypatch.setattr(werkmap, "run_recalc", boom)
    code = main(["werkmap", "herbereken", str(tmp_path / "x.xlsx")])
    err = capsys.readouterr().err
    log = tmp_path / "logs" / "grip.log"
    assert code == 3 and "onverwachte fout (RecursionError)" in err and str(log) in err
    assert "Traceback" not in err
    assert "RecursionError: te diep" in log.read_text(encoding="utf-8")
