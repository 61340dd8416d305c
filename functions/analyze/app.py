"""Analyze: clean text (clean/<id>/<version>.json) becomes the analysis and its index entries in DynamoDB.

The spaCy model loads once per container, at import, so warm invocations only analyse.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from article_pipeline.batch import handle_event, object_events_in
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
from article_pipeline.stages import AnalyzeText, Outcome, analyze_object, parse_ahead, record_unexpected_failure

logger, metrics = observability()
# Cold start pays for the spaCy model and the check-worthiness weights once; warm calls reuse them.
load_pipeline()
load_model()


def process_record(object_event: ObjectEvent, analyze_text: AnalyzeText | None = None) -> Outcome:
    start_record(logger, object_event)
    return emit_metrics(metrics, analyze_object(object_event, default_store(), analyze_text))


def on_failure(object_event: ObjectEvent, exc: BaseException) -> None:
    emit_failure(metrics, exc)
    record_unexpected_failure(object_event, default_store(), exc)


@instrumented(logger, metrics)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # The batch's small texts are parsed together first; each record then runs its own rules.
    analyze_text = parse_ahead(object_events_in(event), default_store())
    return handle_event(
        event, lambda object_event: process_record(object_event, analyze_text), on_failure, context, record_clock()
    )
