# Every target bootstraps .venv from nothing; nothing installed by hand is assumed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test bench lint clean mirror

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m crawler.dev.demo

test: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)  # rasad serve browser test
	command -v redis-server >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server)  # worker-mode tests (each starts its own)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	command -v redis-server >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server)  # section workers
	$(BIN)/python -m crawler.dev.bench

lint: $(STAMP)
	$(BIN)/ruff check crawler spiders storage tests
	$(BIN)/vulture  # dead code; settings in pyproject.toml [tool.vulture]

mirror: $(STAMP)
	$(BIN)/rasad mirror

clean:
	rm -rf $(VENV) demo-data .pytest_cache
