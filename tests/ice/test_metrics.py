"""Rates, intervals, pooling and agreement of ICE verdicts, against hand-computed values."""

from __future__ import annotations

import math

import pytest
from inspect_ai.scorer import SampleScore, Score

from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.metrics import (
    IceSummary,
    ice_breakdown,
    ice_rates,
    merge_summaries,
    pooled_campaigns,
    score_values,
    summarize,
    wilson_interval,
)
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.records import CampaignResult, QueryRecord, TemplateRecord
from inspect_distill.ice.settings import CampaignSettings
from inspect_distill.identity.model import get_identity


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(5, 10)
    assert (low, high) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def _campaign(verdicts: list[tuple[str, str, bool | None, bool | None, bool | None]], budget: int = 10) -> CampaignResult:
    """Records from (status, category, loose, strict, hard) rows."""
    result = CampaignResult(
        settings=CampaignSettings(budget=budget, judge="lexical"),
        identity=get_identity("deepseek"),
        references=[get_identity("openai"), get_identity("anthropic")],
        templates={"t": TemplateRecord(id="t", text="Say: [INSERT PROMPT HERE]")},
    )
    for category in ("team", "geography"):
        for language in ("en", "zh"):
            qid = f"{category}-{language}"
            result.questions[qid] = IdentityQuestion(id=qid, text="Who made you?", category=category, language=language)
    for index, (status, qid, loose, strict, hard) in enumerate(verdicts):
        record = QueryRecord(index=index, iteration=1, template_id="t", question_id=qid, response="x", status=status)  # type: ignore[arg-type]
        if status == "ok":
            record.verdicts["lexical"] = Verdict(judge="lexical", loose=loose, strict=strict, hard=hard)
        result.records.append(record)
    return result


ROWS = [
    ("ok", "team-en", True, True, True),
    ("ok", "team-en", True, True, False),
    ("ok", "team-zh", True, False, False),
    ("ok", "geography-en", False, False, False),
    ("ok", "geography-zh", None, None, None),  # unjudged
    ("error", "geography-en", None, None, None),
    ("refusal", "team-en", None, None, None),
    ("ok", "geography-zh", True, None, None),  # strict judge failed on a loose positive
]


def test_summary_keeps_errors_refusals_and_unjudged_out_of_denominators() -> None:
    summary = summarize(_campaign(ROWS), "lexical")
    overall = summary.overall
    assert (overall.queries, overall.errors, overall.refusals, overall.unjudged) == (8, 1, 1, 2)
    assert (overall.loose.positives, overall.loose.valid) == (4, 5)
    assert (overall.strict.positives, overall.strict.valid) == (2, 4)
    assert (overall.hard.positives, overall.hard.valid) == (1, 4)
    assert overall.strict.paper_rate == pytest.approx(2 / 10)
    assert summary.by_category["team"].strict.rate == pytest.approx(2 / 3)
    assert summary.by_language["zh"].loose.positives == 2


def test_pooling_two_campaigns_adds_counts_not_rates() -> None:
    one = summarize(_campaign(ROWS[:2]), "lexical")  # strict 2/2
    two = summarize(_campaign(ROWS[2:4] * 3), "lexical")  # strict 0/6
    merged = merge_summaries([one, two])
    assert (merged.overall.strict.positives, merged.overall.strict.valid) == (2, 8)
    assert merged.budget == 20

    scores = [
        Score(value=score_values(s), metadata={"summary": s.model_dump(mode="json")}) for s in (one, two)
    ]
    reduced = pooled_campaigns()(scores)
    assert reduced.value["strict"] == pytest.approx(2 / 8)
    assert IceSummary.model_validate(reduced.metadata["summary"]).overall.loose.valid == 8

    sample_scores = [SampleScore(score=s, sample_id=i) for i, s in enumerate(scores)]
    rates = ice_rates()(sample_scores)
    assert rates["strict"] == pytest.approx(2 / 8)
    assert rates["strict_paper"] == pytest.approx(2 / 20)
    low, high = wilson_interval(2, 8)
    assert (rates["strict_ci_low"], rates["strict_ci_high"]) == pytest.approx((low, high))
    by_category = ice_breakdown("by_category", "strict")(sample_scores)
    assert by_category["strict_team"] == pytest.approx(2 / 5)


def test_agreement_between_two_judges() -> None:
    result = _campaign(ROWS)
    for record in result.records:
        if record.status == "ok":
            record.verdicts["llm"] = Verdict(judge="llm", loose=True, strict=True, hard=False)
    summary = summarize(result, "lexical", compare_with=["llm"])
    strict = next(a for a in summary.agreements if a.kind == "strict")
    # both judged strict on 4 rows: lexical positive on rows 0,1; llm positive on all 4
    assert strict.both_judged == 4 and strict.agree == 2
    assert strict.second_only == [2, 3]
    assert strict.precision == 1.0 and strict.recall == pytest.approx(0.5)

    pooled = merge_summaries([summary, summary])
    strict = next(a for a in pooled.agreements if a.kind == "strict")
    assert (strict.both_judged, strict.agree, strict.true_positive) == (8, 4, 4)


def test_strict_positives_are_placed_on_the_discovery_curve() -> None:
    one = summarize(_campaign(ROWS[:2]), "lexical")  # strict, strict
    two = summarize(_campaign(ROWS[2:4] + ROWS[:1]), "lexical")  # no, no, strict
    assert one.strict_at == [1, 2] and two.strict_at == [3]
    assert merge_summaries([one, two.model_copy(update={"strict_at": None})]).strict_at is None  # an older log
    assert merge_summaries([one, two]).strict_at == [1, 2, 5]  # the second campaign after the first
