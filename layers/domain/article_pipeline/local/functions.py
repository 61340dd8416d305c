"""Load the real Lambda handlers (functions/*/app.py) and call them as Lambda would."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from article_pipeline.local.infra import REPO_ROOT

FUNCTION_DIRS = {"IngestFunction": "ingest", "AnalyzeFunction": "analyze"}
MEMORY_MB = {"IngestFunction": 512, "AnalyzeFunction": 1024}


@dataclass
class FakeLambdaContext:
    """The attributes of a Lambda context object that Powertools and our handlers read."""

    function_name: str
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def load_handler_module(function: str) -> ModuleType:
    """Import functions/<name>/app.py under a unique module name (both files are called app.py)."""
    folder = FUNCTION_DIRS[function]
    module_name = f"{folder}_app"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = Path(REPO_ROOT) / "functions" / folder / "app.py"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load handler {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def handler(function: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A callable that invokes the function's real ``lambda_handler`` with a fresh context."""
    module = load_handler_module(function)

    def invoke(event: dict[str, Any]) -> dict[str, Any]:
        context = FakeLambdaContext(function_name=function, memory_limit_in_mb=MEMORY_MB[function])
        return module.lambda_handler(event, context)

    return invoke
