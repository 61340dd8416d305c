"""``article-pipeline``: analyse files locally, run the whole pipeline, inspect and query results.

Without settings naming a stack, commands use the embedded default (moto, in process, state
kept in ``--state-dir``); with ``--stack`` (or ARTICLE_PIPELINE_STACK) the same commands talk
to the deployed stack in ``--region``, through ``--endpoint-url`` if given.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from article_pipeline import ids
from article_pipeline.errors import InputError
from article_pipeline.schema import TERMINAL_STATUSES, Status, most_worth_checking
from article_pipeline_tools.target import open_target

# Exit codes: 0 all done; 1 some article not DONE/SKIPPED (or not found); 2 usage; 3 storage or configuration error.
EXIT_NOT_ALL_DONE, EXIT_USAGE, EXIT_STORAGE = 1, 2, 3

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
query_app = typer.Typer(no_args_is_help=True, help="Query across articles (newest first).")
app.add_typer(query_app, name="query")
# Piped output (CI logs, `make demo | less`) gets a readable width instead of rich's 80 columns.
MAX_SHOWN_CLAIMS = 40  # a debate transcript has thousands: the terminal gets the ones worth checking
console = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)

StackOpt = Annotated[
    str | None,
    typer.Option(
        "--stack", envvar="ARTICLE_PIPELINE_STACK", help="Deployed stack name; omit for the embedded default."
    ),
]
RegionOpt = Annotated[str | None, typer.Option("--region", envvar="AWS_REGION")]
EndpointOpt = Annotated[str | None, typer.Option("--endpoint-url", envvar="ENDPOINT_URL")]
StateOpt = Annotated[
    Path,
    typer.Option(
        "--state-dir",
        envvar="ARTICLE_PIPELINE_STATE",
        help="Where the embedded default keeps its data between commands.",
    ),
]
DEFAULT_STATE = Path(".local/embedded")


def _show_version(value: bool) -> None:
    if value:
        from article_pipeline import PIPELINE_VERSION

        console.print(f"article-pipeline {PIPELINE_VERSION}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Options shared by every command."""


ANALYSED = frozenset({Status.DONE, Status.SKIPPED})


# ------------------------------------------------------------------------------------------ analyze
@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Article files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the analysed documents as JSON.")] = False,
    split_exports: Annotated[
        bool, typer.Option("--split-exports", help="Analyse each article of a multi-article export on its own.")
    ] = False,
) -> None:
    """Analyse files on this machine (no AWS): clean text, entities, claims."""
    from article_pipeline import analyze_raw

    inputs: list[tuple[str, bytes, str]] = []  # (what to call it in an error, body, file name)
    for path in files:
        body = path.read_bytes()
        parts = _export_parts(body) if split_exports else []
        if len(parts) > 1:
            inputs += [
                (f"{path} #{n}", json.dumps(part).encode(), f"{path.stem}-{n:04d}.json")
                for n, part in enumerate(parts, start=1)
            ]
        else:
            inputs.append((str(path), body, path.name))
    documents, failed = [], 0
    for shown, body, name in inputs:
        try:
            documents.append(analyze_raw(body, filename=name))
        except InputError as exc:
            failed += 1
            err.print(Text(f"{shown}: {exc}", style="red"))
    if as_json:
        json.dump(
            documents if len(inputs) > 1 else (documents[0] if documents else None),
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for document in documents:
            _print_document(document)
    raise typer.Exit(EXIT_NOT_ALL_DONE if failed else 0)


# ------------------------------------------------------------------------------------------ split
@app.command()
def split(
    export: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSON, JSON Lines, RSS, Atom, mbox or NewsML.")
    ],
    out_dir: Annotated[Path, typer.Argument(file_okay=False, help="Folder for one JSON file per article.")],
) -> None:
    """Write each article of an export (JSON list or Lines, RSS or Atom feed, mbox, NewsML message) to its own file.

    One upload is one article: an export of several is refused (FAILED, several_articles).
    """
    from article_pipeline.cleaning.decode import decode_bytes
    from article_pipeline.cleaning.exports import export_records

    try:
        records = export_records(decode_bytes(export.read_bytes()).text)
    except InputError as exc:
        err.print(Text(f"{export}: {exc}", style="red"))
        raise typer.Exit(EXIT_NOT_ALL_DONE) from None
    if not records:
        err.print(Text(f"{export}: no article body found (looked for articleBody/body/content/text/html)", style="red"))
        raise typer.Exit(EXIT_NOT_ALL_DONE)
    out_dir.mkdir(parents=True, exist_ok=True)
    digits = max(4, len(str(len(records))))
    for number, record in enumerate(records, start=1):
        path = out_dir / f"{export.stem}-{number:0{digits}d}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    console.print(f"{len(records)} article(s) of {export.name} written to {out_dir}/")


# ------------------------------------------------------------------------------------------ run
@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="Files or folders to upload.")],
    out: Annotated[Path, typer.Option(help="Folder for the analysed documents (JSON).")] = Path("out"),
    show_details: Annotated[bool, typer.Option("--show", help="Print each article's entities and claims.")] = False,
    reports: Annotated[bool, typer.Option("--report", help="Also write an HTML report per article.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome per file as JSON.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the pipeline.")] = 900.0,
    split_exports: Annotated[
        bool,
        typer.Option(
            "--split-exports",
            help="Upload each article of a multi-article export (JSON list or lines, feed, mbox) as its own object.",
        ),
    ] = False,
    stack: StackOpt = None,
    region: RegionOpt = None,
    endpoint_url: EndpointOpt = None,
    state_dir: StateOpt = DEFAULT_STATE,
) -> None:
    """Upload files under incoming/ and let the pipeline process them (S3 -> SQS -> Lambda)."""
    from article_pipeline_tools.local.runner import expand_paths, guess_content_type, relative_names, upload_key

    files = expand_paths(paths)
    if not files:
        err.print("[red]no files to process[/red]")
        raise typer.Exit(EXIT_USAGE)
    names = relative_names(files)
    uploads: list[tuple[str, bytes, str | None]] = []  # (name, body, content type)
    for path in files:
        body = path.read_bytes()
        parts = _export_parts(body) if split_exports else []
        if len(parts) > 1:  # "feeds/world.xml" -> "feeds/world/0001.json", ...
            stem = names[path].rsplit(".", 1)[0]
            uploads += [
                (f"{stem}/{n:04d}.json", json.dumps(part, ensure_ascii=False).encode(), "application/json")
                for n, part in enumerate(parts, start=1)
            ]
        else:
            uploads.append((names[path], body, guess_content_type(path)))
    with open_target(stack, region, endpoint_url, state_dir) as target:
        store, local = target.store, target.local
        settings = store.settings
        articles = {}
        for name, body, content_type in uploads:
            key = upload_key(name, settings.incoming_prefix)
            store.put_object(key, body, content_type=content_type)
            articles[name] = ids.article_id(settings.bucket_name, key)
        started = time.perf_counter()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("processing", total=len(articles))
            if local is not None:

                def advance(function: str, count: int) -> None:
                    done = sum(_is_finished(store.get_article(a)) for a in articles.values())
                    progress.update(task, completed=done, description=f"{function} ({count} messages)")

                local.poller().drain(on_progress=advance, max_seconds=timeout)
                progress.update(task, completed=len(articles))
            else:
                _wait_for(store, list(articles.values()), progress, task, timeout)
        elapsed = time.perf_counter() - started
        rows = []
        out.mkdir(parents=True, exist_ok=True)
        for name, article in articles.items():
            item = store.get_article(article) or {}
            document = None
            if item.get("status") in ANALYSED:
                document = store.read_pointer(item["analysis"])
                written = out / Path(name).with_suffix(".json")
                written.parent.mkdir(parents=True, exist_ok=True)
                written.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
            rows.append((name, article, item, document))
    if as_json:
        _dump_json(
            [
                {"file": name, "article_id": article, "status": item.get("status"), "error": item.get("error")}
                for name, article, item, _ in rows
            ]
        )
    else:
        _print_summary(rows, elapsed)
    if reports:
        from article_pipeline_tools.report import render_report

        for name, _, _, document in rows:
            if document:
                page = out / Path(name).with_suffix(".html")
                page.write_text(render_report(document), encoding="utf-8")
                err.print(Text(f"report: {page}"))
    if show_details and not as_json:
        for _, _, _, document in rows:
            if document:
                _print_document(document)
    err.print(Text(f"analysed documents written to {out}/"))
    if any((item.get("status") not in ANALYSED) for _, _, item, _ in rows):
        raise typer.Exit(EXIT_NOT_ALL_DONE)


def _export_parts(body: bytes) -> list[dict[str, Any]]:
    """The article records of a JSON, feed or mailbox upload ([] for any other file or one it cannot read)."""
    from article_pipeline.cleaning.decode import decode_bytes
    from article_pipeline.cleaning.exports import export_records

    try:
        return export_records(decode_bytes(body).text)
    except InputError:
        return []


def _is_finished(item: dict[str, Any] | None) -> bool:
    if not item:
        return False
    return item.get("status") in TERMINAL_STATUSES and not (item.get("error") or {}).get("retryable")


def _wait_for(store: Any, articles: list[str], progress: Progress, task: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    delay = 1.0
    while time.monotonic() < deadline:
        done = sum(_is_finished(store.get_article(a)) for a in articles)
        progress.update(task, completed=done)
        if done == len(articles):
            return
        time.sleep(delay)
        delay = min(delay * 1.5, 10.0)
    err.print("[yellow]timed out waiting for the pipeline; showing what is there[/yellow]")


# ------------------------------------------------------------------------------------------ show / query
@app.command()
def show(
    article: Annotated[str, typer.Argument(help="Article id (as printed by run), or the upload's key or s3:// URI.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    stack: StackOpt = None,
    region: RegionOpt = None,
    endpoint_url: EndpointOpt = None,
    state_dir: StateOpt = DEFAULT_STATE,
) -> None:
    """Show one article: its status, metadata, entities and claims."""
    with open_target(stack, region, endpoint_url, state_dir) as target:
        store = target.store
        article_id = _article_id(article, store.settings.bucket_name)
        item = store.get_article(article_id)
        if item is None:
            err.print(Text(f"no article {article_id}", style="red"))
            raise typer.Exit(EXIT_NOT_ALL_DONE)
        document = store.read_pointer(item["analysis"]) if item.get("analysis") else None
    if as_json:
        json.dump({"article": item, "document": document}, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return
    _print_article_item(item)
    if document:
        _print_document(document)


def _article_id(given: str, bucket: str) -> str:
    """An article id as given, or the id of an upload named by key ('incoming/a.html') or s3:// URI."""
    if given.startswith("s3://"):
        bucket, _, key = given.removeprefix("s3://").partition("/")
        return ids.article_id(bucket, key)
    if "/" in given or "." in given:
        return ids.article_id(bucket, given)
    return given


@query_app.command("entity")
def query_entity(
    name: Annotated[str, typer.Argument(help="Entity name or alias (case and accents ignored).")],
    limit: Annotated[int, typer.Option(help="Results per page.")] = 20,
    cursor: Annotated[str | None, typer.Option(help="Continue from a previous page.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    stack: StackOpt = None,
    region: RegionOpt = None,
    endpoint_url: EndpointOpt = None,
    state_dir: StateOpt = DEFAULT_STATE,
) -> None:
    """Articles that mention NAME, newest first."""
    from article_pipeline_tools.queries import articles_mentioning

    with open_target(stack, region, endpoint_url, state_dir) as target:
        store = target.store
        page = articles_mentioning(store, name, limit=limit, cursor=cursor)
    _print_page(page, ["article_id", "title", "name", "label", "count", "salience"], as_json)


@query_app.command("speaker")
def query_speaker(
    name: Annotated[str, typer.Argument(help="Speaker name (case and accents ignored).")],
    limit: Annotated[int, typer.Option(help="Results per page.")] = 20,
    cursor: Annotated[str | None, typer.Option(help="Continue from a previous page.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    check_worthy: Annotated[
        bool, typer.Option("--check-worthy", help="Only the claims worth checking, the likeliest first.")
    ] = False,
    stack: StackOpt = None,
    region: RegionOpt = None,
    endpoint_url: EndpointOpt = None,
    state_dir: StateOpt = DEFAULT_STATE,
) -> None:
    """Claims attributed to NAME across articles, newest first (``--check-worthy``: by score)."""
    from article_pipeline_tools.queries import claims_by_speaker

    with open_target(stack, region, endpoint_url, state_dir) as target:
        store = target.store
        page = claims_by_speaker(store, name, limit=limit, cursor=cursor)
    rows = [(entry, claim) for entry in page.items for claim in entry.get("claims") or []]
    if check_worthy:
        rows = sorted((row for row in rows if row[1].get("check_worthy")), key=lambda row: -(row[1].get("score") or 0))
    if as_json:
        items = page.items
        if check_worthy:
            items = [{**entry, "claims": [claim]} for entry, claim in rows]
        _dump_json({"items": items, "cursor": page.cursor})
        return
    table = Table("article_id", "title", "speaker", "kind", "cue", "content", "score", "check")
    for entry, claim in rows:
        table.add_row(
            entry["article_id"],
            _cell(entry.get("title"), 40),
            _cell(entry.get("name")),
            _cell(_kind(claim)),
            _cell(claim.get("cue")),
            _cell(claim.get("content"), 100),
            _cell(claim.get("score")),
            _check_mark(claim),
        )
    console.print(table)
    if page.cursor:
        console.print(Text(f"more: --cursor '{page.cursor}'"))


@app.command()
def report(
    target: Annotated[str, typer.Argument(help="An article id, or a local file to analyse first.")],
    html_out: Annotated[Path, typer.Option("--html", help="Where to write the page.")] = Path("report.html"),
    stack: StackOpt = None,
    region: RegionOpt = None,
    endpoint_url: EndpointOpt = None,
    state_dir: StateOpt = DEFAULT_STATE,
) -> None:
    """Write one self-contained HTML page: highlighted entities and linked claims."""
    from article_pipeline_tools.report import render_report

    path = Path(target)
    if path.is_file():
        from article_pipeline import analyze_raw

        document = analyze_raw(path.read_bytes(), filename=path.name)
    else:
        with open_target(stack, region, endpoint_url, state_dir) as where:
            store = where.store
            item = store.get_article(target)
            if item is None or not item.get("analysis"):
                err.print(Text(f"no analysed article {target}", style="red"))
                raise typer.Exit(EXIT_NOT_ALL_DONE)
            document = store.read_pointer(item["analysis"])
    html_out.parent.mkdir(parents=True, exist_ok=True)
    html_out.write_text(render_report(document), encoding="utf-8")
    console.print(Text(f"report written to {html_out}"))


# ------------------------------------------------------------------------------------------ serve
@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port of the local AWS endpoint (S3, SQS, DynamoDB).")] = 4566,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    state_dir: Annotated[Path, typer.Option("--state-dir", help="Where the state is kept between runs.")] = Path(
        ".local/serve"
    ),
) -> None:
    """Run the stack as a local endpoint: drop files into its bucket with any S3 client (Ctrl-C stops)."""
    from article_pipeline_tools.local.serve import serve as run_server

    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", os.environ.get("LOG_LEVEL", "INFO"))
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    run_server(host=host, port=port, state_dir=state_dir, on_ready=_print_serving)
    err.print(Text(f"stopped; state saved in {state_dir}"))


def _print_serving(details: dict[str, Any]) -> None:
    endpoint, bucket, table = details["endpoint"], details["bucket"], details["table"]
    exports = " ".join(f"{k}={v}" for k, v in details["credentials"].items())
    lines = [
        "article-pipeline serve: the stack of template.yaml as a local AWS endpoint",
        f"  endpoint  {endpoint}   (S3, SQS and DynamoDB)",
        f"  bucket    {bucket}   (drop articles under incoming/)",
        f"  table     {table}",
        "IAM is enforced as in AWS; sign as the stack's administrator:",
        f"  export {exports} AWS_DEFAULT_REGION={details['region']}",
        "Then, for example:",
        f"  aws s3 cp article.html s3://{bucket}/incoming/ --endpoint-url {endpoint}",
        f'  article-pipeline query entity "Donald Trump" --endpoint-url {endpoint}',
        f"  article-pipeline show <article id> --endpoint-url {endpoint}",
        f"  aws dynamodb query --table-name {table} --key-condition-expression 'PK = :pk' "
        f"""--expression-attribute-values '{{":pk": {{"S": "NAME#donald trump"}}}}' --endpoint-url {endpoint}""",
        "Ctrl-C stops it.",
    ]
    console.print(Text("\n".join(lines)), soft_wrap=True)


# ------------------------------------------------------------------------------------------ reprocess
@app.command()
def reprocess(
    prefix: Annotated[str, typer.Option(help="Only uploads whose key (after incoming/) starts with this.")] = "",
    since: Annotated[str | None, typer.Option(help="Only articles received on or after (ISO date).")] = None,
    status: Annotated[
        list[str] | None, typer.Option(help="Only articles in this status (repeatable; MISSING: no article item).")
    ] = None,
    older_than: Annotated[
        str, typer.Option(help="'current': made by other versions than this checkout's; or a pipeline version.")
    ] = "current",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be sent; send nothing.")] = False,
    stack: StackOpt = None,
    region: RegionOpt = None,
    endpoint_url: EndpointOpt = None,
    state_dir: StateOpt = DEFAULT_STATE,
) -> None:
    """Send stale, failed or never-processed articles back through the queues (Lambda does the work)."""
    from article_pipeline_tools import reprocess as backfill

    filters = backfill.Filters(
        prefix=prefix, since=since, statuses=frozenset(s.upper() for s in status or []), older_than=older_than
    )
    with open_target(stack, region, endpoint_url, state_dir) as target:
        work = backfill.plan(target.store, filters)
        counts = work.counts()
        table = Table("action", "articles", title="reprocess" + (" (dry run)" if dry_run else ""))
        for action in backfill.ACTIONS:
            table.add_row(action, str(counts.get(action, 0)))
        console.print(table)
        if dry_run or not work.work:
            return
        with Progress(TextColumn("sending"), BarColumn(), MofNCompleteColumn(), console=err, transient=True) as bar:
            task = bar.add_task("sending", total=len(work.work))
            sent = backfill.send(target.sqs, target.queues, work.work, lambda n: bar.advance(task, n))
        if target.local is not None:
            target.local.poller().drain()  # the embedded default has no Lambda: run the functions here
        console.print(Text(f"{sent} messages sent"))


@app.command()
def redrive(
    stack: StackOpt = None,
    region: RegionOpt = None,
    endpoint_url: EndpointOpt = None,
    state_dir: StateOpt = DEFAULT_STATE,
) -> None:
    """Move dead-lettered messages back to their queues (after a fix)."""
    from article_pipeline_tools.reprocess import redrive as move

    with open_target(stack, region, endpoint_url, state_dir) as target:
        queues = target.queues
        moved = {
            "ingest": move(target.sqs, queues.ingest_dlq, queues.ingest),
            "analyze": move(target.sqs, queues.analyze_dlq, queues.analyze),
        }
        if target.local is not None and any(moved.values()):
            target.local.poller().drain()
    console.print(Text(f"moved {moved['ingest']} ingest and {moved['analyze']} analyze messages back"))


# ------------------------------------------------------------------------------------------ printing
# Every value that comes from an article (titles, names, quotes, reasons) is printed as plain text:
# rich would read "[/bold]" in a title as markup, and crash on it.
def _dump_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _print_page(page: Any, columns: list[str], as_json: bool) -> None:
    if as_json:
        _dump_json({"items": page.items, "cursor": page.cursor})
        return
    table = Table(*columns)
    for item in page.items:
        table.add_row(*[_cell(item.get(c)) for c in columns])
    console.print(table)
    if page.cursor:
        console.print(Text(f"more: --cursor '{page.cursor}'"))


def _kind(claim: dict[str, Any]) -> str:
    """The claim's kind; "↳" marks a statement reported inside another claim's content."""
    return f"↳ {claim['kind']}" if claim.get("nested") else str(claim.get("kind") or "")


def _check_mark(claim: dict[str, Any]) -> Text:
    """ "yes" when the model flags the claim as worth a fact-check ("" when not, or not scored so)."""
    return Text("yes" if claim.get("check_worthy") else "", style="bold")


def _cell(value: Any, width: int = 90) -> Text:
    if isinstance(value, dict):
        value = value.get("entity") or value.get("text")
    text = "" if value is None else str(value)
    return Text(text if len(text) <= width else text[: width - 1] + "…")


def _print_summary(rows: list[tuple[str, str, dict[str, Any], Any]], elapsed: float) -> None:
    table = Table(
        "file",
        "article id",
        "status",
        "words",
        "entities",
        "claims",
        "reason",
        title=f"{len(rows)} article(s) in {elapsed:.1f} s",
    )
    for name, article, item, _ in rows:
        error = item.get("error") or {}
        table.add_row(
            _cell(name),
            article,
            _cell(item.get("status", "?")),
            _cell(item.get("word_count")),
            _cell(item.get("entity_count")),
            _cell(item.get("claim_count")),
            _cell(error.get("message"), 60),
        )
    console.print(table)


def _print_article_item(item: dict[str, Any]) -> None:
    source = item.get("source") or {}
    console.print(Text.assemble((str(item.get("title") or source.get("key")), "bold"), f"  ({item.get('article_id')})"))
    console.print(
        Text(
            f"status {item.get('status')}  format {item.get('format')}  language {item.get('language')}  "
            f"words {item.get('word_count')}  s3://{source.get('bucket')}/{source.get('key')}"
        )
    )
    if item.get("error"):
        console.print(Text(f"{item['error'].get('code')}: {item['error'].get('message')}", style="red"))


def _print_document(document: dict[str, Any]) -> None:
    title = document.get("title") or (document.get("source") or {}).get("key") or document.get("article_id")
    console.rule(Text(str(title), style="bold"))
    if document.get("skipped_reason"):
        console.print(Text(f"skipped: {document['skipped_reason']}", style="yellow"))
    entities = Table("entity", "label", "mentions", "salience", "aliases", title="Canonical entities")
    for entity in document["entities"][:25]:
        entities.add_row(
            _cell(entity["name"]),
            _cell(entity["label"]),
            str(entity["count"]),
            f"{entity['salience']:.2f}",
            _cell(", ".join(entity["aliases"])),
        )
    console.print(entities)
    total = len(document["claims"])
    shown = [document["claims"][i] for i in most_worth_checking(document["claims"], MAX_SHOWN_CLAIMS)]
    claims = Table("kind", "speaker", "cue", "content", "score", "check", title="Claims", show_lines=True)
    if len(shown) < total:
        claims.caption = f"{len(shown)} of {total} claims, the highest-scoring; all are in the JSON"
    for claim in shown:
        speaker = claim.get("speaker") or {}
        who = speaker.get("entity") or speaker.get("text") or ""
        if speaker.get("text") and speaker.get("entity") and speaker["text"] != speaker["entity"]:
            who = f"{speaker['entity']} ({speaker['text']})"
        claims.add_row(
            _cell(_kind(claim)),
            _cell(who),
            _cell((claim.get("cue") or {}).get("text", "")),
            _cell(claim["content"]["text"], 160),
            f"{claim['score']:.2f}",
            _check_mark(claim),
        )
    console.print(claims)


def main() -> None:
    """Run the command line; storage and configuration problems are one line and exit code 3."""
    from article_pipeline.errors import StorageError
    from article_pipeline.settings import SettingsError
    from article_pipeline_tools.project import ProjectNotFound

    try:
        app()
    except (StorageError, SettingsError, ProjectNotFound) as exc:
        _fail(str(exc))
    except _aws_errors() as exc:
        _fail(f"{type(exc).__name__}: {exc}")


def _fail(message: str) -> None:
    """One line on stderr (never wrapped, whatever the terminal) and the storage exit code."""
    sys.stderr.write("error: " + " ".join(message.split()) + "\n")
    sys.exit(EXIT_STORAGE)


def _aws_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


if __name__ == "__main__":
    main()
