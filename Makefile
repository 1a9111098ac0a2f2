# edition: `make` builds the whole edition, `make test` runs the whole suite.
# Both set up a virtual environment first when it is missing or stale.

SHELL := /bin/bash
.DEFAULT_GOAL := all

VENV    := .venv
BIN     := $(VENV)/bin
EDITION := $(BIN)/edition
CACHE   := .cache
SHARED  := ../shared
SCHEMAS := $(CACHE)/schemas/.complete

# The newest CPython 3.12+ that actually runs: PATH first, then pyenv's versions
# (pyenv shims exist for every installed version but only run the selected one).
PYTHON ?= $(shell \
  for p in python3.14 python3.13 python3.12; do \
    if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; exit 0; fi; \
  done; \
  ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V | tail -n 1)

.PHONY: all setup convert check validate site test test-deps bench schemas schema-rng lock clean distclean

# The whole pipeline (convert, check, validate, build) in one process: `edition make`.
# The targets below run one step each.
all: setup $(SCHEMAS)
	$(EDITION) make

setup: $(VENV)/.installed

# Debian's Python creates no virtual environment without its pythonX.Y-venv package (which
# holds ensurepip), and a fresh machine has Python and pip but not that: install it if missing.
$(VENV)/.installed: pyproject.toml requirements.lock
	@if [ -z "$(PYTHON)" ]; then echo "make: no Python 3.12 or newer found (looked for python3.14, python3.13, python3.12 and pyenv versions); install one or run 'make PYTHON=/path/to/python3.12'" >&2; exit 1; fi
	@echo "make: using $(PYTHON) ($$($(PYTHON) --version 2>&1))"
	@if ! $(PYTHON) -c 'import ensurepip' >/dev/null 2>&1; then \
	  pkg="python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"; \
	  if ! command -v apt-get >/dev/null 2>&1; then echo "make: $(PYTHON) has no ensurepip, so it cannot create $(VENV); install its venv module ($$pkg on Debian)" >&2; exit 1; fi; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	  echo "make: installing $$pkg (ensurepip, which $(PYTHON) needs to create $(VENV))"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$pkg; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

# The folders are edition.toml's (paths.sources, paths.tei), as `edition make` takes them.
convert: setup
	$(EDITION) convert

# Fidelity: every word of every source is in its TEI, in order, in the right place.
check: convert
	$(EDITION) check

# --strict-tei-all: every file also goes through tei_all's RELAX NG, even when the edition's
# schema (a subset of tei_all) already accepted it; the build never skips the official check.
validate: convert schemas
	$(EDITION) validate --strict-tei-all

# The build checks each citation against the CSL-JSON schema, one of the reference schemas.
site: convert $(SCHEMAS)
	$(EDITION) build

test: setup test-deps schemas
	$(BIN)/python -m pytest

# The benchmark (not a test): N synthetic documents through the real commands;
# prints a table and writes build/bench.json. `make bench N=1000` for a quick run.
N ?= 10000
bench: setup schemas
	$(EDITION) bench --documents $(N) --json build/bench.json
	$(BIN)/python bench/harvest.py --records $(N)
	$(BIN)/python bench/load_server.py --clients 50 --seconds 60 --json build/load_server.json

# The browser tests drive Debian's Chromium (never a browser Playwright downloads)
# and the Nu HTML Checker needs a Java runtime: install whichever is missing.
test-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	  echo "make: installing$$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

# Reference schemas (tei_all, OAI-PMH, CSL) into $(CACHE)/schemas: copied from
# $(SHARED)/schemas-ref when it is there, otherwise downloaded from their publishers.
# EDITION_TEI_ALL=/path/tei_all.rng points validation at a local copy instead.
# `make schemas` always checks the cache; a build only needs it filled once (the stamp).
schemas: setup
	$(BIN)/python -m edition.refschemas --dest $(CACHE)/schemas --shared $(SHARED)/schemas-ref
	@touch $(SCHEMAS)

$(SCHEMAS): $(VENV)/.installed
	$(BIN)/python -m edition.refschemas --dest $(CACHE)/schemas --shared $(SHARED)/schemas-ref
	@touch $@

# Derive schema/edition.rng from schema/edition.odd (commit the result; a test checks it).
schema-rng: setup
	$(BIN)/python -m edition.odd

# Regenerate the exact pins from pyproject.toml (run after changing dependencies).
lock:
	rm -rf $(CACHE)/lockenv
	$(PYTHON) -m venv $(CACHE)/lockenv
	$(CACHE)/lockenv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(CACHE)/lockenv/bin/python -m pip freeze --exclude-editable --exclude edition | sort > requirements.lock
	rm -rf $(CACHE)/lockenv

# Everything in build/ is made from tei/ again, except the harvesting catalog: its datestamps
# and deleted records are the edition's history, which Identify promises harvesters
# (deletedRecord persistent) and no build can make again. A new catalog would forget every
# deletion and give every record a new datestamp, so clean keeps it (with its write-ahead log).
# Where both are is configuration (paths.build, paths.catalog): edition.clean reads it. Without
# the environment (nothing was built with it) the default places are all there is to keep.
clean:
	if [ -x $(BIN)/python ]; then $(BIN)/python -m edition.clean; \
	elif [ -d build ]; then find build -mindepth 1 -maxdepth 1 ! -name catalog.sqlite ! -name catalog.sqlite-wal \
	  ! -name catalog.sqlite-shm -exec rm -rf {} +; fi

distclean: clean
	rm -rf $(VENV) $(CACHE)
