"""A tiny run of benchmarks/bench_chainladder.py, so the benchmark keeps working."""

import importlib.util
import runpy
import sys
from pathlib import Path

import pytest

# find_spec, not importorskip: the import itself (seconds) happens in the test, on one worker
pytestmark = pytest.mark.skipif(importlib.util.find_spec("chainladder") is None,
                                reason="chainladder-python (dev extra) is not installed")
SCRIPT = Path(__file__).parents[3] / "benchmarks" / "bench_chainladder.py"


def test_benchmark_runs_on_three_providers_and_agrees(monkeypatch, capsys):
    """On 3 providers the script prints the comparison and the numbers agree to 1e-6."""
    monkeypatch.setattr(sys, "argv", [str(SCRIPT), "3"])
    monkeypatch.syspath_prepend(str(SCRIPT.parent))  # as `python benchmarks/...` puts it first
    runpy.run_path(str(SCRIPT), run_name="__main__")
    out = capsys.readouterr().out
    assert "3 aanbieders" in out and "verhouding" in out
    diffs = [float(line.split()[-1]) for line in out.splitlines()
             if line.strip().startswith(("ontwikkelfactoren", "Mack", "totale"))]
    assert len(diffs) == 3 and max(diffs) < 1e-6
