"""The verifier's reading of an answer: P(yes) from the answer token's log probabilities, the word without them,
None for anything that is not yes or no."""

from __future__ import annotations

import math

import pytest
from inspect_ai.model import ChatCompletionChoice, ChatMessageAssistant, Logprob, Logprobs, ModelOutput, TopLogprob

from inspect_distill.ice.judging.verifier import yes_probability


def output(text: str, steps: list[tuple[str, dict[str, float]]] | None = None) -> ModelOutput:
    logprobs = None
    if steps is not None:
        logprobs = Logprobs(content=[
            Logprob(token=token, logprob=math.log(top.get(token, 1e-6)),
                    top_logprobs=[TopLogprob(token=t, logprob=math.log(p)) for t, p in top.items()])
            for token, top in steps
        ])
    message = ChatMessageAssistant(content=text)
    return ModelOutput(model="m", choices=[ChatCompletionChoice(message=message, logprobs=logprobs)])


def test_probability_of_yes_sums_every_case_of_each_word_at_the_answer_token() -> None:
    steps = [
        ("{", {"{": 0.9, "Yes": 0.05}),  # before the answer: ignored
        (' "', {' "': 0.99}),
        ("no", {"no": 0.40, "yes": 0.30, "Yes": 0.15, "No": 0.05, "true": 0.1}),
        ('"}', {'"}': 0.99}),
    ]
    assert yes_probability(output('{"answer": "no"}', steps)) == pytest.approx(0.45 / 0.90)


def test_without_log_probabilities_the_word_decides() -> None:
    assert yes_probability(output('{"answer": "yes"}')) == 1.0
    assert yes_probability(output('{"answer": "no"}')) == 0.0


def test_an_answer_that_is_neither_yes_nor_no_is_no_decision() -> None:
    assert yes_probability(output('{"answer": "maybe"}', [("maybe", {"maybe": 0.9})])) is None
    assert yes_probability(output("I cannot tell.")) is None
