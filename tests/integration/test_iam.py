"""IAM as deployed: each function runs under its own role from template.yaml, enforced both ways.

Every call the pipeline makes must be allowed by its function's policy, every action a policy
allows must be used by some call, and taking any one statement out of a policy must break the
pipeline with AccessDenied. The policies come from SAM's translator (article_pipeline_tools.local.iam).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from article_pipeline import ids
from article_pipeline_tools.local import moto_iam
from article_pipeline_tools.local.iam import function_roles
from article_pipeline_tools.local.infra import load_template
from article_pipeline_tools.local.stack import REGION, LocalStack, embedded_stack

pytestmark = pytest.mark.integration

ARTICLE = (
    b"<html><head><title>Port strike ends</title></head><body><nav>Home | World | Business</nav>"
    b"<article><h1>Port strike ends after nine days</h1>"
    + b"<p>Dock workers in Rotterdam returned to work on Monday, the union said. "
    b"Maria Jansen, a union spokeswoman, said the agreement raised wages by 4 percent. "
    b"Jansen added that talks would continue.</p>" * 4 + b"</article><footer>Share this story</footer></body></html>"
)
TEXT = b"The council approved the budget on Tuesday. Mayor Ellen Park said taxes would not rise.\n" * 3


def _run_scenario(stack: LocalStack) -> dict[str, Any]:
    """Uploads that reach every permission the functions hold; returns what became of each."""
    s3 = stack.session.client("s3")
    bucket = stack.names.bucket
    keys = {
        "replaced": "incoming/port strike.html",
        "rejected": "incoming/empty.txt",
        "deleted": "incoming/withdrawn.txt",
        "version_gone": "incoming/version-gone.txt",
        "retried": "incoming/retried.txt",
        "raced": "incoming/raced.html",
    }
    # An article, uploaded again once analysed (its old entity and claim items are cleared); a bad
    # input (its derived objects are removed); an upload deleted before it is processed (its clean
    # text is gone when analysis starts: a 404 needs s3:ListBucket); an upload whose version was
    # permanently deleted before ingest read it (the same rule, for a version); an upload whose clean
    # text write fails once (the failure is recorded on its item, then the retry succeeds).
    s3.put_object(Bucket=bucket, Key=keys["replaced"], Body=ARTICLE)
    s3.put_object(Bucket=bucket, Key=keys["rejected"], Body=b"   ")
    s3.put_object(Bucket=bucket, Key=keys["deleted"], Body=TEXT)
    s3.delete_object(Bucket=bucket, Key=keys["deleted"])
    version = s3.put_object(Bucket=bucket, Key=keys["version_gone"], Body=TEXT)["VersionId"]
    s3.delete_object(Bucket=bucket, Key=keys["version_gone"], VersionId=version)
    s3.put_object(Bucket=bucket, Key=keys["retried"], Body=TEXT)
    _fail_once(stack, "put_object", f"clean/{ids.article_id(bucket, keys['retried'])}/")
    # and an article whose analysis is about to commit when a newer version of it is ingested: the
    # analysis takes back what it wrote (entries, analysis document); the newer version's stands
    s3.put_object(Bucket=bucket, Key=keys["raced"], Body=ARTICLE)
    _ingest_a_newer_version_before_the_analysis_commits(stack, keys["raced"])
    failures = stack.poller().drain(max_seconds=300).failures
    s3.put_object(Bucket=bucket, Key=keys["replaced"], Body=ARTICLE.replace(b"Rotterdam", b"Antwerp"))
    failures += stack.poller().drain(max_seconds=300).failures
    # A direct invoke, as `sam local invoke` sends it: an S3 event without a version id.
    direct_key = "incoming/direct.txt"
    s3.put_object(Bucket=bucket, Key=direct_key, Body=TEXT)
    for url in (stack.names.ingest_queue_url, stack.names.analyze_queue_url):
        stack.sqs.purge_queue(QueueUrl=url)
    direct_error = None
    try:
        stack.invoke("IngestFunction", _s3_put_event(bucket, direct_key))
    except Exception as exc:  # a denied call fails the direct invocation, as in Lambda
        direct_error = str(exc)
    items = {name: stack.store.get_article(ids.article_id(bucket, key)) or {} for name, key in keys.items()}
    statuses = {name: item.get("status") for name, item in items.items()}
    statuses["direct"] = (stack.store.get_article(ids.article_id(bucket, direct_key)) or {}).get("status")
    # A retried article that ended DONE keeps no trace of the failure that was retried.
    statuses["retried_error"] = items["retried"].get("error")
    dead_letters = sum(
        int(
            stack.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
                "ApproximateNumberOfMessages"
            ]
        )
        for url in (stack.names.ingest_dlq_url, stack.names.analyze_dlq_url)
    )
    return {"statuses": statuses, "failures": failures, "dead_letters": dead_letters, "direct": direct_error}


def _ingest_a_newer_version_before_the_analysis_commits(stack: LocalStack, key: str) -> None:
    from article_pipeline_tools.local.runner import DrainStats

    article = ids.article_id(stack.names.bucket, key)
    client = stack.function_store("AnalyzeFunction").table.meta.client
    raced: list[str] = []

    def newer_version_first(params: dict[str, Any], **_: Any) -> None:
        if params.get("Key", {}).get("PK") == f"ARTICLE#{article}" and not raced:
            raced.append(key)
            stack.session.client("s3").put_object(
                Bucket=stack.names.bucket, Key=key, Body=ARTICLE.replace(b"Rotterdam", b"Hamburg")
            )
            stack.poller().poll_once("IngestFunction", DrainStats())

    client.meta.events.register("before-parameter-build.dynamodb.UpdateItem", newer_version_first)


def _fail_once(stack: LocalStack, operation: str, key_prefix: str) -> None:
    """The ingest function's first ``operation`` under ``key_prefix`` gets a 500 its retries do not absorb."""
    from botocore.exceptions import ClientError

    client = stack.function_store("IngestFunction").s3
    failed = []

    def fail(params: dict[str, Any], **_: Any) -> None:
        key = params.get("Key", "")
        if key.startswith(key_prefix) and not failed:
            failed.append(key)
            raise ClientError({"Error": {"Code": "InternalError", "Message": "injected"}}, operation)

    event = "".join(part.title() for part in operation.split("_"))
    client.meta.events.register(f"before-parameter-build.s3.{event}", fail)


EXPECTED = {
    "replaced": "DONE",
    "rejected": "FAILED",
    "deleted": "DELETED",
    "version_gone": "DELETED",
    "retried": "DONE",
    "raced": "DONE",
    "direct": "CLEANED",
    "retried_error": None,
}
EXPECTED_FAILURES = 1  # the injected one, retried


def _s3_put_event(bucket: str, key: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "eventTime": "2026-12-03T12:00:00.000Z",
                "s3": {"bucket": {"name": bucket}, "object": {"key": key.replace(" ", "+"), "size": len(TEXT)}},
            }
        ]
    }


def _healthy(result: dict[str, Any]) -> bool:
    return (
        result["statuses"] == EXPECTED
        and result["failures"] == EXPECTED_FAILURES
        and result["dead_letters"] == 0
        and result["direct"] is None
    )


def _statements(template: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for function in ("IngestFunction", "AnalyzeFunction"):
        for policy in template["Resources"][function]["Properties"]["Policies"]:
            found.extend((function, statement["Sid"]) for statement in policy["Statement"])
    return found


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), value) is not None


def test_the_pipeline_runs_under_its_roles_and_uses_every_action_they_allow():
    # Given the stack with the template's roles and IAM enforcement on
    with embedded_stack(None, stack_name="iam") as stack:
        roles = function_roles(stack.names, stack_name="iam", region=REGION)
        # When uploads that reach every permission go through the pipeline
        result = _run_scenario(stack)
        decisions = moto_iam.decisions.snapshot()
    # Then every article ends as expected, nothing failed and nothing was denied
    assert _healthy(result), result
    by_role = {role.role_name: function for function, role in roles.items()}
    denied = [d for d in decisions if d.principal in by_role and not d.allowed]
    assert denied == []
    # and each action of each statement the template wrote was used on a resource it names
    unused = []
    for function, role in roles.items():
        used = {(d.action, d.resource) for d in decisions if d.principal == role.role_name and d.allowed}
        for statement in role.statements():
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            for action in actions:
                for resource in resources:
                    if not any(a == action and _matches(resource, r) for a, r in used):
                        unused.append((function, statement["Sid"], action, resource))
    assert unused == [], f"allowed but never used (least privilege): {unused}"


@pytest.mark.parametrize(("function", "sid"), _statements(load_template()))
def test_taking_one_statement_out_of_a_role_breaks_the_pipeline_with_access_denied(function, sid):
    # Given template.yaml with one statement removed from one function's policy
    template = copy.deepcopy(load_template())
    for policy in template["Resources"][function]["Properties"]["Policies"]:
        policy["Statement"] = [s for s in policy["Statement"] if s["Sid"] != sid]
    # When the same uploads go through the pipeline
    with embedded_stack(None, stack_name="iam", template=template) as stack:
        role = function_roles(stack.names, stack_name="iam", region=REGION, template=template)[function]
        result = _run_scenario(stack)
        decisions = moto_iam.decisions.snapshot()
    # Then the function was denied, and the pipeline visibly failed (an article not as expected,
    # failed messages, or a failed direct invocation)
    denied = [d for d in decisions if d.principal == role.role_name and not d.allowed]
    assert denied, f"removing {function}/{sid} was never noticed"
    assert not _healthy(result), json.dumps(result)
