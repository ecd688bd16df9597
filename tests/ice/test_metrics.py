"""Rates, intervals, pooling and agreement of ICE verdicts, against hand-computed values; the score value."""

from __future__ import annotations

import math

import pytest
from inspect_ai.scorer import SampleScore, Score

from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.metrics import ice_agreement, ice_breakdown, ice_counts, ice_rates
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.rates import IceSummary, merge_summaries, summarize, wilson_interval
from inspect_distill.ice.records import CampaignResult, QueryRecord, TemplateRecord
from inspect_distill.ice.score_value import NOT_JUDGED, SHOWN_KEYS, VALUES_KEY, IceScoreValue
from inspect_distill.ice.settings import CampaignSettings
from inspect_distill.identity.model import get_identity


def score_values(summary: IceSummary, recorded: IceSummary | None = None) -> dict[str, float]:
    return IceScoreValue(summary=summary, recorded=recorded).to_value()


def scored(summary: IceSummary, recorded: IceSummary | None = None) -> Score:
    return IceScoreValue(summary=summary, recorded=recorded).to_score(answer="", explanation="")


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

    scores = [scored(s) for s in (one, two)]
    read = [IceScoreValue.from_score(score) for score in scores]
    pooled = IceScoreValue.pooled(value for value in read if value is not None)
    assert pooled is not None and pooled.summary.overall.loose.valid == 8
    assert pooled.to_value()["strict"] == pytest.approx(2 / 8)

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


# --- what the viewer shows: headline first, rounded, no NaN, not judged ----------------------------------


def _judged_by_both(rows: list[tuple[str, str, bool | None, bool | None, bool | None]]) -> CampaignResult:
    result = _campaign(rows)
    for record in result.records:
        if record.status == "ok":
            record.verdicts["llm"] = Verdict(judge="llm", loose=True, strict=True, hard=False)
            record.recorded_loose, record.recorded_strict = True, record.index % 2 == 0
    return result


def test_score_value_leads_with_strict_hard_loose_then_intervals() -> None:
    summary = summarize(_campaign(ROWS), "lexical")
    value = score_values(summary)
    assert list(value)[:9] == ["strict", "hard", "loose", "strict_ci_low", "strict_ci_high", "hard_ci_low",
                               "hard_ci_high", "loose_ci_low", "loose_ci_high"]
    assert list(value)[9:12] == ["strict_paper", "hard_paper", "loose_paper"]
    # rates rounded to three decimals (what a sample shows), the counts behind them exact
    assert value["strict"] == 0.5 and value["loose"] == 0.8 and value["hard"] == 0.25
    low, high = wilson_interval(2, 4)
    assert (value["strict_ci_low"], value["strict_ci_high"]) == (round(low, 3), round(high, 3))
    assert value["strict_team"] == round(2 / 3, 3) and value["strict_team_valid"] == 3
    assert (value["strict_positives"], value["strict_valid"], value["unjudged"]) == (2, 4, 2)
    assert not any(isinstance(v, float) and math.isnan(v) for v in value.values())
    # the counts come after every rate
    names = list(value)
    assert names.index("queries") > names.index("strict_zh") and names[-1].endswith(("_valid", "_judged"))


def test_nothing_judged_leaves_the_rates_out_and_says_not_judged() -> None:
    rows = [("ok", "team-en", None, None, None), ("error", "team-zh", None, None, None)]
    summary = summarize(_campaign(rows), "lexical")
    value = score_values(summary)
    assert not {"strict", "hard", "loose", "strict_paper", "strict_ci_low", "strict_team"} & set(value)
    assert (value["queries"], value["unjudged"], value["errors"], value["strict_valid"]) == (2, 1, 1, 0)
    assert not any(isinstance(v, float) and math.isnan(v) for v in value.values())
    score = scored(summary)
    assert score.value == {"strict": NOT_JUDGED, "hard": NOT_JUDGED, "loose": NOT_JUDGED}
    scores = [SampleScore(score=score, sample_id=1)]
    assert ice_rates()(scores) == {"not_judged": 2.0}
    assert ice_breakdown("by_category", "strict")(scores) == {}


def test_metrics_order_and_pooling_without_a_reducer() -> None:
    one = scored(summarize(_campaign(ROWS[:2]), "lexical"))  # strict 2/2
    two = scored(summarize(_campaign(ROWS[2:4] * 3), "lexical"))  # strict 0/6
    scores = [SampleScore(score=s, sample_id="campaign") for s in (one, two)]
    rates = ice_rates()(scores)
    assert list(rates) == ["strict", "hard", "loose", "strict_ci_low", "strict_ci_high", "hard_ci_low",
                           "hard_ci_high", "loose_ci_low", "loose_ci_high", "strict_paper", "hard_paper", "loose_paper"]
    assert rates["strict"] == pytest.approx(2 / 8)  # the counts, not the mean of 1.0 and 0.0
    # the ICE metrics take every campaign's score (the header shows no reducer name under them)
    from inspect_ai.scorer._metric import metric_scores

    for metric in (ice_rates(), ice_agreement(), ice_breakdown(), ice_counts()):
        assert metric_scores(metric) == "unreduced"


def test_recorded_rates_and_agreement_are_in_the_value_and_the_metrics() -> None:
    result = _judged_by_both(ROWS)
    recorded = summarize(result, "recorded")
    summary = summarize(result, "lexical", compare_with=["llm", "recorded"])
    value = score_values(summary, recorded)
    strict = next(a for a in summary.agreements if (a.second, a.kind) == ("llm", "strict"))
    assert value["agree_llm_strict"] == round(strict.rate, 3)
    assert (value["agree_llm_strict_agree"], value["agree_llm_strict_judged"]) == (strict.agree, strict.both_judged)
    assert value["recorded_loose"] == round(recorded.overall.loose.rate, 3)
    assert value["recorded_strict_positives"] == recorded.overall.strict.positives
    # pooled over two campaigns: counts add up
    scores = [SampleScore(score=scored(summary, recorded), sample_id=i) for i in range(2)]
    metrics = ice_agreement()(scores)
    assert list(metrics)[:3] == ["recorded_strict", "recorded_hard", "recorded_loose"]
    assert metrics["agree_llm_strict"] == pytest.approx(strict.agree / strict.both_judged)
    assert metrics["recorded_strict"] == pytest.approx(recorded.overall.strict.rate)
    assert ice_agreement()([SampleScore(score=scored(summarize(_campaign(ROWS), "lexical")), sample_id=1)]) == {}


def test_the_score_value_writes_and_reads_back_value_and_metadata() -> None:
    result = _judged_by_both(ROWS)
    recorded = summarize(result, "recorded")
    summary = summarize(result, "lexical", compare_with=["recorded"])
    value = IceScoreValue(summary=summary, recorded=recorded)
    score = value.to_score(answer="a", explanation="e")
    # the value holds only the sample list's columns, in order; the metadata the whole value and the summaries
    assert isinstance(score.value, dict) and list(score.value) == [key for key in SHOWN_KEYS if key in value.to_value()]
    assert score.metadata is not None and score.metadata[VALUES_KEY] == value.to_value()
    assert list(score.metadata) == ["values", "recorded_summary", "summary"]
    assert IceScoreValue.from_score(score) == value
    assert IceScoreValue.from_score(Score.unscored(reason="nothing recorded")) is None and \
        IceScoreValue.from_score(None) is None
    pooled = IceScoreValue.pooled([value, value])
    assert pooled is not None and pooled.recorded is not None
    assert pooled.recorded.overall.queries == 2 * recorded.overall.queries
    assert pooled.to_value()["recorded_strict_valid"] == 2 * recorded.overall.strict.valid
    assert IceScoreValue.pooled([]) is None


def test_recorded_verdicts_are_hard_by_the_prompt_the_target_saw() -> None:
    """A reference planted by the question (not the template) makes a recorded strict claim not hard, as for
    every judge (`identity.is_hard` on `CampaignResult.prompt`)."""
    result = _campaign([("ok", "team-en", None, None, None), ("ok", "team-zh", None, None, None)])
    result.questions["team-en"] = IdentityQuestion(id="team-en", text="Are you ChatGPT?", category="team",
                                                   language="en")
    for record in result.records:
        record.verdicts.clear()
        record.recorded_loose, record.recorded_strict = True, True
    recorded = summarize(result, "recorded").overall
    assert (recorded.strict.positives, recorded.hard.positives) == (2, 1)
