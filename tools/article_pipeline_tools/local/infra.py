"""Create the bucket, queues, notifications and table that template.yaml defines, on moto.

Everything is read from template.yaml itself (key schema, indexes, redrive policies, prefix
filters) so the local stack and the deployed one cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from article_pipeline_tools.project import template_path

# Local queues make a failed message visible again quickly, so retries happen within a run.
LOCAL_VISIBILITY_TIMEOUT = 1


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation short-form tags (!Ref, !Sub, ...) as plain data."""


def _cfn_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {f"Fn::{suffix}" if suffix != "Ref" else "Ref": value}


_CfnLoader.add_multi_constructor("!", _cfn_tag)


@lru_cache(maxsize=4)
def load_template(path: Path | None = None) -> dict[str, Any]:
    with open(path or template_path(), encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - our SafeLoader subclass


@dataclass(frozen=True)
class StackNames:
    """Physical names of the local stack's resources."""

    bucket: str
    table: str
    ingest_queue_url: str
    analyze_queue_url: str
    ingest_dlq_url: str
    analyze_dlq_url: str

    def queue_url(self, logical_id: str) -> str:
        urls = {
            "IngestQueue": self.ingest_queue_url,
            "AnalyzeQueue": self.analyze_queue_url,
            "IngestDLQ": self.ingest_dlq_url,
            "AnalyzeDLQ": self.analyze_dlq_url,
        }
        return urls[logical_id]

    def env(self, endpoint_url: str | None = None) -> dict[str, str]:
        """Environment variables the functions read (as template.yaml's Globals set them)."""
        variables = dict(function_environment())
        variables.update({"TABLE_NAME": self.table, "BUCKET_NAME": self.bucket, "ENDPOINT_URL": endpoint_url or ""})
        return variables


def function_environment() -> dict[str, str]:
    """Literal environment variables of the template's Globals (references resolved to defaults)."""
    template = load_template()
    params = {name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()}
    return _literal_variables(template["Globals"]["Function"]["Environment"]["Variables"], params)


def _resource(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return template["Resources"][logical_id]["Properties"]


def table_definition(template: dict[str, Any] | None = None) -> dict[str, Any]:
    """``create_table`` arguments for ArticlesTable, straight from the template."""
    props = _resource(template or load_template(), "ArticlesTable")
    definition: dict[str, Any] = {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        definition["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    return definition


def create_stack_resources(
    session: Any,
    *,
    stack_name: str = "local",
    region: str = "us-east-1",
    endpoint_url: str | None = None,
    template: dict[str, Any] | None = None,
    visibility_timeout: int | None = LOCAL_VISIBILITY_TIMEOUT,
) -> StackNames:
    """Create (idempotently) every storage and queue resource of the template in moto.

    ``visibility_timeout`` shortens the queues' (so a failed message comes back within a test run);
    None keeps the template's own.
    """
    template = template or load_template()
    kwargs: dict[str, Any] = {"region_name": region}
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
    s3 = session.client("s3", **kwargs)
    sqs = session.client("sqs", **kwargs)
    dynamodb = session.client("dynamodb", **kwargs)

    bucket = f"{stack_name}-articles-123456789012-{region}"
    table = f"{stack_name}-ArticlesTable"
    existing_tables = dynamodb.list_tables()["TableNames"]
    if table not in existing_tables:
        dynamodb.create_table(TableName=table, **table_definition(template))

    queue_urls: dict[str, str] = {}
    for logical_id in ("IngestDLQ", "AnalyzeDLQ", "IngestQueue", "AnalyzeQueue"):
        props = _resource(template, logical_id)
        timeout = visibility_timeout if visibility_timeout is not None else props.get("VisibilityTimeout", 30)
        attributes = {"VisibilityTimeout": str(timeout)}
        redrive = props.get("RedrivePolicy")
        if redrive:
            dlq_id = redrive["deadLetterTargetArn"]["Fn::GetAtt"].split(".")[0]
            dlq_arn = sqs.get_queue_attributes(QueueUrl=queue_urls[dlq_id], AttributeNames=["QueueArn"])
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"],
                    "maxReceiveCount": str(redrive["maxReceiveCount"]),
                }
            )
        queue_urls[logical_id] = sqs.create_queue(QueueName=f"{stack_name}-{logical_id}", Attributes=attributes)[
            "QueueUrl"
        ]

    existing_buckets = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if bucket not in existing_buckets:
        if region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        versioning = _resource(template, "ArticlesBucket").get("VersioningConfiguration")
        if versioning:
            # moto_events makes moto notify as AWS does for a versioned bucket (versionId, sequencer,
            # delete markers).
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": versioning["Status"]})
        s3.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration=_notifications(template, sqs, queue_urls)
        )
    return StackNames(
        bucket=bucket,
        table=table,
        ingest_queue_url=queue_urls["IngestQueue"],
        analyze_queue_url=queue_urls["AnalyzeQueue"],
        ingest_dlq_url=queue_urls["IngestDLQ"],
        analyze_dlq_url=queue_urls["AnalyzeDLQ"],
    )


def _notifications(template: dict[str, Any], sqs: Any, queue_urls: dict[str, str]) -> dict[str, Any]:
    config = _resource(template, "ArticlesBucket")["NotificationConfiguration"]
    queue_configs = []
    for entry in config.get("QueueConfigurations", []):
        logical_id = entry["Queue"]["Fn::GetAtt"].split(".")[0]
        arn = sqs.get_queue_attributes(QueueUrl=queue_urls[logical_id], AttributeNames=["QueueArn"])
        rules = entry.get("Filter", {}).get("S3Key", {}).get("Rules", [])
        queue_configs.append(
            {
                "QueueArn": arn["Attributes"]["QueueArn"],
                "Events": [entry["Event"]],
                "Filter": {"Key": {"FilterRules": [{"Name": r["Name"], "Value": r["Value"]} for r in rules]}},
            }
        )
    return {"QueueConfigurations": queue_configs}


@dataclass(frozen=True)
class FunctionConfig:
    """What template.yaml sets for one function and its SQS event source."""

    logical_id: str
    code_uri: str
    handler: str
    memory_mb: int
    timeout_s: int
    queue: str  # logical id of the queue that feeds it
    batch_size: int
    environment: dict[str, str]  # the function's own variables, besides the Globals ones


def function_configs(template: dict[str, Any] | None = None) -> dict[str, FunctionConfig]:
    """Every AWS::Serverless::Function of the template, Globals applied, references at their defaults."""
    template = template or load_template()
    params = {name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()}
    globals_ = template.get("Globals", {}).get("Function", {})
    configs: dict[str, FunctionConfig] = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = {**globals_, **resource["Properties"]}
        sqs_events = [e["Properties"] for e in props.get("Events", {}).values() if e.get("Type") == "SQS"]
        if len(sqs_events) != 1:
            raise ValueError(f"{logical_id}: the local stack expects one SQS event source")
        # Its own variables only; the Globals ones are StackNames.env() (the same for every function).
        variables = resource["Properties"].get("Environment", {}).get("Variables", {})
        configs[logical_id] = FunctionConfig(
            logical_id=logical_id,
            code_uri=str(props["CodeUri"]),
            handler=str(props["Handler"]),
            memory_mb=int(props.get("MemorySize", 128)),
            timeout_s=int(props.get("Timeout", 3)),
            queue=sqs_events[0]["Queue"]["Fn::GetAtt"].split(".")[0],
            batch_size=int(sqs_events[0].get("BatchSize", 10)),
            environment=_literal_variables(variables, params),
        )
    return configs


def _literal_variables(variables: dict[str, Any], params: dict[str, str]) -> dict[str, str]:
    resolved: dict[str, str] = {}
    for name, value in variables.items():
        if isinstance(value, dict) and "Ref" in value:
            resolved[name] = params.get(value["Ref"], "")
        elif not isinstance(value, dict):
            resolved[name] = str(value)
    return resolved
