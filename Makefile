# The two commands in the README: `make run` and `make test`. Everything else is their plumbing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test setup lint bench clean

## Set everything up, then serve the portal on http://127.0.0.1:5000 beside a background worker.
run: setup
	$(FLASK) db upgrade
	@echo "Serving on http://$(HOST):$(PORT)/ (mail is written to instance/mail/ unless MAIL_SERVER is set)"
	@$(FLASK) worker & worker=$$!; \
	 trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	 $(FLASK) run --host $(HOST) --port $(PORT)

## Set everything up, then run the whole test suite (SQLite unless TEST_DATABASE_URL says otherwise).
test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Virtual environment, Python and npm packages, front-end vendor files, compiled translations.
setup: $(VENV)/.installed node_modules/.installed
	@mkdir -p static/vendor
	@cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	@for dir in $$(find portal -type d -name translations); do \
	   $(BIN)/pybabel compile -d $$dir 2>/dev/null || exit 1; done

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Benchmarks (on demand, never part of `make test`): see bench/README.md.
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor
