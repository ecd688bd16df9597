"""Errors a user meets in the first hour, run as the user runs them: `inspect eval` and `inspect-distill` in a
child process, offline, with no OpenAI key.

A mistake in the arguments or the roles stops before the run: a non-zero exit, one message with no traceback
and no raw rich markup, and no log written. `rows` never overwrites its output with a failure. Ctrl-C stops a
run on the local model within seconds and leaves a `cancelled` log.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ARENA_HARD, PAPER_ICE, run_eval

INSPECT = [sys.executable, "-c", "import sys; from inspect_ai._cli.main import main; sys.argv[0] = 'inspect'; main()"]
INSPECT_DISTILL = [sys.executable, "-m", "inspect_distill.cli"]
MAIN_JOB = ["eval", "inspect_distill/ice", "--model", "gguf/qwen2.5-coder-0.5b", "-T", "judge=lexical",
            "-T", "languages=en", "-T", "categories=team", "-T", "budget=20"]
"""The README's main job, without its `--model-role mutator=`."""
MUTATOR = ["--model-role", "mutator=gguf/qwen2.5-coder-0.5b"]


def _env(tmp_path: Path) -> dict[str, str]:
    """The installed package as a user runs it (a PYTHONPATH entry for src/ would hide the `inspect_distill/`
    task names: Inspect names a task by the installed distribution its module comes from), no OpenAI key,
    Inspect's cache and display kept out of the way."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("OPENAI_", "AZUREAI_OPENAI_"))}
    env.pop("PYTHONPATH", None)
    env["INSPECT_CACHE_DIR"] = str(tmp_path / "cache")
    env["INSPECT_DISPLAY"] = "plain"
    env["COLUMNS"] = "200"
    return env


def _run(command: list[str], tmp_path: Path, timeout: float = 120) -> tuple[int, str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=tmp_path, env=_env(tmp_path))
    return done.returncode, done.stdout + done.stderr


def _clean_message(output: str) -> str:
    """The output is one message: no traceback, no raw rich markup. Returns it with its lines joined."""
    assert "Traceback" not in output and 'File "' not in output, output
    assert "[bold]" not in output and "[/" not in output, output
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    assert 0 < len(lines) <= 8, output
    return " ".join(lines)


def test_unknown_reference_stops_before_the_run(tmp_path: Path) -> None:
    code, output = _run(INSPECT + MAIN_JOB + MUTATOR + ["-T", "references=foo", "--log-dir", "logs"], tmp_path)
    assert code != 0
    message = _clean_message(output)
    assert "references: unknown identity 'foo'" in message and "openai" in message
    assert not (tmp_path / "logs").exists()  # no run started, so no log


def test_missing_mutator_without_a_key_names_the_role_the_default_and_the_flag(tmp_path: Path) -> None:
    code, output = _run(INSPECT + MAIN_JOB + ["--log-dir", "logs"], tmp_path)
    assert code != 0
    message = _clean_message(output)
    for part in ("mutator", "openai/gpt-4o-mini", "OPENAI_API_KEY", "--model-role mutator="):
        assert part in message, part
    assert not (tmp_path / "logs").exists()


@pytest.mark.parametrize("argument, message", [
    ("budget=0", "budget: Input should be greater than or equal to 1"),
    ("selection=greedy", "Unknown selection policy 'greedy'"),
    ("identity=nobody", "unknown identity 'nobody'"),
])
def test_parameter_mistakes_are_one_message(argument: str, message: str, tmp_path: Path) -> None:
    code, output = _run(INSPECT + MAIN_JOB + MUTATOR + ["-T", argument, "--log-dir", "logs"], tmp_path)
    assert code != 0
    assert message in _clean_message(output)
    assert not (tmp_path / "logs").exists()


def test_the_traceback_stays_reachable_at_debug_level(tmp_path: Path) -> None:
    code, output = _run(INSPECT + MAIN_JOB + MUTATOR + ["-T", "budget=0", "--log-level", "debug"], tmp_path)
    assert code != 0
    assert "Traceback" in output and "build_settings" in output


def test_import_without_identity_names_the_flags_of_import_ice(tmp_path: Path) -> None:
    command = INSPECT_DISTILL + ["import-ice", str(PAPER_ICE / "attack_deepseek-chat.jsonl"), "--log-dir", "logs"]
    code, output = _run(command, tmp_path)
    assert code == 2
    message = _clean_message(output)
    assert "--identity NAME" in message and "--identity-file PATH" in message
    assert "-T " not in message


@pytest.fixture
def rse_log(tmp_path: Path) -> Path:
    """A real RSE log (recorded answers, no judge)."""
    from inspect_distill.rse.task import rse

    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD / "question.jsonl"), per_dataset=1, judge=False,
               reference_answers=str(ARENA_HARD / "answer_gpt-4-0314.jsonl"))
    log = run_eval(task, f"replay/{ARENA_HARD / 'answer_gpt-4-0613.jsonl'}", tmp_path / "rse_logs")
    assert log.status == "success", log.error
    return Path(log.location)


def test_rows_of_a_wrong_file_leave_the_output_as_it_was(tmp_path: Path, rse_log: Path) -> None:
    out = tmp_path / "rows.jsonl"
    out.write_text('{"kept": true}\n', encoding="utf-8")
    not_a_log = tmp_path / "notes.eval"
    not_a_log.write_text("not a log", encoding="utf-8")
    for log, message in ((not_a_log, "is not a readable Inspect log"), (rse_log, "holds no ICE campaign records"),
                         (tmp_path / "absent.eval", "No log file")):
        code, output = _run(INSPECT_DISTILL + ["rows", str(log), "--out", str(out)], tmp_path)
        assert code == 2
        assert message in _clean_message(output)
        assert out.read_text(encoding="utf-8") == '{"kept": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".rows")) == []  # no temporary file left


@pytest.mark.slow
def test_ctrl_c_stops_a_local_run_within_seconds(tmp_path: Path) -> None:
    """SIGINT while llama.cpp generates long mutations: the process ends within seconds, its log `cancelled`."""
    pytest.importorskip("llama_cpp")
    command = INSPECT + ["eval", "inspect_distill/ice", "--model", "gguf/smollm2-135m",
                         "--model-role", "mutator=gguf/smollm2-135m", "-T", "judge=lexical", "-T", "languages=en",
                         "-T", "categories=team", "-T", "budget=20", "-T", "mutator_max_tokens=2000", "-T", "cache=false",
                         "--log-dir", "logs"]
    process = subprocess.Popen(command, cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not list((tmp_path / "logs").glob("*.eval")):  # the run has started
            assert process.poll() is None and time.monotonic() < deadline, "the run did not start"
            time.sleep(0.2)
        time.sleep(5)  # the model is loaded and writing mutations
        assert process.poll() is None, "the run ended before the interrupt"
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
        # before, the process ran on until every in-flight and queued generation had finished (46-72 s for the
        # README's main job); now only the prompt being read when the interrupt came (seconds; more on a busy
        # machine: tests/providers/test_gguf.py times the mechanism itself)
        assert time.monotonic() - sent < 30
    finally:
        if process.poll() is None:
            process.kill()
    from inspect_ai.log import list_eval_logs, read_eval_log

    logs = list_eval_logs(str(tmp_path / "logs"))
    assert len(logs) == 1 and read_eval_log(logs[0], header_only=True).status == "cancelled"
