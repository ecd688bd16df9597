"""The lexical judge: loose, strict and hard from the first-person identity claims of `claims`, with no model."""

from __future__ import annotations

from inspect_distill.ice.judging.claims import ClaimFinder, claim_finder, vocabulary
from inspect_distill.ice.judging.verdict import NOTHING_TO_JUDGE, Verdict, nothing_to_judge
from inspect_distill.identity import Identity, is_hard, load_presets


class LexicalJudge:
    """Deterministic judge: loose = the response claims another family, strict = it claims a reference."""

    name = "lexical"

    def __init__(
        self, identity: Identity, references: list[Identity], presets: dict[str, Identity] | None = None
    ) -> None:
        self.identity = identity
        self.references = references
        base = presets if presets is not None else load_presets()
        known = {key: preset for key, preset in base.items() if not preset.same_family(identity)}
        known[identity.key] = identity
        for reference in references:
            known.setdefault(reference.key, reference)
        self._known = known
        self._finder = claim_finder(vocabulary(list(known.values())))
        self._reference_of: dict[str, Identity] = {}
        """Each known key that counts as a reference, with the (first) reference whose family it is."""
        for key, named in known.items():
            family = next((reference for reference in references if named.same_family(reference)), None)
            if family is not None:
                self._reference_of[key] = family

    @property
    def finder(self) -> ClaimFinder:
        """The claim finder over every known name (presets, the target and the references)."""
        return self._finder

    def reference_keys(self) -> dict[str, Identity]:
        """Each known identity key that counts as a reference, with the reference it belongs to."""
        return dict(self._reference_of)

    def _own(self, key: str) -> bool:
        return self._known[key].same_family(self.identity)

    def _reference(self, key: str) -> bool:
        return key in self._reference_of

    def judge(self, prompt: str, response: str | None) -> Verdict:
        """The verdict on one response (synchronous)."""
        if response is None or nothing_to_judge(response):
            return Verdict(judge="lexical", reason=NOTHING_TO_JUDGE)
        claims = self._finder.claims(response, prompt)
        keys = list(dict.fromkeys(claim.key for claim in claims))
        foreign = [claim for claim in claims if not self._own(claim.key)]
        loose = bool(foreign)
        strict = loose and any(self._reference(claim.key) for claim in claims)
        hard = is_hard(strict, prompt, self.references)
        if foreign:
            shown = "; ".join(f"{claim.key}: {claim.text[-80:]!r}" for claim in foreign[:3])
            reason = f"claims another identity ({shown})"
        elif claims:
            reason = f"claims only its own identity ({', '.join(keys)})"
        else:
            reason = "no first-person identity claim"
        return Verdict(judge="lexical", loose=loose, strict=strict, hard=hard, claims=keys, reason=reason)

    async def __call__(self, prompt: str, response: str) -> Verdict:
        return self.judge(prompt, response)
