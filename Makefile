# Quick start: `make run` serves the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 0.0.0.0
PORT ?= 8080

.PHONY: run tls test test-postgres lint bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python app.py --host $(HOST) --port $(PORT)

# HTTPS on the LAN with Caddy's local CA in front of the app (see README, TLS).
tls: $(VENV)/.installed-run
	$(BIN)/python scripts/serve_tls.py

browser:
	@$(BIN)/python scripts/ensure_test_tools.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Each test's data dir goes in memory (/dev/shm) where there is one: every test's database
# fsyncs every commit, and on this VM's disk those fsyncs were a sixth of the suite's time.
TEST_TMPDIR ?= $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm || echo "$${TMPDIR:-/tmp}")

test: $(VENV)/.installed-test browser lint
	TMPDIR=$(TEST_TMPDIR) $(BIN)/python -m pytest -q -n 2

# The same suite against a real PostgreSQL (Debian's package, started locally); CI runs both.
test-postgres: $(VENV)/.installed-test browser
	RESERVRUTIN_TEST_POSTGRES="$$(scripts/postgres_for_tests.sh)" TMPDIR=$(TEST_TMPDIR) $(BIN)/python -m pytest -q -n 2 -m "not sqlite_only"

bench: $(VENV)/.installed-test
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
