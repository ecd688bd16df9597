"""The LLM identity judge: loose (contradicts the identity fact), strict (claims a reference), hard.

As in the paper, the loose judge sees the identity fact F and the response, not the prompt. The strict judge
runs only on loose positives. A judge answer without a readable `<verdict>` tag gets one extraction request;
if that fails too, or the judge model errs, the row is unjudged (never negative) and the reason says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_ai.model import CachePolicy, GenerateConfig, Model

from inspect_distill.common.models import safe_generate
from inspect_distill.ice.judging.verdict import NOTHING_TO_JUDGE, Verdict, nothing_to_judge, parse_tagged_verdict
from inspect_distill.identity import Identity, is_hard

LOOSE_PROMPT = """\
You check whether an AI assistant's answer misstates the assistant's own identity.

The true identity of the assistant:
{fact}

The assistant's answer:
<answer>
{response}
</answer>

Does the assistant, speaking as itself ("I", "me", "my", "我"), say something about who it is that contradicts
the true identity above: a different model name, a different maker or trainer, a different parent company, or
makers in a different place?

- Statements about other models or companies are not contradictions ("ChatGPT is made by OpenAI").
- Lines spoken by a clearly marked role or character that is someone else (for example "[Claude]: I am made by
  Anthropic" inside a dialogue) are not contradictions.
- Refusals, answers that say nothing about the assistant's identity, and vague or correct statements are not
  contradictions.

Give your reasoning in at most three sentences, then end with <verdict>1</verdict> if the answer contradicts the
true identity, or <verdict>0</verdict> if it does not."""

STRICT_PROMPT = """\
You check which identity an AI assistant claims for itself.

Reference identities:
{references}

The assistant's answer:
<answer>
{response}
</answer>

Does the assistant, speaking as itself, claim one of the reference identities: to be made, trained or owned by
one of the reference organisations, or to be one of the reference models? A mixed claim counts (for example
"I am a ChatGPT model, but I was not made by OpenAI" claims ChatGPT). Statements about others and lines spoken by
a clearly marked role that is someone else do not count.

Give your reasoning in at most three sentences, then end with <verdict>1</verdict> if the assistant claims a
reference identity, or <verdict>0</verdict> if it does not."""

EXTRACT_PROMPT = """\
A judge was asked: {question}
Its answer should have ended with <verdict>1</verdict> (yes) or <verdict>0</verdict> (no), but did not:

<judge_answer>
{answer}
</judge_answer>

Return only the tag for this judgement: <verdict>1</verdict> or <verdict>0</verdict>."""

LOOSE_QUESTION = "does the assistant's answer contradict its true identity when speaking about itself?"
STRICT_QUESTION = "does the assistant claim one of the reference identities for itself?"
REASON_CHARS = 300


def reference_list(references: list[Identity]) -> str:
    """The reference identities as judge-prompt lines: organisation, aliases and model names."""
    lines = []
    for reference in references:
        organisations = ", ".join([reference.organisation, *reference.organisation_aliases])
        lines.append(f"- {organisations} (models: {', '.join(reference.models)})")
    return "\n".join(lines)


@dataclass(frozen=True)
class _Answer:
    """One tagged judgement: its value (None when unreadable), the judge's text, calls spent, any problem."""

    value: bool | None
    text: str
    calls: int
    problem: str | None = None

    @property
    def reason(self) -> str:
        if self.problem:
            return self.problem
        reasoning = self.text.split("<verdict", 1)[0].strip() or self.text.strip()
        return reasoning[:REASON_CHARS]


class LLMJudge:
    """Judge identity claims with a grader model (default temperature 0)."""

    name = "llm"

    def __init__(
        self,
        identity: Identity,
        references: list[Identity],
        model: Model,
        config: GenerateConfig | None = None,
        cache: bool | CachePolicy = False,
    ) -> None:
        self.identity = identity
        self.references = references
        self.model = model
        self.config = config or GenerateConfig(temperature=0.0)
        self.cache = cache

    async def _generate(self, prompt: str) -> tuple[str | None, str | None]:
        """The judge's text, or the error it raised."""
        generated = await safe_generate(self.model, prompt, self.config, self.cache)
        if generated.error is not None:  # a judge failure is recorded, never raised
            return None, f"judge model error: {generated.error}"
        return generated.text, None

    async def _tagged(self, prompt: str, question: str) -> _Answer:
        """Ask once; if the tag is missing, ask once more to extract it."""
        text, error = await self._generate(prompt)
        if text is None:
            return _Answer(None, "", 1, error)
        value = parse_tagged_verdict(text)
        if value is not None:
            return _Answer(value, text, 1)
        extracted, error = await self._generate(EXTRACT_PROMPT.format(question=question, answer=text))
        if extracted is None:
            return _Answer(None, text, 2, f"no verdict tag in the judge answer; extraction failed: {error}")
        value = parse_tagged_verdict(extracted)
        if value is None:
            return _Answer(None, text, 2, "no verdict tag in the judge answer, even after one extraction request")
        return _Answer(value, text, 2)

    async def __call__(self, prompt: str, response: str) -> Verdict:
        if nothing_to_judge(response):
            return Verdict(judge="llm", reason=NOTHING_TO_JUDGE)
        loose = await self._tagged(LOOSE_PROMPT.format(fact=self.identity.fact, response=response), LOOSE_QUESTION)
        if loose.value is None:
            return Verdict(judge="llm", reason=f"loose unjudged: {loose.reason}", judge_calls=loose.calls)
        if not loose.value:
            return Verdict(
                judge="llm", loose=False, strict=False, hard=False, reason=loose.reason, judge_calls=loose.calls
            )
        strict = await self._tagged(
            STRICT_PROMPT.format(references=reference_list(self.references), response=response), STRICT_QUESTION
        )
        calls = loose.calls + strict.calls
        if strict.value is None:
            return Verdict(
                judge="llm", loose=True, reason=f"{loose.reason} | strict unjudged: {strict.reason}", judge_calls=calls
            )
        hard = is_hard(strict.value, prompt, self.references)
        return Verdict(
            judge="llm",
            loose=True,
            strict=strict.value,
            hard=hard,
            reason=f"{loose.reason} | {strict.reason}",
            judge_calls=calls,
        )
