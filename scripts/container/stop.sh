#!/usr/bin/env bash
# Remove what the container tier started: the moto container, any SAM function containers left on
# our network, the network, and (podman) the API service this tier started. Images are kept.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ENGINE="$(ct_engine)"
[ -n "$ENGINE" ] || exit 0
[ "$ENGINE" != podman ] || ct_podman_env
"$ENGINE" rm -f "$CT_MOTO_NAME" >/dev/null 2>&1 && ct_log "removed $CT_MOTO_NAME" || true
left="$("$ENGINE" ps -aq --filter "network=$CT_NETWORK" 2>/dev/null || true)"
[ -z "$left" ] || { "$ENGINE" rm -f $left >/dev/null && ct_log "removed containers on $CT_NETWORK"; }
"$ENGINE" network rm "$CT_NETWORK" >/dev/null 2>&1 && ct_log "removed network $CT_NETWORK" || true
[ "$ENGINE" != podman ] || ct_stop_podman_service
