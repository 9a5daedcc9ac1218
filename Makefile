# The two commands of the README: `make serve` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test lint system-packages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The web page's third-party JavaScript, from the npm registry (see package.json).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

serve: $(VENV)/.installed node_modules/.package-lock.json
	$(BIN)/stancegraph serve

# Debian packages the tests drive: Chromium for the browser test, a JRE for the HermiT reasoner.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium default-jre-headless >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: $(VENV)/.installed-test node_modules/.package-lock.json system-packages lint
	$(BIN)/pytest
