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

# Two test processes (pytest-xdist; alone, the suite keeps about one core busy): tests/conftest.py
# orders the tests, and the scheduler hands them out one at a time, at most two waiting per
# process. That is `--dist loadgroup` without groups (each test its own unit, in the collected
# order); `--dist load` would deal a quarter of the tests out in turn at the start, queueing
# some behind the SLURM run. The system packages the tests need (chromium, SLURM) are installed
# first, once, so that no apt-get install runs beside a pipeline's apt-get download.
PYTEST_PROCESSES ?= 2
XDIST := -n $(PYTEST_PROCESSES) --dist loadgroup --no-loadscope-reorder

test: install-test
	$(BIN)/python tests/system_packages.py chromium slurm
	$(BIN)/pytest $(XDIST)

# Unit tests only: one file per package module, no Snakemake run (about 100 s on 2 cores).
test-fast: install-test
	$(BIN)/python tests/system_packages.py chromium
	$(BIN)/pytest $(XDIST) tests/unit

# Everything but the single-node SLURM run (575 s of a one-process run); CI runs `make test`.
test-quick: install-test
	$(BIN)/python tests/system_packages.py chromium
	$(BIN)/pytest $(XDIST) -m "not slurm"

lint: install-test
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check Snakefile rules

clean-results:
	rm -rf results logs benchmarks .snakemake/incomplete
