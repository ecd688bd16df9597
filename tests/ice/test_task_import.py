"""Importing the paper's recorded ICE runs: counts, agreement, row export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspect_distill.cli import main
from tests.conftest import PAPER_ICE, SHARED_DATA


def _import(tmp_path: Path, model: str, identity: str, *extra: str) -> tuple[dict, Path]:
    rows_out = tmp_path / "rows.jsonl"
    code = main([
        "import-ice", str(PAPER_ICE / f"attack_{model}.jsonl"), "--identity", identity, "--judge", "lexical",
        "--questions", str(SHARED_DATA / "paper_identity_questions.csv"),
        "--log-dir", str(tmp_path / "logs"), "--rows-out", str(rows_out), *extra,
    ])
    assert code == 0
    from inspect_ai.log import list_eval_logs, read_eval_log

    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0])
    assert log.status == "success"
    score = log.samples[0].scores["ice_scorer"]
    return score.metadata, rows_out


def test_deepseek_import_reproduces_paper_counts(tmp_path: Path) -> None:
    metadata, rows_out = _import(tmp_path, "deepseek-chat", "deepseek")
    recorded = metadata["recorded_summary"]["overall"]
    assert recorded["queries"] == 1000
    assert recorded["loose"]["positives"] == 339
    assert recorded["strict"]["positives"] == 219
    assert recorded["hard"]["positives"] == 70
    assert recorded["strict"]["budget"] == 1000

    # the lexical judge's agreement with the recorded verdicts is reported
    agreements = {(a["second"], a["kind"]): a for a in metadata["summary"]["agreements"]}
    assert agreements[("recorded", "strict")]["both_judged"] == 1000

    rows = [json.loads(line) for line in rows_out.read_text().splitlines()]
    assert len(rows) == 1000
    for key in ("query", "jailbreak_prompt", "response", "loose", "strict", "hard"):
        assert key in rows[0]
    assert sum(r["recorded_loose"] for r in rows) == 339
    assert sum(bool(r["recorded_strict"]) for r in rows) == 219
    categories = {r["category"] for r in rows}
    assert categories == {"team", "industry", "technology", "geography", "cooperation"}


def test_rows_command_exports_an_import_log(tmp_path: Path) -> None:
    _import(tmp_path, "claude-3-5-sonnet-20241022", "anthropic")
    from inspect_ai.log import list_eval_logs

    log_file = list_eval_logs(str(tmp_path / "logs"))[0].name
    out = tmp_path / "again.jsonl"
    assert main(["rows", log_file, "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1000 and all(r["judge"] == "lexical" for r in rows)


def test_import_errors_are_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "attack_bad.jsonl"
    bad.write_text(json.dumps({"query": "who are you"}) + "\n")
    assert main(["import-ice", str(bad), "--identity", "deepseek", "--log-dir", str(tmp_path)]) == 2
    assert "missing field(s) jailbreak_prompt, target_responses" in capsys.readouterr().err
    assert main(["import-ice", str(bad), "--identity", "nobody", "--log-dir", str(tmp_path)]) == 2
    assert "nobody" in capsys.readouterr().err
