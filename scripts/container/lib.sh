# Shared settings and helpers for the container tier (sourced by the other scripts here).
#
# Engine: Docker when `docker info` works, else podman (Debian's), driven by SAM through
# `podman system service` on a unix socket. No registry is needed with podman: the Lambda base
# image is a local stand-in (build-lambda-image.sh) and moto runs from that same image.
# Every name can be overridden from the environment.

set -euo pipefail
# A step that fails under `set -e` says which, instead of ending the script without a word.
trap 'printf "[container] error: %s:%s: \"%s\" exited %s\n" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" "$?" >&2' ERR

CT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CT_NETWORK="${CT_NETWORK:-article-pipeline}"
CT_MOTO_NAME="${CT_MOTO_NAME:-article-pipeline-moto}"
CT_MOTO_PORT="${CT_MOTO_PORT:-15000}"            # published on 127.0.0.1 for the host side
CT_LAMBDA_IMAGE="${CT_LAMBDA_IMAGE:-public.ecr.aws/lambda/python:3.12-x86_64}"
# Big artefacts (rootfs, moto packages, podman socket) live outside the repo, shared by clones.
CT_STATE="${CT_STATE:-/var/tmp/article-pipeline-container}"
CT_SOCK="${CT_SOCK:-$CT_STATE/podman.sock}"
CT_PY312="${CT_PY312:-/root/.pyenv/versions/3.12.1}"
CT_NICE="${CT_NICE:-nice -n 10}"

ct_log() { printf '[container] %s\n' "$*" >&2; }
ct_die() { printf '[container] error: %s\n' "$*" >&2; exit 1; }
# Lines of a file that may not exist yet (0 then): a bare `cat missing | wc -l` fails under pipefail.
# The SAM CLI and the app's python the container scripts run (SAM, PY, PY312_BIN from the
# environment or the defaults), from the repository root, with a built stack to run.
ct_sam_tools() {
	cd "$CT_ROOT"
	SAM="${SAM:-.venv-sam/bin/sam}"
	PY="${PY:-.venv/bin/python}"
	PY312_BIN="${PY312_BIN:-$CT_PY312/bin}"
	[ -x "$SAM" ] || ct_die "no SAM CLI at $SAM (make sam-venv)"
	[ -f .aws-sam/build/template.yaml ] || ct_die "no .aws-sam/build (make build)"
}

ct_count_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# Pinned version of a package in requirements.txt (the app's pins are the single source).
ct_pin() {
	local v
	v="$(grep -iE "^$1==" "$CT_ROOT/requirements.txt" | head -n1 | cut -d= -f3)"
	[ -n "$v" ] || ct_die "no pin for $1 in requirements.txt"
	printf '%s' "$v"
}

# docker | podman | "" (none usable). CT_ENGINE forces one.
ct_engine() {
	if [ -n "${CT_ENGINE:-}" ]; then printf '%s' "$CT_ENGINE"; return; fi
	if command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; then
		printf docker
	elif command -v podman >/dev/null 2>&1; then
		printf podman
	fi
}

# containers.conf for this sandbox: no CAP_SYS_RESOURCE (so bounded ulimits), crun fails (runc),
# and runc wrapped by lambda-runc, which gives each function container Lambda's CPU share for its
# memory size and records its peak memory (a copy in $CT_STATE: clones share the podman setup).
CT_LIMITS_DIR="${CT_LIMITS_DIR:-$CT_STATE/limits}"
CT_LIMITS_LOG="${CT_LIMITS_LOG:-$CT_LIMITS_DIR/peaks.jsonl}"
ct_podman_env() {
	mkdir -p "$CT_STATE" "$CT_LIMITS_DIR"
	touch "$CT_LIMITS_LOG"  # invoke.sh counts its lines before the first container has written one
	local wrapper="$CT_STATE/lambda-runc"
	cmp -s "$CT_ROOT/scripts/container/lambda-runc" "$wrapper" || install -m 0755 "$CT_ROOT/scripts/container/lambda-runc" "$wrapper"
	local conf="$CT_STATE/containers.conf"
	cat >"$conf.tmp" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=20000:20000"]

[engine]
runtime = "lambda-runc"

[engine.runtimes]
lambda-runc = ["$wrapper"]
CONF
	cmp -s "$conf.tmp" "$conf" && rm -f "$conf.tmp" || mv "$conf.tmp" "$conf"
	export CONTAINERS_CONF="${CONTAINERS_CONF:-$conf}"
	export CT_LIMITS_DIR CT_LIMITS_LOG
}

# Set ENGINE (the CLI); for podman, also CONTAINERS_CONF.
ct_setup_engine() {
	ENGINE="$(ct_engine)"
	[ -n "$ENGINE" ] || ct_die "no container engine: install podman (apt-get install podman runc) or Docker"
	[ "$ENGINE" != podman ] || ct_podman_env
	export ENGINE
}

# The Docker API SAM talks to. podman: start the API service (idempotent), export DOCKER_HOST.
# The idle service still costs ~15% of a core here, so whoever starts it stops it (CT_STARTED_SERVICE).
ct_docker_api() {
	if [ "$ENGINE" = podman ]; then
		ct_start_podman_service
		export DOCKER_HOST="unix://$CT_SOCK"
	fi
}

ct_socket_ok() {
	[ -S "$CT_SOCK" ] && curl -sf --max-time 5 --unix-socket "$CT_SOCK" http://d/_ping >/dev/null 2>&1
}

ct_start_podman_service() {
	if ct_socket_ok; then return; fi
	local pidfile="$CT_STATE/podman-service.pid"
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		kill "$(cat "$pidfile")" 2>/dev/null || true   # ours, but not answering: restart it
		sleep 1
	fi
	rm -f "$CT_SOCK"
	ct_log "starting podman system service on $CT_SOCK"
	CT_STARTED_SERVICE=1
	setsid nohup nice -n 10 podman system service --time=0 "unix://$CT_SOCK" \
		>"$CT_STATE/podman-service.log" 2>&1 </dev/null &
	echo $! >"$pidfile"
	for _ in $(seq 1 50); do ct_socket_ok && return; sleep 0.2; done
	ct_die "podman service did not answer on $CT_SOCK (see $CT_STATE/podman-service.log)"
}

ct_stop_podman_service() {
	local pidfile="$CT_STATE/podman-service.pid"
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		kill "$(cat "$pidfile")" && ct_log "stopped podman service (pid $(cat "$pidfile"))"
	fi
	rm -f "$pidfile"
}

ct_image_exists() { "$ENGINE" image inspect "$1" >/dev/null 2>&1; }

ct_ensure_network() {
	"$ENGINE" network inspect "$CT_NETWORK" >/dev/null 2>&1 \
		|| { ct_log "creating network $CT_NETWORK"; "$ENGINE" network create "$CT_NETWORK" >/dev/null; }
}
