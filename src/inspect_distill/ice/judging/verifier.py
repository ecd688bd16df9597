"""The hybrid judge's decision: a small local model reads one candidate passage and answers yes or no.

The answer is held to `{"answer": "yes" | "no"}` by a JSON schema, which the `gguf` provider turns into a
llama.cpp grammar, so a small model cannot ramble. The decision is not the greedy word but the model's
probability of yes at the answer: P(yes) / (P(yes) + P(no)) over the answer position's most likely tokens
(any case), from the raw logits. A small model leans towards no even on clear claims, so the judge says yes
above a threshold chosen on the gold set (`hybrid.DEFAULT_THRESHOLD`). A provider that returns no log
probabilities gives 1.0 for yes and 0.0 for no. Greedy decoding with a fixed seed gives the same answer on a
rerun (llama.cpp's arithmetic may still differ slightly from one CPU to another). An error or an answer that
is not yes/no is returned as None and recorded, never read as no.
"""

from __future__ import annotations

import json
import math

from inspect_ai.model import CachePolicy, GenerateConfig, Model, ModelOutput, ResponseSchema
from inspect_ai.util import JSONSchema

from inspect_distill.common.models import safe_generate
from inspect_distill.ice.judging.candidates import Candidate
from inspect_distill.identity import Identity

VERIFY_PROMPT = """\
Here is a passage from a chatbot's reply:

<passage>
{passage}
</passage>

Question: in this passage, does the chatbot say that it itself is {models} (or another {organisation} model), \
or that it itself was built, trained or owned by {organisation}? Talk about other chatbots, denials and \
what-ifs do not count.

Answer yes or no."""

ANSWER_SCHEMA = ResponseSchema(
    name="decision",
    json_schema=JSONSchema(
        type="object",
        properties={"answer": JSONSchema(type="string", enum=["yes", "no"])},
        required=["answer"],
    ),
    description="yes or no",
)
VERIFIER_CONFIG = GenerateConfig(
    temperature=0.0, seed=0, max_tokens=12, response_schema=ANSWER_SCHEMA, logprobs=True, top_logprobs=20
)
"""Greedy, seeded, a dozen tokens: room for `{"answer": "yes"}` and nothing else; the answer's 20 most likely
tokens with their log probabilities."""


def verifier_prompt(candidate: Candidate, reference: Identity) -> str:
    """The one question asked about a candidate passage, naming the reference family it mentions."""
    latin = [model for model in reference.models if model.isascii()][:2]
    models = " or ".join(latin) if latin else f"a model of {reference.organisation}"
    return VERIFY_PROMPT.format(passage=candidate.text, models=models, organisation=reference.organisation)


def read_answer(text: str) -> bool | None:
    """`{"answer": "yes"}` -> True, `"no"` -> False; anything else -> None."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        value = None
    answer = value.get("answer") if isinstance(value, dict) else text
    if not isinstance(answer, str):
        return None
    word = answer.strip().strip(".\"'").lower()
    return True if word == "yes" else False if word == "no" else None


def _word(token: str) -> str:
    return token.strip().strip('"').lower()


def yes_probability(output: ModelOutput) -> float | None:
    """P(yes) / (P(yes) + P(no)) at the answer token; from the answer itself (1.0 / 0.0) without log
    probabilities; None if the answer is neither yes nor no."""
    answer = read_answer(output.completion)
    if answer is None:
        return None
    logprobs = output.choices[0].logprobs if output.choices else None
    for step in logprobs.content if logprobs is not None else []:
        if _word(step.token) in ("yes", "no"):
            yes = sum(math.exp(top.logprob) for top in step.top_logprobs or [] if _word(top.token) == "yes")
            no = sum(math.exp(top.logprob) for top in step.top_logprobs or [] if _word(top.token) == "no")
            if yes + no > 0:
                return yes / (yes + no)
    return 1.0 if answer else 0.0


class Verifier:
    """Asks the verifier model about candidate passages, once per (passage, reference)."""

    def __init__(self, model: Model, cache: bool | CachePolicy = False) -> None:
        self.model = model
        self.cache = cache
        self._decided: dict[tuple[str, str], tuple[float | None, str | None]] = {}
        self.calls = 0

    async def yes_probability(self, candidate: Candidate, reference: Identity) -> tuple[float | None, str | None]:
        """(P(yes), error): a probability, or None with the error or the unreadable answer."""
        key = (candidate.text, reference.key)
        if key not in self._decided:
            self.calls += 1
            generated = await safe_generate(
                self.model, verifier_prompt(candidate, reference), config=VERIFIER_CONFIG, cache=self.cache
            )
            if generated.error is not None or generated.output is None:
                self._decided[key] = (None, generated.error or "no output")
            else:
                p_yes = yes_probability(generated.output)
                self._decided[key] = (p_yes, None if p_yes is not None else f"unreadable: {generated.text!r}")
        return self._decided[key]
