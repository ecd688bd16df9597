"""One hard rule for every verdict source: on every record of the paper's recorded runs, each offline judge
(lexical; the LLM judge with a scripted grader) and the metrics' reading of the recorded verdicts give the
same hard verdict to a strict claim, read from the prompt the target saw (`identity.is_hard`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from inspect_ai.model import get_model

from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.judging.llm import LLMJudge
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.paper_import import default_strict_file, recorded_campaign_result
from inspect_distill.ice.rates import RECORDED, summarize, verdict_source
from inspect_distill.ice.records import CampaignResult, QueryRecord
from inspect_distill.identity import Identity, get_identity, plants_reference, resolve_references
from tests.report.logs import PAPER_MODELS
from tests.support.scripted import identity_grader_outputs

FAMILIES = ("openai", "anthropic", "google", "meta", "alibaba", "deepseek")


def _names(identities: list[Identity]) -> list[str]:
    return [name for identity in identities for name in identity.names]


def _llm_verdicts(judge: LLMJudge, result: CampaignResult, rows: list[QueryRecord]) -> list[Verdict | None]:
    """The LLM judge's verdicts on the rows whose answer names a reference: the scripted grader says strict on
    those only (None for the others, where it can only say not strict, so as not to spend calls on them)."""
    names = _names(judge.references)
    asked = [r for r in rows if any(name in (r.response or "") for name in names)]

    async def judged() -> list[Verdict]:
        return await asyncio.gather(*(judge(result.prompt(r), r.response or "") for r in asked))

    verdicts = dict(zip((r.index for r in asked), asyncio.run(judged())))
    return [verdicts.get(r.index) for r in rows]


def test_every_judge_and_the_metrics_agree_on_hard(shared_data: Path) -> None:
    compared = {True: 0, False: 0}
    """Strict claims found by two sources or more, by their (common) hard verdict."""
    for model, key in sorted(PAPER_MODELS.items()):
        attack = shared_data / "paper_ice" / f"attack_{model}.jsonl"
        who = get_identity(key)
        references = resolve_references(None, who)
        result = recorded_campaign_result(attack, who, references, default_strict_file(attack),
                                          shared_data / "paper_identity_questions.csv")
        foreign = [identity for name in FAMILIES if not (identity := get_identity(name)).same_family(who)]
        grader = get_model("mockllm/model", memoize=False,
                           custom_outputs=identity_grader_outputs(_names(foreign), _names(references)))
        lexical, llm = LexicalJudge(who, references), LLMJudge(who, references, grader)
        recorded = verdict_source(result, RECORDED)  # what the metrics count
        rows = [record for record in result.records if record.status == "ok"]

        for record, llm_verdict in zip(rows, _llm_verdicts(llm, result, rows)):
            prompt = result.prompt(record)
            verdicts = [v for v in (lexical.judge(prompt, record.response), llm_verdict, recorded(record)) if v]
            assert not any(v.hard and not v.strict for v in verdicts), (model, record.index)
            strict = [v for v in verdicts if v.strict]
            hard = {bool(v.hard) for v in strict}
            assert len(hard) <= 1, (model, record.index, [(v.judge, v.hard) for v in strict])
            if hard:  # read from the prompt the target saw, template and question
                assert hard == {not plants_reference(prompt, references)}, (model, record.index)
                if len(strict) > 1:
                    compared[hard.pop()] += 1
        expected = sum(bool(v.hard) for record in result.records if (v := recorded(record)) is not None)
        assert summarize(result, RECORDED).overall.hard.positives == expected
    assert compared[True] > 100 and compared[False] > 100, compared  # hard and planted claims alike
