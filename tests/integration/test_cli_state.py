"""The command line on the embedded default: ``run`` leaves its results in --state-dir, where a later
``show`` or ``query`` (a new moto stack each time, as in a new process) finds them, numbers and all."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from article_pipeline_tools.cli import app

ARTICLE = (
    "Council approves budget after long debate\n\n"
    "The city council of Springfield approved the new budget on Tuesday after a long debate about school "
    "funding in the northern districts.\n\n"
    '"This budget keeps every school open," Mayor Jane Doe said after the vote.\n\n'
    "Critics argued that the increase was not enough to repair the ageing bridges across the river.\n"
)


def test_run_then_show_and_query_read_the_saved_state(tmp_path: Path) -> None:
    # Given an article uploaded and processed by `run` with a state folder
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "budget.txt").write_text(ARTICLE, encoding="utf-8")
    state, out = tmp_path / "state", tmp_path / "out"
    runner = CliRunner()
    ran = runner.invoke(app, ["run", str(folder), "--state-dir", str(state), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    article_id = json.loads((out / "budget.json").read_text(encoding="utf-8"))["article_id"]
    assert (state / "state.json").is_file()

    # When `show` and `query` start their own stacks from that state
    shown = runner.invoke(app, ["show", article_id, "--json", "--state-dir", str(state)])
    found = runner.invoke(app, ["query", "entity", "Jane Doe", "--json", "--state-dir", str(state)])

    # Then they see the article as `run` left it, its numbers intact
    assert shown.exit_code == 0, shown.output
    article = json.loads(shown.stdout)["article"]
    assert article["status"] == "DONE"
    assert int(article["word_count"]) == len(ARTICLE.split())
    assert found.exit_code == 0, found.output
    assert article_id in found.stdout

    # and a second run on the same state keeps the first one's results
    again = runner.invoke(app, ["run", str(folder), "--state-dir", str(state), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert runner.invoke(app, ["show", article_id, "--state-dir", str(state)]).exit_code == 0


def test_titles_with_markup_print_literally_and_same_named_files_stay_apart(tmp_path: Path) -> None:
    # Given two files of the same name in two folders, one titled with rich markup
    for folder, title in (("a", "[/bold] Breaking: [red]council[/red] votes"), ("b", "Second story")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.md").write_text(f"# {title}\n\n{ARTICLE}", encoding="utf-8")
    state, out = tmp_path / "state", tmp_path / "out"
    runner = CliRunner()
    # When both are run, shown in detail, and reported as JSON
    ran = runner.invoke(
        app, ["run", str(tmp_path / "a"), str(tmp_path / "b"), "--show", "--state-dir", str(state), "--out", str(out)]
    )
    as_json = runner.invoke(
        app, ["run", str(tmp_path / "a"), str(tmp_path / "b"), "--json", "--state-dir", str(state), "--out", str(out)]
    )
    # Then nothing crashed, the markup is printed as written, and each file kept its own key and output
    assert ran.exit_code == 0, ran.output
    assert "[/bold] Breaking: [red]council[/red] votes" in ran.stdout
    assert (out / "a" / "story.json").is_file() and (out / "b" / "story.json").is_file()
    outcomes = json.loads(as_json.stdout)
    assert sorted(o["file"] for o in outcomes) == ["a/story.md", "b/story.md"]
    assert len({o["article_id"] for o in outcomes}) == 2 and {o["status"] for o in outcomes} == {"DONE"}


def test_version_and_a_missing_stack_are_one_line_each(tmp_path: Path) -> None:
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "article-pipeline"
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=False)
    assert version.returncode == 0 and version.stdout.startswith("article-pipeline ")
    # A stack that cannot be reached: one line on stderr, exit code 3, no traceback
    missing = subprocess.run(
        [str(cli), "show", "0" * 20, "--stack", "no-such-stack", "--endpoint-url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "x",
            "AWS_SECRET_ACCESS_KEY": "x",
        },
        cwd=tmp_path,
        timeout=120,
    )
    assert missing.returncode == 3, missing.stderr
    assert missing.stderr.strip().startswith("error:") and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_query_speaker_check_worthy_lists_only_flagged_claims_likeliest_first(tmp_path: Path) -> None:
    # Given the sample article with Marieke van Dijk's statements (figures and forecasts), run through the pipeline
    samples = Path(__file__).resolve().parents[2] / "samples"
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbour-strike.html").write_bytes((samples / "harbour-strike.html").read_bytes())
    state = tmp_path / "state"
    runner = CliRunner()
    ran = runner.invoke(app, ["run", str(folder), "--state-dir", str(state), "--out", str(tmp_path / "out")])
    assert ran.exit_code == 0, ran.output

    # When his claims are queried, all of them and only those worth checking
    def claims(*flags: str) -> list[dict]:
        result = runner.invoke(app, ["query", "speaker", "Van Dijk", "--json", "--state-dir", str(state), *flags])
        assert result.exit_code == 0, result.output
        return [claim for entry in json.loads(result.stdout)["items"] for claim in entry["claims"]]

    everything, flagged = claims(), claims("--check-worthy")
    # Then the second list is exactly the flagged part of the first, highest score first
    assert all("check_worthy" in claim for claim in everything)
    assert sorted(c["n"] for c in flagged) == sorted(c["n"] for c in everything if c["check_worthy"])
    assert [c["score"] for c in flagged] == sorted((c["score"] for c in flagged), reverse=True)
    assert flagged and len(flagged) < len(everything)


def test_a_long_transcript_shows_its_claims_most_worth_checking(tmp_path: Path) -> None:
    # Given a debate transcript with many more claims than a terminal table should hold
    lines = []
    for i in range(30):
        lines.append(f"HOLT: Question number {i}, please tell the audience what you would do about it tonight.")
        lines.append(f"TRUMP: Unemployment rose by {i + 2} percent in Ohio last year, and wages fell by {i} percent.")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "debate.txt").write_text("\n\n".join(lines), encoding="utf-8")
    # When it is run and shown
    ran = CliRunner().invoke(
        app, ["run", str(tmp_path / "in"), "--show", "--state-dir", str(tmp_path / "s"), "--out", str(tmp_path / "o")]
    )
    # Then the table says how many of the claims it shows; the JSON holds them all
    assert ran.exit_code == 0, ran.output
    document = json.loads((tmp_path / "o" / "debate.json").read_text(encoding="utf-8"))
    assert len(document["claims"]) >= 60
    assert f"40 of {len(document['claims'])} claims, the highest-scoring" in " ".join(ran.stdout.split())


def test_split_writes_each_article_of_an_export_to_a_file_that_runs_on_its_own(tmp_path: Path) -> None:
    # Given a JSON Lines export of two articles, which the pipeline refuses as one upload
    export = tmp_path / "export.jsonl"
    stories = [{"title": title, "body": ARTICLE} for title in ("Budget passes", "Bridge plan")]
    export.write_text("\n".join(json.dumps(story) for story in stories) + "\n", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(app, ["analyze", str(export)])
    assert refused.exit_code == 1 and "holds 2 articles" in refused.output
    # When it is split
    split = runner.invoke(app, ["split", str(export), str(tmp_path / "parts")])
    # Then each article is a file of its own, and each analyses
    assert split.exit_code == 0, split.output
    parts = sorted((tmp_path / "parts").iterdir())
    assert [p.name for p in parts] == ["export-0001.json", "export-0002.json"]
    analysed = runner.invoke(app, ["analyze", *map(str, parts), "--json"])
    assert analysed.exit_code == 0, analysed.output
    assert [doc["title"] for doc in json.loads(analysed.stdout)] == ["Budget passes", "Bridge plan"]
    # and `analyze --split-exports` reads the export the same way in one step
    at_once = runner.invoke(app, ["analyze", str(export), "--split-exports", "--json"])
    assert at_once.exit_code == 0, at_once.output
    assert [doc["title"] for doc in json.loads(at_once.stdout)] == ["Budget passes", "Bridge plan"]


def test_run_split_exports_uploads_each_article_of_an_export_as_its_own_object(tmp_path: Path) -> None:
    # Given a folder with a JSON Lines export of two articles and a plain article
    folder = tmp_path / "in"
    folder.mkdir()
    stories = [{"title": title, "body": ARTICLE} for title in ("Budget passes", "Bridge plan")]
    (folder / "export.jsonl").write_text("\n".join(json.dumps(story) for story in stories), encoding="utf-8")
    (folder / "budget.txt").write_text(ARTICLE, encoding="utf-8")
    state, out = tmp_path / "state", tmp_path / "out"
    # When it is run with --split-exports
    ran = CliRunner().invoke(
        app, ["run", str(folder), "--split-exports", "--json", "--state-dir", str(state), "--out", str(out)]
    )
    # Then each article of the export was its own upload, analysed like the plain one
    assert ran.exit_code == 0, ran.output
    outcome = {row["file"]: row["status"] for row in json.loads(ran.stdout)}
    assert outcome == {"budget.txt": "DONE", "export/0001.json": "DONE", "export/0002.json": "DONE"}
    titles = [json.loads((out / "export" / f"000{n}.json").read_text(encoding="utf-8"))["title"] for n in (1, 2)]
    assert titles == ["Budget passes", "Bridge plan"]
