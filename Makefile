# mrtext: two set-up commands, `make demo` and `make test`; each installs what is missing first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.mrtext-installed
SYSTEM_STAMP := $(VENV)/.system-checked
export PYTHONDONTWRITEBYTECODE := 1
export HF_HUB_OFFLINE := 1

.PHONY: demo test bench model lint typecheck notebook deps clean

deps: $(SYSTEM_STAMP) $(STAMP)

$(SYSTEM_STAMP): scripts/ensure-system.sh
	@bash scripts/ensure-system.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml | $(SYSTEM_STAMP)
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test,notebooks]'
	@touch $@

demo: deps
	@$(VENV)/bin/mrtext run corpora/stockholm-mr/source -o out
	@$(PY) -m mrtext.plot out/graph.json out/graph.png

test: deps lint typecheck
	@$(PY) -m pytest -q

lint: deps
	@$(VENV)/bin/ruff check mrtext tests bench

typecheck: deps
	@$(VENV)/bin/mypy mrtext

bench: deps
	@$(PY) bench/run.py

model: deps
	@$(PY) scripts/build_pipeline.py

notebook: deps
	@$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf out build *.egg-info .pytest_cache .mypy_cache .ruff_cache
