# Two commands on a fresh machine: `make demo` and `make test` (each sets up .venv/ first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORKSPACE ?= .contexta

.PHONY: demo test lint bench bench-bot bench-alerts bench-import eval-questions intent-index setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found %s); set PYTHON=python3.11" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/contexta --workspace $(WORKSPACE) demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check contexta_core contexta_cli bot contexta bench

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/import_mlflow.py

bench-import: $(STAMP)
	$(BIN)/python bench/import_mlflow.py

eval-questions: $(STAMP)
	$(BIN)/python bench/eval_questions.py

intent-index: $(STAMP)
	$(BIN)/python bench/build_intent_index.py

bench-bot: $(STAMP)  # a real contexta-bot: quick answers while three 100,000-run full reports build
	$(BIN)/python bench/bot_load.py

bench-alerts: $(STAMP)  # a real contexta-bot: change committed → alert at the Slack stand-in, both databases
	$(BIN)/python bench/alerts_latency.py

clean:
	rm -rf $(VENV) $(WORKSPACE) .pytest_cache .ruff_cache
