# Two entry points for a fresh machine (see README.md):
#   make demo     install, then run the workflow on the embedded default data
#   make test     install, then run the test suite (make test-fast: the unit tier alone)
PYTHON ?= python3
VENV   ?= .venv
CORES  ?= 2
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.installed-test-stamp

.PHONY: install install-test demo test test-fast test-quick lint clean-results

# What the workflow needs; the demo installs nothing more.
install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	$(BIN)/pip install --quiet --no-deps tinysoundfont==0.3.7
	touch $(STAMP)

# The test tools on top (pytest, playwright, snakefmt, black: pyproject's `test` extra).
install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

DEMO_TARGET ?= results/report.html
# Another config on top of config/config.yaml, e.g. CONFIG=config/noise_wheels_only.yaml
CONFIG ?=

demo: install
	$(BIN)/snakemake --cores $(CORES) $(DEMO_TARGET) $(if $(CONFIG),--configfile $(CONFIG))

test: install-test
	$(BIN)/pytest

# Unit tests only: one file per package module, no Snakemake run (about 2 minutes on 2 cores).
test-fast: install-test
	$(BIN)/pytest tests/unit

# Everything but the single-node SLURM run (about 8 minutes less); CI runs `make test`.
test-quick: install-test
	$(BIN)/pytest -m "not slurm"

lint: install-test
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check Snakefile rules

clean-results:
	rm -rf results logs benchmarks .snakemake/incomplete
