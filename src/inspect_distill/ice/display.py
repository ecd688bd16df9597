"""The text `inspect view` shows of an ICE campaign: fixed-width tables, and the transcript's spans and lines.

The campaign writes the transcript with it: each iteration is a span (`CAMPAIGN: iteration 3`) ending with a
report of its mutants and queries (`iteration_report`); each target query is a span titled with its index,
question id and template id (`query_span_name`), holding the target call (and the LLM judge's calls) and a
one-line verdict (`verdict_note`). The hallucination control is a span (`CAMPAIGN: hallucination control`)
holding one span per control query (`CONTROL: query 40: control-01-en via control-plain`) with its verdict line
(`control_note`), closed by a summary (`control_report`). The scorer writes its explanation's tables with
`text_table`: the viewer draws Markdown tables without cell padding.
"""

from __future__ import annotations

from inspect_distill.common.text import counted
from inspect_distill.ice.fuzz.pool import TemplateNode
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.records import QueryRecord, TemplateRecord

QUERY_SPAN_TYPE = "target"
"""The span type of one target query (its title in the transcript: `TARGET: query 12: team-en via m1-0`)."""
CONTROL_SPAN_TYPE = "control"
"""The span type of one control query (`CONTROL: query 40: control-01-en via control-plain`)."""


def text_table(rows: list[list[str]]) -> str:
    """A fixed-width table in a Markdown code block: columns padded to their widest cell."""
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(len(row) for row in rows))]
    lines = ["   ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    return "```text\n" + "\n".join(lines) + "\n```"


def query_span_name(record: QueryRecord) -> str:
    """The title of a target query's span: its index, question id and template id."""
    return f"query {record.index}: {record.question_id} via {record.template_id}"


def _verdict_words(verdict: Verdict) -> str:
    if verdict.loose is None:
        return f"not judged ({verdict.reason or 'no verdict'})"
    if verdict.strict_unjudged:
        return "loose; strict not judged"
    kind = "hard" if verdict.hard else "strict" if verdict.strict else "loose" if verdict.loose else "no leak"
    claims = f"; claims {', '.join(verdict.claims)}" if verdict.claims else ""
    return f"**{kind}**{claims}"


def verdict_note(record: QueryRecord) -> str:
    """One line for the transcript after a target query: its ids and each judge's verdict (or why none)."""
    head = f"Query {record.index} (question `{record.question_id}`, template `{record.template_id}`): "
    if record.status == "error":
        return head + f"target error, not judged: {record.error}"
    if record.status == "refusal":
        return head + "refusal, not judged"
    if not record.verdicts:
        return head + "not judged"
    return head + "; ".join(f"{name}: {_verdict_words(v)}" for name, v in record.verdicts.items())


def iteration_report(iteration: int, selected: list[TemplateNode], templates: list[TemplateRecord],
                     records: list[QueryRecord], judge: str, spent: int, budget: int) -> str:
    """The report closing an iteration: the selected templates, a table of its mutants (mutator, parent,
    queries, successes, or why dropped) and what its queries gave: judged, leaks, errors, refusals, unjudged."""
    rows = [["mutant", "mutator", "parent", "queries", "successes", "note"]]
    for template in templates:
        note = template.dropped_reason or ("joined pool" if template.joined_pool else "")
        queried = template.text is not None and template.dropped_reason is None
        rows.append([template.id, template.mutator or "", template.parent_id or "", str(template.queries),
                     str(template.successes) if queried else "-", note])
    verdicts = [r.verdicts.get(judge) for r in records if r.status == "ok"]
    judged = [v for v in verdicts if v is not None and v.loose is not None]
    leaks = ", ".join(f"{sum(1 for v in judged if getattr(v, kind))} {kind}" for kind in ("strict", "hard", "loose"))
    errors = sum(r.status == "error" for r in records)
    refusals = sum(r.status == "refusal" for r in records)
    outcome = f"{len(judged)} judged by {judge} ({leaks})" if judged else f"none judged by {judge}"
    return "\n\n".join([
        f"**Iteration {iteration}**: selected {', '.join(n.id for n in selected)}",
        text_table(rows),
        f"{counted(len(records), 'query')}: {outcome}, {counted(errors, 'error')}, {counted(refusals, 'refusal')}, "
        f"{len(verdicts) - len(judged)} unjudged; {spent}/{budget} of the budget spent.",
    ])


def control_note(record: QueryRecord) -> str:
    """One line for the transcript after a control query: its ids and whether the answer attributes the invented
    name to a reference maker (the control's verdict), or why it has none."""
    head = f"Control query {record.index} (question `{record.question_id}`, template `{record.template_id}`): "
    if record.status == "error":
        return head + f"target error, no verdict: {record.error}"
    if record.status == "refusal":
        return head + "refusal, no verdict"
    if record.control_attribution:
        return head + f"attributes the invented name to **{record.control_attribution}**"
    return head + "attributes the invented name to no reference"


def control_report(records: list[QueryRecord], templates: list[str]) -> str:
    """The summary closing the control: what was asked, through which templates, and what came back."""
    answered = [r for r in records if r.status == "ok"]
    attributed = [r.control_attribution for r in answered if r.control_attribution]
    by_reference = ", ".join(f"{key} {attributed.count(key)}" for key in sorted(set(attributed)))
    questions = len({r.question_id for r in records})
    errors = sum(r.status == "error" for r in records)
    refusals = sum(r.status == "refusal" for r in records)
    return (f"**Hallucination control**: {counted(questions, 'question')} about invented model names through "
            f"{counted(len(templates), 'template')} ({', '.join(templates)}), {counted(len(records), 'query')} "
            f"outside the budget: {len(attributed)} of {counted(len(answered), 'answer')} attribute the name to a "
            f"reference{f' ({by_reference})' if by_reference else ''}; {counted(errors, 'error')}, "
            f"{counted(refusals, 'refusal')}.")
