#!/usr/bin/env bash
# `make tune`: a local power-tuning table. Runs the built functions in containers (sam local
# start-lambda against the moto container) at several memory sizes, each container limited to that
# memory and to Lambda's CPU share for it (lambda-runc), on the same articles, and prints duration,
# init duration, max memory used and cost per 1,000 articles per setting. See tune.py for options.
#
#   scripts/container/tune.sh [tune.py args]
#
# Needs `make build` output. Everything else (stand-in base image, moto, network, podman API
# service) is made here, idempotently, as invoke.sh does; what this script started it stops.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ct_sam_tools

ct_setup_engine
bash "$CT_ROOT/scripts/container/build-lambda-image.sh"
endpoint="$(bash "$CT_ROOT/scripts/container/start-moto.sh")"
ct_docker_api
[ "${CT_STARTED_SERVICE:-0}" != 1 ] || trap ct_stop_podman_service EXIT
export SAM PY312_BIN CT_NETWORK CT_MOTO_NAME CT_LIMITS_LOG
"$PY" "$CT_ROOT/scripts/container/tune.py" --endpoint "$endpoint" "$@"
