#!/usr/bin/env bash
# Start (idempotently) moto_server in a container on the user network $CT_NETWORK, reachable from
# the functions' containers as http://moto:5000 (env.json's ENDPOINT_URL) and from the host as
# http://127.0.0.1:$CT_MOTO_PORT. It runs the Lambda base image's Python with the pinned
# moto[server] (installed by build-lambda-image.sh) mounted read-only.
# Prints the host endpoint URL on stdout.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ct_setup_engine
MOTO="$(ct_pin moto)"
moto_dir="$CT_STATE/moto-$MOTO"
[ -f "$moto_dir/.complete" ] && ct_image_exists "$CT_LAMBDA_IMAGE" \
	|| ct_die "images missing: run make lambda-image first"
ct_ensure_network

endpoint="http://127.0.0.1:$CT_MOTO_PORT"
state="$("$ENGINE" inspect --format '{{.State.Running}}' "$CT_MOTO_NAME" 2>/dev/null || true)"
if [ "$state" != true ]; then
	[ -z "$state" ] || "$ENGINE" rm -f "$CT_MOTO_NAME" >/dev/null
	ct_log "starting $CT_MOTO_NAME (moto $MOTO) on network $CT_NETWORK, host port $CT_MOTO_PORT"
	"$ENGINE" run -d --name "$CT_MOTO_NAME" --network "$CT_NETWORK" --network-alias moto \
		-p "127.0.0.1:$CT_MOTO_PORT:5000" \
		-v "$moto_dir:/opt/moto:ro" -e PYTHONPATH=/opt/moto -e MOTO_PORT=5000 \
		--label org.article-pipeline.role=moto \
		--entrypoint /var/lang/bin/python3.12 "$CT_LAMBDA_IMAGE" \
		-m moto.server -H 0.0.0.0 -p 5000 >/dev/null
fi
for _ in $(seq 1 100); do
	if curl -sf --max-time 2 "$endpoint/moto-api/" >/dev/null 2>&1; then
		printf '%s\n' "$endpoint"
		exit 0
	fi
	sleep 0.3
done
"$ENGINE" logs --tail 30 "$CT_MOTO_NAME" >&2 || true
ct_die "moto did not answer on $endpoint"
