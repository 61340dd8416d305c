"""moto_server for the container tier, as strict as the embedded default: IAM enforced, S3 events as AWS's.

Runs inside the moto container (start-moto.sh mounts moto and a copy of the modules below). It is
moto's own server with the embedded default's patches installed: the IAM rules
(``article_pipeline_tools.local.moto_iam``: DynamoDB calls checked against the table's ARN, S3's
403 for a missing key without ``s3:ListBucket``, SQS batch calls as their single-message action)
and the versioned bucket's notifications (``moto_events``: ``versionId``, ``sequencer``, delete
markers), with one control path, ``/_local/iam``, that the host side (moto_stack.py) uses:

    GET  /_local/iam   {"enforced": bool, "identities": {...} | null, "checked": n, "denied": [...]}
    POST /_local/iam   {"enforced": bool, "identities": {...}}   (either key may be left out)

Enforcement is off until the host has created the stack's resources, the functions' roles and an
administrator (unsigned calls, as in the embedded default), then on: every S3, DynamoDB, SQS, STS
and IAM call must then be signed by a known identity and allowed by its policies. ``identities``
holds the credentials moto issued (the administrator's and each function's assumed role), kept
here so that they live exactly as long as the moto state they belong to.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# moto counts unsigned requests and enforces IAM from the Nth on: "off" is a count never reached.
NEVER = 10**15
CONTROL_PATH = "/_local/iam"


class Control:
    """What the host has told this server: enforcement on or off, and the identities it made."""

    def __init__(self) -> None:
        self.identities: dict[str, Any] | None = None
        self.enforce(False)

    @staticmethod
    def enforced() -> bool:
        from moto import settings

        return settings.INITIAL_NO_AUTH_ACTION_COUNT == 0

    @staticmethod
    def enforce(on: bool) -> None:
        from moto import settings
        from moto.core.authorization import ActionAuthenticatorMixin

        settings.INITIAL_NO_AUTH_ACTION_COUNT = 0 if on else NEVER
        ActionAuthenticatorMixin.request_count = 0

    def state(self) -> dict[str, Any]:
        from article_pipeline_tools.local.moto_iam import decisions

        taken = decisions.snapshot()
        return {
            "enforced": self.enforced(),
            "identities": self.identities,
            "checked": len(taken),
            "denied": [vars(d) for d in taken if not d.allowed],
            "principals": sorted({d.principal for d in taken}),
        }

    def update(self, body: dict[str, Any]) -> None:
        from article_pipeline_tools.local.moto_iam import decisions

        if "identities" in body:
            self.identities = body["identities"]
        if "enforced" in body:
            decisions.clear()
            self.enforce(bool(body["enforced"]))


def with_control(app: Any, control: Control) -> Any:
    """The WSGI app, with ``/_local/iam`` answered here and every other path passed to moto."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") != CONTROL_PATH:
            return app(environ, start_response)
        if environ.get("REQUEST_METHOD") == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                control.update(json.loads(environ["wsgi.input"].read(size) or b"{}"))
            except (ValueError, TypeError) as err:
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [f"{err}\n".encode()]
        body = json.dumps(control.state()).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return wsgi


def main(argv: list[str]) -> None:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    from article_pipeline_tools.local import moto_events, moto_iam

    host = argv[0] if argv else "0.0.0.0"
    port = argv[1] if len(argv) > 1 else "5000"
    moto_iam.install()
    moto_events.install()
    control = Control()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, int(port), with_control(app, control), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main(sys.argv[1:])
