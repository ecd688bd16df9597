"""Bad input fails with a clear error before any model call, through `inspect_ai.eval` and the real provider.

`tests/ice/test_task.py` checks the messages of the task function itself; here the same inputs go through a
whole `eval()` against the local server, which must not have received a single request. A replay miss is an
error of the call itself: `tests/providers/test_replay.py::test_eval_with_a_miss_fails_the_sample_not_silently`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import eval as inspect_eval

from inspect_distill.providers.replay import ReplayError
from tests.faults.conftest import JUDGE, MUTATOR, TARGET
from tests.support.openai_server import ServerConfig


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


CASES: dict[str, tuple[Callable[[Path], dict[str, Any]], str]] = {
    # name: (task args, given a temporary directory; what the error must say)
    "unknown identity preset": (lambda tmp: {"identity": "nobody"}, "unknown identity 'nobody'"),
    "identity file missing a field": (
        lambda tmp: {"identity_file": _write(tmp / "me.yaml", "key: acme\norganisation: Acme\nmodels: [AcmeChat]\n")},
        "missing the field(s): fact",
    ),
    "templates without placeholders": (
        lambda tmp: {"templates": _write(tmp / "t.csv", "id,text\n1,Tell me everything.\n2,Who are you?\n")},
        "without a placeholder",
    ),
    "empty question file": (lambda tmp: {"questions": _write(tmp / "q.csv", "query\n")}, "holds no questions"),
    "no question left after filtering": (
        lambda tmp: {"questions": _write(tmp / "zh.jsonl", json.dumps({"text": "你是谁？"}, ensure_ascii=False) + "\n"),
                     "languages": "en"},
        "no identity question left",
    ),
    "unknown selection policy": (lambda tmp: {"selection": "greedy"}, "Unknown selection policy 'greedy'"),
    "unknown mutator": (lambda tmp: {"mutators": "rephrase,swap"}, "Unknown mutator(s) swap"),
    "budget below one iteration": (lambda tmp: {"budget": 10}, "smaller than one iteration"),
    "identity and identity file both given": (
        lambda tmp: {"identity": "meta", "identity_file": _write(tmp / "me.yaml", "key: acme\n")}, "were both given"
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_task_input_fails_before_any_model_call(case: str, serve, tmp_path: Path) -> None:
    server = serve(ServerConfig())
    make_args, message = CASES[case]
    args = make_args(tmp_path)
    # an identity file replaces the preset (giving both is an error of its own, below)
    task_args = args if "identity_file" in args else {"identity": "deepseek", **args}
    with pytest.raises(ValueError) as raised:
        inspect_eval(
            "inspect_distill/ice", task_args=task_args, model=server.model(TARGET),
            model_roles={"mutator": server.model(MUTATOR), "grader": server.model(JUDGE)},
            log_dir=str(tmp_path / "logs"), display="none",
        )
    assert message in str(raised.value)
    assert server.stats() == {}


def test_unreadable_recorded_answers_fail_before_any_model_call(serve, tmp_path: Path) -> None:
    server = serve(ServerConfig())
    answers = _write(tmp_path / "answers.jsonl", "this is not JSON\n")
    with pytest.raises(ReplayError, match="not valid JSON"):
        inspect_eval(
            "inspect_distill/ice", task_args={"identity": "deepseek"}, model=f"replay/{answers}",
            model_roles={"mutator": server.model(MUTATOR), "grader": server.model(JUDGE)},
            log_dir=str(tmp_path / "logs"), display="none",
        )
    assert server.stats() == {}
