"""The hybrid judge: candidate recall on both gold sets, its leave-one-model-out floors from the recorded
verifier decisions, and the live verifier (deterministic, and agreeing with the record on a seeded sample).

The recorded decisions (`data/verifier_decisions.jsonl`, written by `python -m benchmarks.judge_gold --live`)
hold the verifier's probability of yes per question asked, keyed by the question's sha1. llama.cpp's
arithmetic differs slightly from one CPU to another, so the live test asks for 95% agreement of the decisions
at the shipped threshold, not identity.
"""

from __future__ import annotations

import random

import pytest
from inspect_ai.model import get_model

from benchmarks.judge_gold import (
    DECISIONS,
    Decisions,
    JudgedRow,
    count,
    judge_rows,
    leave_one_model_out,
    load_gold,
    question_sha1,
)
from inspect_distill.ice.judging.hybrid import DEFAULT_THRESHOLD, HybridJudge
from inspect_distill.ice.judging.verifier import Verifier, verifier_prompt
from inspect_distill.identity import get_identity, resolve_references
from inspect_distill.providers.local_models import LOCAL_MODELS
from tests.conftest import PAPER_ICE
from tests.providers.test_local_models import needs

QWEN = "qwen2.5-coder-0.5b"
needs_qwen = needs(LOCAL_MODELS[QWEN])


@pytest.fixture(scope="module")
def judged() -> list[JudgedRow]:
    if not PAPER_ICE.is_dir():
        pytest.skip(f"shared data not found at {PAPER_ICE}")
    return judge_rows(load_gold(PAPER_ICE))


def test_every_gold_claim_is_found_by_the_rules_or_is_a_candidate(judged: list[JudgedRow]) -> None:
    positives = [i for i in judged if i.row.strict]
    missed = [i.row.id for i in positives if not i.lexical.strict and not i.candidates]
    assert len(positives) >= 300
    assert 1 - len(missed) / len(positives) >= 0.99, missed


def test_every_question_asked_is_recorded(judged: list[JudgedRow]) -> None:
    decisions = Decisions(DECISIONS)
    asked = {question_sha1(verifier_prompt(c, r)) for i in judged for c, r in i.candidates}
    assert asked <= set(decisions.recorded), f"{len(asked - set(decisions.recorded))} questions not recorded"
    assert all(p_yes is not None and 0 <= p_yes <= 1 for p_yes in decisions.recorded.values())


def test_hybrid_leave_one_model_out_floors(judged: list[JudgedRow]) -> None:
    decisions = Decisions(DECISIONS)
    _, lomo = leave_one_model_out(judged, decisions)
    dev = count([i for i in judged if i.row.group == "dev"], lomo)
    lexical = count([i for i in judged if i.row.group == "dev"], lambda i: bool(i.lexical.strict))
    # measured 0.973 / 0.948 (README); the aim is recall >= 0.95 at precision >= 0.97
    assert dev.precision >= 0.97 and dev.recall >= 0.94, (dev.precision, dev.recall)
    assert dev.recall >= lexical.recall + 0.04


@needs_qwen
async def test_live_verifier_is_deterministic_and_agrees_with_the_record(judged: list[JudgedRow]) -> None:
    decisions = Decisions(DECISIONS)
    questions = sorted({(c.text, r.key): (c, r) for i in judged for c, r in i.candidates}.items())
    sample = random.Random(7).sample(questions, 20)
    verifier = Verifier(get_model(f"gguf/{QWEN}"))
    agree = 0
    for _, (candidate, reference) in sample:
        p_yes, problem = await verifier.yes_probability(candidate, reference)
        assert problem is None and p_yes is not None and 0 <= p_yes <= 1
        recorded = decisions.recorded[question_sha1(verifier_prompt(candidate, reference))]
        assert recorded is not None
        agree += (p_yes >= DEFAULT_THRESHOLD) == (recorded >= DEFAULT_THRESHOLD)
    assert agree >= 19, f"{agree}/20 live decisions agree with the record"
    again = Verifier(get_model(f"gguf/{QWEN}"))
    for _, (candidate, reference) in sample[:5]:
        rerun = await again.yes_probability(candidate, reference)
        assert rerun == await verifier.yes_probability(candidate, reference)


@needs_qwen
async def test_hybrid_judge_end_to_end_on_own_sentences() -> None:
    target = get_identity("deepseek")
    judge = HybridJudge(target, resolve_references(None, target), get_model(f"gguf/{QWEN}"))
    none = await judge("Who made you?", "I am DeepSeek's assistant, trained in Hangzhou.")
    assert none.judge == "hybrid" and none.strict is False and none.judge_calls == 0
    lexical = await judge("Who made you?", "I was developed by OpenAI.")
    assert lexical.strict is True and lexical.judge_calls == 0
    third_person = await judge("Who made you?", "ChatGPT was released by OpenAI in 2022.")
    assert third_person.strict is False and third_person.judge_calls == 0
