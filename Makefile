# stancemeter: every target that runs Python depends on `install`, so each one
# works as the first command on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Defaults live in config/__init__.py; these pass a command-line override on as the
# variable the code reads (make train MODELS=/tmp/m, make serve MODELS=/tmp/m ...).
CORPUS ?= data/statements.jsonl
MODELS ?= models
IN ?= /dev/stdin
OUT ?= /dev/stdout
export STANCEMETER_CORPUS ?= $(CORPUS)
export STANCEMETER_MODELS_DIR ?= $(MODELS)

.PHONY: help install system-deps train predict analyze track evaluate serve bench loadtest test lint format clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv and install the pinned requirements

# The package and its dependencies from pyproject.toml, every version pinned by
# requirements.txt (as constraints: a dependency missing from the pins fails the check).
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
		{ echo "error: stancemeter needs Python 3.11 or newer as '$(PYTHON)' (make PYTHON=python3.11 ...)"; exit 2; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
		{ echo "error: '$(PYTHON)' has no venv/ensurepip module; on Debian: apt-get install python3-venv"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt -e '.[dev]'
	$(VENV)/bin/pip check
	touch $@

system-deps: ## Install Debian's chromium (browser test), wrk (benchmark) and postgresql (store tests) if missing
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	fi

train: install ## Train from data/statements.jsonl into models/ and point models/current at it
	$(PY) -m training.train

$(MODELS)/current:
	$(MAKE) train

predict: install $(MODELS)/current ## Label statements: make predict IN=file.jsonl OUT=labelled.jsonl
	$(PY) -m classifier.predict --input $(IN) --output $(OUT)

analyze: install $(MODELS)/current ## Read articles: make analyze IN=article.txt|folder|articles.jsonl OUT=out.jsonl [SUMMARY=1]
	$(PY) -m classifier.analyze $(if $(filter-out /dev/stdin,$(IN)),--input $(IN)) --output $(OUT) $(if $(SUMMARY),--summary)

# IN is the archive (a folder of .jsonl/.parquet articles); OUT defaults to
# STANCEMETER_TRACKER_DIR (reports/tracker), which the service serves at /tracker.
track: install $(MODELS)/current ## Support tracker: make track IN=archive [OUT=dir] [SINCE=2024-01-01] [SCHEDULER=tcp://host:8786] [WORKERS=2]
	@if [ "$(IN)" = /dev/stdin ]; then echo "error: name the archive: make track IN=<folder of .jsonl/.parquet articles>"; exit 2; fi
	$(PY) -m tracker --archive $(IN) $(if $(filter-out /dev/stdout,$(OUT)),--out $(OUT)) \
		$(if $(SINCE),--since $(SINCE)) $(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(if $(WORKERS),--workers $(WORKERS))

evaluate: install $(MODELS)/current ## Write reports/: make evaluate [DATA=file.jsonl] [MODEL=models/v] [GATE=1]
	$(PY) -m training.evaluate $(if $(DATA),--data $(DATA)) $(if $(MODEL),--model $(MODEL)) $(if $(GATE),--gate)

serve: install $(MODELS)/current ## Serve the API on 127.0.0.1:8000 with gunicorn
	$(VENV)/bin/gunicorn --config service/gunicorn_conf.py 'service:create_app()'

bench: install system-deps $(MODELS)/current ## Speed, memory and scaling: make bench [QUICK=1] [CHECK=1] [PEER=mlflow] [BASELINE=rev]
	$(PY) -m bench.run $(if $(QUICK),--quick) $(if $(CHECK),--check) $(if $(PEER),--peer $(PEER)) $(if $(BASELINE),--baseline $(BASELINE))

loadtest: install $(MODELS)/current ## 60 s of mixed load at 16 connections against gunicorn
	$(PY) -m bench.loadtest --seconds 60 --connections 16

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format and fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install system-deps ## Lint, then the whole test suite (NLTK with an empty data path); both always run
	@status=0; \
	$(MAKE) --no-print-directory lint || status=$$?; \
	$(PY) -m pytest || status=$$?; \
	exit $$status

clean: ## Remove caches (keeps .venv and models)
	rm -rf .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
