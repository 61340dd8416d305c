"""template.yaml keeps the promises the code relies on: no recursion, DLQs, least privilege."""

from __future__ import annotations

from article_pipeline.local.infra import function_environment, load_template, table_definition


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
        assert resources[queue]["Properties"]["RedrivePolicy"]["maxReceiveCount"] >= 2
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
    assert {index["IndexName"] for index in definition["GlobalSecondaryIndexes"]} == {"ByEntity", "BySpeaker"}
    environment = function_environment()
    assert environment["POWERTOOLS_SERVICE_NAME"] == "article-pipeline"
    assert "ENDPOINT_URL" in environment
