# The one entry point of the project: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
PYTHON310   := $(shell sh scripts/find-python.sh)
STAMP       := $(VENV)/.installed
NLP_PIPELINE := build/spacy/meta.json
# Stamp of the newest training; the models themselves keep Rasa's timestamped names.
MODEL       := models/.trained
VALIDATED   := build/validated.stamp
KEEP_MODELS ?= 5
# How far an intent's F1 may fall below tests/model/f1_baseline.yml (make evaluate).
F1_MARGIN   ?= 0.05
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) \
                   $(NLP_PIPELINE) $(wildcard bot/rasa_plugins/nlu/*.py) bot/answers/faq/topic_model.py

# Quiet TensorFlow's start-up chatter (INFO and WARNING); errors still show.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export PYTHONDONTWRITEBYTECODE ?= 1
# Third-party deprecation notices (pkg_resources, pyparsing, jax) drown the output.
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.PHONY: help install nlp train run shell validate lint lint-deploy browser test test-month-ahead evaluate bench soak audit clean lock prune-dev

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required (see README)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(STAMP) ## create .venv with Python 3.10 and the locked dependencies

$(NLP_PIPELINE): $(STAMP) bot/training/nlp/entity_patterns.yml bot/answers/faq/aspects.yml bot/training/nlp/pipeline.py
	$(BIN)/bot build-nlp --output build/spacy

nlp: $(NLP_PIPELINE) ## build the spaCy pipeline (entity ruler) from bot/training/nlp/entity_patterns.yml and bot/answers/faq/aspects.yml

$(VALIDATED): $(STAMP) $(TRAINING_INPUTS) bot/training/validation.py bot/training/project_checks.py $(wildcard tests/*.yml tests/model/*.yml)
	$(BIN)/bot validate
	touch $@

# Rasa's cache (.rasa/cache) retrains only the parts whose inputs changed.
# bot validate has run Rasa's own validation: rasa train need not repeat it.
# bot.ops.rasa_server is Rasa's CLI with the project's fixes (one expected warning quiet).
$(MODEL): $(TRAINING_INPUTS) | $(VALIDATED)
	$(BIN)/python -m bot.ops.rasa_server train --skip-validation --out models
	$(BIN)/bot model prune --keep $(KEEP_MODELS)
	touch $@

train: $(MODEL) ## validate, then train what changed; keeps the newest KEEP_MODELS (5) models

run: $(MODEL) ## set up, train if needed, start Rasa (5005), actions (5055), web app (8000), delivery
	@$(BIN)/bot run --dev

shell: $(MODEL) ## chat with the bot in the terminal
	@$(BIN)/bot run --dev --shell

validate: $(STAMP) $(NLP_PIPELINE) ## rasa data validate and the project's own checks (bot/training/validation.py)
	$(BIN)/bot validate
	@mkdir -p build && touch $(VALIDATED)

lint: $(STAMP) lint-deploy ## ruff (lint and format) and mypy on bot/ and actions/; the deployment files
	$(BIN)/ruff check bot actions tests bench
	$(BIN)/ruff format --check bot actions tests bench
	$(BIN)/mypy

# Docker cannot run here: the Dockerfile is linted (hadolint) and the Kubernetes
# manifests validated against the API's schemas (kubernetes-validate, offline).
KUBERNETES_VERSION := 1.28.0
lint-deploy: $(STAMP) ## hadolint the Dockerfile; validate deploy/kubernetes/ against Kubernetes' schemas
	$(BIN)/hadolint Dockerfile
	$(BIN)/kubernetes-validate --quiet --strict --kubernetes-version $(KUBERNETES_VERSION) deploy/kubernetes/*.yaml

prune-dev: $(STAMP) ## remove the test and lint tools from .venv (the container image does, after training)
	$(BIN)/pip uninstall --yes --quiet -r requirements-dev.in

# Browser tests drive Debian's chromium (never a browser Playwright downloads).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_GET := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -y -qq --no-install-recommends

browser: ## install Debian's chromium for the browser tests, when it is missing
	@command -v chromium >/dev/null 2>&1 || { \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    $(APT_GET) install chromium >/dev/null 2>&1 || \
	    { $(SUDO) apt-get update -qq && $(APT_GET) install chromium; }; }

test: $(VALIDATED) $(MODEL) lint browser ## validate the data, lint, then run every test, browser tests too
	$(BIN)/pytest

# The whole suite with the clock a month ahead (libfaketime, from Debian): no
# test may depend on today's date. The monotonic clock stays real (timeouts).
test-month-ahead: ## make test with the clock moved 30 days ahead (installs Debian's faketime)
	@command -v faketime >/dev/null 2>&1 || { \
	    $(APT_GET) install faketime >/dev/null 2>&1 || \
	    { $(SUDO) apt-get update -qq && $(APT_GET) install faketime; }; }
	FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f '+30d' $(MAKE) test

evaluate: $(MODEL) ## cross-validate the NLU, run the test stories: reports/evaluation/, F1 baseline check
	$(BIN)/bot evaluate --margin $(F1_MARGIN)

# Keeps every version already locked and resolves only what is new;
# `make lock UPGRADE=1` re-resolves everything.
LOCK_CONSTRAINTS := $(if $(UPGRADE),,$(if $(wildcard requirements.lock),-c requirements.lock))

bench: $(MODEL) $(NLP_PIPELINE) ## knowledge search figures; ours vs a rasa init peer: latency, memory, training (reports/bench.md); what each patch saves (reports/patch-costs.md)
	$(BIN)/python -m bench.knowledge
	$(BIN)/python -m bench.layers
	$(BIN)/python -m bench.patch_costs
	$(BIN)/python -m bench.serving

# pip-audit needs a newer `packaging` than Rasa 3.6 pins: it runs from a venv of
# its own and reads the lock file without installing it. It asks OSV (api.osv.dev)
# about every pinned version; not part of `make test`, since CI machines reach
# only the package registries (PyPI's per-version JSON answers 404 there).
audit: ## pip-audit of requirements.lock against OSV (needs api.osv.dev)
	test -x build/audit-venv/bin/pip-audit || { $(PYTHON310) -m venv build/audit-venv \
	    && build/audit-venv/bin/pip install --quiet --disable-pip-version-check pip-audit; }
	build/audit-venv/bin/pip-audit --strict --requirement requirements.lock --no-deps \
	    --disable-pip --vulnerability-service osv --progress-spinner off

soak: $(MODEL) $(NLP_PIPELINE) ## 200 visitors for 5 minutes against `bot run --dev`: errors, lost leads, p99 (reports/soak.md)
	$(BIN)/python -m bench.soak

lock: ## resolve requirements.in into requirements.lock (UPGRADE=1 re-resolves all)
	rm -rf build/lock-venv && $(PYTHON310) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet --disable-pip-version-check \
	    $(LOCK_CONSTRAINTS) -r requirements.in
	{ echo "# Resolved from requirements.in for Python 3.10 (make lock). Do not edit by hand."; \
	  build/lock-venv/bin/pip freeze --all --exclude-editable | grep -v '^pip=='; } > requirements.lock
	rm -rf build/lock-venv

clean: ## remove the trained models and build outputs (keeps .venv)
	rm -rf build models results .pytest_cache .mypy_cache .ruff_cache
