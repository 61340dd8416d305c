# article-pipeline: the one entry point. `make help` lists the targets.
# Every target that needs Python creates the virtualenv and installs pinned dependencies itself.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The Lambda runtime is python3.12: use it for the virtualenv when pyenv or the system has it.
PYTHON312 := $(shell command -v pyenv >/dev/null 2>&1 && PYENV_VERSION=3.12.1 pyenv which python 2>/dev/null || command -v python3.12 2>/dev/null)
BASE_PYTHON ?= $(if $(PYTHON312),$(PYTHON312),python3)
VENV ?= .venv
PY ?= $(VENV)/bin/python
STAMP := $(VENV)/.installed
SHARED ?= ../shared
ARTICLES ?= samples
OUT ?= out
PORT ?= 4566

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: tune help venv serve demo test unit integration lint format typecheck bench bench-clean bench-claims bench-entities bench-checkworthy bench-transcripts bench-hostile bench-reprocess soak scan lock-layers deploy delete clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_.-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Virtualenvs are filled by uv (pinned, in its own small venv): ~1 min where pip took ~18 min for
# the same pinned set on this kind of machine. `--seed` keeps pip in the venv for the scripts that use it.
UV_VERSION ?= 0.13.9
UV_VENV ?= .venv-uv
UV := $(UV_VENV)/bin/uv

$(UV):
	$(BASE_PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml | $(UV)
	@test -x $(PY) || $(UV) venv --quiet --seed --python $(BASE_PYTHON) $(VENV)
	$(UV) pip install --quiet --python $(PY) -r requirements.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -r requirements-nodeps.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

venv: $(STAMP) ## Create .venv with the pinned dependencies

serve: $(STAMP) ## A local bucket to drop files into: the stack on a moto server at 127.0.0.1:$(PORT) (aws CLI / boto3 with --endpoint-url), until Ctrl-C
	$(VENV)/bin/article-pipeline serve --port $(PORT) --state-dir .local/serve

demo: $(STAMP) ## Run the whole pipeline on samples/ (text, HTML, Markdown) on the embedded default (moto, no AWS)
	rm -rf .local/demo
	$(VENV)/bin/article-pipeline run $(ARTICLES) --show --report --out $(OUT) --state-dir .local/demo

test: $(STAMP) lint typecheck validate scan build ## ruff, mypy, sam validate --lint, checkov, sam build, then unit + integration tests (moto; built functions under the Lambda emulator)
	$(PY) -m pytest tests/unit tests/integration

unit: $(STAMP) ## Unit tests only (no AWS, no network)
	$(PY) -m pytest tests/unit

integration: $(STAMP) ## Integration tests: real handlers against moto
	$(PY) -m pytest tests/integration

lint: $(STAMP) ## ruff check
	$(PY) -m ruff check layers/domain tools functions tests bench scripts

format: $(STAMP) ## ruff format + autofix
	$(PY) -m ruff check --fix layers/domain tools functions tests bench scripts
	$(PY) -m ruff format layers/domain tools functions tests bench scripts

typecheck: $(STAMP) ## mypy on the domain package, the tools and the handlers
	$(PY) -m mypy

bench: $(STAMP) ## Throughput, cold start, memory, cost per 1,000 articles and built size, against baselines
	$(PY) bench/bench_pipeline.py

bench-clean: $(STAMP) ## Boilerplate removal vs trafilatura and justext on both held-out parts, per page type (HTML and text), one run, with interleaved CPU-time ratios
	$(PY) bench/bench_clean.py --rounds 1

bench-claims: $(STAMP) ## Quote attribution on PolNeAR: development and held-out parts beside the last landing and the targets
	$(PY) bench/bench_claims.py

bench-entities: $(STAMP) ## Canonical entities on News-Fair (40 articles, held-out part apart) beside raw spaCy, shared scorer
	SHARED_DIR=$(SHARED) $(PY) bench/bench_entities.py

bench-checkworthy: $(STAMP) ## Check-worthiness: ours beside a TF-IDF baseline, held-out transcripts and LOTO, one run
	SHARED_DIR=$(SHARED) $(PY) bench/bench_checkworthy.py

bench-transcripts: $(STAMP) ## Debate transcripts end to end: turns kept, sentences filed under their speaker, check-worthiness MAP (PART=heldout|train|both, LAYOUT=turns|paragraphs|broadcast)
	SHARED_DIR=$(SHARED) $(PY) bench/bench_transcripts.py --part $(or $(PART),heldout) --layout $(or $(LAYOUT),turns)

bench-hostile: $(STAMP) ## Hostile uploads (gzip and .docx bombs, Markdown runs, huge front matter, deep HTML and e-mail, big exports and captions) timed before/after, one run
	$(PY) bench/bench_hostile.py $(if $(BASELINE),--baseline $(BASELINE))

bench-reprocess: $(STAMP) ## Time to enqueue a backfill of 10,000 uploads on moto (OBJECTS=...)
	$(PY) bench/bench_reprocess.py --objects $(or $(OBJECTS),10000)

soak: $(STAMP) ## Fault-injection soak: 600 uploads, duplicates, late events, deletes, injected faults
	$(PY) scripts/soak.py --uploads $(or $(UPLOADS),600)

lock-layers: $(UV) ## Re-pin each layer's requirements.in with hashes (layers/*/requirements.txt, manylinux x86_64, cp312)
	bash scripts/lock_layers.sh

SCAN_VENV ?= .venv-scan
$(SCAN_VENV)/bin/checkov: | $(UV)
	$(UV) venv --quiet --python $(BASE_PYTHON) $(SCAN_VENV)
	$(UV) pip install --quiet --python $(SCAN_VENV)/bin/python -r requirements-scan.txt

scan: $(SCAN_VENV)/bin/checkov ## checkov on template.yaml (skips are justified inline in the template)
	$(SCAN_VENV)/bin/checkov --quiet --compact --framework cloudformation -f template.yaml

STACK ?= article-pipeline

deploy: build ## sam deploy to your AWS account (first time: sam deploy --guided)
	$(SAM_ENV) "$(SAM)" deploy --stack-name $(STACK)

delete: $(SAM) ## Delete the deployed stack
	$(SAM_ENV) "$(SAM)" delete --stack-name $(STACK)

clean: ## Remove build output, local state and caches (not the virtualenvs)
	rm -rf .aws-sam .local $(OUT) .pytest_cache .ruff_cache .mypy_cache

-include mk/build.mk
-include mk/container.mk

tune: $(STAMP) $(SAM) ## Local power tuning: built functions in containers at several memory sizes (Lambda's CPU share each): duration, max memory, $/1,000 articles (POLNEAR=n adds PolNeAR articles)
	@test -f $(BUILD_DIR)/template.yaml || $(MAKE) build
	$(CONTAINER_ENV) bash $(CONTAINER_DIR)/tune.sh $(if $(POLNEAR),--polnear $(POLNEAR)) $(TUNE_ARGS)
