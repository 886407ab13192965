# PAKN – the README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: demo test test-slow install lint bench clean screenshots

$(VENV)/.installed-runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-runtime
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# axe-core (npm) for the accessibility checks of the browser tests; nothing from npm is served to users.
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; else echo "npm not found: the browser tests will warn that pages are not checked by axe-core"; mkdir -p node_modules; fi
	touch $@

install: $(VENV)/.installed-runtime

## make demo: a working instance with demo data on SQLite, no configuration (PORT=8000 by default)
demo: $(VENV)/.installed-runtime
	$(BIN)/pakn migrate --noinput
	$(BIN)/pakn loadunits
	$(BIN)/pakn demo
	$(BIN)/pakn serve --port $(PORT) --worker 15

## make test: the whole suite on SQLite, then again on PostgreSQL when one is reachable
test: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python scripts/run_tests.py

## make test-slow: the slow drills left out of `make test` (subprocess servers, backup/restore on SQLite and
## PostgreSQL, the production deployment behind nginx); CI runs them after `make test`
test-slow: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/python scripts/run_tests.py --sqlite-only -m "slow or deploy" -q

## make screenshots: the README's pictures, taken by the browser tests (docs/screenshots/)
screenshots: $(VENV)/.installed-test node_modules/.installed
	PAKN_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/journeys/test_screenshots.py -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
