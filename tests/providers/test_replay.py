"""The replay provider, on the real arena-hard answer files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspect_ai.model import GenerateConfig, get_model

from inspect_distill.common.text import normalize_whitespace
from inspect_distill.providers.replay import RecordedAnswers, ReplayError
from tests.conftest import ARENA_HARD, run_eval
from tests.smoke_task import smoke

GPT4_0314 = ARENA_HARD / "answer_gpt-4-0314.jsonl"


def _recorded(path: Path) -> dict[str, str]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    return {r["messages"][0]["content"]: r["messages"][1]["content"]["answer"] for r in rows}


def test_reads_all_arena_hard_answers() -> None:
    recorded = RecordedAnswers(GPT4_0314)
    assert len(recorded) == 500
    assert recorded.model == "gpt-4-0314"


async def test_hit_returns_recorded_answer_and_model_name() -> None:
    model = get_model(f"replay/{GPT4_0314}")
    assert str(model) == "replay/gpt-4-0314"
    prompt, answer = next(iter(_recorded(GPT4_0314).items()))
    output = await model.generate(prompt, config=GenerateConfig(temperature=0))
    assert output.completion == answer
    assert output.model == "gpt-4-0314"


async def test_whitespace_differences_still_match() -> None:
    model = get_model(f"replay/{GPT4_0314}")
    prompt, answer = next(iter(_recorded(GPT4_0314).items()))
    messy = "  " + prompt.replace(" ", "  \n ") + "\n"
    assert normalize_whitespace(messy) == normalize_whitespace(prompt)
    assert (await model.generate(messy)).completion == answer


async def test_miss_is_an_error_naming_prompt_and_file() -> None:
    model = get_model(f"replay/{GPT4_0314}")
    with pytest.raises(ReplayError, match=r"answer_gpt-4-0314\.jsonl.*'What is the airspeed"):
        await model.generate("What is the airspeed velocity of an unladen swallow?")


async def test_plain_format_and_directory(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"prompt": "Who made you?", "response": "Acme Labs.", "model": "acme-1"}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"prompt": "Capital of France?", "response": "Paris."}) + "\n\n")
    model = get_model(f"replay/{tmp_path}")
    assert (await model.generate("Who  made you?")).completion == "Acme Labs."
    assert (await model.generate("Capital of France?")).completion == "Paris."
    assert str(model) == "replay/acme-1"


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json\n", "not valid JSON"),
        (json.dumps({"question": "x"}) + "\n", "needs either 'prompt' and 'response'"),
        ("", "holds no recorded answers"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "answers.jsonl"
    path.write_text(content)
    with pytest.raises(ReplayError, match=message):
        RecordedAnswers(path)


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReplayError, match="No recorded-answer file"):
        get_model(f"replay/{tmp_path / 'nope.jsonl'}")


def test_eval_returns_recorded_answers(tmp_path: Path) -> None:
    log = run_eval(smoke(questions=str(ARENA_HARD / "question.jsonl"), limit=5), f"replay/{GPT4_0314}", tmp_path)
    assert log.status == "success"
    assert log.eval.model == "replay/gpt-4-0314"
    recorded = _recorded(GPT4_0314)
    assert log.samples and len(log.samples) == 5
    for sample in log.samples:
        assert sample.output.completion == recorded[sample.input]


def test_eval_with_a_miss_fails_the_sample_not_silently(tmp_path: Path) -> None:
    answers = tmp_path / "one.jsonl"
    answers.write_text(json.dumps({"prompt": "Name one colour of the rainbow.", "response": "Red."}) + "\n")
    log = run_eval(smoke(), f"replay/{answers}", tmp_path / "logs")
    assert log.status == "error"
    assert "No recorded answer" in (log.error.message if log.error else "")
