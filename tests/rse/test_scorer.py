"""The RSE judge: the bounded retry, both orders, errors recorded, and the refusal of identical text."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, Model, ModelOutput, get_model
from inspect_ai.util import LimitExceededError

from inspect_distill.rse.prompts import JUDGE_PROMPT
from inspect_distill.rse.rating import RATING_SCHEMA, judge_config
from inspect_distill.rse.scorer import (
    IdenticalTextError,
    judge_order,
    judge_similarity,
    refuse_identical,
)

CONFIG = GenerateConfig(temperature=0.0, max_tokens=60)


def scripted(reply: Callable[[list[ChatMessage]], str]) -> tuple[Model, list[list[ChatMessage]]]:
    """A mockllm grader whose reply depends on the conversation; returns it and the list of calls."""
    calls: list[list[ChatMessage]] = []

    def output(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        calls.append(list(input))
        return ModelOutput.from_content(model="judge", content=reply(input))

    return get_model("mockllm/judge", custom_outputs=output), calls


def test_identical_text_is_refused() -> None:
    with pytest.raises(IdenticalTextError, match="5.000"):
        refuse_identical("Paris is the capital.", "  Paris is\nthe capital. ")
    refuse_identical("Paris is the capital.", "Paris is the capital!")


# --- calls to the judge ----------------------------------------------------------------------------------


async def test_retry_after_unreadable_reply_then_success() -> None:
    replies = iter(["I'd say quite similar", '{"style": 2, "logic": 2, "content": 1, "overall": 4, "reason": "ok"}'])
    grader, calls = scripted(lambda _: next(replies))
    run = await judge_order(grader, "Q?", "answer one", "answer two", "reference_first", retries=1, config=CONFIG)
    assert run.judgement is not None and run.judgement.overall == 4 and run.error is None
    assert len(calls) == 2
    # the retry continues the conversation and names the problem
    assert [m.role for m in calls[1]] == ["user", "assistant", "user"]
    assert "no rating found" in calls[1][-1].text


async def test_retry_is_bounded_and_failure_is_recorded() -> None:
    grader, calls = scripted(lambda _: '{"style": 9, "logic": 9, "content": 9, "overall": 9}')
    run = await judge_order(grader, "Q?", "a", "b", "reference_first", retries=2, config=CONFIG)
    assert run.judgement is None
    assert len(calls) == 3 and len(run.replies) == 3
    assert run.error is not None and "outside" in run.error


async def test_grader_error_is_recorded_not_scored() -> None:
    def boom(input: Any, tools: Any, tool_choice: Any, config: Any) -> ModelOutput:
        raise RuntimeError("context window exceeded")

    grader = get_model("mockllm/judge", custom_outputs=boom)
    run = await judge_order(grader, "Q?", "a", "b", "reference_first", retries=1, config=CONFIG)
    assert run.judgement is None and run.error is not None
    assert "grader error" in run.error and "context window exceeded" in run.error


async def test_a_sample_limit_stops_the_judge_instead_of_being_recorded() -> None:
    def over(input: Any, tools: Any, tool_choice: Any, config: Any) -> ModelOutput:
        raise LimitExceededError("token", value=10, limit=5)

    grader = get_model("mockllm/judge", custom_outputs=over)
    with pytest.raises(LimitExceededError):
        await judge_order(grader, "Q?", "a", "b", "reference_first", retries=1, config=CONFIG)


async def test_an_output_error_is_recorded_not_parsed() -> None:
    def failed(input: Any, tools: Any, tool_choice: Any, config: Any) -> ModelOutput:
        output = ModelOutput.from_content(model="judge", content='{"style": 2, "logic": 2, "content": 2, "overall": 5}')
        output.error = "upstream overloaded"
        return output

    grader = get_model("mockllm/judge", custom_outputs=failed)
    run = await judge_order(grader, "Q?", "a", "b", "reference_first", retries=1, config=CONFIG)
    assert run.judgement is None and run.error == "grader error: upstream overloaded"


def _answer_a(conversation: list[ChatMessage]) -> str:
    prompt = conversation[0].text
    return prompt.split("<answer_a>\n", 1)[1].split("\n</answer_a>", 1)[0]


async def test_swap_judges_both_orders_with_the_answers_exchanged() -> None:
    # a position-biased judge: it always rates higher when the reference is shown first
    def reply(conversation: list[ChatMessage]) -> str:
        overall = 5 if _answer_a(conversation) == "REFERENCE TEXT" else 3
        return f'{{"style": 2, "logic": 1, "content": 1, "overall": {overall}}}'

    grader, calls = scripted(reply)
    similarity, runs = await judge_similarity(grader, "Q?", "REFERENCE TEXT", "TESTED TEXT", swap=True, retries=0,
                                              config=CONFIG)
    assert [run.order for run in runs] == ["reference_first", "tested_first"]
    assert [_answer_a(call) for call in calls] == ["REFERENCE TEXT", "TESTED TEXT"]
    assert similarity is not None and similarity.overall == 4.0 and similarity.swap_gap == 2.0


async def test_one_unreadable_order_leaves_the_pair_unscored() -> None:
    grader, _ = scripted(lambda c: '{"style": 1, "logic": 1, "content": 1, "overall": 3}'
                         if _answer_a(c) == "R" else "no idea")
    similarity, runs = await judge_similarity(grader, "Q?", "R", "T", swap=True, retries=0, config=CONFIG)
    assert similarity is None
    assert runs[0].judgement is not None and runs[1].judgement is None


async def test_structured_judge_config_carries_the_rating_schema() -> None:
    seen: list[GenerateConfig] = []

    def reply(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
        seen.append(config)
        return ModelOutput.from_content(model="judge", content='{"style": 0, "logic": 1, "content": 2, "overall": 5,'
                                                                 ' "reason": "r"}')

    grader = get_model("mockllm/judge", custom_outputs=reply)
    run = await judge_order(grader, "Q?", "a", "b", "reference_first", retries=0,
                            config=judge_config(50, structured=True))
    assert run.judgement is not None and run.judgement.overall == 5
    assert seen[0].response_schema == RATING_SCHEMA and seen[0].max_tokens == 50 and seen[0].temperature == 0.0
    assert judge_config(50, structured=False).response_schema is None


def test_prompt_shows_question_and_both_answers() -> None:
    text = JUDGE_PROMPT.format(question="QQ", answer_a="AA", answer_b="BB")
    assert "QQ" in text and "AA" in text and "BB" in text
    for criterion in ("style", "logic", "content", "overall"):
        assert f'"{criterion}"' in text


# --- what the viewer shows ---------------------------------------------------------------------------------


def test_values_are_named_with_their_ranges() -> None:
    from inspect_distill.rse.scorer import values_line

    line = values_line({"overall": 4.0, "style": 2.0, "logic": math.nan, "content": 1.0, "ngram": 0.25,
                        "rouge_l": 0.3125})
    assert line == ("overall (1-5) **4** · style (0-2) **2** · logic (0-2) **unscored** · content (0-2) **1** · "
                    "2-gram overlap **0.250** · ROUGE-L F1 **0.312**")


def test_answers_in_two_independent_columns() -> None:
    from inspect_distill.rse.scorer import GAP, LINE_CHARS, answer_lines, side_by_side

    long = "First point, a paragraph long enough to be wrapped: " + "word " * 8
    reference = f"{long.strip()}\n\n```python\nx = 1\n    y = `2`\n```\n\nA | B"
    table = side_by_side(reference, "Only one paragraph.\n\nAnd a second.", "gpt-4-0314", "replay/gpt-4-0613")
    lines = table.splitlines()
    assert lines[0] == f"| reference answer (gpt-4-0314) | {GAP} | tested answer (replay/gpt-4-0613) |"
    # each column flows on its own: the left paragraph wraps over two lines while the right one goes on
    left = answer_lines(reference)
    assert len(left[0]) <= LINE_CHARS and len(left) == 7 and left[2] == ""
    assert lines[2] == f"| {left[0]} | {GAP} | Only one paragraph. |"
    assert lines[3] == f"| {left[1]} | {GAP} |  |" and lines[4] == f"|  | {GAP} | And a second. |"
    assert left[3:] == ["`x = 1`", "`` \u00a0\u00a0\u00a0\u00a0y = `2` ``", "", "A \\| B"]  # code kept as code
    assert side_by_side("", "x", None, "m").splitlines()[2] == f"| (empty) | {GAP} | x |"
