"""Grip's own log file: where ``#INTERN`` and failed buttons leave the full error for IT.

One file per user, rotated (``RotatingFileHandler``: 1 MB, 5 old files kept):

* Windows: ``%LOCALAPPDATA%\\Grip\\logs\\grip.log``;
* elsewhere: ``$XDG_STATE_HOME/grip/grip.log`` (default ``~/.local/state/grip/grip.log``);
* ``GRIP_LOGMAP`` (a folder) overrides both — tests use it.

The handler is attached to the logger ``grip`` (so ``grip.addin``, ``grip.recalc``,
``grip.berichten`` ... all write there) on first use, once. Every record passes
``scrub_bsn``: a run of nine or more digits (what could be a BSN) never reaches the file.
If the folder cannot be created (read-only profile), logging falls back to stderr and
the cell message still appears; the log file is a help, never a new failure.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
from pathlib import Path

ENV_FOLDER = "GRIP_LOGMAP"
FILE_NAME = "grip.log"
MAX_BYTES = 1_000_000
BACKUPS = 5

_DIGITS = re.compile(r"\d{9,}")
_lock = threading.Lock()
_handler: logging.Handler | None = None


def log_folder() -> Path:
    """The folder of the log file for this user (not created here)."""
    override = os.environ.get(ENV_FOLDER)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Grip" / "logs"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "grip"


def log_path() -> Path:
    """Full path of the current log file."""
    return log_folder() / FILE_NAME


def scrub_bsn(text: str) -> str:
    """Replace every run of nine or more digits by ``…``.

    >>> scrub_bsn("bsn 999990019 in regel 12")
    'bsn … in regel 12'
    """
    return _DIGITS.sub("…", text)


class _ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub_bsn(super().format(record))


def ensure_log_file() -> Path | None:
    """Attach the rotating file handler to logger ``grip`` once; returns the file, or
    ``None`` when the folder cannot be written (then nothing is attached)."""
    global _handler
    with _lock:
        path = log_path()
        if _handler is not None and getattr(_handler, "baseFilename", None) == str(path.absolute()):
            return path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False)
        except OSError:
            return None
        handler.setLevel(logging.WARNING)
        handler.setFormatter(_ScrubbingFormatter(
            "%(asctime)s %(levelname)s %(name)s [pid %(process)d]: %(message)s"))
        logger = logging.getLogger("grip")
        if _handler is not None:
            logger.removeHandler(_handler)
            _handler.close()
        logger.addHandler(handler)
        _handler = handler
        return path


def where_text() -> str:
    """Dutch: where the details are, for a message to the user."""
    path = ensure_log_file()
    return f"de details staan in {path}" if path is not None else \
        "de details staan in de foutuitvoer (het logbestand kon niet worden aangemaakt)"


def record_exception(logger_name: str, message: str, exc: BaseException) -> Path | None:
    """Write ``message`` and the traceback of ``exc`` to the log file only (not to the
    console: the command line shows one Dutch line); returns the file or ``None``."""
    path = ensure_log_file()
    if path is None or _handler is None:
        return None
    record = logging.LogRecord(logger_name, logging.ERROR, __file__, 0, message, None,
                               (type(exc), exc, exc.__traceback__))
    _handler.handle(record)
    _handler.flush()
    return path
