# zorgnota: `make demo` and `make test` set up everything they need themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS := $(VENV)/.deps-installed
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/.deps-installed
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/.deps-installed
# The build proof (architecture.md): what `sam build` installs for Lambda's python3.12 on
# arm64, binary wheels only. Downloaded once per change of the requirements; the template
# tests install from here offline.
LAMBDA_REQUIREMENTS := layers/billing_core/requirements.txt $(wildcard functions/*/requirements.txt)
LAMBDA_WHEELS := build/lambda-wheels/.downloaded
LAMBDA_PLATFORM := --platform manylinux2014_aarch64 --implementation cp --python-version 3.12 --only-binary=:all:
export PYTHONPATH := $(CURDIR)/layers/billing_core:$(CURDIR)
# Bytecode is written, beside each module in its git-ignored __pycache__ (not under a
# PYTHONPYCACHEPREFIX: that hides the virtualenvs' own bytecode, so every package would be
# compiled again into it). What ships leaves it out: `sam build` skips __pycache__ and
# *.pyc in the functions' code, the layer's Makefile copies billing_core without it and
# compiles its own, the bench copies the functions' code without it. A second `make test`
# collects in ~7 s of CPU per worker instead of ~20 s (issue 18). `make clean` removes it.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help demo serve test lint test-unit test-functional test-contract test-template test-e2e bench chaos clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(DEPS): requirements-dev.txt layers/billing_core/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(CHECKOV): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	touch $@

# SAM CLI pins its own click, cfn-lint and boto versions, so it gets a venv of its own too.
$(SAM): requirements-sam.txt
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-sam.txt
	touch $@

$(LAMBDA_WHEELS): $(LAMBDA_REQUIREMENTS) | $(DEPS)
	$(BIN)/pip download --quiet --disable-pip-version-check $(LAMBDA_PLATFORM) \
		--dest $(@D) $(addprefix -r ,$(LAMBDA_REQUIREMENTS))
	touch $@

demo: $(DEPS) ## the whole life of invoices on embedded AWS (moto), summary + out/
	$(BIN)/python -m local.demo

serve: $(DEPS) ## the sandbox API and pages on http://127.0.0.1:8000 (another: PORT=8010)
	$(BIN)/python -m local.server $(PORT)

# The browser tests drive Debian's chromium (Playwright's own browser download cannot
# work offline and is never used), in the language of the page they open: chromium-l10n
# has its words in Dutch, Polish and Arabic (a Dutch date field's dd-mm-jjjj).
CHROMIUM := /usr/bin/chromium
CHROMIUM_L10N := /usr/lib/chromium/locales/nl.pak
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	@echo "installing Debian's chromium for the browser tests"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-l10n

$(CHROMIUM_L10N): | $(CHROMIUM)
	@echo "installing chromium's languages (chromium-l10n) for the browser tests"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium-l10n

# One pytest worker per core (TEST_WORKERS=0: one process). A file's tests stay on one worker,
# so a module's fixtures (the local server, the transformed template) are made once.
TEST_WORKERS ?= auto
PARALLEL := -n $(TEST_WORKERS) --dist loadfile

test: $(DEPS) $(CHECKOV) $(SAM) $(LAMBDA_WHEELS) $(CHROMIUM) $(CHROMIUM_L10N) lint ## every test: lint, unit, functional, contract, template (sam validate, build proof), e2e (browser), a chaos sample
	$(BIN)/python -m pytest $(PARALLEL)

lint: $(DEPS) ## ruff check + ruff format --check, mypy --strict on billing_core, import-linter contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	PYTHONPATH=layers/billing_core $(BIN)/lint-imports

test-e2e: $(DEPS) $(CHROMIUM) $(CHROMIUM_L10N) ## only the browser tests (local server, headless Chromium, axe)
	$(BIN)/python -m pytest $(PARALLEL) tests/e2e

test-unit: $(DEPS) ## only the pure domain tests
	$(BIN)/python -m pytest $(PARALLEL) tests/unit

test-functional: $(DEPS) ## only the handlers on moto with events/*.json
	$(BIN)/python -m pytest $(PARALLEL) tests/functional

test-contract: $(DEPS) ## only the ports on the fake and on moto alike
	$(BIN)/python -m pytest $(PARALLEL) tests/contract

test-template: $(DEPS) $(CHECKOV) $(SAM) $(LAMBDA_WHEELS) ## only cfn-lint, checkov, sam validate and the build proof
	$(BIN)/python -m pytest $(PARALLEL) tests/template

# The cold-start rows of the bench count instructions with Debian's valgrind
# (local/bench_instructions.py says why CPU time alone cannot judge them).
VALGRIND := /usr/bin/valgrind

$(VALGRIND):
	@echo "installing Debian's valgrind for the bench's instruction counts"
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind

bench: $(DEPS) $(VALGRIND) ## performance figures, as ratios measured in one run (FIGURES="b d h": only those)
	$(BIN)/python -m local.bench $(FIGURES)

chaos: $(DEPS) ## chaos and fault figures, each with its goal (SEED=n repeats a run), out/chaos.json
	$(BIN)/python -m tests.chaos $(if $(SEED),--seed $(SEED))

clean: ## remove the virtualenvs, build/, out/, test caches and bytecode
	rm -rf $(VENV) $(CHECKOV_VENV) $(SAM_VENV) build out .pytest_cache .hypothesis
	find layers functions local tests -name __pycache__ -type d -prune -exec rm -rf {} +
