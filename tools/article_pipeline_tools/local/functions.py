"""The real Lambda handlers (functions/*/app.py), each run as Lambda runs it.

A ``LocalFunction`` is one function's container: its handler module, the environment Lambda
would give it (the template's variables, its role's credentials, its name and memory size) and
a context whose remaining time counts down from the template's timeout.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from article_pipeline_tools.local.infra import FunctionConfig
from article_pipeline_tools.project import handler_module_name


@dataclass
class FakeLambdaContext:
    """The attributes of a Lambda context object that Powertools and our handlers read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_s: float = 60.0
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.started + self.timeout_s - time.monotonic()) * 1000))


def load_handler_module(config: FunctionConfig) -> ModuleType:
    """The function's handler module, imported by name (``functions.ingest.app``): init runs once."""
    return importlib.import_module(handler_module_name(config.code_uri, config.handler))


# One invocation at a time in this process: each runs with its function's environment in os.environ
# (an RLock: a test may invoke one function from inside another's invocation).
_INVOKING = threading.RLock()


class LocalFunction:
    """One function of the template, invoked in this process with the environment Lambda gives it."""

    def __init__(self, config: FunctionConfig, environment: Mapping[str, str]) -> None:
        self.config = config
        self.environment = {
            **environment,
            "AWS_LAMBDA_FUNCTION_NAME": config.logical_id,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.memory_mb),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        }
        self._module: ModuleType | None = None

    @property
    def name(self) -> str:
        return self.config.logical_id

    @contextmanager
    def environment_applied(self) -> Iterator[None]:
        """This function's environment in os.environ (as inside its container), then the caller's again."""
        with _environment(self.environment):
            yield

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        context = FakeLambdaContext(
            function_name=self.name, memory_limit_in_mb=self.config.memory_mb, timeout_s=self.config.timeout_s
        )
        # The function's log lines and metrics go to stderr, as `sam local invoke` prints them, so that
        # a command's own output (its --json, say) is never mixed with them.
        with _INVOKING, self.environment_applied(), contextlib.redirect_stdout(sys.stderr):
            if self._module is None:
                self._module = load_handler_module(self.config)  # init runs with the function's environment
            result: dict[str, Any] = self._module.lambda_handler(event, context)
            return result

    __call__ = invoke


@contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
