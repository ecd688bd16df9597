"""Identity questions: the built-in set, user files (CSV/JSONL, including the paper's CSV) and filters."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from inspect_distill.common.jsonl import read_jsonl

CATEGORIES: tuple[str, ...] = ("team", "cooperation", "industry", "technology", "geography")
"""The five identity-question categories of the paper."""
CONTROL_CATEGORY = "control"
"""Hallucination-control questions about invented model names."""
OTHER_CATEGORY = "other"
"""Questions read from a file that gives no category."""
ALL_CATEGORIES: tuple[str, ...] = (*CATEGORIES, CONTROL_CATEGORY, OTHER_CATEGORY)
LANGUAGES: tuple[str, ...] = ("en", "zh")

QUESTIONS_FILE = "identity_questions.yaml"
TEXT_COLUMNS: tuple[str, ...] = ("text", "query", "question")
"""Accepted names of the question-text column or key, in order of preference."""

PAPER_COLUMNS = frozenset({"query", "reference_responses"})
PAPER_ROWS = 50
PAPER_CATEGORY_BOUNDS: tuple[tuple[int, str], ...] = (
    (5, "team"),
    (11, "industry"),
    (16, "technology"),
    (20, "geography"),
    (25, "cooperation"),
)
"""The paper's CSV has no category column; by position (within each 25-row language half) rows below 5
are team, below 11 industry, below 16 technology, below 20 geography, below 25 cooperation."""

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class IdentityQuestion(BaseModel):
    """One question asking a model who it is, who made it, or where."""

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    category: str
    language: str

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("question text is empty")
        return value.strip()

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in ALL_CATEGORIES:
            raise ValueError(f"unknown category {value!r}; allowed: {', '.join(ALL_CATEGORIES)}")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; allowed: {', '.join(LANGUAGES)}")
        return value


def detect_language(text: str) -> str:
    """ "zh" when the text contains CJK characters, else "en"."""
    return "zh" if _CJK.search(text) else "en"


@cache
def _bundled() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(QUESTIONS_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def builtin_questions() -> list[IdentityQuestion]:
    """The built-in identity questions: five categories, each question in English and Chinese."""
    questions: list[IdentityQuestion] = []
    for category, entries in _bundled()["questions"].items():
        for number, entry in enumerate(entries, start=1):
            for language in LANGUAGES:
                questions.append(
                    IdentityQuestion(
                        id=f"{category}-{number:02d}-{language}",
                        text=entry[language],
                        category=category,
                        language=language,
                    )
                )
    return questions


def control_questions(languages: list[str] | None = None) -> list[IdentityQuestion]:
    """Hallucination control: who developed an invented model ("PersonGPT", ...), in each of `languages`
    (default: English and Chinese), the same filter as the identity questions' (`-T languages`)."""
    _check_allowed("language", languages, LANGUAGES)
    control = _bundled()["control"]
    questions: list[IdentityQuestion] = []
    number = 0
    for name in control["names"]:
        for template in control["templates"]:
            number += 1
            for language in [language for language in LANGUAGES if not languages or language in languages]:
                questions.append(
                    IdentityQuestion(
                        id=f"{CONTROL_CATEGORY}-{number:02d}-{language}",
                        text=template[language].format(name=name),
                        category=CONTROL_CATEGORY,
                        language=language,
                    )
                )
    return questions


def _read_records(file: Path) -> list[dict[str, Any]]:
    suffix = file.suffix.lower()
    if suffix == ".csv":
        with file.open(encoding="utf-8-sig", newline="") as handle:
            return [dict(row) for row in csv.DictReader(handle)]
    if suffix in (".jsonl", ".json"):
        return [record for _, record in read_jsonl(file)]
    raise ValueError(f"question file {file} must be .csv or .jsonl, not {suffix or 'without extension'}")


def _paper_category(index: int) -> str:
    position = index % (PAPER_ROWS // 2)
    return next(category for bound, category in PAPER_CATEGORY_BOUNDS if position < bound)


def load_questions(path: str | Path) -> list[IdentityQuestion]:
    """Read identity questions from a CSV or JSONL file.

    The text is in `text`, `query` or `question`; `id`, `category` and `language` are optional (language
    detected from CJK characters, category "other"). The paper's CSV (`query, reference_responses`,
    50 rows) gets its categories by position.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise ValueError(f"question file not found: {file}")
    records = _read_records(file)
    if not records:
        raise ValueError(f"question file {file} holds no questions")
    columns = set(records[0])
    text_column = next((name for name in TEXT_COLUMNS if name in columns), None)
    if text_column is None:
        raise ValueError(
            f"question file {file} needs a column/key named one of {', '.join(TEXT_COLUMNS)}; "
            f"found {', '.join(sorted(columns))}"
        )
    paper_format = columns >= PAPER_COLUMNS and "category" not in columns and len(records) == PAPER_ROWS
    questions: list[IdentityQuestion] = []
    for index, record in enumerate(records):
        text = str(record.get(text_column) or "").strip()
        if not text:
            raise ValueError(f"question file {file}, row {index + 1}: empty {text_column!r}")
        language = str(record.get("language") or "").strip() or detect_language(text)
        if record.get("category"):
            category = str(record["category"]).strip()
        else:
            category = _paper_category(index) if paper_format else OTHER_CATEGORY
        question_id = str(record.get("id") or "").strip() or f"{file.stem}-{index:03d}-{language}"
        try:
            questions.append(IdentityQuestion(id=question_id, text=text, category=category, language=language))
        except ValueError as error:
            raise ValueError(f"question file {file}, row {index + 1}: {error}") from error
    duplicates = sorted(key for key, count in Counter(q.id for q in questions).items() if count > 1)
    if duplicates:
        raise ValueError(f"question file {file} has duplicate ids: {', '.join(duplicates)}")
    return questions


def _check_allowed(kind: str, values: list[str] | None, allowed: tuple[str, ...]) -> None:
    for value in values or []:
        if value not in allowed:
            raise ValueError(f"unknown {kind} {value!r}; allowed: {', '.join(allowed)}")


def identity_questions(
    path: str | None = None,
    categories: list[str] | None = None,
    languages: list[str] | None = None,
) -> list[IdentityQuestion]:
    """The identity questions of a run: built-in (or from `path`), filtered by category and language."""
    _check_allowed("category", categories, ALL_CATEGORIES)
    _check_allowed("language", languages, LANGUAGES)
    questions = load_questions(path) if path else builtin_questions()
    selected = [
        question
        for question in questions
        if (not categories or question.category in categories) and (not languages or question.language in languages)
    ]
    if not selected:
        raise ValueError(
            f"no identity question left after filtering (categories={categories}, languages={languages}, "
            f"source={path or 'built-in'})"
        )
    return selected
