"""The hybrid identity judge: the lexical judge, then a local model on the passages the rules did not claim.

1. The lexical judge's verdict stands when it finds a strict claim (its precision carries over to new models).
2. Otherwise every candidate passage (`candidates.py`: a sentence naming a reference family, with the
   sentence before it, reasoning traces included) that passes the structural filter goes to the verifier
   (`verifier.py`), one yes/no question each, until one says yes.
3. A yes makes the response strict (and loose); hard follows from the prompt as for every judge. A verifier
   error or unreadable answer, with no yes elsewhere, leaves strict unjudged (recorded, never a no).

Decisions are memoised per (passage, reference) and go through Inspect's generate cache when it is on.
"""

from __future__ import annotations

from inspect_ai.model import CachePolicy, Model

from inspect_distill.ice.judging.candidates import judge_candidates
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.judging.verdict import Verdict
from inspect_distill.ice.judging.verifier import Verifier
from inspect_distill.identity import Identity, is_hard

DEFAULT_FILTER = "self+label"
"""The structural filter candidates must pass (chosen by leave-one-model-out; README, judge quality)."""


class HybridJudge:
    """Lexical claims first; a local verifier model decides the remaining candidate passages."""

    name = "hybrid"

    def __init__(
        self,
        identity: Identity,
        references: list[Identity],
        verifier: Model,
        cache: bool | CachePolicy = False,
        structure: str = DEFAULT_FILTER,
        presets: dict[str, Identity] | None = None,
    ) -> None:
        self.identity = identity
        self.references = references
        self.lexical = LexicalJudge(identity, references, presets)
        self.verifier = Verifier(verifier, cache)
        self.structure = structure

    async def __call__(self, prompt: str, response: str) -> Verdict:
        base = self.lexical.judge(prompt, response)
        if not base.judged or base.strict:
            return base.model_copy(update={"judge": "hybrid"})
        calls = 0
        problems: list[str] = []
        for candidate, reference in judge_candidates(self.lexical, response, self.structure):
            before = self.verifier.calls
            decision, problem = await self.verifier.decide(candidate, reference)
            calls += self.verifier.calls - before
            if decision:
                return Verdict(
                    judge="hybrid",
                    loose=True,
                    strict=True,
                    hard=is_hard(True, prompt, self.references),
                    claims=list(dict.fromkeys([*base.claims, candidate.key])),
                    reason=f"the verifier reads a claim ({candidate.key}: {candidate.sentence[-100:]!r})",
                    judge_calls=calls,
                )
            if decision is None:
                problems.append(problem or "no decision")
        if problems:
            return Verdict(
                judge="hybrid", loose=base.loose, claims=base.claims, judge_calls=calls,
                reason=f"strict unjudged: the verifier failed ({problems[0]})",
            )
        return base.model_copy(update={"judge": "hybrid", "judge_calls": calls})
