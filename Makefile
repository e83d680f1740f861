# TinyForge: `make run` starts the studio on its embedded default, `make test` runs the tests.
# The first Python 3.11+ that actually runs (pyenv shims may exist for versions that are not selected).
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV   := .venv
BIN    := $(VENV)/bin
UI_SRC := $(shell find frontend -path frontend/node_modules -prune -o -path frontend/dist -prune -o -type f -print 2>/dev/null)

.PHONY: run test lint install install-test ui clean help

help:
	@echo "make run   - start the studio on http://127.0.0.1:8000 (SQLite + a local worker, no servers needed)"
	@echo "make test  - install what the tests need, run the linters, then the tests"
	@echo "make lint  - ruff (lint + format check) for Python, ESLint + Prettier for the UI"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "TinyForge needs Python 3.11+ (python3.11, python3.12 or python3)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "TinyForge needs Python 3.11+")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[ml]'
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[ml,test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The UI is built when there is one (frontend/package.json) and its sources changed.
frontend/dist/index.html: $(UI_SRC)
	@if [ -f frontend/package.json ]; then \
		cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build; \
	fi

ui: frontend/dist/index.html

run: install ui
	$(BIN)/tinyforge serve

# Linters and formatters in check mode; `ruff format .` and `npm run format` fix formatting.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -f frontend/package.json ]; then \
		cd frontend && { [ -x node_modules/.bin/eslint ] || npm ci --no-audit --no-fund --loglevel=error; } && \
		npm run --silent lint && npm run --silent format:check; \
	fi

test: lint install-test ui
	@if [ -f frontend/package.json ]; then cd frontend && npm test; fi
	$(BIN)/pytest

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist
