"""The RSE judge: how similar is the tested answer to the reference answer?

The `grader` role sees the question and two answers labelled A and B. It rates response style, logical
structure and content detail 0-2 each, then overall similarity 1-5, and replies with one line of JSON. A
reply that cannot be read is answered with a correction request, a bounded number of times; after that the
sample's judge scores are unscored (NaN) with the reason, never a guessed number. With `swap`, both orders
(reference as A, then tested as A) are judged and averaged, which cancels position bias; the gap between
the two orders is reported. Token 2-gram overlap and ROUGE-L F1 are computed beside the judge, always.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Literal

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageUser,
    GenerateConfig,
    Model,
    ResponseSchema,
)
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState
from inspect_ai.util import json_schema
from pydantic import BaseModel, create_model

from inspect_distill.common.models import (
    CONTENT_FILTER,
    GRADER_ROLE,
    role_model,
    safe_generate,
)
from inspect_distill.common.text import normalize_whitespace
from inspect_distill.rse.metrics import rse_metrics
from inspect_distill.rse.overlap import ngram_overlap, rouge_l_f1
from inspect_distill.rse.reference import ReferenceAnswers

JUDGE_PROMPT = """\
You will compare two answers to the same question. Rate how SIMILAR they are to each other. Do not rate \
which one is better or whether either is correct.

<question>
{question}
</question>

<answer_a>
{answer_a}
</answer_a>

<answer_b>
{answer_b}
</answer_b>

Criteria, each scored 0, 1 or 2 (2 = similar, 1 = partly similar, 0 = dissimilar):
- style: tone, formality, choice of words, punctuation and formatting.
- logic: the order of the ideas and the steps of reasoning.
- content: the facts and knowledge used, the examples, how much detail is given.
Then overall similarity from 1 to 5 (5 = very similar, 4 = similar, 3 = somewhat similar, \
2 = not similar, 1 = very different).

Reply with a single line of JSON, with whole numbers, and nothing else:
{{"style": <0-2>, "logic": <0-2>, "content": <0-2>, "overall": <1-5>, "reason": "<one short sentence>"}}"""
"""The judge's instructions; placeholders {question}, {answer_a}, {answer_b}."""

RETRY_PROMPT = """\
I could not read your rating: {problem}. Reply again with only the JSON line, whole numbers in range:
{{"style": <0-2>, "logic": <0-2>, "content": <0-2>, "overall": <1-5>, "reason": "<one short sentence>"}}"""
"""Sent after an unreadable judge reply; placeholder {problem}."""

CRITERIA: dict[str, tuple[int, int]] = {"style": (0, 2), "logic": (0, 2), "content": (0, 2), "overall": (1, 5)}
"""Judge score keys and their inclusive ranges."""

KEY_ALIASES: dict[str, tuple[str, ...]] = {
    "style": ("style", "response_style", "response style"),
    "logic": ("logic", "logical_structure", "logical structure", "structure"),
    "content": ("content", "content_detail", "content detail", "detail"),
    "overall": ("overall", "overall_similarity", "overall similarity", "similarity"),
}
REASON_KEYS = ("reason", "reasoning", "explanation", "rationale")

DEFAULT_JUDGE_MAX_TOKENS = 200
DEFAULT_JUDGE_RETRIES = 1

Order = Literal["reference_first", "tested_first"]
ORDER_LABEL: dict[str, str] = {"reference_first": "reference as A", "tested_first": "tested as A"}

UNREADABLE = "grader_failed"
NO_RESPONSE = "no_response"
NO_REFERENCE = "no_reference_answer"
IDENTICAL = "identical_to_reference"


class JudgeParseError(ValueError):
    """A judge reply holds no complete, in-range rating."""


class IdenticalTextError(ValueError):
    """Two texts to compare are identical: their similarity says nothing (the paper's self-score 5.000)."""


class Judgement(BaseModel):
    """One judge rating of one ordered pair."""

    style: int
    logic: int
    content: int
    overall: int
    reason: str = ""


class JudgeRun(BaseModel):
    """The judge calls for one order: every raw reply, then the rating or why there is none."""

    order: Order
    replies: list[str] = []
    judgement: Judgement | None = None
    error: str | None = None


RatingReply: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "RatingReply",
    __doc__="The shape of a judge reply: `CRITERIA` as whole-number choices, then the reason (so a reply "
            "cut at the token limit still holds a complete rating).",
    **{key: (Literal[tuple(range(low, high + 1))], ...) for key, (low, high) in CRITERIA.items()},
    reason=(str, ...),
)


RATING_SCHEMA = ResponseSchema(
    name="similarity_rating",
    json_schema=json_schema(RatingReply),
    description="Similarity of two answers: style, logic and content 0-2, overall 1-5, and a short reason.",
    strict=True,
)
"""Structured-output schema of the judge reply (the same keys and ranges as `CRITERIA`)."""


def judge_config(max_tokens: int, structured: bool) -> GenerateConfig:
    """Generation settings of every judge call: greedy, bounded, optionally schema-constrained."""
    return GenerateConfig(temperature=0.0, max_tokens=max_tokens,
                          response_schema=RATING_SCHEMA if structured else None)


class Similarity(BaseModel):
    """Judge scores of a pair, averaged over the judged orders."""

    style: float
    logic: float
    content: float
    overall: float
    swap_gap: float | None = None
    """overall(reference as A) - overall(tested as A); None when only one order was judged."""


def refuse_identical(reference: str, candidate: str) -> None:
    """Raise `IdenticalTextError` when two answers are the same text (up to whitespace)."""
    if normalize_whitespace(reference) == normalize_whitespace(candidate):
        raise IdenticalTextError(
            "The two answers are identical text; rating them would only reproduce the meaningless self-score "
            "(5.000). The comparison is refused."
        )


def _integer(key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise JudgeParseError(f"{key} is not a number ({value!r})")
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"-?\d+(\.0+)?", value):
            raise JudgeParseError(f"{key} is not a whole number ({value!r})")
        value = float(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise JudgeParseError(f"{key} is not a whole number ({value!r})")
        value = int(value)
    if not isinstance(value, int):
        raise JudgeParseError(f"{key} is not a number ({value!r})")
    low, high = CRITERIA[key]
    if not low <= value <= high:
        raise JudgeParseError(f"{key}={value} is outside {low}-{high}")
    return value


def _json_objects(text: str) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            found.append(value)
    return found


def _from_mapping(mapping: dict[str, Any]) -> dict[str, Any]:
    lowered = {str(k).strip().lower(): v for k, v in mapping.items()}
    values: dict[str, Any] = {}
    for key, aliases in KEY_ALIASES.items():
        for alias in aliases:
            if alias in lowered:
                values[key] = lowered[alias]
                break
    for alias in REASON_KEYS:
        if isinstance(lowered.get(alias), str):
            values["reason"] = lowered[alias]
            break
    return values


def _from_text(text: str) -> dict[str, Any]:
    """Scores written as `key: n` / `"key" = n` anywhere (truncated JSON, single quotes, prose)."""
    values: dict[str, Any] = {}
    for key, aliases in KEY_ALIASES.items():
        names = "|".join(re.escape(a).replace(r"\ ", r"[\s_]") for a in aliases)
        matches = re.findall(rf"[\"']?\b(?:{names})\b[\"']?\s*[:=]\s*[\"']?(-?\d+(?:\.\d+)?)", text, re.IGNORECASE)
        if matches:
            values[key] = matches[-1]
    reason = re.search(r"[\"']?\b(?:" + "|".join(REASON_KEYS) + r")\b[\"']?\s*[:=]\s*[\"']([^\"'\n]*)", text,
                       re.IGNORECASE)
    if reason:
        values["reason"] = reason.group(1)
    return values


def parse_judgement(text: str) -> Judgement:
    """Read a judge reply: a JSON object (fenced or among prose), else `key: n` pairs.

    Raises:
        JudgeParseError: no complete rating, or a score that is not a whole number in range.
    """
    candidates = [_from_mapping(obj) for obj in _json_objects(text)]
    complete = [c for c in candidates if all(k in c for k in CRITERIA)]
    values = complete[-1] if complete else _from_text(text)
    missing = [k for k in CRITERIA if k not in values]
    if missing:
        if len(missing) == len(CRITERIA):
            raise JudgeParseError("no rating found (expected JSON with style, logic, content, overall)")
        raise JudgeParseError(f"missing {', '.join(missing)}")
    scores = {key: _integer(key, values[key]) for key in CRITERIA}
    return Judgement(**scores, reason=str(values.get("reason", "")).strip())


def combine(judgements: dict[Order, Judgement]) -> Similarity:
    """Average the judged orders; with both orders, also their overall gap (reference as A minus tested as A)."""
    if not judgements:
        raise ValueError("combine() needs at least one judgement")
    runs = list(judgements.values())
    averaged = {key: sum(getattr(j, key) for j in runs) / len(runs) for key in CRITERIA}
    gap = None
    if "reference_first" in judgements and "tested_first" in judgements:
        gap = float(judgements["reference_first"].overall - judgements["tested_first"].overall)
    return Similarity(**averaged, swap_gap=gap)


async def judge_order(grader: Model, question: str, answer_a: str, answer_b: str, order: Order,
                      retries: int, config: GenerateConfig) -> JudgeRun:
    """Ask the judge about one ordered pair; on an unreadable reply ask again, at most `retries` times."""
    run = JudgeRun(order=order)
    messages: list[ChatMessage] = [
        ChatMessageUser(content=JUDGE_PROMPT.format(question=question, answer_a=answer_a, answer_b=answer_b))
    ]
    for _ in range(retries + 1):
        generated = await safe_generate(grader, messages, config)
        if generated.output is None:  # a model error is recorded, never turned into a score
            run.error = f"grader error: {generated.error}"
            return run
        output = generated.output
        reply = generated.text
        run.replies.append(reply)
        if generated.error == CONTENT_FILTER:
            run.error = "grader refused (content filter)"
            return run
        if output.error:
            run.error = f"grader error: {output.error}"
            return run
        try:
            run.judgement = parse_judgement(reply)
            run.error = None
            return run
        except JudgeParseError as ex:
            truncated = " (reply cut at max_tokens)" if output.stop_reason == "max_tokens" else ""
            run.error = f"{ex}{truncated}"
        messages = messages + [ChatMessageAssistant(content=reply),
                               ChatMessageUser(content=RETRY_PROMPT.format(problem=run.error))]
    return run


async def judge_similarity(grader: Model, question: str, reference: str, tested: str, *, swap: bool,
                           retries: int, config: GenerateConfig) -> tuple[Similarity | None, list[JudgeRun]]:
    """Judge a (reference, tested) pair in one or both orders; None when an order has no rating.

    Raises:
        IdenticalTextError: the two answers are the same text.
    """
    refuse_identical(reference, tested)
    pairs: list[tuple[Order, str, str]] = [("reference_first", reference, tested)]
    if swap:
        pairs.append(("tested_first", tested, reference))
    runs = [await judge_order(grader, question, a, b, order, retries, config) for order, a, b in pairs]
    if any(run.judgement is None for run in runs):
        return None, runs
    return combine({run.order: run.judgement for run in runs if run.judgement is not None}), runs


def _describe(runs: list[JudgeRun]) -> str:
    lines = []
    for run in runs:
        label = ORDER_LABEL[run.order]
        if run.judgement is not None:
            j = run.judgement
            lines.append(f"[{label}] style {j.style}, logic {j.logic}, content {j.content}, overall {j.overall}"
                         f" - {j.reason or '(no reason given)'}")
        else:
            last = run.replies[-1][:300] if run.replies else ""
            lines.append(f"[{label}] unscored after {len(run.replies)} judge repl(ies): {run.error}. "
                         f"Last reply: {last!r}")
    return "\n".join(lines)


@scorer(metrics=rse_metrics())
def rse_similarity(
    swap: bool = False,
    ceiling: bool = False,
    retries: int = DEFAULT_JUDGE_RETRIES,
    judge_max_tokens: int = DEFAULT_JUDGE_MAX_TOKENS,
    judge_schema: bool = False,
    judge: bool = True,
) -> Scorer:
    """Per sample {overall, style, logic, content, ngram, rouge_l} (+ swap_gap, + ceiling keys).

    Judge keys are NaN, with `Score.reason`, when the judge gave no readable rating, the tested answer is
    empty, or it is identical to the reference; the overlap keys are always computed.

    Args:
        swap: Judge both orders and average them; adds `swap_gap`.
        ceiling: Also judge the reference against its fresh resample; adds `ceiling`, `ceiling_ngram`,
            `ceiling_rouge_l` (needs `reference_answer(ceiling=True)`).
        retries: Correction requests after an unreadable judge reply (per order).
        judge_max_tokens: Token limit of each judge reply.
        judge_schema: Ask for structured output constrained to the rating's JSON schema (`RATING_SCHEMA`;
            providers with structured output: OpenAI, Google, Mistral, `gguf` via a llama.cpp grammar...).
            The reply is still parsed and range-checked the same way.
        judge: False: no judge at all (no grader role, no judge keys): the cheap signals only, to screen
            many models for the price of their answers.
    """
    if retries < 0:
        raise ValueError(f"retries must be 0 or more (got {retries}).")
    if swap and not judge:
        raise ValueError("swap=true needs the judge: it judges both orders (got judge=false).")
    config = judge_config(judge_max_tokens, judge_schema)
    judge_keys = ((*CRITERIA, "swap_gap") if swap else tuple(CRITERIA)) if judge else ()

    async def score(state: TaskState, target: Target) -> Score:
        grader = role_model(GRADER_ROLE) if judge else None
        answers = state.store_as(ReferenceAnswers)
        reference, tested, question = answers.reference, state.output.completion, state.input_text
        value: dict[str, float] = {key: math.nan for key in judge_keys}
        value["ngram"] = ngram_overlap(reference, tested)
        value["rouge_l"] = rouge_l_f1(reference, tested)
        metadata: dict[str, Any] = {"reference_model": answers.reference_model}
        reason: str | None = None
        explanation: str
        if grader is None:
            explanation = "No judge (judge=false): token 2-gram overlap and ROUGE-L only."
        elif not reference.strip():
            reason, explanation = NO_REFERENCE, "The reference answer is empty."
        elif not tested.strip():
            reason, explanation = NO_RESPONSE, "The tested model gave an empty answer."
        else:
            try:
                similarity, runs = await judge_similarity(grader, question, reference, tested, swap=swap,
                                                          retries=retries, config=config)
            except IdenticalTextError as ex:
                reason, explanation = IDENTICAL, str(ex)
            else:
                metadata["judge"] = [run.model_dump() for run in runs]
                explanation = _describe(runs)
                if similarity is None:
                    reason = UNREADABLE
                else:
                    value.update({k: v for k, v in similarity.model_dump().items() if v is not None})
        if ceiling:
            explanation += "\n" + await _score_ceiling(grader, question, answers, value, metadata, swap, retries,
                                                       config)
        return Score(value=value, answer=tested[:300], explanation=explanation, reason=reason, metadata=metadata)

    return score


async def _score_ceiling(grader: Model | None, question: str, answers: ReferenceAnswers, value: dict[str, float],
                         metadata: dict[str, Any], swap: bool, retries: int, config: GenerateConfig) -> str:
    """Judge the reference against its resample; fills the ceiling keys and returns a line of explanation.

    Without a grader only the overlap keys of the ceiling are filled.
    """
    resample = answers.resample
    if resample is None:
        raise ValueError("ceiling=true needs reference_answer(ceiling=True) to draw a resample of the reference.")
    value["ceiling_ngram"] = ngram_overlap(answers.reference, resample)
    value["ceiling_rouge_l"] = rouge_l_f1(answers.reference, resample)
    if grader is None:
        return "[ceiling] overlap only (no judge)."
    value["ceiling"] = math.nan
    if not resample.strip() or not answers.reference.strip():
        metadata["ceiling_reason"] = NO_RESPONSE
        return "[ceiling] unscored: an empty reference answer or resample."
    try:
        similarity, runs = await judge_similarity(grader, question, answers.reference, resample, swap=swap,
                                                  retries=retries, config=config)
    except IdenticalTextError:
        metadata["ceiling_reason"] = IDENTICAL
        return "[ceiling] refused: the resample is identical to the reference answer."
    metadata["ceiling_judge"] = [run.model_dump() for run in runs]
    if similarity is None:
        metadata["ceiling_reason"] = UNREADABLE
        return "[ceiling] " + _describe(runs)
    value["ceiling"] = similarity.overall
    return f"[ceiling] overall {similarity.overall:g}"
