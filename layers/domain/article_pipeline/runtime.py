"""What both Lambda handlers share: settings, the store, logging and metrics set up once.

Kept out of the handlers so they stay a few lines each, and out of ``stages`` so the
domain logic never depends on Powertools. Each handler makes its own ``Logger`` and ``Metrics``
(``observability``), so its service name, and so its metrics' ``service`` dimension and log lines,
name its stage (POWERTOOLS_SERVICE_NAME, set per function in template.yaml).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit

from article_pipeline import ids
from article_pipeline.batch import RecordClock
from article_pipeline.events import ObjectEvent
from article_pipeline.settings import Settings, tracing_enabled
from article_pipeline.stages import Outcome
from article_pipeline.storage import ArticleStore

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class _CurrentStdout(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is when a line is logged, as metrics are printed.

    Lambda's stdout never changes; the local tools and tests swap it, and a handler holding the
    stream it was built with would write the logs of every later run to a closed capture.
    """

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def observability() -> tuple[Logger, Metrics]:
    """A handler's Powertools logger and metrics, named after its function's service (its stage)."""
    return Logger(logger_handler=_CurrentStdout()), Metrics()


def instrumented(logger: Logger, metrics: Metrics) -> Callable[[Handler], Handler]:
    """Powertools around a handler: Lambda context and correlation id in every log line, metrics
    flushed (a ColdStart metric on the first invocation), X-Ray only when tracing is on."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def with_domain_logs(event: dict[str, Any], context: Any) -> dict[str, Any]:
            # Domain modules log through the standard library: give them this function's JSON
            # format and keys (the local stack runs both functions in one process).
            copy_config_to_registered_loggers(source_logger=logger, include={"article_pipeline"})
            logging.getLogger("article_pipeline").setLevel(logger.log_level)
            return handler(event, context)

        wrapped = metrics.log_metrics(with_domain_logs, capture_cold_start_metric=True)
        return logger.inject_lambda_context(traced(wrapped), clear_state=True)  # type: ignore[no-any-return]

    return decorate


def start_record(logger: Logger, event: ObjectEvent) -> None:
    """Every log line about this record carries its bucket, key and article id (the correlation id)."""
    logger.append_keys(bucket=event.bucket, key=event.key)
    logger.set_correlation_id(ids.article_id_for_key(event.bucket, event.key))


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


def record_clock() -> RecordClock:
    """The container's record timer: it learns how long this function's records take."""
    return _clock_for(Settings.from_env())


@functools.lru_cache(maxsize=8)
def _clock_for(settings: Settings) -> RecordClock:
    return RecordClock(settings.record_budget_seconds)


def emit_metrics(metrics: Metrics, outcome: Outcome) -> Outcome:
    """One metric per outcome status (Articles<Status>), the stage's duration, and the article's
    figures (Words at ingest; Entities and Claims at analysis)."""
    metrics.add_metric(name=f"Articles{outcome.status.title()}", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="StageSeconds", unit=MetricUnit.Seconds, value=round(outcome.seconds, 3))
    for name, value in outcome.figures.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    return outcome


def emit_failure(metrics: Metrics, exc: BaseException) -> None:
    """A record failed unexpectedly (it is retried, then dead-lettered): counted per stage."""
    metrics.add_metric(name="RecordFailures", unit=MetricUnit.Count, value=1)
