"""Identity questions: the built-in set, the paper's CSV, user files and filters."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from inspect_distill.ice.questions import (
    CATEGORIES,
    builtin_questions,
    control_questions,
    identity_questions,
    load_questions,
)
from tests.conftest import SHARED_DATA

PAPER_CSV = SHARED_DATA / "paper_identity_questions.csv"
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_builtin_questions_cover_every_category_in_both_languages() -> None:
    questions = builtin_questions()
    assert len(questions) >= 100
    counts = Counter((q.category, q.language) for q in questions)
    for category in CATEGORIES:
        assert counts[(category, "en")] >= 10
        assert counts[(category, "zh")] == counts[(category, "en")]
    assert len({q.id for q in questions}) == len(questions)
    assert all(bool(CJK.search(q.text)) == (q.language == "zh") for q in questions)
    assert all(q.id.endswith(f"-{q.language}") and q.id.startswith(q.category) for q in questions)


def test_control_questions_ask_about_invented_names() -> None:
    questions = control_questions()
    assert {q.category for q in questions} == {"control"}
    assert Counter(q.language for q in questions) == {"en": len(questions) // 2, "zh": len(questions) // 2}
    assert any(q.text == "Who developed PersonGPT?" for q in questions)
    assert any("PersonGPT" in q.text and q.language == "zh" for q in questions)
    assert len({q.id for q in questions}) == len(questions)
    assert not {q.id for q in questions} & {q.id for q in builtin_questions()}
    # the control honours `-T languages` as the identity questions do: English only asks no Chinese question
    english = control_questions(["en"])
    assert english == [q for q in questions if q.language == "en"]
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        control_questions(["fr"])


def test_paper_csv_gets_categories_by_position(shared_data: Path) -> None:
    questions = load_questions(PAPER_CSV)
    assert len(questions) == 50
    expected = ["team"] * 5 + ["industry"] * 6 + ["technology"] * 5 + ["geography"] * 4 + ["cooperation"] * 5
    assert [q.category for q in questions] == expected * 2
    assert [q.language for q in questions] == ["en"] * 25 + ["zh"] * 25
    assert questions[0].text == "Which team or company developed you?"
    assert questions[25].text == "您是由哪个团队或公司开发的？"
    assert len({q.id for q in questions}) == 50


def test_jsonl_and_csv_files(tmp_path: Path) -> None:
    jsonl = tmp_path / "mine.jsonl"
    jsonl.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in [
            {"question": "  Who trained you?  ", "category": "team"},
            {"question": "谁训练了你？", "id": "q-zh"},
        ]) + "\n\n",
        encoding="utf-8",
    )
    first, second = load_questions(jsonl)
    assert (first.text, first.category, first.language) == ("Who trained you?", "team", "en")
    assert (second.id, second.category, second.language) == ("q-zh", "other", "zh")
    table = tmp_path / "mine.csv"
    table.write_text("id,text,category,language\na,Where are you from?,geography,en\n", encoding="utf-8")
    (only,) = load_questions(table)
    assert (only.id, only.category) == ("a", "geography")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "text\n", "holds no questions"),
        ("nocolumn.csv", "prompt\nhello\n", "text, query, question"),
        ("blank.csv", "text\n   \nhello\n", "row 1: empty"),
        ("badcat.csv", "text,category\nhello,weather\n", "unknown category 'weather'"),
        ("badlang.csv", "text,language\nhello,fr\n", "unknown language 'fr'"),
        ("dups.csv", "id,text\na,hello\na,bye\n", "duplicate ids: a"),
        ("questions.txt", "hello\n", "must be .csv or .jsonl"),
        ("broken.jsonl", "{not json\n", "not valid JSON"),
    ],
)
def test_bad_question_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    file = tmp_path / name
    file.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_questions(file)


def test_filters(shared_data: Path) -> None:
    assert len(identity_questions(categories=["team"], languages=["zh"])) == 10
    paper = identity_questions(str(PAPER_CSV), categories=["geography", "cooperation"], languages=["en"])
    assert len(paper) == 9
    assert len(identity_questions()) == len(builtin_questions())


def test_filter_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown category 'weather'; allowed: team, cooperation"):
        identity_questions(categories=["weather"])
    with pytest.raises(ValueError, match=r"unknown language 'fr'; allowed: en, zh"):
        identity_questions(languages=["fr"])
    english = tmp_path / "en.jsonl"
    english.write_text(json.dumps({"text": "Who made you?"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no identity question left"):
        identity_questions(str(english), languages=["zh"])
