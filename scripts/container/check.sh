#!/usr/bin/env bash
# One line: can the container tier (make invoke / make e2e-local) run on this machine, and if not
# why. Always exits 0; the line starts with "container-tier: yes" or "container-tier: no".
# Checks only what is present (no installs, no image builds, nothing started).
#   CI: if bash scripts/container/check.sh | grep -q '^container-tier: yes'; then make e2e-local; fi
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 0
CT_PY312="${CT_PY312:-/root/.pyenv/versions/3.12.1}"
why=()
engine=""
if command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; then
	engine=docker
elif command -v podman >/dev/null 2>&1; then
	engine=podman
	command -v runc >/dev/null 2>&1 || why+=("no runc (apt-get install runc)")
	command -v debootstrap >/dev/null 2>&1 || why+=("no debootstrap to build the stand-in base image (apt-get install debootstrap)")
	[ -x "$CT_PY312/bin/python3.12" ] || why+=("no CPython 3.12 at $CT_PY312 for the stand-in image")
	if [ "$(id -u)" != 0 ]; then why+=("podman tier is set up for root only"); fi
else
	why+=("no container engine (neither a working docker nor podman; apt-get install podman runc debootstrap)")
fi
command -v curl >/dev/null 2>&1 || why+=("no curl")
[ -n "$(python3.12 -c 'print(1)' 2>/dev/null || ls -d "$(pyenv root 2>/dev/null)"/versions/3.12*/bin 2>/dev/null)" ] \
	|| why+=("no python3.12 for sam build")
if [ ${#why[@]} -eq 0 ]; then
	echo "container-tier: yes ($engine$( [ "$engine" = podman ] && echo ' + stand-in Lambda image'))"
else
	reasons="$(printf '%s; ' "${why[@]}")"
	echo "container-tier: no (${reasons%; })"
fi
exit 0
