# Shared recipe for the layer Makefiles (layers/*/Makefile include this file).
#
# Why a makefile build: `sam build` with BuildMethod python3.12 installs for the build host and
# cannot trim. Here pip installs manylinux x86_64 / CPython 3.12 wheels only (what Lambda runs,
# whatever the build host is), then scripts/layer_trim.sh removes what is never imported.
# SAM runs `make -f <this layer>/Makefile build-<LayerId>` in a scratch copy of the layer folder,
# with ARTIFACTS_DIR set; a Python layer's content must sit under $(ARTIFACTS_DIR)/python/.

ROOT := $(abspath $(LAYER_DIR)/../..)
# Any Python with pip can install for another platform; a 3.12 is preferred (and needed to compile).
# `make build` passes LAYER_BUILD_PYTHON, .venv-sam's 3.12 with its pinned pip (mk/build.mk).
PYTHON ?= $(or $(LAYER_BUILD_PYTHON),$(shell command -v python3.12 2>/dev/null),python3)
# Lambda's python3.12 runs on Amazon Linux 2023 (glibc 2.34): manylinux_2_28 wheels run there, and
# recent numpy publishes no manylinux2014 wheel any more.
PIP_PLATFORM := --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 --only-binary=:all: \
	--python-version 3.12 --implementation cp
PIP_INSTALL = $(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
	--no-compile $(PIP_PLATFORM)
PY_DIR = $(ARTIFACTS_DIR)/python
# Ship unchecked-hash .pyc files (faster cold starts on the read-only /opt); 0 to ship sources only.
LAYER_COMPILE ?= 1
export LAYER_COMPILE
export LAYER_PYTHON := $(PYTHON)

# Wheels are kept in a wheelhouse, a download cache shared by every clone on the machine (pip keeps
# no cache here, and the NLP layer alone is ~100 MB of wheels). A build first installs offline from
# it, and downloads into it only when a pinned wheel is missing. WHEELHOUSE_ROOT=... to move it.
WHEELHOUSE_ROOT ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/article-pipeline/wheelhouse
WHEELHOUSE ?= $(WHEELHOUSE_ROOT)/$(notdir $(LAYER_DIR))

# pip-install: $(1) requirements file, $(2) extra pip flags.
define pip-install
	@echo "pip install $(2) -r $(1) (manylinux x86_64, cp312) -> $(PY_DIR)"
	@$(PIP_INSTALL) $(2) --no-index --find-links "$(WHEELHOUSE)" --target "$(PY_DIR)" -r "$(1)" 2>/dev/null \
	|| { $(PYTHON) -m pip download --quiet --disable-pip-version-check $(PIP_PLATFORM) $(2) \
			--dest "$(WHEELHOUSE)" -r "$(1)" \
		&& $(PIP_INSTALL) $(2) --no-index --find-links "$(WHEELHOUSE)" --target "$(PY_DIR)" -r "$(1)"; }
endef

# Install the pinned requirements of this layer into $(PY_DIR). requirements.txt pins the whole
# closure with the sha256 of every file (generated from requirements.in by `make lock-layers`), so pip
# runs in hash-checking mode: a wheel that differs from the one locked, or a dependency without a pin
# and hash, stops the build. An optional requirements-nodeps.txt lists packages installed without their
# dependencies: those whose only missing dependency is the AWS SDK, which the runtime provides.
define install-requirements
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run this through sam build" >&2; exit 2; }
	rm -rf "$(PY_DIR)" && mkdir -p "$(PY_DIR)" "$(WHEELHOUSE)"
	$(call pip-install,$(LAYER_DIR)/requirements.txt,--require-hashes)
	$(if $(wildcard $(LAYER_DIR)/requirements-nodeps.txt),\
		$(call pip-install,$(LAYER_DIR)/requirements-nodeps.txt,--no-deps --require-hashes))
endef

# boto3/botocore/s3transfer come with the Lambda runtime; a copy in a layer would shadow it.
define check-no-aws-sdk
	@! ls -d "$(PY_DIR)"/boto3 "$(PY_DIR)"/botocore "$(PY_DIR)"/s3transfer 2>/dev/null \
		|| { echo "error: boto3/botocore must not be in a layer (the runtime has them)" >&2; exit 1; }
endef

trim = "$(ROOT)/scripts/layer_trim.sh" "$(PY_DIR)"
