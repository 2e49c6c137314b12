"""grip begroting: the demo raming in Dutch, and the job's inputs."""

import pytest

from calc.errors import InputError
from grip.cli import main
from grip.jobs.begroting import run_begroting


def test_command_prints_the_raming(capsys):
    """The command prints the years, the saldo band and the chance of a closing budget."""
    assert main(["begroting"]) == 0
    out = capsys.readouterr().out
    assert "Meerjarenraming 2026-2029" in out and "Kans sluitend" in out and "P90 saldo" in out


def test_bad_start_table_is_a_dutch_error():
    """A missing taakveld in the starting amounts names the row."""
    import pandas as pd

    with pytest.raises(InputError, match="het taakveld ontbreekt") as err:
        run_begroting(pd.DataFrame({"taakveld": ["6.3", ""], "amount_euro": [1.0, 2.0]}))
    assert err.value.row == 1
