# Every target installs what it needs into .venv/ first; only python3 is assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: install browser demo test lint eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --all-extras --quiet
	@touch $(STAMP)

demo: install
	$(BIN)/monitor demo

# The report test renders in a real headless Chromium: Debian's package, since
# Playwright's own browser download cannot reach its host from here.
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Lint runs first: ruff and mypy strict are part of what CI holds us to.
test: lint browser
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src flows tests
	$(BIN)/ruff format --check src flows tests
	$(BIN)/mypy

eval: install
	$(BIN)/python -m monitor.figures.evaluate

# Pipeline against trafilatura alone (writes bench/results.json), then the figure extractor's own.
bench: install
	$(BIN)/python -m monitor.bench
	$(BIN)/python -m monitor.figures.bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache warehouse/demo
