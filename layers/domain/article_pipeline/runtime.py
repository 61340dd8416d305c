"""What both Lambda handlers share: settings, the store, logging and metrics set up once.

Kept out of the handlers so they stay a few lines each, and out of ``pipeline`` so the
domain logic never depends on Powertools.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit

from article_pipeline.batch import RecordClock
from article_pipeline.settings import Settings, tracing_enabled
from article_pipeline.stages import Outcome
from article_pipeline.storage import ArticleStore

logger = Logger()
metrics = Metrics()
# Domain modules log through the standard library; give them the same JSON format and keys.
copy_config_to_registered_loggers(source_logger=logger, include={"article_pipeline"})
logging.getLogger("article_pipeline").setLevel(logger.log_level)


def traced(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap the handler in a Powertools Tracer segment, building the Tracer only when tracing is on.

    Constructing a Tracer imports aws_xray_sdk even when tracing is disabled, which costs more
    than the rest of the ingest function's init; with tracing off it is never imported.
    """
    if not tracing_enabled():
        return handler
    from aws_lambda_powertools import Tracer

    return Tracer().capture_lambda_handler(capture_response=False)(handler)


def default_store() -> ArticleStore:
    """The store for the current settings and credentials, built on first use and then reused.

    In Lambda that is one store (one set of boto3 clients) per container. The local stack runs
    both functions in one process, each with its own role's credentials in the environment, as
    Lambda gives them; the settings carry the credentials' key id, so each role gets its store.
    """
    return _store_for(Settings.from_env())


@functools.lru_cache(maxsize=8)
def _store_for(settings: Settings) -> ArticleStore:
    return ArticleStore(settings)


@functools.lru_cache(maxsize=1)
def record_clock() -> RecordClock:
    """The container's record timer: it learns how long this function's records take."""
    return RecordClock(Settings.from_env().record_budget_seconds)


def emit_metrics(outcome: Outcome) -> Outcome:
    """Emit one metric per outcome status (Articles<Status>) and the stage's duration."""
    metrics.add_metric(name=f"Articles{outcome.status.title()}", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="StageSeconds", unit=MetricUnit.Seconds, value=round(outcome.seconds, 3))
    return outcome
