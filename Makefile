# stancemeter: every target that runs Python depends on `install`, so each one
# works as the first command on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

CORPUS ?= data/statements.jsonl
MODELS ?= models
IN ?= /dev/stdin
OUT ?= /dev/stdout

.PHONY: help install system-deps train predict evaluate serve bench loadtest test lint format clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv and install the pinned requirements

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

system-deps: ## Install Debian's chromium (browser test) and wrk (benchmark) if missing
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	fi

train: install ## Train from data/statements.jsonl into models/ and point models/current at it
	$(PY) -m training.train --data $(CORPUS) --out $(MODELS)

$(MODELS)/current:
	$(MAKE) train

predict: install $(MODELS)/current ## Label statements: make predict IN=file.jsonl OUT=labelled.jsonl
	$(PY) -m classifier.predict --input $(IN) --output $(OUT)

evaluate: install $(MODELS)/current ## Write reports/: make evaluate [DATA=file.jsonl] [MODEL=models/v] [GATE=1]
	$(PY) -m training.evaluate $(if $(DATA),--data $(DATA)) $(if $(MODEL),--model $(MODEL)) $(if $(GATE),--gate)

serve: install $(MODELS)/current ## Serve the API on 127.0.0.1:8000 with gunicorn
	$(VENV)/bin/gunicorn --config service/gunicorn_conf.py 'service:create_app()'

bench: install system-deps $(MODELS)/current ## Speed, memory and scaling: make bench [QUICK=1]
	$(PY) -m bench.run $(if $(QUICK),--quick)

loadtest: install $(MODELS)/current ## 60 s of mixed load at 16 connections against gunicorn
	$(PY) -m bench.loadtest --seconds 60 --connections 16

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format and fix with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint system-deps ## Lint, then the whole test suite (NLTK with an empty data path)
	$(PY) -m pytest

clean: ## Remove caches (keeps .venv and models)
	rm -rf .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -prune -exec rm -rf {} +
