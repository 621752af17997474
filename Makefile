# Every target installs what it needs into .venv/ first; only python3 is assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: install demo test lint eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv sync --frozen --quiet
	@touch $(STAMP)

demo: install
	$(BIN)/monitor demo

# Lint runs first: ruff and mypy strict are part of what CI holds us to.
test: lint
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src flows tests
	$(BIN)/ruff format --check src flows tests
	$(BIN)/mypy

eval: install
	$(BIN)/python -m monitor.figures.evaluate

bench: install
	$(BIN)/python -m monitor.figures.bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache warehouse/demo
