# jukinet: `make demo` runs a small country, `make test` runs the whole suite.
# Both set up the virtual environment on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test gate bench screenshots setup clean

$(STAMP): pyproject.toml constraints.txt
	scripts/system-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/jukinet demo

test: $(STAMP)
	$(BIN)/pytest

gate: $(STAMP)
	scripts/gate

bench: $(STAMP)
	$(BIN)/python bench/propagation.py

# The docs' images: the browser tests, saving each main screen into docs/images/.
screenshots: $(STAMP)
	JUKINET_SCREENSHOTS=docs/images $(BIN)/pytest tests/browser -p no:randomly

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
