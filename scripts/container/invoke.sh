#!/usr/bin/env bash
# `sam local invoke` of a built function, in a container, against the moto container.
#
#   scripts/container/invoke.sh IngestFunction events/s3_put_text_article.json [extra sam args]
#
# Makes sure of everything first (each step idempotent): the engine (podman API service here),
# the Lambda base image, the network and moto, the stack's resources in moto, and the objects the
# event names (moto_stack.py seed; CT_SEED=0 skips setup and seeding). Needs `make build` output.
# The function signs its calls as its own role, as in Lambda: SAM passes the credentials of the
# CLI's environment into the container, and those are the role's (moto_stack.py credentials).
# The function's response is printed on stdout, SAM's and the function's logs on stderr.
# Environment: SAM (default .venv-sam/bin/sam), PY (app venv python), PY312_BIN (a python3.12
# bin folder for SAM's PATH), CT_* (lib.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -ge 2 ] || ct_die "usage: $0 FunctionLogicalId EVENT.json [sam local invoke args]"
fn="$1" event="$2"
shift 2
ct_sam_tools
[ -f "$event" ] || ct_die "no event file $event"

ct_setup_engine
endpoint="http://127.0.0.1:$CT_MOTO_PORT"
if [ "${CT_SEED:-1}" != 0 ]; then
	bash "$CT_ROOT/scripts/container/build-lambda-image.sh"
	endpoint="$(bash "$CT_ROOT/scripts/container/start-moto.sh")"
	"$PY" scripts/container/moto_stack.py --endpoint "$endpoint" setup
	"$PY" scripts/container/moto_stack.py --endpoint "$endpoint" seed "$event"
fi
role_env="$("$PY" scripts/container/moto_stack.py --endpoint "$endpoint" credentials "$fn")"

ct_docker_api
[ "${CT_STARTED_SERVICE:-0}" != 1 ] || trap ct_stop_podman_service EXIT
start=$(date +%s%N)
samlog="$(mktemp)"
peaks_before=$(ct_count_lines "$CT_LIMITS_LOG")
set +e
(
	unset AWS_PROFILE AWS_SESSION_TOKEN
	eval "$role_env"
	PATH="$PY312_BIN:$PATH" SAM_CLI_TELEMETRY=0 AWS_REGION=us-east-1 $CT_NICE "$SAM" local invoke "$fn" \
		--event "$event" --env-vars env.json --docker-network "$CT_NETWORK" --skip-pull-image "$@"
) 2>"$samlog"
rc=$?
set -e
cat "$samlog" >&2
ct_log "$fn: sam local invoke exited $rc after $(( ($(date +%s%N) - start) / 1000000 )) ms ($ENGINE)"
# The container is removed when SAM is done with it; its peak memory (and the emulator's REPORT
# figures from its log) are logged then: up to 20 s on a loaded machine, usually well under one.
for _ in $(seq 1 80); do
	[ "$(ct_count_lines "$CT_LIMITS_LOG")" -gt "$peaks_before" ] && break
	[ "$ENGINE" = podman ] || break
	sleep 0.25
done
"$PY" "$CT_ROOT/scripts/container/report.py" "$fn" "$samlog" "$CT_LIMITS_LOG" "$peaks_before" | sed 's/^/[container] /' >&2
rm -f "$samlog"
exit $rc
