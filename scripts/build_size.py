#!/usr/bin/env python3
"""Unzipped size of what `sam build` produced: each layer, each function, each function + its layers.

Why: Lambda refuses a function whose code plus all its layers exceeds 262,144,000 bytes unzipped, and
`sam build` does not check it; `sam deploy` would only fail after uploading. Run after `sam build`:

    python scripts/build_size.py [--build-dir .aws-sam/build] [--limit 200] [--top 8] [--json]

Exits 1 if any function + layers is over Lambda's hard limit, or if boto3/botocore were packaged
(the runtime provides them, a bundled copy only shadows it); --limit MiB is a softer target that is
only reported as a warning. Sizes are the sum of file sizes, which is what Lambda counts.
Standard library only, so it runs with any Python 3.10+.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LAMBDA_UNZIPPED_LIMIT = 262_144_000  # bytes: function code + all layers, "250 MB"
MIB = 1024 * 1024
AWS_SDK_PACKAGES = ("boto3", "botocore", "s3transfer")


def tree_size(path: Path) -> int:
    """Sum of the sizes of the regular files under ``path`` (symlinks followed, as zip does)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(FileNotFoundError):  # a dangling symlink is not packaged
                total += os.stat(os.path.join(root, name)).st_size
    return total


def _cfn_loader() -> Any:
    """A YAML loader that accepts CloudFormation short tags (!Ref, !GetAtt, !Sub...) as plain data."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def construct(loader: Any, tag_suffix: str, node: Any) -> dict[str, Any]:
        name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}

    Loader.add_multi_constructor("!", construct)
    return Loader


def load_template(path: Path) -> dict[str, Any]:
    """Load a SAM template: JSON needs nothing; YAML needs PyYAML (present in both venvs)."""
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=_cfn_loader())  # a SafeLoader subclass


def _ref_name(value: Any) -> str | None:
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    return None


@dataclass
class Artifact:
    name: str
    path: Path
    size: int
    sdk_packages: list[str] = field(default_factory=list)
    largest: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class FunctionTotal:
    name: str
    layers: list[str]
    total: int
    external_layers: list[str] = field(default_factory=list)


@dataclass
class Report:
    layers: dict[str, Artifact]
    functions: dict[str, Artifact]
    totals: dict[str, FunctionTotal]


def _artifact(name: str, path: Path, top: int) -> Artifact:
    art = Artifact(name=name, path=path, size=tree_size(path))
    for base in (path, path / "python"):
        art.sdk_packages += [str(base / p) for p in AWS_SDK_PACKAGES if (base / p).is_dir()]
    if top:
        root = path / "python" if (path / "python").is_dir() else path
        entries = [(p.name, tree_size(p) if p.is_dir() else p.stat().st_size) for p in root.iterdir()]
        art.largest = sorted(entries, key=lambda e: -e[1])[:top]
    return art


def measure(build_dir: Path, top: int = 0) -> Report:
    """Sizes of the built layers and functions named in ``build_dir/template.yaml``."""
    template = load_template(build_dir / "template.yaml")
    resources: dict[str, Any] = template.get("Resources", {})
    global_layers = (template.get("Globals", {}).get("Function", {}) or {}).get("Layers", [])
    layers: dict[str, Artifact] = {}
    functions: dict[str, Artifact] = {}
    for name, res in resources.items():
        props = res.get("Properties", {}) or {}
        if res.get("Type") in ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion"):
            uri = props.get("ContentUri") or props.get("Content")
            if isinstance(uri, str) and (build_dir / uri).is_dir():
                layers[name] = _artifact(name, build_dir / uri, top)
    totals: dict[str, FunctionTotal] = {}
    for name, res in resources.items():
        if res.get("Type") != "AWS::Serverless::Function":
            continue
        props = res.get("Properties", {}) or {}
        uri = props.get("CodeUri")
        if not (isinstance(uri, str) and (build_dir / uri).is_dir()):
            continue  # image functions or inline code: nothing built to measure
        functions[name] = _artifact(name, build_dir / uri, top)
        local, external = [], []
        for ref in list(global_layers) + list(props.get("Layers", []) or []):
            layer = _ref_name(ref)
            (local if layer in layers else external).append(layer or json.dumps(ref))
        total = functions[name].size + sum(layers[layer].size for layer in local)
        totals[name] = FunctionTotal(name=name, layers=local, total=total, external_layers=external)
    return Report(layers=layers, functions=functions, totals=totals)


def _fmt(size: int) -> str:
    return f"{size:>13,d} B {size / MIB:8.1f} MiB"


def check(report: Report, limit_mib: float | None) -> tuple[list[str], list[str]]:
    """(errors, warnings): over Lambda's limit or bundling the AWS SDK is an error; over --limit warns."""
    errors: list[str] = []
    warnings: list[str] = []
    for tot in report.totals.values():
        what = f"{tot.name} + layers is {tot.total:,d} B ({tot.total / MIB:.1f} MiB)"
        if tot.total > LAMBDA_UNZIPPED_LIMIT:
            errors.append(f"{what}, over Lambda's limit of {LAMBDA_UNZIPPED_LIMIT:,d} B")
        elif limit_mib is not None and tot.total > limit_mib * MIB:
            warnings.append(f"{what}, over the {limit_mib:g} MiB target")
    for art in [*report.layers.values(), *report.functions.values()]:
        for pkg in art.sdk_packages:
            errors.append(f"{art.name} bundles {pkg}: the Lambda runtime provides the AWS SDK")
    return errors, warnings


def print_report(report: Report, out: Any = sys.stdout) -> None:
    """Print the size table: layers, functions, then each function with its layers."""
    for title, arts in (
        ("Built layers (unzipped):", report.layers),
        ("Built functions (unzipped code only):", report.functions),
    ):
        print(title, file=out)
        for art in arts.values():
            print(f"  {art.name:<24} {_fmt(art.size)}", file=out)
            for entry, size in art.largest:
                print(f"      {entry:<36} {size / MIB:8.1f} MiB", file=out)
    print(f"Function + its layers (Lambda limit {LAMBDA_UNZIPPED_LIMIT:,d} B):", file=out)
    for tot in report.totals.values():
        share = 100 * tot.total / LAMBDA_UNZIPPED_LIMIT
        layers = " + ".join(tot.layers) or "no layers"
        print(f"  {tot.name:<24} {_fmt(tot.total)} {share:5.1f}% of limit  ({layers})", file=out)
        if tot.external_layers:
            print(f"      not counted (not built here): {', '.join(tot.external_layers)}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", type=Path, default=Path(".aws-sam/build"))
    limit_help = "soft target for function + layers, in MiB: exceeding it only warns"
    parser.add_argument("--limit", type=float, metavar="MIB", help=limit_help)
    top_help = "also list the N largest top-level entries of each artifact"
    parser.add_argument("--top", type=int, default=0, metavar="N", help=top_help)
    parser.add_argument("--json", action="store_true", help="print the sizes as JSON instead")
    args = parser.parse_args(argv)
    if not (args.build_dir / "template.yaml").is_file():
        missing = args.build_dir / "template.yaml"
        print(f"error: {missing} not found: run `sam build` (make build) first", file=sys.stderr)
        return 2
    report = measure(args.build_dir, top=args.top)
    if args.json:
        print(
            json.dumps(
                {
                    "limit": LAMBDA_UNZIPPED_LIMIT,
                    "layers": {n: a.size for n, a in report.layers.items()},
                    "functions": {n: a.size for n, a in report.functions.items()},
                    "totals": {n: {"bytes": t.total, "layers": t.layers} for n, t in report.totals.items()},
                },
                indent=2,
            )
        )
    else:
        print_report(report)
    errors, warnings = check(report, args.limit)
    for message in warnings:
        print(f"WARNING: {message}", file=sys.stderr)
    for message in errors:
        print(f"ERROR: {message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
