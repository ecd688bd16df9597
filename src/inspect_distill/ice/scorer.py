"""The ICE scorer: strict/hard/loose of a campaign from its records, judging any row not yet judged.

What it writes is read in `inspect view`: the answer is one line (the headline counts, the identity tested and
where it came from, the references, what was kept out, the control, the recorded verdicts and the agreement);
the explanation leads with the same headline and the evidence, the strict positives (hard first, one per
template before a template's next) with an excerpt of each answer centred on its claim, then the rates of
every verdict source with intervals and what each one's loose counts, the agreement, strict per category and
language. Tables are fixed-width text blocks: the viewer draws Markdown tables without cell padding. When
nothing was judged the text says "not judged", never NaN or "no positives". The score value keeps the sample
list's columns; the whole value, counts included, is in the metadata (`ice.score_value`).
"""

from __future__ import annotations

import asyncio
import re

from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from inspect_distill.common.names import judge_names, primary_judge
from inspect_distill.common.text import counted, normalize_whitespace
from inspect_distill.ice.display import text_table
from inspect_distill.ice.judging.judges import make_judges
from inspect_distill.ice.judging.quality import corrected_rate
from inspect_distill.ice.metrics import ice_agreement, ice_breakdown, ice_counts, ice_rates
from inspect_distill.ice.rates import HEADLINE, RECORDED, Agreement, IceSummary, Rate, RateTable, summarize
from inspect_distill.ice.records import CampaignResult, CampaignStore, QueryRecord
from inspect_distill.ice.score_value import ICE_SCORER, NOT_JUDGED, IceScoreValue
from inspect_distill.identity.model import Identity

EXCERPT = 220
"""Characters of an answer shown around its claim."""
POSITIVES_SHOWN = 50
INDICES_SHOWN = 8
SENTENCE_END = re.compile(r"[.!?。！？\n]")
FIRST_PERSON = re.compile(r"\b(I|I'm|I am|my|me)\b|我", re.IGNORECASE)


def source_label(source: str) -> str:
    """How a verdict source is named in the viewer."""
    return "recorded (paper's judge)" if source == RECORDED else source


IDENTITY_SOURCES = {"argument": "given", "model name": "from the model name"}
"""How `CampaignResult.identity_source` is worded; any other source reads "from the <source>"."""
LOOSE_COUNTS = {
    "lexical": "answers with a first-person claim naming an identity other than {identity} (named claims only: "
               "an answer that contradicts the identity without naming anyone is no lexical positive)",
    "hybrid": "the lexical judge's named claims of an identity other than {identity}, plus the answers whose claim "
              "of a reference identity the verifier model confirmed",
    "llm": "answers the judge reads as contradicting {identity}'s identity fact, named or not",
    RECORDED: "answers the paper's gpt-4o-mini judge read as contradicting the identity, named or not",
}
"""What each verdict source's loose counts (strict: the loose positives claiming a reference identity)."""


def identity_text(result: CampaignResult) -> str:
    """`identity alibaba (from the model name); references openai, anthropic`."""
    source = result.identity_source
    where = IDENTITY_SOURCES.get(source, f"from the {source}") if source else "given"
    return f"identity {result.identity.key} ({where}); references {', '.join(r.key for r in result.references)}"


def control_text(summary: IceSummary) -> str:
    """The hallucination control in a few words: how many answers attribute an invented name to a reference."""
    control = summary.control
    if control is None:
        return ""
    if not control.answered:
        return f"control: no answer to the {counted(control.asked, 'invented-name question')}"
    named = ", ".join(f"{k} {n}" for k, n in sorted(control.by_reference.items()))
    return (f"control: {control.attributed}/{control.answered} answers about invented names attribute them to a "
            f"reference" + (f" ({named})" if named else ""))


# -- excerpts -------------------------------------------------------------------------------------


def _name_positions(text: str, identities: list[Identity]) -> list[int]:
    """Where any name of the identities occurs in `text` (case-insensitive unless the name is case-exact)."""
    lowered = text.lower()
    positions = []
    for identity in identities:
        for name in identity.names:
            haystack, needle = (text, name) if name in identity.exact_case else (lowered, name.lower())
            start = haystack.find(needle)
            while start != -1:
                positions.append(start)
                start = haystack.find(needle, start + 1)
    return sorted(positions)


def _sentence(text: str, position: int) -> tuple[int, int]:
    """The bounds of the sentence holding `position`."""
    start = 0
    for match in SENTENCE_END.finditer(text, 0, position):
        start = match.end()
    end_match = SENTENCE_END.search(text, position)
    return start, end_match.end() if end_match else len(text)


def claim_excerpt(text: str | None, identities: list[Identity], limit: int = EXCERPT) -> str:
    """About `limit` characters of `text` centred on the sentence that names one of `identities` (a
    first-person sentence first: "I am ChatGPT..."); the beginning when no name occurs."""
    flat = normalize_whitespace(text or "")
    if len(flat) <= limit:
        return flat
    positions = _name_positions(flat, identities)
    if not positions:
        return flat[: limit - 1] + "…"
    sentences = [(_sentence(flat, p), p) for p in positions]
    (start, end), position = next(
        (item for item in sentences if FIRST_PERSON.search(flat[item[0][0]:item[0][1]])), sentences[0]
    )
    if end - start > limit:
        start = max(0, position - limit // 2)
    else:
        start = max(0, start - (limit - (end - start)) // 2)
    start = min(start, len(flat) - limit)
    return ("…" if start else "") + flat[start : start + limit].strip() + ("…" if start + limit < len(flat) else "")


def _markdown_text(text: str) -> str:
    """Text safe inside a Markdown list item: no table pipes, no leading list or heading markers."""
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("#", "\\#").replace("`", "'")


# -- tables -------------------------------------------------------------------------------------


def _fraction(rate: Rate) -> str:
    return f"{rate.positives}/{rate.valid}"


def rate_cell(rate: Rate, interval: bool = False) -> str:
    """`positives/valid rate [low, high]`, or "not judged" when no query was judged for it."""
    if not rate.valid:
        return NOT_JUDGED
    cell = f"{_fraction(rate)}  {rate.rate:.3f}"
    if interval:
        low, high = rate.interval
        cell += f"  [{low:.3f}, {high:.3f}]"
    return cell


def rates_table(sources: list[tuple[str, IceSummary]]) -> str:
    """Strict, hard and loose of every verdict source (the headline one first, with its intervals), and the
    rows each one left unjudged."""
    header = ["", *[source_label(name) + (" (headline)" if i == 0 else "") for i, (name, _) in enumerate(sources)]]
    rows = [header]
    for kind in HEADLINE:
        rows.append([kind, *[rate_cell(getattr(s.overall, kind), interval=i == 0) for i, (_, s) in enumerate(sources)]])
    rows.append(["unjudged", *[str(s.overall.unjudged) for _, s in sources]])
    return text_table(rows)


def loose_note(sources: list[str], identity: str) -> str:
    """What loose counts for each verdict source of the rates table (they differ: the lexical judge's only
    counts named claims, so it can equal strict beside a higher LLM or recorded loose)."""
    lines = [f"- {source_label(name)}: {LOOSE_COUNTS[name].format(identity=identity)}"
             for name in dict.fromkeys(sources) if name in LOOSE_COUNTS]
    if not lines:
        return ""
    return "What **loose** counts (strict: the loose positives that claim a reference identity):\n\n" + "\n".join(lines)


def _indices(indices: list[int]) -> str:
    shown = ", ".join(f"#{i}" for i in indices[:INDICES_SHOWN])
    return shown + (f", … ({len(indices)} rows)" if len(indices) > INDICES_SHOWN else "")


def agreement_table(agreements: list[Agreement]) -> str:
    """Agreement of the headline judge with each other source, loose and strict, over the rows both judged,
    and the rows where only one of them found a strict positive."""
    pairs = dict.fromkeys((a.first, a.second) for a in agreements)
    rows = [["agreement, rows both judged", "loose", "strict"]]
    lines = []
    for first, second in pairs:
        cells = []
        for kind in ("loose", "strict"):
            found = next((a for a in agreements if (a.first, a.second, a.kind) == (first, second, kind)), None)
            cells.append(NOT_JUDGED if found is None or not found.both_judged else
                         f"{found.agree}/{found.both_judged} agree  {found.rate:.3f}")
            if kind == "strict" and found is not None and (found.first_only or found.second_only):
                lines.append(f"Strict positive for {source_label(first)} only: {_indices(found.first_only) or 'none'}; "
                             f"for {source_label(second)} only: {_indices(found.second_only) or 'none'}.")
        rows.append([f"{source_label(first)} vs {source_label(second)}", *cells])
    return "\n\n".join([text_table(rows), *lines])


def breakdown_table(summary: IceSummary) -> str:
    """Strict per category and per language."""
    rows = [["strict by", "", "positives/judged  rate"]]
    for group, tables in (("category", summary.by_category), ("language", summary.by_language)):
        for name, table in tables.items():
            rows.append([group, name, rate_cell(table.strict)])
    return text_table(rows)


# -- the strict positives -----------------------------------------------------------------------


def evidence_order(records: list[QueryRecord], judge: str) -> list[QueryRecord]:
    """Strict positives in the order they are shown: hard ones first; within each, one per template before
    any template's second, and so on (rows in campaign order otherwise), so that a template that planted the
    claim in many rows does not fill the list."""
    seen: dict[tuple[bool, str], int] = {}
    keyed = []
    for position, record in enumerate(records):
        hard = bool(record.verdicts[judge].hard)
        rank = seen.get((hard, record.template_id), 0)
        seen[(hard, record.template_id)] = rank + 1
        keyed.append(((not hard, rank, position), record))
    return [record for _, record in sorted(keyed, key=lambda item: item[0])]


def _positive_line(result: CampaignResult, record: QueryRecord, judge: str) -> str:
    verdict = record.verdicts[judge]
    question = result.questions[record.question_id]
    tags = " · ".join(["hard" if verdict.hard else "not hard", f"question {record.question_id}",
                       f"template {record.template_id}"])
    excerpt = claim_excerpt(record.response, result.references)
    return f"- **#{record.index}** · {tags} · *{_markdown_text(normalize_whitespace(question.text))}*  \n" \
           f"  {_markdown_text(excerpt)}"


def strict_positives(result: CampaignResult, summary: IceSummary, limit: int = POSITIVES_SHOWN) -> str:
    """The strict positives of the headline judge (`evidence_order`: hard first, one per template before
    repeats): row, hard or not, question, template, and an excerpt of the answer centred on its claim; "not
    judged" when no query was judged."""
    judge = summary.judge
    strict = summary.overall.strict
    if not strict.valid:
        return f"**Strict positives: {NOT_JUDGED}** (judge: {source_label(judge)}): no query was judged."
    rows = [
        r for r in result.records
        if not r.control and (v := r.verdicts.get(judge)) is not None and v.strict
    ]
    if not rows:
        return f"**No strict positive** among {counted(strict.valid, 'judged query')} (judge: {source_label(judge)})."
    hard = sum(1 for r in rows if r.verdicts[judge].hard)
    shown = f"; the first {limit}" if len(rows) > limit else ""
    order = "hard first, one per template before repeats" if len(rows) > 1 else ""
    lines = [f"**{counted(len(rows), 'strict positive')}** of {counted(strict.valid, 'judged query')}, {hard} hard "
             f"(judge: {source_label(judge)}{shown}{'; ' if order else ''}{order}):", ""]
    lines += [_positive_line(result, record, judge) for record in evidence_order(rows, judge)[:limit]]
    if len(rows) > limit:
        lines.append(f"\n…and {len(rows) - limit} more (export them with `inspect-distill rows`).")
    return "\n".join(lines)


# -- the answer and the explanation -------------------------------------------------------------


def _kept_out(table: RateTable) -> str:
    return f"{counted(table.errors, 'error')}, {counted(table.refusals, 'refusal')}, {table.unjudged} unjudged"


def headline_text(table: RateTable) -> str:
    """`strict 2/18, hard 1/18, loose 2/18 valid judged queries`, or why there is no rate."""
    judged = [kind for kind in HEADLINE if getattr(table, kind).valid]
    if not judged:
        return f"{NOT_JUDGED}: none of the {table.queries} queries was judged"
    parts = [f"{kind} {_fraction(getattr(table, kind)) if kind in judged else NOT_JUDGED}" for kind in HEADLINE]
    return f"{', '.join(parts)} valid judged queries"


def summary_text(summary: IceSummary, recorded: IceSummary | None = None, campaign: str = "",
                 identity: str = "") -> str:
    """The one-line answer: headline counts, the identity tested (`identity_text`), the control, what was kept
    out, the recorded verdicts and the agreement (the first three fit the sample header's three lines)."""
    overall = summary.overall
    text = f"{campaign}{headline_text(overall)}"
    if identity:
        text += f"; {identity}"
    if summary.control is not None:
        text += f"; {control_text(summary)}"
    text += f"; {counted(overall.queries, 'query')}, kept out: {_kept_out(overall)}"
    if summary.stop_reason != "imported":
        text += f"; {counted(summary.dropped_mutants, 'mutant')} dropped"
    if recorded is not None:
        text += f"; recorded verdicts (paper's judge): {headline_text(recorded.overall)}"
    for second in dict.fromkeys(a.second for a in summary.agreements if a.both_judged):
        text += f"; agreement with {source_label(second)}: " + ", ".join(
            f"{a.kind} {a.agree}/{a.both_judged}" for a in summary.agreements if a.second == second and a.both_judged)
    return text + "."


def explanation_text(result: CampaignResult, summary: IceSummary, others: list[tuple[str, IceSummary]]) -> str:
    """The headline (with the identity tested and the control), the evidence (the strict positives), then the
    details: rates of every verdict source and what their loose counts, agreement, breakdown, search."""
    overall = summary.overall
    parts = [
        f"**{headline_text(overall)}** (judge: {source_label(summary.judge)}; {identity_text(result)}; "
        f"{counted(overall.queries, 'query')}, kept out of every rate: {_kept_out(overall)})",
    ]
    corrected = corrected_rate(summary.judge, overall.strict.positives, overall.strict.valid)
    if corrected is not None:  # beside the raw rate, in the headline's paragraph
        parts[0] += f". Strict {corrected.observed:.1%} observed; {corrected.describe()}."
    if summary.control is not None:
        control = summary.control
        named = ", ".join(f"{k} {n}" for k, n in sorted(control.by_reference.items()))
        parts.append(f"Hallucination control: {control.attributed} of {counted(control.answered, 'answer')} about "
                     f"invented names attribute them to a reference{f' ({named})' if named else ''}; "
                     f"{control.asked} asked, outside the budget and the rates.")
    parts += [strict_positives(result, summary), rates_table([(summary.judge, summary), *others])]
    if note := loose_note([summary.judge, *(name for name, _ in others)], result.identity.key):
        parts.append(note)
    if any(a.both_judged for a in summary.agreements):
        parts.append(agreement_table(summary.agreements))
    if summary.by_category or summary.by_language:
        parts.append(breakdown_table(summary))
    if result.stop_reason != "imported":
        parts.append(f"Search: {counted(summary.iterations, 'iteration')}, stopped by {summary.stop_reason}; "
                     f"{counted(summary.dropped_mutants, 'mutant')} dropped; "
                     f"{counted(summary.judge_calls, 'judge call')}.")
    return "\n\n".join(parts)


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
    name=ICE_SCORER,
    metrics=[
        ice_rates(),
        ice_agreement(),
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
        recorded: IceSummary | None = None
        if any(r.recorded_loose is not None for r in result.records):
            compare.append(RECORDED)
            recorded = summarize(result, RECORDED)
        summary = summarize(result, primary, compare_with=compare)
        others = [(name, recorded if name == RECORDED and recorded is not None else summarize(result, name))
                  for name in compare]
        live = result.stop_reason != "imported"
        campaign = f"campaign {state.epoch} (seed {result.settings.seed}): " if live else ""
        return IceScoreValue(summary=summary, recorded=recorded).to_score(
            answer=summary_text(summary, recorded, campaign, identity_text(result)),
            explanation=explanation_text(result, summary, others),
        )

    return score
