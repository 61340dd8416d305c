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
