"""Analyze: clean text (clean/<id>.json) becomes entity and claim items in DynamoDB.

The spaCy model loads once per container, at import, so warm invocations only analyse.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from article_pipeline.batch import handle_event
from article_pipeline.claims.checkworthiness import load_model
from article_pipeline.events import ObjectEvent
from article_pipeline.nlp import load_pipeline
from article_pipeline.runtime import default_store, emit_metrics, logger, metrics, record_clock, traced
from article_pipeline.stages import Outcome, analyze_object, record_unexpected_failure

# Cold start pays for the spaCy model and the check-worthiness weights once; warm calls reuse them.
load_pipeline()
load_model()


def process_record(object_event: ObjectEvent) -> Outcome:
    logger.append_keys(bucket=object_event.bucket, key=object_event.key)
    return emit_metrics(analyze_object(object_event, default_store()))


def on_failure(object_event: ObjectEvent, exc: BaseException) -> None:
    record_unexpected_failure(object_event, default_store(), exc)


@logger.inject_lambda_context(clear_state=True)
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_event(event, process_record, on_failure, context, record_clock())
