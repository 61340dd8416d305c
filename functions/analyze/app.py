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
from article_pipeline.runtime import (
    default_store,
    emit_failure,
    emit_metrics,
    instrumented,
    observability,
    record_clock,
    start_record,
)
from article_pipeline.stages import Outcome, analyze_object, record_unexpected_failure

logger, metrics = observability()
# Cold start pays for the spaCy model and the check-worthiness weights once; warm calls reuse them.
load_pipeline()
load_model()


def process_record(object_event: ObjectEvent) -> Outcome:
    start_record(logger, object_event)
    return emit_metrics(metrics, analyze_object(object_event, default_store()))


def on_failure(object_event: ObjectEvent, exc: BaseException) -> None:
    emit_failure(metrics, exc)
    record_unexpected_failure(object_event, default_store(), exc)


@instrumented(logger, metrics)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_event(event, process_record, on_failure, context, record_clock())
