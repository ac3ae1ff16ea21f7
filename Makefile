# secsim: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SCENARIO ?= scenarios/gb-baseline.yaml
RESULTS ?= results/$(basename $(notdir $(SCENARIO)))

.PHONY: run test lint bench clean

## the package and what it runs with (all `make run` needs); the tests' tools on top of it for test, lint and bench
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "secsim needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

## run: install, run gb-baseline under its regimes on local processes into results/<name>/, then write its report
run: $(VENV)/.installed
	$(VENV)/bin/secsim run $(SCENARIO) --out $(RESULTS) --executor process
	$(VENV)/bin/secsim report $(RESULTS)

## test: install, then the whole test suite on every core (a test file per worker: its fixtures built once), with coverage of sim/ (the floor: what the suite reaches)
test: $(VENV)/.installed-test
	$(PY) -m pytest -q -n auto --dist loadfile --cov=sim --cov-report=term:skip-covered --cov-fail-under=95

## lint: ruff (lint and format) over the code, mypy over sim/
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check sim tests benchmarks
	$(VENV)/bin/ruff format --check sim tests benchmarks
	$(VENV)/bin/mypy

## bench: speed benchmarks (ratios measured in one run; not part of the tests); BASELINE: the commit bench_targets compares with
BASELINE ?= db664f1
bench: $(VENV)/.installed-test
	$(PY) benchmarks/bench_targets.py --baseline $(BASELINE)
	$(PY) benchmarks/bench_experiments.py
	$(PY) benchmarks/bench_generation.py
	$(PY) benchmarks/profile_replication.py

clean:
	rm -rf $(VENV) results/*/ .pytest_cache
