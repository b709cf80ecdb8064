# Two commands: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint install migrate-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The Nu Html Checker for the browser tests (tests/e2e/audit.py), from the npm registry; it runs
# on the machine's Java, so `make test` fetches it only where java and npm are both present.
VNU_JAR := .tools/node_modules/vnu-jar/build/dist/vnu.jar
HTML_CHECKER := $(if $(and $(shell command -v java),$(shell command -v npm)),$(VNU_JAR))

$(VNU_JAR):
	npm install --prefix .tools --no-save --ignore-scripts --no-audit --no-fund vnu-jar@26.9.27

run: $(STAMP)
	WORKSHOP_ENV=development $(BIN)/flask --app wsgi db upgrade
	WORKSHOP_ENV=development $(BIN)/flask --app wsgi seed-demo
	WORKSHOP_ENV=development $(BIN)/flask --app wsgi run --debug --host $(HOST) --port $(PORT)

test: $(STAMP) $(HTML_CHECKER)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet . || (echo "ruff format would change files: run '$(BIN)/ruff format .'" && exit 1)
	$(BIN)/bandit -r workshop -q  # each exception is justified in place with "# nosec BXXX"
	$(BIN)/pytest $(PYTEST_ARGS)

# Only the browser tests: journeys in Chromium, axe and the HTML check (`make test` runs them too).
# Screenshots of every page visited go to e2e-screenshots/ (E2E_SCREENSHOTS_DIR moves them).
.PHONY: e2e
e2e: $(STAMP) $(HTML_CHECKER)
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

# Timings and memory of the PDF reports (not part of the tests): one couple cold and warm,
# then batches of 1, 12 and 50 couples. Uses a throwaway SQLite database in a temp folder.
.PHONY: bench-reports
bench-reports: $(STAMP)
	$(BIN)/python benchmarks/bench_reports.py

# EXPLAIN ANALYZE of every main page's SQL on PostgreSQL with `seed-scale` data, each statement
# prepared as the app runs it (not part of the tests); fails when a plan reads a large table
# sequentially or PostgreSQL plans a statement afresh on every run. It EMPTIES the database named by
# BENCH_DATABASE_URL (BENCH_REUSE=1 keeps the scale data of its previous run).
.PHONY: bench-explain
bench-explain: $(STAMP)
	$(BIN)/python benchmarks/explain_main_pages.py

# The web benchmark (not part of the tests): gunicorn as in production (workers, --preload,
# workshop/gunicorn_config.py) on PostgreSQL with `seed-scale` data and Redis rate limits;
# wrk loads each main page and the no-database floor /healthz/live. The database is created,
# migrated and seeded on the first run (a few minutes), then reused.
.PHONY: bench-web
bench-web: $(STAMP)
	DATABASE_URL="$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/workshop_bench}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	$(BIN)/python benchmarks/bench_web.py

# The wapiti web scanner against a local server with the demo data, as the demo counselor and
# a demo partner (tests/scan/wapiti_scan.py); fails on any finding above informational.
# Wapiti gets its own venv, so its dependencies never touch the app's.
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed

$(SCAN_STAMP):
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/pip install --quiet wapiti3==3.2.3
	touch $(SCAN_STAMP)

.PHONY: scan
scan: $(STAMP) $(SCAN_STAMP)
	$(BIN)/python tests/scan/wapiti_scan.py

# The concurrency test alone (it is also part of `make test`): 20 clients at once against
# gunicorn with 4 workers, on SQLite in WAL mode, or on PostgreSQL with TEST_DATABASE_URL set.
.PHONY: load-test
load-test: $(STAMP)
	$(BIN)/pytest -m load $(PYTEST_ARGS)
