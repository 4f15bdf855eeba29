# transcribe-ws developer commands.  Each target creates .venv when missing and
# installs the project (editable, compiled extensions required) into it first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export TRANSCRIBE_WS_REQUIRE_EXTENSIONS := 1

PACKAGES := $(foreach p,evstream audio sigv4 transcribe_ws,$(if $(wildcard $(p)/__init__.py),$(p)))
SOURCES := setup.py pyproject.toml $(wildcard */*.pyx */*.pxd */_*.c */_*.h)

.PHONY: demo test bench lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per set of extras installed (editable; rebuilt when the sources change).
$(VENV)/.installed-%: $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet -e '.[$(subst +,$(comma),$*)]'
	touch $@

comma := ,
.PRECIOUS: $(VENV)/.installed-%

install: $(VENV)/.installed-test

# The main job: transcribe the 48 kHz example with the local server (offline, no AWS
# account), live partial results on the terminal, then the final text.  Needs only the
# server extra (pocketsphinx), not the test tools.
demo: $(VENV)/.installed-server
	$(BIN)/transcribe-ws transcribe --local --realtime examples/weather-48k.wav

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PACKAGES)

test: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(VENV)/.installed-test+bench
	$(BIN)/python -m pytest bench -o python_files='bench_*.py' -q -p no:cacheprovider --benchmark-only --benchmark-columns=min,median,ops
	$(BIN)/python bench/compare.py

clean:
	rm -rf build $(VENV) */*.so */*_c.c *.egg-info
