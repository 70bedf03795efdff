# vndigital: provincial digital transformation in Vietnam, from sourced data to reports.
# `make` lists the targets. Everything installs itself on first use (Debian, Python 3.11).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
SETUP_STAMP := $(VENV)/.setup-complete
KERNEL := vndigital

# Determinism: kernels inherit these from the pipeline (hash order, dates in files).
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 1700000000
export MPLBACKEND := Agg

OBSERVATIONS := data/processed/observations.csv
DATA_INPUTS := $(wildcard data/sources/*.csv data/curated/*.csv data/reference/*.csv)
PACKAGE_FILES := $(shell find src/vndigital -type f \( -name '*.py' -o -name '*.j2' -o -name '*.css' -o -name '*.json' \) 2>/dev/null)
NOTEBOOKS := $(wildcard notebooks/*.py)

## Show this help
.PHONY: help
help:
	@awk '/^## /{desc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(desc){split($$1,t,":"); printf "  make %-10s %s\n", t[1], desc}; desc=""}' $(MAKEFILE_LIST)

## Install everything: Debian packages (fonts, poppler), the locked Python environment, the kernel
.PHONY: setup
setup: $(SETUP_STAMP)

$(SETUP_STAMP): requirements.txt scripts/system-deps.sh
	bash scripts/system-deps.sh
	test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@# Bootstrap uv from the lock itself (hash-checked), then let it sync the whole lock.
	awk '/^uv==/{p=1} p{print} p && !/\\$$/{exit}' requirements.txt > $(VENV)/uv-requirement.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r $(VENV)/uv-requirement.txt
	$(UV) pip sync --quiet --python $(PY) --compile-bytecode --require-hashes requirements.txt
	@# Make src/ importable in the environment (kernel, notebooks, tests) without a build backend.
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "vndigital-src.pth").write_text("$(CURDIR)/src\n")'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (vndigital)" >/dev/null
	@# JupyterLab opens the text notebooks (notebooks/*.py) as notebooks by default.
	mkdir -p $(VENV)/share/jupyter/lab/settings
	echo '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}' > $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

## Re-resolve the lock from requirements.in (needs the package index)
.PHONY: lock
lock: $(SETUP_STAMP)
	$(UV) pip compile --quiet requirements.in -o requirements.txt --python-version 3.11 --generate-hashes

## Validate the curated data and the sources (schema, meaning, provenance); nothing else runs on failure
.PHONY: validate
validate: $(SETUP_STAMP)
	$(PY) -m vndigital validate
	@mkdir -p build && touch build/validated.stamp

build/validated.stamp: $(SETUP_STAMP) $(DATA_INPUTS) $(PACKAGE_FILES)
	$(PY) -m vndigital validate
	@mkdir -p build && touch $@

## Build data/processed/observations.csv from the curated and reference tables
.PHONY: data
data: $(OBSERVATIONS)

$(OBSERVATIONS): build/validated.stamp
	$(PY) -m vndigital data

## Print candidate facts of an article as CSV: make extract SOURCE=path/to/article.txt
.PHONY: extract
extract: $(SETUP_STAMP)
	@test -n "$(SOURCE)" || { echo "usage: make extract SOURCE=path/to/article.txt" >&2; exit 2; }
	$(PY) -m vndigital extract "$(SOURCE)"

## Start JupyterLab with the project kernel; notebooks/*.py open as notebooks
.PHONY: lab
lab: $(SETUP_STAMP) $(OBSERVATIONS)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

## Regenerate data/ATTRIBUTION.md from the source manifest and citations
.PHONY: attribution
attribution: $(SETUP_STAMP)
	$(PY) -m vndigital attribution

## Run the lint and the whole test suite (installs first)
.PHONY: test
test: $(SETUP_STAMP) $(OBSERVATIONS) lint
	$(PY) -m pytest

## Lint and format-check modules, tests and notebooks (ruff); no trailing whitespace or large files
.PHONY: lint
lint: $(SETUP_STAMP)
	$(VENV)/bin/ruff check src tests notebooks
	$(VENV)/bin/ruff format --check src tests notebooks
	git ls-files -z | xargs -0 bash scripts/check-file-hygiene.sh

## Validate, then build every stale report (HTML, PDF, CSV/XLSX tables, index) and publish atomically
.PHONY: reports
reports: reports/manifest.json

# The pipeline compares content hashes, so a rebuild triggered by a newer file that did not really
# change finishes at once; the touch records that for the next no-op call.
.PRECIOUS: reports/manifest.json
reports/manifest.json: $(SETUP_STAMP) $(OBSERVATIONS) $(NOTEBOOKS) $(PACKAGE_FILES) requirements.txt
	$(PY) -m vndigital reports
	@touch $@

## Measure full, naive, no-op and synthetic-scale report builds (writes build/bench/)
.PHONY: bench
bench: $(SETUP_STAMP) $(OBSERVATIONS)
	$(PY) -m vndigital.bench

## Remove generated files (keeps the environment and the published reports)
.PHONY: clean
clean:
	rm -rf build data/processed .pytest_cache .ruff_cache
