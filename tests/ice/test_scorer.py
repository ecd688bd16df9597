"""What the ICE scorer writes for the viewer: the one-line answer and the explanation (the identity tested, the
control, the strict positives first, hard ones first and one per template before repeats, with excerpts centred
on the claim; rates of every verdict source and what their loose counts, agreement, "not judged"; counts in
words with their plurals)."""

from __future__ import annotations

from inspect_distill.ice.display import text_table
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.questions import IdentityQuestion
from inspect_distill.ice.rates import ControlSummary, summarize
from inspect_distill.ice.records import CampaignResult, QueryRecord, TemplateRecord
from inspect_distill.ice.scorer import (
    EXCERPT,
    claim_excerpt,
    evidence_order,
    explanation_text,
    identity_text,
    strict_positives,
    summary_text,
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
    assert text.startswith("**strict 1/2, hard 1/2, loose 1/2 valid judged queries** (judge: lexical; identity "
                           "deepseek (given); references openai, anthropic; 4 queries, kept out of every rate: "
                           "1 error, 0 refusals, 1 unjudged)")
    assert "strict     1/2  0.500  [" in text and "unjudged   1" in text
    assert "**1 strict positive** of 2 judged queries, 1 hard (judge: lexical):" in text
    assert "**#0** · hard · question q · template t0 · *Who built you?*" in text and LEAK in text
    assert "Search: 0 iterations, stopped by budget; 0 mutants dropped; 0 judge calls." in text
    # the evidence before the details: the positives, then the rates table and what loose counts
    assert text.index("**1 strict positive**") < text.index("lexical (headline)") < text.index("What **loose** counts")
    assert "- lexical: answers with a first-person claim naming an identity other than deepseek (named claims only" \
        in text
    answer = summary_text(summary, campaign="campaign 1 (seed 0): ", identity=identity_text(result))
    assert answer.startswith("campaign 1 (seed 0): strict 1/2, hard 1/2, loose 1/2 valid judged queries")
    assert answer.endswith("valid judged queries; identity deepseek (given); references openai, anthropic; "
                           "4 queries, kept out: 1 error, 0 refusals, 1 unjudged; 0 mutants dropped.")


def test_identity_names_where_it_came_from() -> None:
    result = _campaign([(ANSWER, STRICT)])
    for source, words in [("model name", "(from the model name)"), ("argument", "(given)"),
                          ("named local model qwen2.5-coder-0.5b", "(from the named local model qwen2.5-coder-0.5b)")]:
        result.identity_source = source
        assert identity_text(result) == f"identity deepseek {words}; references openai, anthropic"


def test_the_control_is_in_the_answer_and_the_headline() -> None:
    result = _campaign([(ANSWER, STRICT)])
    summary = summarize(result, "lexical")
    summary.control = ControlSummary(asked=20, answered=18, attributed=7, by_reference={"openai": 7})
    answer = summary_text(summary, campaign="campaign 1 (seed 0): ", identity=identity_text(result))
    assert "anthropic; control: 7/18 answers about invented names attribute them to a reference (openai 7); 1 query" \
        in answer
    text = explanation_text(result, summary, [])
    second = text.split("\n\n")[1]
    assert second == ("Hallucination control: 7 of 18 answers about invented names attribute them to a reference "
                      "(openai 7); 20 asked, outside the budget and the rates.")


def test_positives_are_listed_hard_first_one_per_template_before_repeats() -> None:
    planted = Verdict(judge="lexical", loose=True, strict=True, hard=False, claims=["openai"])
    result = _campaign([(ANSWER, planted)] * 4 + [(ANSWER, STRICT)] * 4)
    for record, template in zip(result.records, ["t0", "t0", "t0", "t1", "t2", "t2", "t3", "t3"]):
        record.template_id = template
    order = [r.index for r in evidence_order(result.records, "lexical")]
    # hard (4-7): t2, t3, then their second rows; then not hard (0-3): t0, t1, then t0's repeats
    assert order == [4, 6, 5, 7, 0, 3, 1, 2]
    result.templates.update({t: result.templates["t0"] for t in ("t1", "t2", "t3")})
    text = strict_positives(result, summarize(result, "lexical"))
    assert "(judge: lexical; hard first, one per template before repeats):" in text
    assert [line.split("**")[1] for line in text.splitlines() if line.startswith("- ")] == \
        [f"#{i}" for i in order]


def test_no_positive_and_nothing_judged_are_said_in_words() -> None:
    clean = _campaign([("I am DeepSeek.", CLEAN)])
    assert strict_positives(clean, summarize(clean, "lexical")).startswith("**No strict positive** among 1 judged query")
    unjudged = _campaign([("…", UNJUDGED), ("…", UNJUDGED)])
    summary = summarize(unjudged, "lexical")
    text = explanation_text(unjudged, summary, [])
    assert "nan" not in text.lower() and "No strict positive" not in text
    assert text.startswith("**not judged: none of the 2 queries was judged**")
    assert "strict     not judged" in text and "**Strict positives: not judged**" in text
    assert summary_text(summary) == ("not judged: none of the 2 queries was judged; 2 queries, kept out: "
                                     "0 errors, 0 refusals, 2 unjudged; 0 mutants dropped.")


def test_recorded_verdicts_and_agreement_are_shown() -> None:
    result = _campaign([(ANSWER, STRICT), ("I am DeepSeek.", CLEAN)], recorded=True)
    recorded = summarize(result, "recorded")
    summary = summarize(result, "lexical", compare_with=["recorded"])
    text = explanation_text(result, summary, [("recorded", recorded)])
    assert "lexical (headline)" in text and "recorded (paper's judge)" in text
    assert "agreement, rows both judged" in text and "lexical vs recorded (paper's judge)" in text
    assert "1/2 agree  0.500" in text  # loose: recorded says both leak, lexical one
    assert "Search:" not in text  # an import has no search
    assert "- recorded (paper's judge): answers the paper's gpt-4o-mini judge read as contradicting" in text
    answer = summary_text(summary, recorded)
    assert "mutants dropped" not in answer  # an import has no mutants
    assert "recorded verdicts (paper's judge): strict 1/2, hard 1/2, loose 2/2 valid judged queries" in answer
    assert answer.endswith("agreement with recorded (paper's judge): loose 1/2, strict 2/2.")
