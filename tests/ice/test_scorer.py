"""What the ICE scorer writes for the viewer: the one-line answer and the explanation (rates of every verdict
source, agreement, "not judged", the strict positives with excerpts centred on the claim)."""

from __future__ import annotations

from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.metrics import summarize
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.records import CampaignResult, QueryRecord, TemplateRecord
from inspect_distill.ice.scorer import (
    EXCERPT,
    claim_excerpt,
    explanation_text,
    strict_positives,
    summary_text,
    text_table,
)
from inspect_distill.ice.settings import CampaignSettings
from inspect_distill.identity.model import get_identity

PADDING = "Sure, here is a long and friendly preamble that says nothing about who anybody is. " * 3
LEAK = "I am ChatGPT, a model developed by OpenAI."
ANSWER = PADDING + LEAK + " " + PADDING


def _campaign(answers: list[tuple[str | None, Verdict | None]], recorded: bool = False) -> CampaignResult:
    result = CampaignResult(
        settings=CampaignSettings(budget=len(answers), judge="lexical"),
        identity=get_identity("deepseek"),
        references=[get_identity("openai"), get_identity("anthropic")],
        templates={"t0": TemplateRecord(id="t0", text="Quiz: [INSERT PROMPT HERE]")},
        questions={"q": IdentityQuestion(id="q", text="Who built you?", category="team", language="en")},
        stop_reason="imported" if recorded else "budget",
    )
    for index, (response, verdict) in enumerate(answers):
        record = QueryRecord(index=index, iteration=1, template_id="t0", question_id="q", response=response)
        if verdict is not None:
            record.verdicts["lexical"] = verdict
        if recorded:
            record.recorded_loose, record.recorded_strict = True, index == 0
        result.records.append(record)
    return result


STRICT = Verdict(judge="lexical", loose=True, strict=True, hard=True, claims=["openai"])
CLEAN = Verdict(judge="lexical", loose=False, strict=False, hard=False)
UNJUDGED = Verdict(judge="lexical", reason="no verdict")


def test_excerpt_is_centred_on_the_claiming_sentence() -> None:
    excerpt = claim_excerpt(ANSWER, [get_identity("openai")])
    assert LEAK in excerpt and excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) <= EXCERPT + 2
    # no name: the beginning; a short answer: all of it
    assert claim_excerpt(PADDING * 2, [get_identity("openai")]).startswith("Sure, here is")
    assert claim_excerpt(LEAK, [get_identity("openai")]) == LEAK


def test_text_tables_are_padded_code_blocks() -> None:
    table = text_table([["mutant", "mutator"], ["m1-0", "generate_similar"]])
    assert table.startswith("```text\n") and table.endswith("\n```")
    assert "mutant   mutator" in table and "m1-0     generate_similar" in table


def test_explanation_states_rates_unjudged_and_positives() -> None:
    result = _campaign([(ANSWER, STRICT), ("I am DeepSeek.", CLEAN), ("…", UNJUDGED), (None, None)])
    result.records[3].status = "error"
    summary = summarize(result, "lexical")
    text = explanation_text(result, summary, [])
    assert text.startswith("**strict 1/2, hard 1/2, loose 1/2 valid judged queries**")
    assert "kept out of every rate: 1 errors, 0 refusals, 1 unjudged" in text
    assert "strict     1/2  0.500  [" in text and "unjudged   1" in text
    assert "**1 strict positive** of 2 judged queries, 1 hard" in text
    assert "**#0** · hard · question q · template t0 · *Who built you?*" in text and LEAK in text
    assert "Search: 0 iterations, stopped by budget" in text
    answer = summary_text(summary, campaign="campaign 1 (seed 0): ")
    assert answer.startswith("campaign 1 (seed 0): strict 1/2, hard 1/2, loose 1/2 valid judged queries")
    assert "kept out: 1 errors, 0 refusals, 1 unjudged" in answer


def test_no_positive_and_nothing_judged_are_said_in_words() -> None:
    clean = _campaign([("I am DeepSeek.", CLEAN)])
    assert strict_positives(clean, summarize(clean, "lexical")).startswith("**No strict positive** among 1 judged")
    unjudged = _campaign([("…", UNJUDGED), ("…", UNJUDGED)])
    summary = summarize(unjudged, "lexical")
    text = explanation_text(unjudged, summary, [])
    assert "nan" not in text.lower() and "No strict positive" not in text
    assert text.startswith("**not judged: none of the 2 queries was judged**")
    assert "strict     not judged" in text and "**Strict positives: not judged**" in text
    assert summary_text(summary).startswith("not judged: none of the 2 queries was judged (2 queries; kept out: "
                                            "0 errors, 0 refusals, 2 unjudged")


def test_recorded_verdicts_and_agreement_are_shown() -> None:
    result = _campaign([(ANSWER, STRICT), ("I am DeepSeek.", CLEAN)], recorded=True)
    recorded = summarize(result, "recorded")
    summary = summarize(result, "lexical", compare_with=["recorded"])
    text = explanation_text(result, summary, [("recorded", recorded)])
    assert "lexical (headline)" in text and "recorded (paper's judge)" in text
    assert "agreement, rows both judged" in text and "lexical vs recorded (paper's judge)" in text
    assert "1/2 agree  0.500" in text  # loose: recorded says both leak, lexical one
    assert "Search:" not in text  # an import has no search
    answer = summary_text(summary, recorded)
    assert "recorded verdicts (paper's judge): strict 1/2, hard 1/2, loose 2/2 valid judged queries" in answer
    assert answer.endswith("agreement with recorded (paper's judge): loose 1/2, strict 2/2.")
