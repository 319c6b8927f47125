# The two commands a steward needs: `make demo` and `make test`.
# Each sets up .venv on first use (pip install -e '.[dev]').
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
OUT     ?= out

.PHONY: setup browser java demo test test-fast bench lint samples messages clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh $(OUT)

# headless Chromium + ChromeDriver (apt-get, as root) and axe-core (npm) for the report's
# browser tests; skips what is already there, fails with a clear message without apt/npm
browser: $(STAMP)
	bash scripts/browser.sh $(VENV)

# Java 17 for the Spark engine's tests (tests/engine): Debian's openjdk-17-jre-headless with
# apt-get when no java is found; skips when one is there, fails with a clear message without apt
java:
	bash scripts/java.sh

test: $(STAMP) browser java
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check anonymizer tests benchmarks
	$(BIN)/mypy anonymizer

# message catalogs (anonymizer/locale/{ja,en}): extract every _()/N_() message with Babel,
# merge it into both catalogs (new Japanese entries are empty: translate them), compile the .mo
messages: $(STAMP)
	$(BIN)/python scripts/messages.py

samples: $(STAMP)
	$(BIN)/python -m samples.generate

clean:
	rm -rf $(OUT) .pytest_cache
