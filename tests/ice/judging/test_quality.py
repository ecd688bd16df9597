"""The judge-error correction of the strict rate: observed x precision / recall, with a simulated interval."""

from __future__ import annotations

from inspect_distill.ice.judging.quality import JudgeQuality, QualityTable, corrected_rate, load_quality


def table(precision: float, recall: float, predicted: int = 100, positives: int = 100) -> QualityTable:
    quality = JudgeQuality(precision=precision, recall=recall, predicted=predicted, positives=positives,
                           tp=round(precision * predicted), fp=predicted - round(precision * predicted),
                           fn=positives - round(recall * positives))
    return QualityTable(measured_on="test", command="test", judges={"lexical": quality})


def test_a_perfect_judge_changes_nothing_but_its_interval_stays_the_observed_one() -> None:
    rate = corrected_rate("lexical", 10, 100, table(1.0, 1.0, 10_000, 10_000))
    assert rate is not None
    assert rate.corrected == rate.observed == 0.1
    assert 0.04 < rate.low < 0.1 < rate.high < 0.18


def test_missed_claims_raise_the_rate_and_false_ones_lower_it() -> None:
    raised = corrected_rate("lexical", 10, 100, table(1.0, 0.5))
    lowered = corrected_rate("lexical", 10, 100, table(0.5, 1.0))
    assert raised is not None and lowered is not None
    assert raised.corrected == 0.2 and lowered.corrected == 0.05
    assert raised.low < raised.corrected < raised.high


def test_fewer_gold_rows_give_a_wider_interval() -> None:
    wide = corrected_rate("lexical", 10, 100, table(0.9, 0.9, 10, 10))
    narrow = corrected_rate("lexical", 10, 100, table(0.9, 0.9, 1000, 1000))
    assert wide is not None and narrow is not None
    assert wide.high - wide.low > narrow.high - narrow.low


def test_deterministic_and_absent_without_a_measurement() -> None:
    assert corrected_rate("lexical", 3, 20, table(0.9, 0.8)) == corrected_rate("lexical", 3, 20, table(0.9, 0.8))
    assert corrected_rate("llm", 3, 20, table(0.9, 0.8)) is None
    assert corrected_rate("lexical", 0, 0, table(0.9, 0.8)) is None


def test_the_shipped_table_measures_the_offline_judges() -> None:
    shipped = load_quality()
    assert shipped is not None
    for name in ("lexical", "hybrid"):
        quality = shipped.judges[name]
        assert 0.5 < quality.precision <= 1 and 0.5 < quality.recall <= 1
        assert quality.tp + quality.fp == quality.predicted and quality.tp + quality.fn == quality.positives
    assert "judge_gold" in shipped.command
