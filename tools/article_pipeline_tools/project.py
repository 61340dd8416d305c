"""Where the project is: the template.yaml the tools read, named by a setting or found from here.

The tools never find the repository from their own location: ``ARTICLE_PIPELINE_TEMPLATE`` names
the template, else the working directory's template.yaml is used, or the nearest one above it (as
git finds .git). The functions' handlers are imported by module name (``functions.ingest.app``,
from the template's CodeUri and Handler), as pyproject.toml installs them.
"""

from __future__ import annotations

import os
from pathlib import Path

TEMPLATE_SETTING = "ARTICLE_PIPELINE_TEMPLATE"


class ProjectNotFound(FileNotFoundError):
    """No template.yaml where the tools were told, or could, look."""


def template_path() -> Path:
    explicit = os.environ.get(TEMPLATE_SETTING)
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ProjectNotFound(f"{TEMPLATE_SETTING}={explicit}: no such file")
        return path
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "template.yaml").is_file():
            return folder / "template.yaml"
    raise ProjectNotFound(f"no template.yaml in {here} or above it: run from the project, or set {TEMPLATE_SETTING}")


def handler_module_name(code_uri: str, handler: str) -> str:
    """``functions/ingest`` + ``app.lambda_handler`` -> ``functions.ingest.app``."""
    package = ".".join(part for part in Path(code_uri).parts if part not in {".", ""})
    return f"{package}.{handler.rsplit('.', 1)[0]}"
