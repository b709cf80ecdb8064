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

run: $(STAMP)
	WORKSHOP_ENV=development $(BIN)/flask --app wsgi db upgrade
	WORKSHOP_ENV=development $(BIN)/flask --app wsgi seed-demo
	WORKSHOP_ENV=development $(BIN)/flask --app wsgi run --debug --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet . || (echo "ruff format would change files: run '$(BIN)/ruff format .'" && exit 1)
	$(BIN)/pytest $(PYTEST_ARGS)

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
