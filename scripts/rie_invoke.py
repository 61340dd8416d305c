#!/usr/bin/env python3
"""Run a function built by `sam build` under the Lambda Runtime Interface Emulator, on the host.

Why: `sam local invoke` needs a container engine; the emulator shipped inside the SAM CLI package
(samcli/local/rapid/aws-lambda-rie-x86_64) does not. It speaks the real invoke protocol to
awslambdaric, so this exercises the handler string and the layout of .aws-sam/build exactly as
deployed: the function folder and each built layer's python/ folder, nothing from the project tree.

The runtime process is isolated like Lambda's: `python -S` (no site-packages) with PYTHONPATH =
function folder, layers (a later layer shadows an earlier one, as when Lambda unpacks them into
/opt), then a throw-away folder linking only awslambdaric and boto3 (and their dependencies) from
this interpreter's environment, standing in for /var/runtime. A module missing from a layer
therefore fails here as it would in Lambda. Bytecode writing is off: .aws-sam/build stays as built.

Command line: prints each response, then per invoke the init (cold only) and handler durations the
emulator logs, and the handler-module import time measured in a separate fresh process:

    python scripts/rie_invoke.py IngestFunction events/sqs_s3_batch.json [--repeat 3] [--env-vars env.json]

As a library (tests/integration/test_built_artifacts.py):

    with running_function("IngestFunction", {"TABLE_NAME": ...}) as url:
        response = invoke(url, event)
        timings = reports(url)

Environment: the function's variables from the built template (literals and !Ref parameter
defaults, like `sam local invoke`), then TABLE_NAME, BUCKET_NAME, ENDPOINT_URL and AWS_* from this
process, then `env` / --env-vars. AWS_SAM_LOCAL=true is set, as sam local does (Powertools then
disables X-Ray tracing). The emulator is found through --rie, $LAMBDA_RIE, or the SAM CLI package
in $SAM_VENV (default .venv-sam) or in this interpreter.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BUILD_DIR = ROOT / ".aws-sam" / "build"
INVOKE_PATH = "/2015-03-31/functions/function/invocations"
PASSTHROUGH = ("TABLE_NAME", "BUCKET_NAME", "ENDPOINT_URL")
RUNTIME_DISTRIBUTIONS = ("awslambdaric", "boto3")  # what the Lambda python3.12 runtime provides
REPORT_RE = re.compile(r"^REPORT RequestId: (?P<id>\S+).*?\tDuration: (?P<total>[\d.]+) ms")
INIT_RE = re.compile(r"INIT REPORT\(durationMs: (?P<ms>[\d.]+)\)")
RTDONE_RE = re.compile(r"INVOKE RTDONE\(.*duration: (?P<ms>[\d.]+)ms\)")


# --------------------------------------------------------------------------- the built template
def load_built_template(build_dir: Path) -> dict[str, Any]:
    """The template `sam build` wrote, with CloudFormation short tags kept as plain data."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_size import load_template
    finally:
        sys.path.pop(0)
    return load_template(build_dir / "template.yaml")


@dataclass
class BuiltFunction:
    """What the emulator needs to know about one function of .aws-sam/build."""

    name: str
    code_dir: Path
    handler: str
    layer_dirs: list[Path]
    environment: dict[str, str]
    timeout: int
    memory: int


def _resolve(value: Any, parameters: Mapping[str, Any]) -> str | None:
    """A literal or a !Ref to a parameter with a default; None for anything only AWS can resolve."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, dict) and set(value) == {"Ref"} and value["Ref"] in parameters:
        default = parameters[value["Ref"]].get("Default")
        return None if default is None else str(default)
    return None


def built_function(name: str, build_dir: Path = DEFAULT_BUILD_DIR) -> BuiltFunction:
    """Describe function ``name`` from the built template, merging Globals as SAM does."""
    template = load_built_template(build_dir)
    resources = template.get("Resources", {})
    res = resources.get(name)
    if not res or res.get("Type") != "AWS::Serverless::Function":
        functions = [n for n, r in resources.items() if r.get("Type") == "AWS::Serverless::Function"]
        raise SystemExit(f"error: no function {name!r} in {build_dir}/template.yaml; have {functions}")
    glob_fn = (template.get("Globals") or {}).get("Function") or {}
    props = {**glob_fn, **(res.get("Properties") or {})}
    parameters = template.get("Parameters") or {}
    env: dict[str, str] = {}
    for source in (glob_fn, res.get("Properties") or {}):
        for key, value in ((source.get("Environment") or {}).get("Variables") or {}).items():
            resolved = _resolve(value, parameters)
            if resolved is not None:
                env[key] = resolved
            else:
                env.pop(key, None)
    layer_dirs = []
    for ref in list(glob_fn.get("Layers") or []) + list((res.get("Properties") or {}).get("Layers") or []):
        layer = ref.get("Ref") if isinstance(ref, dict) else None
        uri = (resources.get(layer) or {}).get("Properties", {}).get("ContentUri") if layer else None
        if not isinstance(uri, str):
            raise SystemExit(f"error: {name}: layer {ref!r} was not built locally; cannot emulate it")
        layer_dirs.append(build_dir / uri)
    return BuiltFunction(
        name=name,
        code_dir=build_dir / props["CodeUri"],
        handler=props["Handler"],
        layer_dirs=layer_dirs,
        environment=env,
        timeout=int(props.get("Timeout", 3)),
        memory=int(props.get("MemorySize", 128)),
    )


# --------------------------------------------------------------------------- the stand-in runtime
def find_rie(explicit: str | None = None) -> Path:
    """The emulator binary shipped in the SAM CLI pip package."""
    candidates = [explicit, os.environ.get("LAMBDA_RIE")]
    venv = os.environ.get("SAM_VENV") or str(ROOT / ".venv-sam")
    rapid = "site-packages/samcli/local/rapid"
    candidates += sorted(glob.glob(f"{venv}/lib/python3*/{rapid}/aws-lambda-rie-x86_64"))
    with contextlib.suppress(ImportError):
        import samcli  # type: ignore[import-not-found]

        candidates.append(str(Path(samcli.__file__).parent / "local" / "rapid" / "aws-lambda-rie-x86_64"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise SystemExit("error: aws-lambda-rie-x86_64 not found: `make build` creates .venv-sam, or pass --rie")


def _top_level_entries(dist: metadata.Distribution) -> set[Path]:
    """Top-level files and folders a distribution installed into site-packages."""
    base = Path(str(dist.locate_file("")))
    entries = set()
    for file in dist.files or []:
        parts = Path(file).parts
        if parts and parts[0] not in ("..", "__pycache__") and not parts[0].endswith(".pth"):
            entries.add(base / parts[0])
    return entries


def _closure(names: tuple[str, ...]) -> list[metadata.Distribution]:
    """The distributions ``names`` need (markers evaluated for this interpreter, extras ignored)."""
    from packaging.requirements import Requirement

    seen: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:
            raise SystemExit(f"error: {name} is not installed in {sys.prefix}") from exc
        seen[key] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return list(seen.values())


def make_runtime_dir(target: Path) -> Path:
    """Link awslambdaric and boto3 (with dependencies) into ``target``: our /var/runtime stand-in."""
    target.mkdir(parents=True, exist_ok=True)
    for dist in _closure(RUNTIME_DISTRIBUTIONS):
        for entry in _top_level_entries(dist):
            link = target / entry.name
            if entry.exists() and not link.exists():
                link.symlink_to(entry)
    return target


# --------------------------------------------------------------------------- running the emulator
@dataclass
class Report:
    """Timings of one invocation, in milliseconds.

    The emulator starts the runtime lazily, on the first invoke, so its REPORT line folds the init
    into "Duration" and prints a meaningless "Init Duration"; its own debug lines carry the real
    split: ``INIT REPORT(durationMs: ...)`` and ``INVOKE RTDONE(..., duration: ...ms)``.
    """

    request_id: str
    init_ms: float | None = None  # runtime start + handler module import (cold invocations only)
    duration_ms: float | None = None  # the handler itself, as Lambda bills a warm invocation
    total_ms: float | None = None  # the emulator's REPORT Duration: init + handler
    wall_ms: float | None = None  # our POST round trip


@dataclass
class Emulator:
    function: BuiltFunction
    url: str
    process: subprocess.Popen[str]
    echo: bool
    lines: list[str] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)

    def pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if self.echo:
                sys.stderr.write(line)

    def reports(self) -> list[Report]:
        found: list[Report] = []
        init_ms = handler_ms = None
        for line in self.lines:
            if match := INIT_RE.search(line):
                init_ms = float(match["ms"])
            elif match := RTDONE_RE.search(line):
                handler_ms = float(match["ms"])
            elif match := REPORT_RE.search(line):
                total = float(match["total"])
                found.append(Report(match["id"], init_ms, handler_ms, total))
                init_ms = handler_ms = None
        for report, wall in zip(found, self.walls, strict=False):
            report.wall_ms = wall
        return found


_RUNNING: dict[str, Emulator] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[str], timeout: float = 15.0) -> None:
    """Until the port answers and the emulator is still running a moment later: what answers may be
    another process that holds the port, while the emulator dies failing to bind it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the emulator exited with code {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            time.sleep(0.3)
            if process.poll() is None:
                return
            continue
        time.sleep(0.05)
    raise RuntimeError(f"the emulator did not listen on port {port} within {timeout:.0f} s")


def function_environment(fn: BuiltFunction, env: Mapping[str, str] | None, runtime: Path) -> dict[str, str]:
    """The runtime's environment: template values, then pass-through from ours, then ``env``."""
    python_path = [fn.code_dir]
    for layer in reversed(fn.layer_dirs):  # Lambda unpacks layers in order: later ones win
        python_path += [layer / "python" / "lib" / "python3.12" / "site-packages", layer / "python"]
    python_path.append(runtime)
    result = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "HOME": tempfile.gettempdir(),
        **fn.environment,
    }
    for key, value in os.environ.items():
        if key in PASSTHROUGH or key in fn.environment or (key.startswith("AWS_") and key != "AWS_PROFILE"):
            result[key] = value
    result.update(env or {})
    result.update(
        {
            "PYTHONPATH": os.pathsep.join(str(p) for p in python_path if p.is_dir()),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",  # log lines reach us (and CloudWatch) as they are written
            "LAMBDA_TASK_ROOT": str(fn.code_dir),
            "LAMBDA_RUNTIME_DIR": str(runtime),
            "_HANDLER": fn.handler,
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
            "AWS_LAMBDA_FUNCTION_NAME": fn.name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory),
            "AWS_LAMBDA_FUNCTION_TIMEOUT": str(fn.timeout),
            "AWS_SAM_LOCAL": "true",
        }
    )
    result.setdefault("AWS_REGION", result.get("AWS_DEFAULT_REGION", "us-east-1"))
    result.setdefault("AWS_DEFAULT_REGION", result["AWS_REGION"])
    return result


@contextlib.contextmanager
def running_emulator(
    name: str,
    env: Mapping[str, str] | None = None,
    *,
    build_dir: Path | str = DEFAULT_BUILD_DIR,
    rie: str | None = None,
    echo: bool = False,
) -> Iterator[Emulator]:
    """Start the emulator for built function ``name``; stop it (and its runtime) on exit."""
    if sys.version_info[:2] != (3, 12):
        version = sys.version.split()[0]
        raise SystemExit(f"error: the functions run python3.12; this is {version} ({sys.executable})")
    fn = built_function(name, Path(build_dir))
    rie_path = find_rie(rie)
    with tempfile.TemporaryDirectory(prefix="rie-runtime-") as tmp:
        runtime_dir = make_runtime_dir(Path(tmp) / "runtime")
        emulator, pump = _start_emulator(fn, rie_path, function_environment(fn, env, runtime_dir), echo)
        _RUNNING[emulator.url] = emulator
        try:
            yield emulator
        finally:
            _RUNNING.pop(emulator.url, None)
            _stop(emulator.process)
            pump.join(timeout=5)


def _start_emulator(
    fn: BuiltFunction, rie_path: Path, env: dict[str, str], echo: bool, attempts: int = 3
) -> tuple[Emulator, threading.Thread]:
    """The emulator listening on free ports (its own and its Runtime API's). Another process may take a
    port between the moment it is found free and the emulator's bind (a shared machine, tests in
    parallel): then other ports."""
    for attempt in range(1, attempts + 1):
        port, api_port = _free_port(), _free_port()
        command = [
            str(rie_path),
            "--runtime-interface-emulator-address",
            f"127.0.0.1:{port}",
            # the Runtime API between emulator and runtime: 127.0.0.1:9001 by default, which a second
            # emulator on the machine (another clone's tests) would fail to bind
            "--runtime-api-address",
            f"127.0.0.1:{api_port}",
            sys.executable,
            "-S",
            "-m",
            "awslambdaric",
            fn.handler,
        ]
        process = subprocess.Popen(  # a fixed command built above
            command,
            cwd=fn.code_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # so the runtime process is stopped with the emulator
        )
        emulator = Emulator(fn, f"http://127.0.0.1:{port}{INVOKE_PATH}", process, echo)
        pump = threading.Thread(target=emulator.pump, daemon=True)
        pump.start()
        try:
            _wait_listening(port, process)
            return emulator, pump
        except RuntimeError as exc:
            _stop(process)
            pump.join(timeout=5)
            output = "\n".join(emulator.lines[-20:])
            if attempt < attempts and "address already in use" in output:
                continue
            raise RuntimeError(f"{exc}; its output:\n{output}") from None
    raise AssertionError("unreachable")  # the last attempt returned or raised


def _stop(process: subprocess.Popen[str]) -> None:
    """Stop the emulator's process group (emulator + runtime): TERM, then KILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, 15)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 9)
        process.wait(timeout=5)


@contextlib.contextmanager
def running_function(name: str, env: Mapping[str, str] | None = None, **kwargs: Any) -> Iterator[str]:
    """Start built function ``name`` under the emulator; yield its invocation URL."""
    with running_emulator(name, env, **kwargs) as emulator:
        yield emulator.url


def invoke(url: str, event: Any, timeout: float | None = None) -> Any:
    """POST ``event`` to the emulator and return the decoded response (errors come back as JSON too)."""
    emulator = _RUNNING.get(url)
    if timeout is None:
        timeout = (emulator.function.timeout + 30) if emulator else 120
    request = urllib.request.Request(  # a local http:// URL built above
        url, data=json.dumps(event).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
    if emulator:
        emulator.walls.append((time.perf_counter() - started) * 1000)
    return json.loads(body) if body else None


def reports(url: str, settle: float = 2.0) -> list[Report]:
    """The REPORT timings the emulator logged so far for ``url`` (it logs them just after replying)."""
    emulator = _RUNNING[url]
    deadline = time.monotonic() + settle
    while len(emulator.reports()) < len(emulator.walls) and time.monotonic() < deadline:
        time.sleep(0.05)
    return emulator.reports()


def init_seconds(
    name: str, env: Mapping[str, str] | None = None, *, build_dir: Path | str = DEFAULT_BUILD_DIR
) -> tuple[float, float]:
    """(wall, CPU) seconds to import the handler module in a fresh runtime process, as Lambda's init does.

    The emulator starts the runtime lazily and its REPORT "Init Duration" leaves the import out, so
    the cold start is measured here directly, with the same interpreter, path and environment.
    """
    fn = built_function(name, Path(build_dir))
    module = fn.handler.rsplit(".", 1)[0]
    probe = (
        "import resource, time\n"
        "t = time.perf_counter()\n"
        f"import {module}\n"
        "r = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(time.perf_counter() - t, r.ru_utime + r.ru_stime)\n"
    )
    with tempfile.TemporaryDirectory(prefix="rie-runtime-") as tmp:
        runtime_dir = make_runtime_dir(Path(tmp) / "runtime")
        result = subprocess.run(  # a fixed command built above
            [sys.executable, "-S", "-c", probe],
            cwd=fn.code_dir,
            env=function_environment(fn, env, runtime_dir),
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"importing {module} failed:\n{result.stderr[-3000:]}")
    wall, cpu = result.stdout.split()[-2:]
    return float(wall), float(cpu)


def logs(url: str) -> list[str]:
    """Everything the emulator and the function printed so far."""
    return list(_RUNNING[url].lines)


# --------------------------------------------------------------------------- command line
def _env_file(path: Path | None, function: str) -> dict[str, str]:
    """Variables from a `sam local invoke --env-vars` file: Parameters, then the function's own."""
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    merged = {**data.get("Parameters", {}), **data.get(function, {})}
    return {key: str(value) for key, value in merged.items()}


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("function", help="logical id in template.yaml, e.g. IngestFunction")
    parser.add_argument("event", type=Path, help="event JSON file, e.g. events/s3-put.json")
    parser.add_argument("--repeat", type=int, default=1, help="invoke N times (first cold, then warm)")
    parser.add_argument("--env-vars", type=Path, help="a `sam local invoke --env-vars` JSON file")
    parser.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR)
    parser.add_argument("--rie", help="path to aws-lambda-rie-x86_64 (default: from the SAM CLI package)")
    parser.add_argument("--quiet", action="store_true", help="do not echo the function's logs")
    parser.add_argument("--no-init", action="store_true", help="skip the separate import-time measurement")
    args = parser.parse_args(argv)
    if not (args.build_dir / "template.yaml").is_file():
        print(f"error: {args.build_dir}/template.yaml not found: run `make build` first", file=sys.stderr)
        return 2
    event = json.loads(args.event.read_text(encoding="utf-8"))
    env = _env_file(args.env_vars, args.function)
    failed = False
    options = {"build_dir": args.build_dir, "rie": args.rie, "echo": not args.quiet}
    with running_emulator(args.function, env, **options) as emu:
        for _ in range(max(1, args.repeat)):
            response = invoke(emu.url, event)
            print(json.dumps(response, indent=2, default=str))
            failed = failed or (isinstance(response, dict) and "errorType" in response)
        for number, report in enumerate(reports(emu.url), 1):
            kind = "cold" if number == 1 else "warm"
            print(
                f"{args.function} invoke {number} ({kind}): init {_ms(report.init_ms)}, handler "
                f"{_ms(report.duration_ms)}, total {_ms(report.total_ms)}, wall {_ms(report.wall_ms)}",
                file=sys.stderr,
            )
    if not args.no_init:
        wall, cpu = init_seconds(args.function, env, build_dir=args.build_dir)
        timing = f"{wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU"
        print(f"{args.function} init (handler import, fresh process): {timing}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
