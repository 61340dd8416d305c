"""template.yaml keeps the promises the code relies on: no recursion, DLQs, least privilege."""

from __future__ import annotations

from article_pipeline_tools.local.infra import function_environment, load_template, table_definition


def _resources():
    return load_template()["Resources"]


def test_clean_output_prefix_never_triggers_ingest():
    # Given the bucket's notifications
    rules = _resources()["ArticlesBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    ingest = [r for r in rules if r["Queue"]["Fn::GetAtt"].startswith("IngestQueue")]
    # Then ingest only listens under incoming/, where no function writes
    for rule in ingest:
        prefixes = [x["Value"] for x in rule["Filter"]["S3Key"]["Rules"] if x["Name"] == "prefix"]
        assert prefixes == ["incoming/"]


def test_every_queue_redrives_to_a_dead_letter_queue_and_reports_partial_failures():
    resources = _resources()
    for queue in ("IngestQueue", "AnalyzeQueue"):
        assert resources[queue]["Properties"]["RedrivePolicy"]["maxReceiveCount"] >= 5  # AWS's advice for Lambda
    for function in ("IngestFunction", "AnalyzeFunction"):
        [source] = resources[function]["Properties"]["Events"].values()
        assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_no_wildcard_actions_or_resources_in_function_policies():
    for function in ("IngestFunction", "AnalyzeFunction"):
        for policy in _resources()[function]["Properties"]["Policies"]:
            for statement in policy["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert not any("*" in action for action in actions)
                assert statement["Resource"] != "*"


def test_only_analyze_gets_the_nlp_layer():
    resources = _resources()
    assert {"Ref": "NlpLayer"} not in resources["IngestFunction"]["Properties"]["Layers"]
    assert {"Ref": "NlpLayer"} in resources["AnalyzeFunction"]["Properties"]["Layers"]


def test_table_definition_and_environment_come_from_the_template():
    definition = table_definition()
    assert [k["AttributeName"] for k in definition["KeySchema"]] == ["PK", "SK"]
    assert "GlobalSecondaryIndexes" not in definition  # the name index lives in the table itself
    environment = function_environment()
    assert environment["POWERTOOLS_METRICS_NAMESPACE"] == "ArticlePipeline"
    assert "ENDPOINT_URL" in environment


def test_sam_translates_each_function_role_with_the_template_statements_resolved():
    # Given the local stack's names for template.yaml
    from article_pipeline_tools.local.iam import function_roles
    from article_pipeline_tools.local.infra import StackNames

    names = StackNames(
        bucket="t-articles-123456789012-us-east-1",
        table="t-ArticlesTable",
        ingest_queue_url="http://localhost/123456789012/t-IngestQueue",
        analyze_queue_url="http://localhost/123456789012/t-AnalyzeQueue",
        ingest_dlq_url="http://localhost/123456789012/t-IngestDLQ",
        analyze_dlq_url="http://localhost/123456789012/t-AnalyzeDLQ",
    )
    # When SAM's translator makes the roles
    roles = function_roles(names, stack_name="t", region="us-east-1")
    # Then each function has its own role, with every statement the template wrote, resolved
    assert set(roles) == {"IngestFunction", "AnalyzeFunction"}
    ingest = {s["Sid"]: s for s in roles["IngestFunction"].statements()}
    assert ingest["ReadUploads"]["Resource"] == "arn:aws:s3:::t-articles-123456789012-us-east-1/incoming/*"
    assert ingest["ArticleItems"]["Resource"] == "arn:aws:dynamodb:us-east-1:123456789012:table/t-ArticlesTable"
    analyze = {s["Sid"] for s in roles["AnalyzeFunction"].statements()}
    assert "WriteAnalysis" in analyze and "WriteCleanText" not in analyze
    # and SAM adds the managed policies Lambda and the SQS event source need
    assert any(arn.endswith("AWSLambdaSQSQueueExecutionRole") for arn in roles["AnalyzeFunction"].managed_policy_arns)
