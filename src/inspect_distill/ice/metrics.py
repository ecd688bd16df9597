"""Loose / strict / hard rates of an ICE campaign: counts, Wilson intervals, paper rates, breakdowns.

Rates are over valid, judged queries; target errors, refusals and unjudged rows are counted apart and
kept out of every denominator. The paper-compatible rate divides positives by the budget, as the paper's
code did (it hard-coded 1000).

Every view leads with the headline (`HEADLINE`: strict, hard, loose, then their intervals). A rate that no
query was judged for is left out rather than NaN, and a campaign where nothing was judged says `not_judged`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from inspect_ai.scorer import (
    Metric,
    SampleScore,
    Score,
    ScoreReducer,
    metric,
    score_reducer,
)
from pydantic import BaseModel, Field

from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.questions import ALL_CATEGORIES, LANGUAGES
from inspect_distill.ice.records import CampaignResult, QueryRecord

KINDS = ("loose", "strict", "hard")
"""The three verdict kinds, in the paper's order (its Figure 4 and the report)."""
HEADLINE = ("strict", "hard", "loose")
"""The kinds in the order every view leads with: the score value, the metrics and the sample list."""
DIGITS = 3
"""Decimals of the rates in a score value (what the viewer shows per campaign); the counts beside them are
exact and the metrics are computed from the counts, never from these rounded rates."""
NOT_JUDGED = "not_judged"
"""The metric (and explanation wording) when no query was judged: the rates are left out rather than NaN."""
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
        if verdict.loose and verdict.strict is None:
            self.unjudged += 1  # strict judge failed on a loose positive: out of the strict denominators
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

    def values(self, prefix: str = "") -> dict[str, float]:
        return {f"{prefix}{kind}": getattr(self, kind).rate for kind in KINDS}


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
    """How to read one source's verdict from a record: a judge's, or the verdicts recorded in an import."""
    if judge != "recorded":
        return lambda record: record.verdicts.get(judge)
    from inspect_distill.identity.model import plants_reference

    def recorded(record: QueryRecord) -> Verdict | None:
        if record.recorded_loose is None:
            return None
        strict = bool(record.recorded_loose and record.recorded_strict)
        hard = strict and not plants_reference(result.template_text(record), result.references)
        return Verdict(judge="recorded", loose=record.recorded_loose, strict=strict, hard=hard)

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


COUNT_KEYS = ("queries", "errors", "refusals", "unjudged")
RECORDED = "recorded"
"""The verdict source of the verdicts recorded in an imported run (the paper's judge)."""


def _rounded(value: float) -> float:
    return round(value, DIGITS)


def agreement_key(agreement: Agreement) -> str:
    """`agree_<other source>_<kind>`: the agreement of the headline judge with another verdict source."""
    return f"agree_{agreement.second}_{agreement.kind}"


def score_values(summary: IceSummary, recorded: IceSummary | None = None) -> dict[str, float]:
    """The flat score value of a campaign, headline first: strict, hard, loose (rounded, and left out when
    nothing was judged), their 95% intervals, the paper's rates, strict per category and language, the counts
    kept out, the recorded verdicts' rates and the agreement with other judges; then the counts behind every
    rate (`<kind>_positives`, `<kind>_valid`, `budget`, `agree_..._agree`, `agree_..._judged`), so that any
    pooling (epochs, metrics, the report) is one rule: `Rate.merge`, Σ positives / Σ valid."""
    overall = summary.overall
    values: dict[str, float] = {}
    judged = [kind for kind in HEADLINE if getattr(overall, kind).valid]
    values |= {kind: _rounded(getattr(overall, kind).rate) for kind in judged}
    for kind in judged:
        low, high = getattr(overall, kind).interval
        values |= {f"{kind}_ci_low": _rounded(low), f"{kind}_ci_high": _rounded(high)}
    if summary.budget:
        values |= {f"{kind}_paper": _rounded(getattr(overall, kind).paper_rate) for kind in judged}
    for table_group in (summary.by_category, summary.by_language):
        values |= {f"strict_{name}": _rounded(table.strict.rate) for name, table in table_group.items()
                   if table.strict.valid}
    values |= {key: getattr(overall, key) for key in COUNT_KEYS}
    values |= {"budget": summary.budget, "dropped_mutants": summary.dropped_mutants}
    if summary.control is not None:
        values |= {"control_answered": summary.control.answered, "control_attributed": summary.control.attributed}
    if recorded is not None:
        values |= {f"{RECORDED}_{kind}": _rounded(getattr(recorded.overall, kind).rate) for kind in HEADLINE
                   if getattr(recorded.overall, kind).valid}
    values |= {agreement_key(a): _rounded(a.rate) for a in summary.agreements if a.both_judged}
    # the counts behind the rates
    for kind in HEADLINE:
        rate: Rate = getattr(overall, kind)
        values |= {f"{kind}_positives": rate.positives, f"{kind}_valid": rate.valid}
    for table_group in (summary.by_category, summary.by_language):
        for name, table in table_group.items():
            values |= {f"strict_{name}_positives": table.strict.positives, f"strict_{name}_valid": table.strict.valid}
    if recorded is not None:
        for kind in HEADLINE:
            rate = getattr(recorded.overall, kind)
            values |= {f"{RECORDED}_{kind}_positives": rate.positives, f"{RECORDED}_{kind}_valid": rate.valid}
    for a in summary.agreements:
        values |= {f"{agreement_key(a)}_agree": a.agree, f"{agreement_key(a)}_judged": a.both_judged}
    return values


VALUES_KEY = "values"
"""The score metadata key that holds a campaign's whole score value (`score_values`)."""
SHOWN_KEYS: tuple[str, ...] = ("strict", "hard", "loose", "strict_paper", "hard_paper", "loose_paper",
                               "strict_en", "strict_zh")
"""The keys of `score_values` that a campaign's `Score.value` keeps: the sample list's columns, in order.
`inspect view` shows every key of a score value as a sample-list column and a score-panel row, and no setting
hides one (a column declared `visible=False` is shown all the same), so the rest (intervals, counts, strict per
category, agreement, and the counts behind every rate) is in `Score.metadata[VALUES_KEY]` with them: the
metrics read it there (`campaign_values`)."""


def shown_values(values: dict[str, float]) -> dict[str, float]:
    """The keys of a campaign's score value that `Score.value` keeps (`SHOWN_KEYS`), in that order."""
    return {key: values[key] for key in SHOWN_KEYS if key in values}


def campaign_values(score: Score) -> dict[str, float]:
    """A campaign's whole score value (`score_values`): `metadata[VALUES_KEY]`, else the value itself (logs
    written before it, and the pooled reducer's score)."""
    whole = (score.metadata or {}).get(VALUES_KEY)
    if isinstance(whole, dict):
        return whole
    return score.value if isinstance(score.value, dict) else {}


def rate_of(value: dict[str, float], kind: str, name: str | None = None) -> Rate:
    """The counts of one rate in a score value (`name`: a category or language of strict; `kind` may also be
    `recorded_<kind>`, the recorded verdicts' rate)."""
    prefix = kind if name is None else f"{kind}_{name}"
    budget = int(value.get("budget", 0)) if name is None else 0
    return Rate(positives=int(value.get(f"{prefix}_positives", 0)), valid=int(value.get(f"{prefix}_valid", 0)),
                budget=budget)


def agreement_of(value: dict[str, float], key: str) -> Rate:
    """The counts of one agreement in a score value, as a rate: rows agreeing over rows both judged."""
    return Rate(positives=int(value.get(f"{key}_agree", 0)), valid=int(value.get(f"{key}_judged", 0)))


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


@score_reducer(name="pooled_campaigns")
def pooled_campaigns() -> ScoreReducer:
    """Epoch reducer: pool a target's campaigns into one score.

    Custom because Inspect's reducers work key by key on the value (a mean of rates weighs campaigns wrongly)
    and keep no metadata, while the pooled summary (breakdowns, judge agreement, control) is what the sample
    view and the report show. The counts are pooled by the same `Rate.merge` the metrics use. The ICE metrics
    themselves read every campaign's score (`scores="unreduced"`), so Inspect shows no reducer name under them;
    this reducer is what any other (reduced) metric of an ICE log sees.
    """

    def reduce(scores: list[Score]) -> Score:
        summaries = [
            IceSummary.model_validate(s.metadata["summary"]) for s in scores if s.metadata and "summary" in s.metadata
        ]
        if not summaries:
            return Score.unscored(reason="no campaign of this sample was scored")
        merged = merge_summaries(summaries)
        metadata: dict[str, object] = {"summary": merged.model_dump(mode="json")}
        recorded = [IceSummary.model_validate(s.metadata["recorded_summary"]) for s in scores
                    if s.metadata and s.metadata.get("recorded_summary")]
        pooled_recorded = merge_summaries(recorded) if recorded else None
        if pooled_recorded is not None:
            metadata["recorded_summary"] = pooled_recorded.model_dump(mode="json")
        return Score(
            value=score_values(merged, pooled_recorded),
            answer=f"{len(summaries)} campaigns pooled",
            explanation="\n\n".join(s.explanation or "" for s in scores),
            metadata=metadata,
        )

    return reduce


# -- metrics over campaigns (epochs): counts pooled from the score values -------------------------
# Each metric reads every campaign's own score (`scores="unreduced"`: one score per sample and epoch) and
# adds up the counts; pooling needs no reducer, and the viewer prints no reducer name under each metric.


def _values(scores: list[SampleScore]) -> list[dict[str, float]]:
    """The score values that hold a campaign's counts (an unscored campaign has none)."""
    return [value for s in scores if "budget" in (value := campaign_values(s.score))]


def pooled_rate(values: list[dict[str, float]], kind: str, name: str | None = None) -> Rate:
    """One rate pooled over campaigns: Σ positives / Σ valid (`Rate.merge`)."""
    pooled = Rate()
    for value in values:
        pooled.merge(rate_of(value, kind, name))
    return pooled


@metric(scores="unreduced")
def ice_rates() -> Metric:
    """Strict, hard and loose over all campaigns, pooled; then their 95% Wilson intervals and the paper's rates.

    A kind that no query was judged for is left out (never NaN); when no query at all was judged the metric
    is `not_judged`: the number of queries, none of them judged.
    """

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        values = _values(scores)
        pooled = {kind: pooled_rate(values, kind) for kind in HEADLINE}
        judged = [kind for kind in HEADLINE if pooled[kind].valid]
        if not judged:
            return {NOT_JUDGED: float(sum(value.get("queries", 0) for value in values))}
        result = {kind: pooled[kind].rate for kind in judged}
        for kind in judged:
            low, high = pooled[kind].interval
            result |= {f"{kind}_ci_low": low, f"{kind}_ci_high": high}
        if any(value.get("budget") for value in values):
            result |= {f"{kind}_paper": pooled[kind].paper_rate for kind in judged}
        return result

    return compute


@metric(scores="unreduced")
def ice_agreement() -> Metric:
    """Where an import has recorded verdicts or `judge=both` ran: the recorded verdicts' strict, hard and loose
    rates (`recorded_<kind>`) and the agreement of the headline judge with the other source over the rows both
    judged (`agree_<source>_<kind>`), pooled over campaigns. Nothing when there is no second source."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        values = _values(scores)
        result: dict[str, float] = {}
        for kind in HEADLINE:
            pooled = pooled_rate(values, f"{RECORDED}_{kind}")
            if pooled.valid:
                result[f"{RECORDED}_{kind}"] = pooled.rate
        keys = dict.fromkeys(key.removesuffix("_judged") for value in values for key in value
                             if key.startswith("agree_") and key.endswith("_judged"))
        for key in keys:
            pooled = Rate()
            for value in values:
                pooled.merge(agreement_of(value, key))
            if pooled.valid:
                result[key] = pooled.rate
        return result

    return compute


@metric(scores="unreduced")
def ice_breakdown(group: str = "by_category", kind: str = "strict") -> Metric:
    """One kind's pooled rate per category (or language) over all campaigns (those with a judged query)."""
    names = ALL_CATEGORIES if group == "by_category" else LANGUAGES

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        values = _values(scores)
        pooled = {name: pooled_rate(values, kind, name) for name in names}
        return {f"{kind}_{name}": rate.rate for name, rate in sorted(pooled.items()) if rate.valid}

    return compute


@metric(scores="unreduced")
def ice_counts() -> Metric:
    """Queries kept out of the rates, summed over campaigns: errors, refusals, unjudged, dropped mutants;
    with the hallucination control, the invented-name answers and those attributing the name to a reference."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        values = _values(scores)
        keys = [*COUNT_KEYS, "dropped_mutants"]
        if any("control_answered" in value for value in values):
            keys += ["control_answered", "control_attributed"]
        return {key: float(sum(value.get(key, 0) for value in values)) for key in keys}

    return compute
