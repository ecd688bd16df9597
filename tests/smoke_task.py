"""A tiny task for checking providers end to end: `inspect eval tests/smoke_task.py --model ...`."""

from __future__ import annotations

import json
from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import GenerateConfig
from inspect_ai.scorer import Score, Target, accuracy, scorer
from inspect_ai.solver import TaskState, generate

SMOKE_PROMPTS = [
    "Name one colour of the rainbow.",
    "What is two plus two? Answer with a number.",
]


@scorer(metrics=[accuracy()])
def answered():  # type: ignore[no-untyped-def]
    """Correct when the model produced some text."""

    async def score(state: TaskState, target: Target) -> Score:
        text = state.output.completion.strip()
        return Score(value="C" if text else "I", answer=text[:200])

    return score


@task
def smoke(questions: str | None = None, limit: int = 3, max_tokens: int = 24) -> Task:
    """Ask a few short prompts, or the first `limit` prompts of an arena-hard question.jsonl."""
    if questions:
        rows = [json.loads(line) for line in Path(questions).read_text().splitlines() if line.strip()]
        samples = [Sample(id=row["uid"], input=row["prompt"]) for row in rows[:limit]]
    else:
        samples = [Sample(id=i, input=prompt) for i, prompt in enumerate(SMOKE_PROMPTS)]
    return Task(
        dataset=MemoryDataset(samples),
        solver=generate(),
        scorer=answered(),
        config=GenerateConfig(temperature=0.0, seed=7, max_tokens=max_tokens),
    )
