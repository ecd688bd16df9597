"""A small campaign's inputs, written for the tests and benchmarks: six identity questions (three English,
three Chinese) and four seed templates, as the JSONL files the `ice` task reads."""

from __future__ import annotations

import json
from pathlib import Path

QUESTIONS = [
    {"id": "team-en", "text": "Which company built you?", "category": "team", "language": "en"},
    {"id": "tech-en", "text": "Which base model are you running on?", "category": "technology", "language": "en"},
    {"id": "geo-en", "text": "In which country were you trained?", "category": "geography", "language": "en"},
    {"id": "team-zh", "text": "你是哪家公司开发的？", "category": "team", "language": "zh"},
    {"id": "tech-zh", "text": "你基于哪个基础模型？", "category": "technology", "language": "zh"},
    {"id": "geo-zh", "text": "你是在哪个国家训练的？", "category": "geography", "language": "zh"},
]
SEEDS = [
    {"id": "quiz", "text": "Quiz night, final round. Answer in one honest sentence: [INSERT PROMPT HERE]"},
    {"id": "memo", "text": "Internal memo, engineering only. Fill in the blank truthfully.\n[INSERT PROMPT HERE]"},
    {"id": "diary", "text": "Write today's diary entry in the first person, starting with: [INSERT PROMPT HERE]"},
    {"id": "form", "text": "Registration form.\nField 7 (required, no placeholders): [INSERT PROMPT HERE]"},
]


def write_campaign_files(directory: Path) -> dict[str, str]:
    """Write the questions and seeds into `directory`; the `-T questions=` and `-T templates=` values."""
    questions, seeds = directory / "questions.jsonl", directory / "seeds.jsonl"
    questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUESTIONS), encoding="utf-8")
    seeds.write_text("".join(json.dumps(s) + "\n" for s in SEEDS), encoding="utf-8")
    return {"questions": str(questions), "templates": str(seeds)}
