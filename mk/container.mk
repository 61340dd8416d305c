# Container tier, included by the root Makefile: real `sam local invoke` in containers against a
# moto container. Docker where `docker info` works; else podman with a locally built stand-in for
# public.ecr.aws/lambda/python:3.12-x86_64 (no registry needed). See scripts/container/.
# Uses SAM, PY312_BIN (mk/build.mk) and PY (Makefile); run `make build` first.

CONTAINER_DIR := scripts/container
CONTAINER_ENV = SAM="$(SAM)" PY="$(PY)" PY312_BIN="$(PY312_BIN)"

.PHONY: lambda-image invoke e2e-local container-check container-down

lambda-image: ## Build the local Lambda base image stand-in + moto (podman; once, idempotent)
	bash $(CONTAINER_DIR)/build-lambda-image.sh

invoke: $(STAMP) $(SAM) ## sam local invoke in a container against moto (FN=IngestFunction EVENT=events/<x>.json)
	@test -n "$(EVENT)" || { echo "usage: make invoke FN=IngestFunction EVENT=events/<x>.json" >&2; exit 2; }
	$(CONTAINER_ENV) bash $(CONTAINER_DIR)/invoke.sh "$(FN)" "$(EVENT)"

e2e-local: $(STAMP) $(SAM) ## Upload -> Ingest -> Analyze via sam local invoke in containers; asserts DynamoDB
	@test -f $(BUILD_DIR)/template.yaml || $(MAKE) build
	$(CONTAINER_ENV) $(PY) tests/e2e/e2e_local.py

container-check: ## One line: can the container tier run here, and why not (always exits 0)
	@bash $(CONTAINER_DIR)/check.sh

container-down: ## Remove the moto container, the network and the podman service this tier started
	bash $(CONTAINER_DIR)/stop.sh
