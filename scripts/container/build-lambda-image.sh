#!/usr/bin/env bash
# Build (once, idempotently) the images the container tier needs.
#
# Docker: pull the real public.ecr.aws/lambda/python:3.12-x86_64 when it is missing.
# podman (no registry here): build a stand-in with the same name and layout, from
#   - a minimal Debian bookworm rootfs (debootstrap --variant=minbase, a few runtime libraries),
#   - the pyenv CPython 3.12 copied to /var/lang (same glibc; /var/lang/lib in ld.so.conf),
#   - awslambdaric + boto3 (pins from requirements.txt) installed --target /var/runtime,
#   - /var/runtime/bootstrap, which the Lambda emulator that SAM injects execs.
# The image carries a label with a hash of these inputs; a rebuild happens only when it changes
# (FORCE=1 forces one). Also installs moto[server] (pinned) for the moto container (start-moto.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ct_setup_engine
AWSLAMBDARIC="$(ct_pin awslambdaric)"
BOTO3="$(ct_pin boto3)"
MOTO="$(ct_pin moto)"
PY="$CT_PY312/bin/python3.12"
[ -x "$PY" ] || ct_die "no CPython 3.12 at $CT_PY312 (set CT_PY312)"

# moto[server] for the moto container: installed on the host, bind-mounted read-only.
moto_dir="$CT_STATE/moto-$MOTO"
if [ ! -f "$moto_dir/.complete" ]; then
	ct_log "installing moto[server]==$MOTO into $moto_dir"
	rm -rf "$moto_dir"
	$CT_NICE "$PY" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
		--target "$moto_dir" "moto[server]==$MOTO" 2> >(grep -v "WARNING: Location" >&2)
	touch "$moto_dir/.complete"
fi

if [ "$ENGINE" = docker ]; then
	ct_image_exists "$CT_LAMBDA_IMAGE" || docker pull "$CT_LAMBDA_IMAGE"
	exit 0
fi

command -v debootstrap >/dev/null || ct_die "debootstrap missing (apt-get install debootstrap)"
PACKAGES="libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,zlib1g,ca-certificates,libexpat1,libncursesw6,libreadline8,libuuid1"
# Bump STANDIN_RECIPE when the image recipe below changes (edits elsewhere need no rebuild).
STANDIN_RECIPE=1
inputs_hash="$( { echo "$STANDIN_RECIPE $PACKAGES $AWSLAMBDARIC $BOTO3"; "$PY" -VV; } | sha256sum | cut -c1-16)"
label=org.article-pipeline.standin
if [ -z "${FORCE:-}" ] && ct_image_exists "$CT_LAMBDA_IMAGE"; then
	have="$(podman image inspect --format "{{index .Labels \"$label\"}}" "$CT_LAMBDA_IMAGE" 2>/dev/null || true)"
	if [ "$have" = "$inputs_hash" ]; then
		ct_log "$CT_LAMBDA_IMAGE is up to date ($inputs_hash)"
		exit 0
	fi
fi

start=$(date +%s)
base="$CT_STATE/bookworm-minbase"     # debootstrap output, reused across builds
if [ ! -f "$base/.complete" ]; then
	ct_log "debootstrap bookworm minbase -> $base"
	rm -rf "$base"
	mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)"
	$CT_NICE debootstrap --variant=minbase --include="$PACKAGES" bookworm "$base" \
		"${mirror:-http://deb.debian.org/debian}" >"$CT_STATE/debootstrap.log" 2>&1 \
		|| ct_die "debootstrap failed (see $CT_STATE/debootstrap.log)"
	# Package caches and docs are not needed at run time.
	rm -rf "$base"/var/cache/apt/archives/*.deb "$base"/var/lib/apt/lists/* "$base"/usr/share/{doc,man,info,locale}
	touch "$base/.complete"
fi

rootfs="$CT_STATE/rootfs"
rm -rf "$rootfs"
cp -a "$base" "$rootfs"
rm -f "$rootfs/.complete"
ct_log "copying CPython $("$PY" -V | cut -d' ' -f2) to /var/lang"
mkdir -p "$rootfs/var/lang" "$rootfs/var/runtime" "$rootfs/var/task" "$rootfs/opt"
tar -C "$CT_PY312" --exclude='lib/python3.12/test' --exclude='lib/python3.12/site-packages/*' \
	--exclude='lib/python3.12/config-3.12-x86_64-linux-gnu/*.a' --exclude='__pycache__' -cf - . \
	| tar -C "$rootfs/var/lang" -xf -
echo /var/lang/lib >"$rootfs/etc/ld.so.conf.d/var-lang.conf"
chroot "$rootfs" /sbin/ldconfig

ct_log "installing awslambdaric==$AWSLAMBDARIC boto3==$BOTO3 into /var/runtime"
$CT_NICE "$PY" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
	--target "$rootfs/var/runtime" "awslambdaric==$AWSLAMBDARIC" "boto3==$BOTO3" 2> >(grep -v "WARNING: Location" >&2)
cat >"$rootfs/var/runtime/bootstrap" <<'BOOT'
#!/bin/sh
# Stand-in for the Lambda python3.12 runtime bootstrap: the emulator execs this.
export PYTHONPATH="/var/task:/opt/python:/var/runtime${PYTHONPATH:+:$PYTHONPATH}"
cd /var/task
exec /var/lang/bin/python3.12 -m awslambdaric "$_HANDLER"
BOOT
chmod 755 "$rootfs/var/runtime/bootstrap"
# The real image's entrypoint: under an emulator SAM overrides it anyway.
cat >"$rootfs/lambda-entrypoint.sh" <<'ENTRY'
#!/bin/sh
if [ $# -ne 1 ]; then echo "entrypoint requires the handler name to be the first argument" 1>&2; exit 142; fi
export _HANDLER="$1"
exec /var/runtime/bootstrap
ENTRY
chmod 755 "$rootfs/lambda-entrypoint.sh"

ct_log "importing as $CT_LAMBDA_IMAGE"
tar -C "$rootfs" -cf - . | $CT_NICE podman import \
	--change 'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
	--change 'WORKDIR /var/task' \
	--change 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin' \
	--change 'ENV LANG=C.UTF-8' \
	--change 'ENV TZ=:/etc/localtime' \
	--change 'ENV LAMBDA_TASK_ROOT=/var/task' \
	--change 'ENV LAMBDA_RUNTIME_DIR=/var/runtime' \
	--change "LABEL $label=$inputs_hash" \
	- "$CT_LAMBDA_IMAGE" >/dev/null
rm -rf "$rootfs"
# The previous stand-in and SAM's images built on it are now untagged: drop them (ours only, by label).
podman image prune -f --filter "label=$label" >/dev/null 2>&1 || true
ct_log "built $CT_LAMBDA_IMAGE in $(( $(date +%s) - start )) s ($(podman image inspect --format '{{.Size}}' "$CT_LAMBDA_IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
