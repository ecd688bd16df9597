"""The RSE judge's rating: reading replies, the criteria ranges and schema, averaging the orders."""

from __future__ import annotations

import pytest

from inspect_distill.rse.rating import (
    CRITERIA,
    RATING_SCHEMA,
    Judgement,
    JudgeParseError,
    combine,
    parse_judgement,
)

# --- parsing ---------------------------------------------------------------------------------------------


def test_clean_json() -> None:
    judgement = parse_judgement('{"style": 2, "logic": 1, "content": 0, "overall": 3, "reason": "Same order."}')
    assert judgement == Judgement(style=2, logic=1, content=0, overall=3, reason="Same order.")


@pytest.mark.parametrize(
    "reply, expected",
    [
        ('```json\n{"style": 1, "logic": 2, "content": 2, "overall": 4}\n```', (1, 2, 2, 4)),
        ('Here is my rating:\n{"Style": "2", "Logic": 2.0, "Content": 1, "Overall": 5, "reason": "x"}\nThanks.',
         (2, 2, 1, 5)),
        ('{"response_style": 0, "logical_structure": 1, "content_detail": 1, "overall_similarity": 2}', (0, 1, 1, 2)),
        ("{'style': 1, 'logic': 1, 'content': 1, 'overall': 3, 'reason': 'python dict'}", (1, 1, 1, 3)),
        ('{"style": 2, "logic": 2, "content": 1, "overall": 4, "reason": "cut off at max_tok', (2, 2, 1, 4)),
        ("Style: 1\nLogic: 0\nContent: 1\nOverall: 2", (1, 0, 1, 2)),
        ('Example {"style": 0, "logic": 0, "content": 0, "overall": 1} then mine: '
         '{"style": 2, "logic": 1, "content": 2, "overall": 4}', (2, 1, 2, 4)),
    ],
)
def test_messy_replies(reply: str, expected: tuple[int, int, int, int]) -> None:
    judgement = parse_judgement(reply)
    assert (judgement.style, judgement.logic, judgement.content, judgement.overall) == expected


def test_reason_is_kept_even_when_cut() -> None:
    assert parse_judgement('{"style": 2, "logic": 2, "content": 1, "overall": 4, "reason": "both list').reason == \
        "both list"


@pytest.mark.parametrize(
    "reply, message",
    [
        ("These answers are fairly similar.", "no rating found"),
        ("", "no rating found"),
        ('{"style": 1, "logic": 1, "overall": 3}', "missing content"),
        ('{"style": 1, "logic": 1, "content": 1, "overall": 6}', r"overall=6 is outside 1-5"),
        ('{"style": 3, "logic": 1, "content": 1, "overall": 4}', r"style=3 is outside 0-2"),
        ('{"style": 1, "logic": 1, "content": 1, "overall": 0}', r"overall=0 is outside 1-5"),
        ('{"style": 1, "logic": -1, "content": 1, "overall": 2}', r"logic=-1 is outside 0-2"),
        ('{"style": 1, "logic": 1, "content": 1, "overall": 3.5}', "not a whole number"),
        ('{"style": "1-2", "logic": "1-2", "content": "1-2", "overall": "1-2"}', "not a whole number"),
        ('{"style": true, "logic": 1, "content": 1, "overall": 3}', "not a number"),
    ],
)
def test_garbage_and_out_of_range_are_errors_never_numbers(reply: str, message: str) -> None:
    with pytest.raises(JudgeParseError, match=message):
        parse_judgement(reply)


# --- swap averaging and identical text -------------------------------------------------------------------


def test_swap_averages_both_orders_and_reports_the_gap() -> None:
    first = Judgement(style=2, logic=1, content=2, overall=5)
    second = Judgement(style=1, logic=1, content=1, overall=2)
    both = combine({"reference_first": first, "tested_first": second})
    assert (both.style, both.logic, both.content, both.overall) == (1.5, 1.0, 1.5, 3.5)
    assert both.swap_gap == 3.0
    single = combine({"reference_first": first})
    assert single.overall == 5.0 and single.swap_gap is None



def test_rating_schema_has_the_criteria_ranges() -> None:
    schema = RATING_SCHEMA.json_schema
    assert schema.properties is not None and schema.required is not None
    for key, (low, high) in CRITERIA.items():
        assert schema.properties[key].enum == list(range(low, high + 1))
    # scores before the reason: a reply cut at the token limit still holds the rating
    assert list(schema.properties) == [*CRITERIA, "reason"] and set(schema.required) == {*CRITERIA, "reason"}
