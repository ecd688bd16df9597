"""The hybrid identity judge: the lexical judge, then a local model on the passages the rules did not claim.

1. The lexical judge's verdict stands when it finds a strict claim (its precision carries over to new models).
2. Otherwise every candidate passage (`candidates.py`: a sentence naming a reference family, with the
   sentence before it, reasoning traces included) that passes the structural filter goes to the verifier
   (`verifier.py`), one yes/no question each, until one's probability of yes reaches the threshold.
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
"""The structural filter candidates must pass (chosen by `benchmarks.judge_gold`; README, judge quality)."""
DEFAULT_THRESHOLD = 0.55
"""The verifier's probability of yes that makes a claim (chosen with the filter by `benchmarks.judge_gold`:
the best recall at precision >= 0.97 on the development gold set; leave-one-model-out in the README)."""


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
        threshold: float = DEFAULT_THRESHOLD,
        presets: dict[str, Identity] | None = None,
    ) -> None:
        self.identity = identity
        self.references = references
        self.lexical = LexicalJudge(identity, references, presets)
        self.verifier = Verifier(verifier, cache)
        self.structure = structure
        self.threshold = threshold

    async def __call__(self, prompt: str, response: str) -> Verdict:
        base = self.lexical.judge(prompt, response)
        if not base.judged or base.strict:
            return base.model_copy(update={"judge": "hybrid"})
        calls = 0
        problems: list[str] = []
        for candidate, reference in judge_candidates(self.lexical, response, self.structure):
            before = self.verifier.calls
            p_yes, problem = await self.verifier.yes_probability(candidate, reference)
            calls += self.verifier.calls - before
            if p_yes is not None and p_yes >= self.threshold:
                return Verdict(
                    judge="hybrid",
                    loose=True,
                    strict=True,
                    hard=is_hard(True, prompt, self.references),
                    claims=list(dict.fromkeys([*base.claims, candidate.key])),
                    reason=f"the verifier reads a claim (P(yes) {p_yes:.2f}; {candidate.key}: "
                    f"{candidate.sentence[-100:]!r})",
                    judge_calls=calls,
                )
            if p_yes is None:
                problems.append(problem or "no decision")
        if problems:
            return Verdict(
                judge="hybrid", loose=base.loose, claims=base.claims, judge_calls=calls,
                reason=f"strict unjudged: the verifier failed ({problems[0]})",
            )
        return base.model_copy(update={"judge": "hybrid", "judge_calls": calls})
