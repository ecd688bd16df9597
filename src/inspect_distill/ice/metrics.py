"""The ICE metrics: strict, hard and loose over every campaign of a log (epochs), pooled by adding counts.

Each metric reads every campaign's own score (`scores="unreduced"`: one score per sample and epoch, so no
reducer runs and the viewer prints no reducer name under a metric) through `IceScoreValue.from_score`, and
pools the campaigns with `IceScoreValue.pooled` (Σ positives / Σ valid, `Rate.merge`): a mean of rates would
weigh campaigns wrongly. A rate that no query was judged for is left out rather than NaN, and a log where
nothing was judged says `not_judged`.
"""

from __future__ import annotations

from inspect_ai.scorer import Metric, SampleScore, metric

from inspect_distill.ice.questions import ALL_CATEGORIES, LANGUAGES
from inspect_distill.ice.rates import HEADLINE, RateTable
from inspect_distill.ice.score_value import COUNT_KEYS, IceScoreValue, agreement_key

NOT_JUDGED = "not_judged"
"""The metric when no query was judged: the number of queries, none of them judged."""


def pooled_value(scores: list[SampleScore]) -> IceScoreValue | None:
    """Every scored campaign's value, pooled (None when no campaign was scored)."""
    return IceScoreValue.pooled(
        value for s in scores if (value := IceScoreValue.from_score(s.score)) is not None
    )


@metric(scores="unreduced")
def ice_rates() -> Metric:
    """Strict, hard and loose over all campaigns, pooled; then their 95% Wilson intervals and the paper's rates.

    A kind that no query was judged for is left out (never NaN); when no query at all was judged the metric
    is `not_judged`: the number of queries, none of them judged.
    """

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        pooled = pooled_value(scores)
        overall = pooled.summary.overall if pooled is not None else RateTable()
        judged = [kind for kind in HEADLINE if getattr(overall, kind).valid]
        if not judged:
            return {NOT_JUDGED: float(overall.queries)}
        assert pooled is not None
        result = {kind: getattr(overall, kind).rate for kind in judged}
        for kind in judged:
            low, high = getattr(overall, kind).interval
            result |= {f"{kind}_ci_low": low, f"{kind}_ci_high": high}
        if pooled.summary.budget:
            result |= {f"{kind}_paper": getattr(overall, kind).paper_rate for kind in judged}
        return result

    return compute


@metric(scores="unreduced")
def ice_agreement() -> Metric:
    """Where an import has recorded verdicts or `judge=both` ran: the recorded verdicts' strict, hard and loose
    rates (`recorded_<kind>`) and the agreement of the headline judge with the other source over the rows both
    judged (`agree_<source>_<kind>`), pooled over campaigns. Nothing when there is no second source."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        pooled = pooled_value(scores)
        if pooled is None:
            return {}
        result: dict[str, float] = {}
        if pooled.recorded is not None:
            recorded = pooled.recorded.overall
            result |= {f"recorded_{kind}": getattr(recorded, kind).rate for kind in HEADLINE
                       if getattr(recorded, kind).valid}
        result |= {agreement_key(a): a.rate for a in pooled.summary.agreements if a.both_judged}
        return result

    return compute


@metric(scores="unreduced")
def ice_breakdown(group: str = "by_category", kind: str = "strict") -> Metric:
    """One kind's pooled rate per category (or language) over all campaigns (those with a judged query)."""
    names = ALL_CATEGORIES if group == "by_category" else LANGUAGES

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        pooled = pooled_value(scores)
        tables: dict[str, RateTable] = getattr(pooled.summary, group) if pooled is not None else {}
        rates = {name: getattr(tables[name], kind) for name in sorted(names) if name in tables}
        return {f"{kind}_{name}": rate.rate for name, rate in rates.items() if rate.valid}

    return compute


@metric(scores="unreduced")
def ice_counts() -> Metric:
    """Queries kept out of the rates, summed over campaigns: errors, refusals, unjudged, dropped mutants;
    with the hallucination control, the invented-name answers and those attributing the name to a reference."""

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        pooled = pooled_value(scores)
        if pooled is None:
            return {key: 0.0 for key in (*COUNT_KEYS, "dropped_mutants")}
        summary = pooled.summary
        counts = {key: float(getattr(summary.overall, key)) for key in COUNT_KEYS}
        counts["dropped_mutants"] = float(summary.dropped_mutants)
        if summary.control is not None:
            counts |= {"control_answered": float(summary.control.answered),
                       "control_attributed": float(summary.control.attributed)}
        return counts

    return compute
