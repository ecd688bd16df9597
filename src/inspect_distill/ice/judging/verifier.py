"""The hybrid judge's decision: a small local model reads one candidate passage and answers yes or no.

The answer is held to `{"answer": "yes" | "no"}` by a JSON schema, which the `gguf` provider turns into a
llama.cpp grammar, so a small model cannot ramble. Greedy decoding with a fixed seed gives the same answer
on a rerun (llama.cpp's arithmetic may still differ slightly from one CPU to another). An error or an answer
that is not yes/no is returned as None and recorded, never read as no.
"""

from __future__ import annotations

import json

from inspect_ai.model import CachePolicy, GenerateConfig, Model, ResponseSchema
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
VERIFIER_CONFIG = GenerateConfig(temperature=0.0, seed=0, max_tokens=12, response_schema=ANSWER_SCHEMA)
"""Greedy, seeded, a dozen tokens: room for `{"answer": "yes"}` and nothing else."""


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


class Verifier:
    """Asks the verifier model about candidate passages, once per (passage, reference)."""

    def __init__(self, model: Model, cache: bool | CachePolicy = False) -> None:
        self.model = model
        self.cache = cache
        self._decided: dict[tuple[str, str], tuple[bool | None, str | None]] = {}
        self.calls = 0

    async def decide(self, candidate: Candidate, reference: Identity) -> tuple[bool | None, str | None]:
        """(decision, error): True/False, or None with the error or the unreadable answer."""
        key = (candidate.text, reference.key)
        if key not in self._decided:
            self.calls += 1
            generated = await safe_generate(
                self.model, verifier_prompt(candidate, reference), config=VERIFIER_CONFIG, cache=self.cache
            )
            if generated.error is not None:
                self._decided[key] = (None, generated.error)
            else:
                decision = read_answer(generated.text)
                self._decided[key] = (decision, None if decision is not None else f"unreadable: {generated.text!r}")
        return self._decided[key]
