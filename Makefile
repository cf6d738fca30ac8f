# The two commands of the README:  `make demo`  and  `make test`.
# Everything else here is what those two need on a fresh Debian machine with Python 3.11.

PYTHON     ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS      := .tools
UV         := $(TOOLS)/bin/uv
VENV       := .venv
BIN        := $(VENV)/bin
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: venv browser demo test lint bench dagster

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The locked environment (uv.lock); --frozen fails rather than re-resolving.
venv: $(UV)
	$(UV) sync --frozen --quiet

# Debian's Chromium and its driver for the browser tests; no test tool downloads a browser.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing Debian chromium and chromium-driver"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

# Main job: sample returns -> validated load into data/warehouse.duckdb -> summary.
demo: venv
	$(BIN)/observatory sample
	$(BIN)/observatory ingest

# Every test: lint, then the whole suite.
test: venv browser
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: venv
	$(BIN)/python -m bench
