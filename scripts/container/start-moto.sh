#!/usr/bin/env bash
# Start (idempotently) moto_server in a container on the user network $CT_NETWORK, reachable from
# the functions' containers as http://moto:5000 (env.json's ENDPOINT_URL) and from the host as
# http://127.0.0.1:$CT_MOTO_PORT. It runs the Lambda base image's Python with the pinned
# moto[server] (installed by build-lambda-image.sh) mounted read-only, through moto_server.py:
# moto with the project's IAM rules, enforced once moto_stack.py has made the roles.
# A container started from other server code (an older clone) is replaced.
# Prints the host endpoint URL on stdout.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ct_setup_engine
MOTO="$(ct_pin moto)"
moto_dir="$CT_STATE/moto-$MOTO"
[ -f "$moto_dir/.complete" ] && ct_image_exists "$CT_LAMBDA_IMAGE" \
	|| ct_die "images missing: run make lambda-image first"
ct_ensure_network

# The server and the IAM rules it imports, copied out of the clone (clones share the container).
server_dir="$CT_STATE/moto-server"
rm -rf "$server_dir.tmp"
mkdir -p "$server_dir.tmp/article_pipeline_tools/local"
cp "$CT_ROOT/scripts/container/moto_server.py" "$server_dir.tmp/"
for f in __init__.py local/__init__.py local/moto_iam.py local/moto_events.py; do
	cp "$CT_ROOT/tools/article_pipeline_tools/$f" "$server_dir.tmp/article_pipeline_tools/$f"
done
code="$(cd "$server_dir.tmp" && find . -type f -name '*.py' | sort | xargs cat | sha256sum | cut -c1-16)"

endpoint="http://127.0.0.1:$CT_MOTO_PORT"
state="$("$ENGINE" inspect --format '{{.State.Running}}' "$CT_MOTO_NAME" 2>/dev/null || true)"
running_code="$("$ENGINE" inspect --format '{{index .Config.Labels "org.article-pipeline.code"}}' "$CT_MOTO_NAME" 2>/dev/null || true)"
if [ "$state" != true ] || [ "$running_code" != "$code" ]; then
	[ -z "$state" ] || "$ENGINE" rm -f "$CT_MOTO_NAME" >/dev/null
	rm -rf "$server_dir" && mv "$server_dir.tmp" "$server_dir"
	ct_log "starting $CT_MOTO_NAME (moto $MOTO, IAM enforced) on network $CT_NETWORK, host port $CT_MOTO_PORT"
	"$ENGINE" run -d --name "$CT_MOTO_NAME" --network "$CT_NETWORK" --network-alias moto \
		-p "127.0.0.1:$CT_MOTO_PORT:5000" \
		-v "$moto_dir:/opt/moto:ro" -v "$server_dir:/opt/server:ro" \
		-e PYTHONPATH=/opt/moto:/opt/server -e MOTO_PORT=5000 \
		--label org.article-pipeline.role=moto --label "org.article-pipeline.code=$code" \
		--entrypoint /var/lang/bin/python3.12 "$CT_LAMBDA_IMAGE" \
		/opt/server/moto_server.py 0.0.0.0 5000 >/dev/null
fi
rm -rf "$server_dir.tmp"
for _ in $(seq 1 100); do
	if curl -sf --max-time 2 "$endpoint/moto-api/" >/dev/null 2>&1; then
		printf '%s\n' "$endpoint"
		exit 0
	fi
	sleep 0.3
done
"$ENGINE" logs --tail 30 "$CT_MOTO_NAME" >&2 || true
ct_die "moto did not answer on $endpoint"
