"""The ICE score of a campaign, `IceScoreValue`: the one writer and reader of an ICE `Score`'s value and metadata.

`inspect view` shows every key of a score value as a sample-list column and a score-panel row, and no setting
hides one (a column declared `visible=False` is shown all the same). So `Score.value` holds only the sample
list's columns (`SHOWN_KEYS`), and the metadata holds the whole value (`VALUES_KEY`, for reading: the rates,
intervals, paper rates, strict per category and language, the counts kept out, the recorded verdicts' rates,
the agreement and the counts behind every rate) beside the summaries it is computed from. The metrics, the
report and the CLI read the summaries back (`IceScoreValue.from_score`), never the flat keys, and pool
campaigns by adding counts (`IceScoreValue.pooled`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from inspect_ai.scorer import Score
from pydantic import BaseModel

from inspect_distill.ice.rates import HEADLINE, RECORDED, Agreement, IceSummary, Rate, merge_summaries

ICE_SCORER = "ice_scorer"
"""The name of the ICE scorer: the key of its score in `sample.scores`."""
DIGITS = 3
"""Decimals of the rates in a score value (what the viewer shows per campaign); the counts beside them are
exact, and every pooled rate is computed from the counts, never from these rounded rates."""
NOT_JUDGED = "not judged"
"""The words in place of a rate that no query was judged for (never NaN)."""
VALUES_KEY = "values"
"""The score metadata key of a campaign's whole score value (`IceScoreValue.to_value`)."""
SUMMARY_KEY = "summary"
"""The score metadata key of the headline judge's `IceSummary`."""
RECORDED_KEY = "recorded_summary"
"""The score metadata key of the recorded verdicts' `IceSummary` (imports only)."""
SHOWN_KEYS: tuple[str, ...] = ("strict", "hard", "loose", "strict_paper", "hard_paper", "loose_paper",
                               "strict_en", "strict_zh")
"""The keys of the whole value that `Score.value` keeps: the sample list's columns, in order."""
COUNT_KEYS = ("queries", "errors", "refusals", "unjudged")
"""The counts of queries kept out of the rates."""


def _rounded(value: float) -> float:
    return round(value, DIGITS)


def agreement_key(agreement: Agreement) -> str:
    """`agree_<other source>_<kind>`: the agreement of the headline judge with another verdict source."""
    return f"agree_{agreement.second}_{agreement.kind}"


class IceScoreValue(BaseModel):
    """One campaign's ICE score (or several campaigns' pooled): the headline judge's summary and, for an import,
    the recorded verdicts' summary. Everything an ICE score shows is computed from these two."""

    summary: IceSummary
    recorded: IceSummary | None = None

    def to_value(self) -> dict[str, float]:
        """The whole score value, headline first: strict, hard, loose (rounded, and left out when nothing was
        judged), their 95% intervals, the paper's rates, strict per category and language, the counts kept out,
        the recorded verdicts' rates and the agreement with other judges; then the counts behind every rate
        (`<kind>_positives`, `<kind>_valid`, `budget`, `agree_..._agree`, `agree_..._judged`)."""
        summary, recorded = self.summary, self.recorded
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
            values |= {"control_answered": summary.control.answered,
                       "control_attributed": summary.control.attributed}
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
                values |= {f"strict_{name}_positives": table.strict.positives,
                           f"strict_{name}_valid": table.strict.valid}
        if recorded is not None:
            for kind in HEADLINE:
                rate = getattr(recorded.overall, kind)
                values |= {f"{RECORDED}_{kind}_positives": rate.positives, f"{RECORDED}_{kind}_valid": rate.valid}
        for a in summary.agreements:
            values |= {f"{agreement_key(a)}_agree": a.agree, f"{agreement_key(a)}_judged": a.both_judged}
        return values

    def columns(self, values: dict[str, float] | None = None) -> dict[str, float | str]:
        """`Score.value`: the sample list's columns (`SHOWN_KEYS`, in that order) of the whole value (`to_value`,
        computed here unless given); when nothing was judged, the words instead (the viewer drops a score without
        keys, and its answer with it)."""
        values = self.to_value() if values is None else values
        shown: dict[str, float | str] = {key: values[key] for key in SHOWN_KEYS if key in values}
        return shown or {kind: NOT_JUDGED for kind in HEADLINE}

    def to_metadata(self, values: dict[str, float] | None = None) -> dict[str, Any]:
        """`Score.metadata`: the whole value (`VALUES_KEY`; computed here unless given) and the summaries it is
        computed from."""
        metadata: dict[str, Any] = {VALUES_KEY: self.to_value() if values is None else values}
        if self.recorded is not None:
            metadata[RECORDED_KEY] = self.recorded.model_dump(mode="json")
        metadata[SUMMARY_KEY] = self.summary.model_dump(mode="json")
        return metadata

    def to_score(self, answer: str, explanation: str) -> Score:
        """The campaign's `Score`."""
        values = self.to_value()
        return Score(value=self.columns(values), answer=answer, explanation=explanation,
                     metadata=self.to_metadata(values))

    @classmethod
    def from_score(cls, score: Score | None) -> IceScoreValue | None:
        """The score value of an ICE score (any log: the summaries have been in the metadata from the start);
        None for an unscored campaign."""
        metadata = (score.metadata if score is not None else None) or {}
        if SUMMARY_KEY not in metadata:
            return None
        recorded = metadata.get(RECORDED_KEY)
        return cls(summary=IceSummary.model_validate(metadata[SUMMARY_KEY]),
                   recorded=IceSummary.model_validate(recorded) if recorded else None)

    @classmethod
    def pooled(cls, values: Iterable[IceScoreValue]) -> IceScoreValue | None:
        """Several campaigns (epochs) of one target as one: counts add up (`merge_summaries`); None for none."""
        values = list(values)
        if not values:
            return None
        recorded = [value.recorded for value in values if value.recorded is not None]
        return cls(summary=merge_summaries([value.summary for value in values]),
                   recorded=merge_summaries(recorded) if recorded else None)
