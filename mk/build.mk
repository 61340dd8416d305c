# Build, size and local-invoke targets, included by the root Makefile.
#
# `sam build` runs from its own venv (.venv-sam, pinned SAM CLI, created on first use) so the app venv
# never carries SAM's dependency tree. The layers are makefile builds (layers/*/Makefile, mk/layer.mk);
# the functions are BuildMethod python3.12 builds, which need a real python3.12 on PATH: a pyenv 3.12
# is used when `python3.12` itself is not one. No container engine is needed for any of this.

VENV ?= .venv
PY ?= $(VENV)/bin/python
SAM_VENV ?= .venv-sam
SAM_CLI_VERSION ?= 1.170.0
# The pip that installs the layers (mk/layer.mk) lives in .venv-sam too, pinned: the interpreter's own
# pip may be old (pyenv 3.12.1 has 23.2.1, whose resolver, hash-checking a pinned lxml, took the newest
# lxml for justext's "lxml[html_clean]" extra and failed the build when lxml 6.2.0 came out).
LAYER_PIP_VERSION ?= 26.3
SAM := $(SAM_VENV)/bin/sam
BUILD_DIR := .aws-sam/build
# Soft target for function + layers (MiB), reported as a warning; Lambda's hard limit is an error.
SIZE_TARGET_MIB ?= 200
# Extra flags for sam build, e.g. SAM_BUILD_FLAGS=--cached to reuse unchanged layers.
SAM_BUILD_FLAGS ?= --parallel
FN ?= IngestFunction
EVENT ?=
REPEAT ?= 2

# The directory of a working python3.12: python3.12 on PATH if it runs, else the newest pyenv 3.12.
PY312_BIN ?= $(shell python3.12 -c 'import os, sys; print(os.path.dirname(sys.executable))' 2>/dev/null \
	|| ls -d "$$(pyenv root 2>/dev/null)"/versions/3.12*/bin 2>/dev/null | sort -V | tail -n 1)
SAM_ENV = PATH="$(PY312_BIN):$$PATH" SAM_CLI_TELEMETRY=0 LAYER_BUILD_PYTHON="$(abspath $(SAM_VENV))/bin/python"

$(SAM): | $(UV)
	@test -n "$(PY312_BIN)" || { echo "error: no python3.12 found (pyenv install 3.12)" >&2; exit 2; }
	$(UV) venv --quiet --seed --python "$(PY312_BIN)/python3.12" "$(SAM_VENV)"
	$(UV) pip install --quiet --python "$(SAM_VENV)/bin/python" "aws-sam-cli==$(SAM_CLI_VERSION)" \
		"pip==$(LAYER_PIP_VERSION)"

.PHONY: sam-venv build size validate rie-invoke

sam-venv: $(SAM) ## Create .venv-sam with the pinned SAM CLI (done by `build` when missing)

build: $(SAM) ## sam build (layers trimmed, no Docker), then print sizes and check Lambda's size limit
	@test -n "$(PY312_BIN)" || { echo "error: no python3.12 found (pyenv install 3.12)" >&2; exit 2; }
	@start=$$(date +%s); \
	$(SAM_ENV) "$(SAM)" build $(SAM_BUILD_FLAGS) || exit $$?; \
	echo "sam build took $$(( $$(date +%s) - start )) s"
	"$(SAM_VENV)/bin/python" scripts/build_size.py --build-dir $(BUILD_DIR) --limit $(SIZE_TARGET_MIB)

size: ## Unzipped size of each built layer and function, and of each function + its layers
	@test -x "$(SAM_VENV)/bin/python" || { echo "error: no $(SAM_VENV): run make build first" >&2; exit 2; }
	"$(SAM_VENV)/bin/python" scripts/build_size.py --build-dir $(BUILD_DIR) --limit $(SIZE_TARGET_MIB) --top 8

validate: $(SAM) ## sam validate --lint (offline)
	$(SAM_ENV) "$(SAM)" validate --lint --region us-east-1

rie-invoke: ## Run a built function under the Lambda emulator (FN=IngestFunction EVENT=events/<x>.json)
	@test -n "$(EVENT)" || { echo "usage: make rie-invoke FN=IngestFunction EVENT=events/<x>.json" >&2; exit 2; }
	SAM_VENV="$(SAM_VENV)" "$(PY)" scripts/rie_invoke.py "$(FN)" "$(EVENT)" --repeat $(REPEAT)
