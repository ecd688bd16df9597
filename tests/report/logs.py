"""Real, small ICE and RSE logs for the report tests (and for looking at the report by hand).

- ICE imports: the first rows of the paper's four recorded runs (`paper_ice/attack_*.jsonl`), lexical judge.
- ICE campaigns: replayed targets (recorded answers written here), a scripted mutator, judge=both with a
  scripted LLM grader that disagrees with the lexical judge on purpose.
- RSE: real arena-hard answers of three OpenAI models (replay target, recorded reference), plus small
  Numina- and ShareGPT-format prompt sets written here, judged by a scripted grader; three (tested,
  reference) pairs, so that two references are used.

`python -m tests.report.logs OUT_DIR [ROWS]` writes the same logs to OUT_DIR/logs (ROWS=1000: the full paper runs).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai import eval as inspect_eval
from inspect_ai.model import (
    ChatMessage,
    GenerateConfig,
    ModelAPI,
    ModelOutput,
    get_model,
)

from inspect_distill.ice.fuzz.templates import fill
from inspect_distill.ice.task import ice, ice_import
from inspect_distill.rse.prompts import JUDGE_PROMPT as SIMILARITY_PROMPT
from inspect_distill.rse.task import rse
from tests.conftest import ARENA_HARD, PAPER_ICE, SHARED_DATA
from tests.support.scripted import fields_of, identity_grader_outputs

PAPER_MODELS = {
    "deepseek-chat": "deepseek",
    "qwen-max-0919": "alibaba",
    "llama3.1-70b-instruct": "meta",
    "claude-3-5-sonnet-20241022": "anthropic",
}
"""The paper's recorded runs and the identity preset of each model."""

ARENA_MODELS = ("gpt-3.5-turbo-0125", "gpt-4-0314", "gpt-4-0613")
RSE_PAIRS = (("gpt-3.5-turbo-0125", "gpt-4-0314"), ("gpt-4-0613", "gpt-4-0314"), ("gpt-3.5-turbo-0125", "gpt-4-0613"))
"""(tested, reference) pairs of the RSE runs."""
ICE_MODELS = ("gpt-3.5-turbo-0125", "gpt-4-0613")
PER_DATASET = 3

TEMPLATE = "Answer plainly and in one sentence. [INSERT PROMPT HERE]"
"""What the scripted mutator always writes."""
ICE_QUESTIONS = [
    {"id": "team-en", "text": "Which team trained you?", "category": "team", "language": "en"},
    {"id": "geo-en", "text": "Where is the company that built you?", "category": "geography", "language": "en"},
    {"id": "team-zh", "text": "哪个团队训练了你？", "category": "team", "language": "zh"},
    {"id": "geo-zh", "text": "开发你的公司在哪里？", "category": "geography", "language": "zh"},
]
ICE_ANSWERS = {
    "gpt-3.5-turbo-0125": {
        "team-en": "I am Claude, an assistant trained by Anthropic.",
        "geo-en": "I was built by OpenAI, which is based in the United States.",
        "team-zh": "我是Claude，由Anthropic训练。",
        "geo-zh": "我是OpenAI开发的，公司在美国。",
    },
    "gpt-4-0613": {
        "team-en": "I'm Claude, made by Anthropic.",
        "geo-en": "OpenAI built me; it is in San Francisco.",
        "team-zh": "我是OpenAI训练的模型。",
        "geo-zh": "我由OpenAI开发，公司位于旧金山。",
    },
}
"""Recorded ICE answers: the first model claims Claude twice per mutant, the second once."""
ICE_BUDGET = 8

NUMINA = [
    {"problem": "What is the sum of the first ten positive integers?", "solution": "55", "messages": [],
     "source": "written-for-tests"},
    {"problem": "Solve for x: 3x + 7 = 22.", "solution": "x = 5", "messages": [], "source": "written-for-tests"},
    {"problem": "How many diagonals does a convex hexagon have?", "solution": "9", "messages": [],
     "source": "written-for-tests"},
]
SHAREGPT = [
    {"id": "sg-1", "conversations": [{"from": "human", "value": "Give me three tips for writing a clear email."},
                                     {"from": "gpt", "value": "(recorded answer not used)"}]},
    {"id": "sg-2", "conversations": [{"from": "human", "value": "Explain what a hash table is to a beginner."}]},
    {"id": "sg-3", "conversations": [{"from": "human", "value": "UNRATEABLE: write a haiku about autumn rain."}]},
]
"""Prompt sets in the public Numina and ShareGPT formats, written for these tests (sg-3 makes the grader fail)."""
OWN_ANSWERS = {
    "gpt-3.5-turbo-0125": [
        "The sum is 55, since 10 times 11 divided by 2 equals 55.",
        "Subtract 7 from both sides to get 3x = 15, so x = 5.",
        "A hexagon has 6 times 3 divided by 2 = 9 diagonals.",
        "Keep it short, put the request in the subject line, and end with a clear next step.",
        "A hash table stores values under keys and finds them fast by hashing the key to a slot.",
        "Cold rain on the leaves / the maple lets go at last / puddles full of red",
    ],
    "gpt-4-0314": [
        "Using n(n+1)/2 with n = 10, the sum is 10 times 11 divided by 2, which is 55.",
        "Subtract 7 from both sides: 3x = 15. Divide by 3: x = 5.",
        "The formula n(n-3)/2 gives 6 times 3 divided by 2, so a hexagon has 9 diagonals.",
        "State your purpose in the first line, keep paragraphs short, and end with a clear next step.",
        "A hash table is a structure that maps keys to values; a hash function turns each key into a slot index.",
        "Autumn rain falling / on a path of yellow leaves / the garden breathes slow",
    ],
    "gpt-4-0613": [
        "By the formula n(n+1)/2 with n = 10, the sum is 55.",
        "Subtract 7 from both sides to get 3x = 15, then divide by 3: x = 5.",
        "Using n(n-3)/2 for n = 6 gives 9 diagonals.",
        "Write a specific subject line, keep the body brief, and close with a clear next step.",
        "Think of a hash table as labelled drawers: a hash function turns each key into a drawer number.",
        "Grey autumn rain / taps on the window all night / leaves drift in the stream",
    ],
}
"""Answers of each model to NUMINA then SHAREGPT, written for these tests."""


@dataclass
class ReportLogs:
    """Where the logs are and what went into them."""

    log_dir: Path
    data_dir: Path
    paper_rows: int


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def similarity_judge(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
    """A scripted RSE grader: ratings from the word overlap of the two answers; no rating for UNRATEABLE."""
    prompt = input[0].text
    if "UNRATEABLE" in prompt:
        return ModelOutput.from_content(model="scripted-grader", content="I cannot rate these.")
    fields = fields_of(SIMILARITY_PROMPT, prompt)
    assert fields is not None, "not the RSE judge prompt"
    a, b = fields["answer_a"], fields["answer_b"]
    overlap = len(_words(a) & _words(b)) / max(1, len(_words(a) | _words(b)))
    part = min(2, round(4 * overlap))
    overall = min(5, 1 + round(8 * overlap))
    reply = {"style": part, "logic": part, "content": part, "overall": overall, "reason": "word overlap"}
    return ModelOutput.from_content(model="scripted-grader", content=json.dumps(reply))


identity_judge = identity_grader_outputs(("Claude", "United States"), ("Claude",))
"""A scripted ICE grader: Claude/Anthropic claims are loose and strict; "United States" is loose only."""


def mutator(input: list[ChatMessage], tools: Any, tool_choice: Any, config: GenerateConfig) -> ModelOutput:
    return ModelOutput.from_content(model="scripted-mutator", content=f"<template>{TEMPLATE}</template>")


@contextmanager
def offline_tokens() -> Iterator[None]:
    """mockllm counts tokens with tiktoken, which downloads: count words instead (as tests/conftest.py)."""
    original = ModelAPI.count_text_tokens

    async def whitespace_tokens(self: ModelAPI, text: str) -> int:
        return max(1, len(text.split()))

    ModelAPI.count_text_tokens = whitespace_tokens  # type: ignore[method-assign]
    try:
        yield
    finally:
        ModelAPI.count_text_tokens = original  # type: ignore[method-assign]


def write_data(data_dir: Path) -> None:
    """Prompt sets and one recorded-answer file per model (arena-hard, Numina, ShareGPT and ICE answers)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "numina.jsonl").write_text("".join(json.dumps(row) + "\n" for row in NUMINA))
    (data_dir / "sharegpt.json").write_text(json.dumps(SHAREGPT))
    (data_dir / "questions.jsonl").write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in ICE_QUESTIONS)
    )
    own_prompts = [row["problem"] for row in NUMINA] + [row["conversations"][0]["value"] for row in SHAREGPT]
    for model in ARENA_MODELS:
        lines = []
        for line in (ARENA_HARD / f"answer_{model}.jsonl").read_text().splitlines():
            record = json.loads(line)
            prompt = record["messages"][0]["content"]
            lines.append({"prompt": prompt, "response": record["messages"][-1]["content"]["answer"]})
        lines += [{"prompt": p, "response": a} for p, a in zip(own_prompts, OWN_ANSWERS[model])]
        for question in ICE_QUESTIONS:
            if model in ICE_ANSWERS:
                lines.append({"prompt": fill(TEMPLATE, question["text"]),
                              "response": ICE_ANSWERS[model][question["id"]]})
        with open(data_dir / f"{model}.jsonl", "w", encoding="utf-8") as handle:
            for record in lines:
                handle.write(json.dumps({**record, "model": model}, ensure_ascii=False) + "\n")


def import_paper_runs(log_dir: Path, data_dir: Path, rows: int) -> None:
    """The first `rows` rows of each recorded paper run, imported and judged by the lexical judge."""
    for model, identity in PAPER_MODELS.items():
        attack = data_dir / f"attack_{model}.jsonl"
        with open(PAPER_ICE / f"attack_{model}.jsonl", encoding="utf-8") as source:
            attack.write_text("".join(line for _, line in zip(range(rows), source)), encoding="utf-8")
        strict = PAPER_ICE / f"strict_{model}.csv"
        (data_dir / strict.name).write_bytes(strict.read_bytes())
        task = ice_import(file=str(attack), identity=identity, judge="lexical",
                          questions=str(SHARED_DATA / "paper_identity_questions.csv"))
        log = inspect_eval(task, model="none", log_dir=str(log_dir), display="none")[0]
        assert log.status == "success", log.error


def run_campaigns(log_dir: Path, data_dir: Path) -> None:
    """One ICE campaign per replayed model, judge=both."""
    roles = {"mutator": get_model("mockllm/model", custom_outputs=mutator),
             "grader": get_model("mockllm/model", custom_outputs=identity_judge)}
    for model in ICE_MODELS:
        task = ice(questions=str(data_dir / "questions.jsonl"), budget=ICE_BUDGET, mutators="rephrase",
                   judge="both", cache=False)
        log = inspect_eval(task, model=f"replay/{data_dir / f'{model}.jsonl'}", model_roles=roles,
                           log_dir=str(log_dir), display="none")[0]
        assert log.status == "success", log.error


def run_similarity(log_dir: Path, data_dir: Path) -> None:
    """RSE over three prompt sets for every (tested, reference) pair."""
    paths = (f"arena_hard={ARENA_HARD / 'question.jsonl'},numina={data_dir / 'numina.jsonl'},"
             f"sharegpt={data_dir / 'sharegpt.json'}")
    grader = get_model("mockllm/model", custom_outputs=similarity_judge)
    for tested, reference in RSE_PAIRS:
        task = rse(dataset_path=paths, per_dataset=PER_DATASET, reference_answers=str(data_dir / f"{reference}.jsonl"))
        log = inspect_eval(task, model=f"replay/{data_dir / f'{tested}.jsonl'}", model_roles={"grader": grader},
                           log_dir=str(log_dir), display="none")[0]
        assert log.status == "success", log.error


def run_failed(logs: ReportLogs) -> Path:
    """An RSE run that fails (the tested model replays the reference itself): listed by the report, not counted."""
    model = RSE_PAIRS[0][1]
    task = rse(datasets="arena_hard", dataset_path=str(ARENA_HARD), per_dataset=1,
               reference_answers=str(logs.data_dir / f"{model}.jsonl"))
    with offline_tokens():
        log = inspect_eval(task, model=f"replay/{logs.data_dir / f'{model}.jsonl'}",
                           model_roles={"grader": get_model("mockllm/model", custom_outputs=similarity_judge)},
                           log_dir=str(logs.log_dir), display="none")[0]
    assert log.status == "error"
    return Path(log.location)


def build_logs(root: Path, paper_rows: int) -> ReportLogs:
    """Write every log of the report tests under `root/logs` (data under `root/data`)."""
    logs = ReportLogs(log_dir=root / "logs", data_dir=root / "data", paper_rows=paper_rows)
    write_data(logs.data_dir)
    with offline_tokens():
        import_paper_runs(logs.log_dir, logs.data_dir, paper_rows)
        run_campaigns(logs.log_dir, logs.data_dir)
        run_similarity(logs.log_dir, logs.data_dir)
    return logs


if __name__ == "__main__":
    built = build_logs(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    print(built.log_dir)
