"""Kill a campaign half way, run the same command again with the cache: same result as an uninterrupted run,
and no target query is asked twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from inspect_ai.log import list_eval_logs, read_eval_log

from tests.faults.conftest import MUTATOR, TARGET, campaign_of, run_campaign
from tests.support.openai_server import ServerConfig, TargetScript

BUDGET = 48  # 8 iterations of 6 questions
ANSWERED_BEFORE_KILL = 16  # two iterations and two thirds of the third
COMMAND = """
import sys
from inspect_ai import eval
from inspect_ai.model import get_model
from inspect_distill.ice.task import ice

base_url, log_dir, questions, templates = sys.argv[1:5]
model = lambda name: get_model(f"openai/{name}", base_url=base_url, api_key="test-key")
task = ice(identity="deepseek", budget=%d, judge="llm", cache=True, seed=1, questions=questions, templates=templates)
log = eval(task, model=model("%s"), model_roles={"mutator": model("%s"), "grader": model("gpt-local-judge")},
           log_dir=log_dir, display="none")[0]
sys.exit(0 if log.status == "success" else 1)
"""
COMMAND = COMMAND % (BUDGET, TARGET, MUTATOR)


def _start(base_url: str, log_dir: Path, files: dict[str, str], home: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "INSPECT_CACHE_DIR": str(home / "cache"), "XDG_DATA_HOME": str(home / "data"),
           "INSPECT_DISPLAY": "none"}
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, base_url, str(log_dir), files["questions"], files["templates"]],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the campaign did not get there in time")
        time.sleep(0.05)


def test_killed_campaign_resumes_from_the_cache(serve, campaign_files, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    server = serve(ServerConfig().with_role("target", script=TargetScript(base_leak=0.4)))

    # run 1: the server answers 20 target queries, then holds the rest; the process is killed (SIGKILL)
    server.hold(TARGET, after=ANSWERED_BEFORE_KILL)
    first = _start(server.base_url, tmp_path / "logs1", campaign_files, tmp_path)
    try:
        _wait_for(lambda: server.stats(TARGET).held > 0 or first.poll() is not None, timeout=90)
        assert first.poll() is None, first.stderr.read().decode() if first.stderr else ""
        time.sleep(0.5)  # let the answered queries reach the cache
    finally:
        first.kill()
        first.wait()
    server.release()
    before = server.stats()
    answered_target = set(before[TARGET].answered_requests)
    assert len(answered_target) == ANSWERED_BEFORE_KILL

    # run 2: the same command with the same cache finishes the campaign
    second = _start(server.base_url, tmp_path / "logs2", campaign_files, tmp_path)
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr.decode()
    after = server.stats()
    asked_again = after[TARGET].requested[before[TARGET].requests:]
    assert not answered_target & set(asked_again)  # no target query was made twice
    assert len(asked_again) == BUDGET - ANSWERED_BEFORE_KILL
    mutator_again = after[MUTATOR].requested[before[MUTATOR].requests:]
    assert not set(before[MUTATOR].answered_requests) & set(mutator_again)

    # an uninterrupted run (fresh cache) gives the same campaign
    monkeypatch.setenv("INSPECT_CACHE_DIR", str(tmp_path / "fresh-cache"))
    uninterrupted = campaign_of(run_campaign(server, tmp_path / "logs3", campaign_files, budget=BUDGET, cache=True))
    resumed = campaign_of(read_eval_log(list_eval_logs(str(tmp_path / "logs2"))[0]))
    assert resumed.queries == BUDGET and resumed.stop_reason == "budget"
    assert [r.model_dump() for r in resumed.records] == [r.model_dump() for r in uninterrupted.records]
    assert resumed.templates == uninterrupted.templates
