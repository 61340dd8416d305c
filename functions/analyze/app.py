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
from article_pipeline.pipeline import Outcome, analyze_object, record_unexpected_failure
from article_pipeline.runtime import count, default_store, logger, metrics, record_clock, traced

# Cold start pays for the spaCy model and the check-worthiness weights once; warm calls reuse them.
load_pipeline()
load_model()


def analyze(object_event: ObjectEvent) -> Outcome:
    logger.append_keys(bucket=object_event.bucket, key=object_event.key)
    return count(analyze_object(object_event, default_store()))


def on_failure(object_event: ObjectEvent, exc: BaseException) -> None:
    record_unexpected_failure(object_event, default_store(), exc)


@logger.inject_lambda_context(clear_state=True)
@traced
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return handle_event(event, analyze, on_failure, context, record_clock())
