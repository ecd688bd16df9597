"""The RSE judge's rating: its criteria and ranges (from the key table, `rse.keys`), its JSON schema, and
the parser that reads a reply into a `Judgement` (JSON, fenced or among prose, else `key: n` pairs).
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from inspect_ai.model import GenerateConfig, ResponseSchema
from inspect_ai.util import json_schema
from pydantic import BaseModel, create_model

from inspect_distill.rse.keys import RATING_KEYS, SCORE_KEYS

CRITERIA: dict[str, tuple[int, int]] = {key: SCORE_KEYS[key].bounds() for key in RATING_KEYS}
"""Judge score keys and their inclusive ranges, in the order a reply gives them."""

KEY_ALIASES: dict[str, tuple[str, ...]] = {key: SCORE_KEYS[key].aliases for key in CRITERIA}
REASON_KEYS = ("reason", "reasoning", "explanation", "rationale")

Order = Literal["reference_first", "tested_first"]
ORDER_LABEL: dict[str, str] = {"reference_first": "reference as A", "tested_first": "tested as A"}


class JudgeParseError(ValueError):
    """A judge reply holds no complete, in-range rating."""


class Judgement(BaseModel):
    """One judge rating of one ordered pair."""

    style: int
    logic: int
    content: int
    overall: int
    reason: str = ""


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
            raise JudgeParseError(f"no rating found (expected JSON with {', '.join(CRITERIA)})")
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
