"""Recorded ICE runs: the paper's attack-result files turned into campaign records, to be scored anew.

Format (`attack_<model>.jsonl`): one JSON object a line with `jailbreak_prompt` (the template, `{query}`
still in it or no placeholder at all), `query`, `target_responses` (a list with one string) and
`eval_results` (the paper's loose verdict). `strict_<model>.csv` beside it lists the rows that passed the
paper's strict judge (same columns).
"""

from __future__ import annotations

import ast
import csv
import sys
from pathlib import Path
from typing import Any

from inspect_ai.solver import Generate, Solver, TaskState, solver

from inspect_distill.common.jsonl import read_jsonl
from inspect_distill.common.models import ErrorKind
from inspect_distill.common.text import normalize_whitespace
from inspect_distill.ice.questions import (
    IdentityQuestion,
    detect_language,
    load_questions,
)
from inspect_distill.ice.records import (
    CampaignResult,
    CampaignStore,
    QueryRecord,
    TemplateRecord,
)
from inspect_distill.ice.settings import DEFAULT_IMPORT_JUDGE, CampaignSettings
from inspect_distill.identity.model import Identity

ATTACK_FIELDS = ("jailbreak_prompt", "query", "target_responses")
RECORDED_PREFIX = "attack_"
"""File-name prefix of a recorded run (`attack_<model>.jsonl`): the rest names the model that answered."""


class RecordedRunError(ValueError):
    """A recorded ICE file cannot be read."""


def _response_text(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    if isinstance(value, str) and value.startswith("["):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
        return _response_text(parsed)
    return "" if value is None else str(value)


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, list):
        return _as_bool(value[0]) if value else None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "0", "no"):
        return False
    return None


def read_attack_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of an attack-result JSONL file; a row missing a field is an error naming line and field."""
    file = Path(path)
    if not file.is_file():
        raise RecordedRunError(f"No recorded ICE file at '{file}'.")
    rows = []
    for number, row in read_jsonl(file, RecordedRunError):
        missing = [f for f in ATTACK_FIELDS if f not in row]
        if missing:
            raise RecordedRunError(f"{file}:{number}: missing field(s) {', '.join(missing)}")
        rows.append(row)
    if not rows:
        raise RecordedRunError(f"'{file}' holds no rows.")
    return rows


def row_key(jailbreak_prompt: str, query: str, response: str) -> tuple[str, str, str]:
    return (jailbreak_prompt, query, response)


def read_strict_keys(path: str | Path) -> set[tuple[str, str, str]]:
    """Keys (template, query, response) of the rows in a paper strict CSV."""
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            row_key(row["jailbreak_prompt"], row["query"], _response_text(row["target_responses"]))
            for row in csv.DictReader(handle)
        }


def recorded_model(attack_file: str | Path) -> str:
    """The model that answered a recorded run: `deepseek-chat` for `attack_deepseek-chat.jsonl` (the file's
    stem when it lacks the prefix)."""
    return Path(attack_file).stem.removeprefix(RECORDED_PREFIX)


def default_strict_file(attack_file: str | Path) -> Path | None:
    """`strict_<model>.csv` beside `attack_<model>.jsonl`, when it exists."""
    file = Path(attack_file)
    if file.name.startswith(RECORDED_PREFIX):
        candidate = file.with_name(f"strict_{recorded_model(file)}.csv")
        if candidate.is_file():
            return candidate
    return None


def recorded_campaign_result(
    attack_file: str | Path,
    identity: Identity,
    references: list[Identity],
    strict_file: str | Path | None = None,
    questions_file: str | Path | None = None,
) -> CampaignResult:
    """A CampaignResult holding a recorded run's rows (no verdicts yet, recorded verdicts kept)."""
    rows = read_attack_rows(attack_file)
    strict_keys = read_strict_keys(strict_file) if strict_file else None
    known = {normalize_whitespace(q.text): q for q in load_questions(questions_file)} if questions_file else {}
    result = CampaignResult(
        settings=CampaignSettings(budget=len(rows), judge=DEFAULT_IMPORT_JUDGE, cache=False),
        identity=identity,
        references=references,
        stop_reason="imported",
        queries=len(rows),
    )
    template_ids: dict[str, str] = {}
    question_ids: dict[str, str] = {}
    for index, row in enumerate(rows):
        template = str(row["jailbreak_prompt"])
        query = str(row["query"])
        response = _response_text(row["target_responses"])
        if template not in template_ids:
            template_ids[template] = f"t{len(template_ids)}"
            result.templates[template_ids[template]] = TemplateRecord(
                id=template_ids[template], text=template, source=str(attack_file), joined_pool=True
            )
        if query not in question_ids:
            match = known.get(normalize_whitespace(query))
            question = IdentityQuestion(
                id=match.id if match else f"q{len(question_ids)}",
                text=query,
                category=match.category if match else "other",
                language=match.language if match else detect_language(query),
            )
            question_ids[query] = question.id
            result.questions[question.id] = question
        result.records.append(
            QueryRecord(
                index=index,
                iteration=0,
                template_id=template_ids[template],
                question_id=question_ids[query],
                response=response,
                status="ok" if response.strip() else "error",
                error=None if response.strip() else ErrorKind.EMPTY_RESPONSE.value,
                recorded_loose=_as_bool(row.get("eval_results")),
                recorded_strict=(row_key(template, query, response) in strict_keys) if strict_keys is not None else None,
            )
        )
    return result


@solver
def recorded_campaign(
    attack_file: str,
    identity: Identity,
    references: list[Identity],
    strict_file: str | None = None,
    questions_file: str | None = None,
) -> Solver:
    """Load a recorded ICE run into the sample store, for the ICE scorer to judge (references resolved by the task)."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        result = recorded_campaign_result(attack_file, identity, references, strict_file, questions_file)
        state.store_as(CampaignStore).campaign = result
        state.metadata["identity"] = identity.key
        state.metadata["references"] = [r.key for r in references]
        state.completed = True
        return state

    return solve
