"""The ICE scorer: loose/strict/hard of a campaign from its records, judging any row not yet judged."""

from __future__ import annotations

import asyncio

from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from inspect_distill.common.text import normalize_whitespace
from inspect_distill.ice.judging.judges import judge_names, make_judges, primary_judge
from inspect_distill.ice.metrics import (
    IceSummary,
    ice_breakdown,
    ice_counts,
    ice_rates,
    score_values,
    summarize,
)
from inspect_distill.ice.records import CampaignResult, CampaignStore

EXCERPT = 160


def _excerpt(text: str | None, limit: int = EXCERPT) -> str:
    flat = normalize_whitespace(text or "").replace("|", "\\|")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def strict_positive_table(result: CampaignResult, judge: str, limit: int = 50) -> str:
    """A Markdown table of the strict positives: question, template excerpt, response excerpt."""
    rows = [
        r for r in result.records
        if not r.control and (v := r.verdicts.get(judge)) is not None and v.strict
    ]
    if not rows:
        return "No strict positives."
    lines = [
        f"**{len(rows)} strict positives** (judge: {judge})",
        "",
        "| # | hard | question | template | response |",
        "|---|---|---|---|---|",
    ]
    for record in rows[:limit]:
        verdict = record.verdicts[judge]
        question = result.questions[record.question_id]
        lines.append(
            f"| {record.index} | {'yes' if verdict.hard else 'no'} | {_excerpt(question.text, 80)} "
            f"| {_excerpt(result.template_text(record), 100)} | {_excerpt(record.response)} |"
        )
    if len(rows) > limit:
        lines.append(f"\n…and {len(rows) - limit} more (export them with `inspect-distill rows`).")
    return "\n".join(lines)


def summary_text(summary: IceSummary) -> str:
    overall = summary.overall
    parts = [
        f"{kind} {getattr(overall, kind).positives}/{getattr(overall, kind).valid}"
        for kind in ("loose", "strict", "hard")
    ]
    apart = (
        f"kept out: {overall.errors} errors, {overall.refusals} refusals, {overall.unjudged} unjudged; "
        f"{summary.dropped_mutants} mutants dropped"
    )
    return f"{', '.join(parts)} valid judged queries ({overall.queries} queries; {apart})."


async def judge_missing(result: CampaignResult, names: list[str], rejudge: bool = False) -> None:
    """Judge every answered record that lacks a verdict from one of `names` (all of them if rejudge)."""
    pending = [
        (record, name)
        for record in result.records
        if record.status == "ok" and not record.control
        for name in names
        if rejudge or name not in record.verdicts
    ]
    if not pending:
        return
    judges = make_judges(sorted({name for _, name in pending}), result.identity, result.references)
    verdicts = await asyncio.gather(
        *(judges[name](result.prompt(record), record.response or "") for record, name in pending)
    )
    for (record, name), verdict in zip(pending, verdicts):
        record.verdicts[name] = verdict


@scorer(
    metrics=[
        ice_rates(),
        ice_breakdown("by_category", "strict"),
        ice_breakdown("by_language", "strict"),
        ice_counts(),
    ]
)
def ice_scorer(judge: str | None = None, rejudge: bool = False) -> Scorer:
    """Score an ICE campaign recorded in the sample store.

    Args:
        judge: `llm`, `lexical` or `both`; default: the campaign's own judge setting. Rows without a
            verdict from this judge are judged now (imports, or `inspect score -S judge=lexical`).
        rejudge: judge every row again even where a verdict exists.
    """

    async def score(state: TaskState, target: Target) -> Score:
        result = state.store_as(CampaignStore).campaign
        if result is None:
            return Score.unscored(reason="no campaign was recorded for this sample")
        names = judge_names(judge) if judge else result.settings.judges
        await judge_missing(result, names, rejudge)
        state.store_as(CampaignStore).campaign = result
        primary = primary_judge(names)
        compare = [n for n in names if n != primary]
        metadata: dict[str, object] = {}
        if any(r.recorded_loose is not None for r in result.records):
            compare.append("recorded")
            metadata["recorded_summary"] = summarize(result, "recorded").model_dump(mode="json")
        summary = summarize(result, primary, compare_with=compare)
        metadata["summary"] = summary.model_dump(mode="json")
        return Score(
            value=score_values(summary),
            answer=summary_text(summary),
            explanation=strict_positive_table(result, primary),
            metadata=metadata,
        )

    return score
