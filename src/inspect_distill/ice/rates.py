"""Loose / strict / hard rates of an ICE campaign: counts, Wilson intervals, paper rates, breakdowns, pooling.

Rates are over valid, judged queries; target errors, refusals and unjudged rows are counted apart and
kept out of every denominator. The paper-compatible rate divides positives by the budget, as the paper's
code did (it hard-coded 1000). Campaigns (epochs, logs) pool by adding counts (`merge_summaries`,
`Rate.merge`): the metrics and the report use the same rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Final

from pydantic import BaseModel, Field

from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.records import CampaignResult, QueryRecord
from inspect_distill.identity.model import is_hard

KINDS = ("loose", "strict", "hard")
"""The three verdict kinds, in the paper's order (its Figure 4 and the report)."""
HEADLINE = ("strict", "hard", "loose")
"""The kinds in the order every view leads with: the score value, the metrics and the sample list."""
RECORDED: Final = "recorded"
"""The verdict source of the verdicts recorded in an imported run (the paper's gpt-4o-mini judge)."""
Z_95 = 1.959963984540054


def wilson_interval(positives: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a binomial rate (NaN, NaN when there is no trial)."""
    if total <= 0:
        return (math.nan, math.nan)
    p = positives / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


class Rate(BaseModel):
    """Positives over valid judged queries, with a 95% interval and the paper's rate over the budget."""

    positives: int = 0
    valid: int = 0
    budget: int = 0

    @property
    def rate(self) -> float:
        return self.positives / self.valid if self.valid else math.nan

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.positives, self.valid)

    @property
    def paper_rate(self) -> float:
        return self.positives / self.budget if self.budget else math.nan

    def add(self, positive: bool | None) -> None:
        if positive is None:
            return
        self.valid += 1
        self.positives += int(positive)

    def merge(self, other: Rate) -> None:
        """Pool another group's counts into this one: the one pooling rule (Σ positives / Σ valid)."""
        self.positives += other.positives
        self.valid += other.valid
        self.budget += other.budget


class RateTable(BaseModel):
    """Loose, strict and hard rates for one group of queries, and what was kept out of them."""

    queries: int = 0
    errors: int = 0
    refusals: int = 0
    unjudged: int = 0
    loose: Rate = Field(default_factory=Rate)
    strict: Rate = Field(default_factory=Rate)
    hard: Rate = Field(default_factory=Rate)

    def add(self, record: QueryRecord, verdict: Verdict | None) -> None:
        self.queries += 1
        if record.status == "error":
            self.errors += 1
            return
        if record.status == "refusal":
            self.refusals += 1
            return
        if verdict is None or verdict.loose is None:
            self.unjudged += 1
            return
        self.loose.add(verdict.loose)
        if verdict.strict_unjudged:
            self.unjudged += 1  # out of the strict and hard denominators
            return
        self.strict.add(bool(verdict.strict))
        self.hard.add(bool(verdict.hard))

    def with_budget(self, budget: int) -> RateTable:
        for kind in KINDS:
            getattr(self, kind).budget = budget
        return self

    def merge(self, other: RateTable) -> None:
        for key in ("queries", "errors", "refusals", "unjudged"):
            setattr(self, key, getattr(self, key) + getattr(other, key))
        for kind in KINDS:
            getattr(self, kind).merge(getattr(other, kind))


class Agreement(BaseModel):
    """How two verdict sources agree on one kind (loose or strict) over rows both judged."""

    first: str
    second: str
    kind: str
    both_judged: int = 0
    agree: int = 0
    first_only: list[int] = Field(default_factory=list)
    """Indices of rows positive for the first source only."""
    second_only: list[int] = Field(default_factory=list)
    true_positive: int = 0

    @property
    def rate(self) -> float:
        return self.agree / self.both_judged if self.both_judged else math.nan

    def merge(self, other: Agreement) -> None:
        """Pool the same comparison over another group of rows."""
        self.both_judged += other.both_judged
        self.agree += other.agree
        self.true_positive += other.true_positive
        self.first_only += other.first_only
        self.second_only += other.second_only

    @property
    def precision(self) -> float:
        """Of the first source's positives, the share the second confirms."""
        found = self.true_positive + len(self.first_only)
        return self.true_positive / found if found else math.nan

    @property
    def recall(self) -> float:
        """Of the second source's positives, the share the first finds."""
        truth = self.true_positive + len(self.second_only)
        return self.true_positive / truth if truth else math.nan


class ControlSummary(BaseModel):
    """Hallucination control: invented names attributed to a reference maker."""

    asked: int = 0
    answered: int = 0
    attributed: int = 0
    by_reference: dict[str, int] = Field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.attributed / self.answered if self.answered else math.nan


class IceSummary(BaseModel):
    """Everything the scorer reports for one campaign and one verdict source."""

    judge: str
    budget: int
    overall: RateTable
    by_category: dict[str, RateTable] = Field(default_factory=dict)
    by_language: dict[str, RateTable] = Field(default_factory=dict)
    dropped_mutants: int = 0
    iterations: int = 0
    stop_reason: str | None = None
    judge_calls: int = 0
    agreements: list[Agreement] = Field(default_factory=list)
    control: ControlSummary | None = None
    strict_at: list[int] | None = None
    """The discovery curve: for each strict positive, the target queries spent when it was found (counted
    in the order the queries were spent, the control queries left out). None in logs written before it."""


VerdictSource = Callable[[QueryRecord], "Verdict | None"]


def verdict_source(result: CampaignResult, judge: str) -> VerdictSource:
    """How to read one source's verdict from a record: a judge's, or the verdicts recorded in an import (hard
    by the judges' rule, `is_hard`, on the prompt the target saw)."""
    if judge != RECORDED:
        return lambda record: record.verdicts.get(judge)

    def recorded(record: QueryRecord) -> Verdict | None:
        if record.recorded_loose is None:
            return None
        strict = bool(record.recorded_loose and record.recorded_strict)
        hard = is_hard(strict, result.prompt(record), result.references)
        return Verdict(judge=RECORDED, loose=record.recorded_loose, strict=strict, hard=hard)

    return recorded


def agreement(records: Iterable[QueryRecord], first: VerdictSource, second: VerdictSource,
              names: tuple[str, str], kind: str) -> Agreement:
    """Agreement of two verdict sources on `kind` over the rows both judged."""
    result = Agreement(first=names[0], second=names[1], kind=kind)
    for record in records:
        a, b = first(record), second(record)
        value_a = getattr(a, kind) if a else None
        value_b = getattr(b, kind) if b else None
        if value_a is None or value_b is None:
            continue
        result.both_judged += 1
        result.agree += int(value_a == value_b)
        if value_a and value_b:
            result.true_positive += 1
        elif value_a:
            result.first_only.append(record.index)
        elif value_b:
            result.second_only.append(record.index)
    return result


def summarize(result: CampaignResult, judge: str, budget: int | None = None,
              compare_with: Iterable[str] = ()) -> IceSummary:
    """Rates of one verdict source over a campaign's (non-control) records, with breakdowns."""
    budget = budget if budget is not None else result.settings.budget
    read = verdict_source(result, judge)
    overall = RateTable()
    by_category: dict[str, RateTable] = {}
    by_language: dict[str, RateTable] = {}
    judge_calls = 0
    strict_at: list[int] = []
    control = ControlSummary() if any(r.control for r in result.records) else None
    for record in result.records:
        if record.control:
            assert control is not None
            control.asked += 1
            if record.status == "ok":
                control.answered += 1
                if record.control_attribution:
                    control.attributed += 1
                    key = record.control_attribution
                    control.by_reference[key] = control.by_reference.get(key, 0) + 1
            continue
        verdict = read(record)
        judge_calls += sum(v.judge_calls for v in record.verdicts.values())
        question = result.questions.get(record.question_id)
        overall.add(record, verdict)
        if verdict is not None and verdict.strict and record.status == "ok":
            strict_at.append(overall.queries)
        if question is not None:
            by_category.setdefault(question.category, RateTable()).add(record, verdict)
            by_language.setdefault(question.language, RateTable()).add(record, verdict)
    agreements = []
    records = [r for r in result.records if not r.control]
    for other in compare_with:
        for kind in ("loose", "strict"):
            agreements.append(
                agreement(records, read, verdict_source(result, other), (judge, other), kind)
            )
    return IceSummary(
        judge=judge,
        budget=budget,
        overall=overall.with_budget(budget),
        by_category={k: v.with_budget(budget) for k, v in sorted(by_category.items())},
        by_language={k: v.with_budget(budget) for k, v in sorted(by_language.items())},
        dropped_mutants=result.dropped_mutants,
        iterations=result.iterations,
        stop_reason=result.stop_reason,
        judge_calls=judge_calls,
        agreements=agreements,
        control=control,
        strict_at=strict_at,
    )


def merge_summaries(summaries: list[IceSummary]) -> IceSummary:
    """Pool several campaigns (epochs) of one target into one summary: counts add up."""
    known_curves = all(summary.strict_at is not None for summary in summaries)
    merged = IceSummary(judge=summaries[0].judge, budget=0, overall=RateTable(), strict_at=[] if known_curves else None)
    for summary in summaries:
        if merged.strict_at is not None and summary.strict_at is not None:  # campaigns end to end
            merged.strict_at += [merged.overall.queries + at for at in summary.strict_at]
        merged.budget += summary.budget
        merged.overall.merge(summary.overall)
        for group in ("by_category", "by_language"):
            target = getattr(merged, group)
            for name, table in getattr(summary, group).items():
                target.setdefault(name, RateTable()).merge(table)
        merged.dropped_mutants += summary.dropped_mutants
        merged.iterations += summary.iterations
        merged.judge_calls += summary.judge_calls
        for agreement in summary.agreements:
            pooled = next(
                (a for a in merged.agreements
                 if (a.first, a.second, a.kind) == (agreement.first, agreement.second, agreement.kind)),
                None,
            )
            if pooled is None:
                merged.agreements.append(agreement.model_copy(deep=True))
            else:
                pooled.merge(agreement)
        if summary.control is not None:
            control = merged.control = merged.control or ControlSummary()
            control.asked += summary.control.asked
            control.answered += summary.control.answered
            control.attributed += summary.control.attributed
            for key, count in summary.control.by_reference.items():
                control.by_reference[key] = control.by_reference.get(key, 0) + count
    return merged
