"""Suite-wide settings: Grip's log file goes to a temporary folder, never the user's own."""

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _log_folder(tmp_path_factory):
    """Point ``GRIP_LOGMAP`` at a session folder for every test."""
    os.environ["GRIP_LOGMAP"] = str(tmp_path_factory.mktemp("griplog"))
    yield
