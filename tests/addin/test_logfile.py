"""Tests of Grip's log file: #INTERN and failed buttons leave the full error where IT finds it."""

import logging

import pytest

from addin import logfile
from addin.policy import getal, udf


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(logfile.ENV_FOLDER, str(tmp_path / "logs"))
    yield tmp_path / "logs"
    logfile.ensure_log_file()  # detach from the test folder again on the next use


def _flush():
    for h in logging.getLogger("grip").handlers:
        h.flush()


def test_intern_names_the_log_file_and_writes_the_traceback_there(scratch_registry, folder):
    """#INTERN says where the details are; that file holds the traceback, without any BSN."""

    @udf(x=getal("een getal"))
    def SD_PROEF_LOG(x):
        """Proef."""
        raise RuntimeError(f"kapot bij bsn {x:.0f}")

    out = SD_PROEF_LOG(999990019.0)
    path = folder / "grip.log"
    assert out.startswith("#INTERN: onverwachte fout in SD_PROEF_LOG (RuntimeError)")
    assert str(path) in out and len(out) <= 255
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: kapot bij bsn …" in text
    assert "999990019" not in text


def test_a_failed_button_writes_the_log(folder, monkeypatch):
    """A button that fails unexpectedly tells the user where the log is, and the log has it."""
    from addin import ribbon
    from grip import buttons

    def boom(button_id):
        raise MemoryError("te groot")

    monkeypatch.setattr(buttons, "load_job", boom)
    out = buttons.run_button(ribbon.buttons()[0].id, book=None)
    assert "(MemoryError)" in out and str(folder / "grip.log") in out
    _flush()
    assert "MemoryError: te groot" in (folder / "grip.log").read_text(encoding="utf-8")


def test_the_log_rotates(folder, monkeypatch):
    """Past the size limit the file is rotated, keeping a bounded number of old files."""
    monkeypatch.setattr(logfile, "MAX_BYTES", 2000)
    monkeypatch.setattr(logfile, "_handler", None)
    logfile.ensure_log_file()
    log = logging.getLogger("grip.test")
    for k in range(200):
        log.error("regel %d %s", k, "x" * 50)
    _flush()
    files = sorted(p.name for p in folder.iterdir())
    assert "grip.log" in files and "grip.log.1" in files
    assert len(files) <= logfile.BACKUPS + 1


def test_default_folder_per_platform(monkeypatch):
    """Without the override: LOCALAPPDATA on Windows, the XDG state folder elsewhere."""
    monkeypatch.delenv(logfile.ENV_FOLDER, raising=False)
    monkeypatch.setattr(logfile.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\anna\AppData\Local")
    assert logfile.log_folder().parts[-3:] == ("Grip", "logs") or \
        str(logfile.log_folder()).endswith("Grip/logs")
    monkeypatch.setattr(logfile.sys, "platform", "linux")
    monkeypatch.setenv("XDG_STATE_HOME", "/home/anna/.local/state")
    assert str(logfile.log_folder()) == "/home/anna/.local/state/grip"


def test_an_unwritable_folder_does_not_break_the_message(monkeypatch, tmp_path):
    """If the log folder cannot be made, the cell still gets its message."""
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    monkeypatch.setenv(logfile.ENV_FOLDER, str(blocker / "logs"))
    monkeypatch.setattr(logfile, "_handler", None)
    assert logfile.ensure_log_file() is None
    assert "foutuitvoer" in logfile.where_text()
