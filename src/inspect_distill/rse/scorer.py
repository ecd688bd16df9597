"""The RSE judge: how similar is the tested answer to the reference answer?

The `grader` role sees the question and two answers labelled A and B. It rates response style, logical
structure and content detail 0-2 each, then overall similarity 1-5, and replies with one line of JSON. A
reply that cannot be read is answered with a correction request, a bounded number of times; after that the
sample's judge scores are unscored (NaN) with the reason, never a guessed number. With `swap`, both orders
(reference as A, then tested as A) are judged and averaged, which cancels position bias; the gap between
the two orders is reported. Token 2-gram overlap and ROUGE-L F1 are computed beside the judge, always, and
rounded as the key table says (`rse.keys`).

The explanation is what `inspect view` shows in the sample's Scoring tab: the values with their names and
ranges, the judge's ratings and reasons, and the reference and tested answers in two independent columns
(`side_by_side`). The score has no answer (`Score.answer`): the viewer gives an answer a column of up to 20em
beside the explanation, the tested answer is in the right-hand column already, and without it the explanation
takes the tab's whole width.
"""

from __future__ import annotations

import math
import re
import textwrap
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageUser,
    GenerateConfig,
    Model,
)
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState
from pydantic import BaseModel

from inspect_distill.common.models import (
    GRADER_ROLE,
    ErrorKind,
    role_model,
    safe_generate,
)
from inspect_distill.common.text import counted, normalize_whitespace
from inspect_distill.common.validation import build_settings
from inspect_distill.rse.keys import (
    CEILING_JUDGE_KEY,
    CEILING_OVERLAP_KEYS,
    JUDGE_KEYS,
    OVERLAP_KEYS,
    SCORE_KEYS,
    SWAP_KEY,
)
from inspect_distill.rse.metrics import rse_metrics
from inspect_distill.rse.overlap import ngram_overlap, rouge_l_f1
from inspect_distill.rse.prompts import JUDGE_PROMPT, RETRY_PROMPT
from inspect_distill.rse.rating import (
    CRITERIA,
    ORDER_LABEL,
    Judgement,
    JudgeParseError,
    Order,
    Similarity,
    combine,
    judge_config,
    parse_judgement,
)
from inspect_distill.rse.reference import ReferenceAnswers
from inspect_distill.rse.settings import (
    DEFAULT_JUDGE_MAX_TOKENS,
    DEFAULT_JUDGE_RETRIES,
    JudgeSettings,
)

ANSWER_CHARS = 6000
"""Characters of each answer shown side by side in the explanation (the whole answers are in the log)."""
LINE_CHARS = 64
"""Characters per line of each answer's column: at 1400 px the explanation is about 1000 px wide, so two
columns of 64 characters fit side by side without the table wrapping them again (70 do not)."""
GAP = "\u2800"
"""A blank that Markdown does not trim: the content of the empty column that keeps the two answers apart
(the viewer draws tables without cell padding)."""
FENCE = re.compile(r"^\s*(```|~~~)")
UNREADABLE = "grader_failed"
NO_RESPONSE = "no_response"
NO_REFERENCE = "no_reference_answer"
IDENTICAL = "identical_to_reference"


class IdenticalTextError(ValueError):
    """Two texts to compare are identical: their similarity says nothing (the paper's self-score 5.000)."""


class JudgeRun(BaseModel):
    """The judge calls for one order: every raw reply, then the rating or why there is none."""

    order: Order
    replies: list[str] = []
    judgement: Judgement | None = None
    error: str | None = None


def refuse_identical(reference: str, candidate: str) -> None:
    """Raise `IdenticalTextError` when two answers are the same text (up to whitespace)."""
    if normalize_whitespace(reference) == normalize_whitespace(candidate):
        raise IdenticalTextError(
            "The two answers are identical text; rating them would only reproduce the meaningless self-score "
            "(5.000). The comparison is refused."
        )


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
        if generated.kind is ErrorKind.CONTENT_FILTER:
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
            scores = ", ".join(f"{key} {getattr(j, key)}" for key in CRITERIA)
            lines.append(f"[{label}] {scores} - {j.reason or '(no reason given)'}")
        else:
            last = run.replies[-1][:300] if run.replies else ""
            lines.append(f"[{label}] unscored after {counted(len(run.replies), 'judge reply')}: {run.error}. "
                         f"Last reply: {last!r}")
    return "\n".join(lines)


def values_line(value: dict[str, float]) -> str:
    """The score value with names and ranges: `overall (1-5) 4 · style (0-2) 2 · ... · ROUGE-L F1 0.271`;
    a judge key without a rating reads "unscored" (names and digits: `rse.keys.SCORE_KEYS`)."""
    return " · ".join(f"{SCORE_KEYS[key].label} **{SCORE_KEYS[key].shown(number)}**" for key, number in value.items())


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell (no column break)."""
    return text.replace("|", "\\|")


def _code(line: str) -> str:
    """A line of code as inline code, its indentation kept (no-break spaces)."""
    body = line.rstrip().replace("\t", "    ")
    indent = len(body) - len(body.lstrip(" "))
    body = "\u00a0" * indent + body.lstrip(" ")
    if not body.strip():
        return ""
    return f"`` {body} ``" if "`" in body else f"`{body}`"


def answer_lines(text: str, width: int = LINE_CHARS) -> list[str]:
    """An answer as the lines of one column: its first `ANSWER_CHARS` characters, each paragraph wrapped at
    `width` characters, one empty line between paragraphs, code lines as inline code."""
    lines: list[str] = []
    fenced = False
    for raw in text[:ANSWER_CHARS].splitlines():
        if FENCE.match(raw):
            fenced = not fenced
            continue
        if fenced:
            lines += [_code(raw[i : i + width]) for i in range(0, max(len(raw), 1), width)]
        elif not raw.strip():
            if lines and lines[-1]:
                lines.append("")
        else:
            lines += textwrap.wrap(raw.strip(), width, break_on_hyphens=False)
    if len(text) > ANSWER_CHARS:
        lines += ["", f"… ({len(text) - ANSWER_CHARS} more characters)"]
    while lines and not lines[-1]:
        lines.pop()
    return [_cell(line) for line in lines] or ["(empty)"]


def side_by_side(reference: str, tested: str, reference_model: str | None, tested_model: str) -> str:
    """The reference and tested answers in two independent columns: each answer wrapped into short lines on
    its own (`answer_lines`), the two columns side by side line by line, so that a paragraph of one answer never
    waits for the other's (a Markdown table, the viewer's only way to set text side by side)."""
    left, right = answer_lines(reference), answer_lines(tested)
    lines = [f"| reference answer ({_cell(reference_model or 'reference')}) | {GAP} | tested answer "
             f"({_cell(tested_model)}) |", "|---|---|---|"]
    for i in range(max(len(left), len(right))):
        lines.append(f"| {left[i] if i < len(left) else ''} | {GAP} | {right[i] if i < len(right) else ''} |")
    return "\n".join(lines)


def _overlaps(keys: tuple[str, ...], reference: str, other: str) -> dict[str, float]:
    """The two cheap signals of a pair under `keys` (2-gram, ROUGE-L), rounded as the key table says."""
    ngram, rouge_l = keys
    return {ngram: SCORE_KEYS[ngram].rounded(ngram_overlap(reference, other)),
            rouge_l: SCORE_KEYS[rouge_l].rounded(rouge_l_f1(reference, other))}


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
    settings = build_settings(JudgeSettings, judge=judge, swap=swap, ceiling=ceiling, judge_retries=retries,
                              judge_max_tokens=judge_max_tokens, judge_schema=judge_schema)
    config = judge_config(settings.judge_max_tokens, settings.judge_schema)
    judge_keys = tuple(key for key in settings.score_keys() if key in (*JUDGE_KEYS, SWAP_KEY))

    async def score(state: TaskState, target: Target) -> Score:
        grader = role_model(GRADER_ROLE) if judge else None
        answers = state.store_as(ReferenceAnswers)
        reference, tested, question = answers.reference, state.output.completion, state.input_text
        value: dict[str, float] = {key: math.nan for key in judge_keys}
        value.update(_overlaps(OVERLAP_KEYS, reference, tested))
        metadata: dict[str, Any] = {"reference_model": answers.reference_model}
        reason: str | None = None
        explanation: str
        if grader is None:
            explanation = "No judge (judge=false): token 2-gram overlap and ROUGE-L only."
        elif not reference.strip():
            reason = NO_REFERENCE
            explanation = f"No reference answer: {answers.error}." if answers.error else "The reference answer is empty."
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
        explanation = "\n\n".join([values_line(value), explanation,
                                    side_by_side(reference, tested, answers.reference_model, str(state.model))])
        return Score(value=value, explanation=explanation, reason=reason, metadata=metadata)

    return score


async def _score_ceiling(grader: Model | None, question: str, answers: ReferenceAnswers, value: dict[str, float],
                         metadata: dict[str, Any], swap: bool, retries: int, config: GenerateConfig) -> str:
    """Judge the reference against its resample; fills the ceiling keys and returns a line of explanation.

    Without a grader only the overlap keys of the ceiling are filled.
    """
    resample = answers.resample
    if resample is None:
        raise ValueError("ceiling=true needs reference_answer(ceiling=True) to draw a resample of the reference.")
    value.update(_overlaps(CEILING_OVERLAP_KEYS, answers.reference, resample))
    if grader is None:
        return "[ceiling] overlap only (no judge)."
    value[CEILING_JUDGE_KEY] = math.nan
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
    value[CEILING_JUDGE_KEY] = similarity.overall
    return f"[ceiling] overall {similarity.overall:g}"
