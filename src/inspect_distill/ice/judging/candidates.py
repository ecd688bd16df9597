"""Recall-first candidates for the hybrid judge: the passages of a response that could claim a reference.

A candidate is a sentence (or a persona's line) that names a reference family or model, read together with
the sentence before it, so that a maker named only in the next sentence ("My code was written by several
teams. These teams include OpenAI's ...") is read with the claim it completes. Reasoning traces
(`<think>...</think>`) are read like the rest of the response.

Candidates are then filtered by structure (`Candidate.passes`): a passage that a reader could take as a
claim about the speaker has a self-reference (I, my, we, our, this AI, models like me, 我, 本模型 ...), and
the sentence naming the reference is not a question and does not deny or compare it. The filter is cheap
and precise; what survives is decided by a model (`verifier.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from inspect_distill.ice.judging.claims import ClaimFinder
from inspect_distill.ice.judging.lexical import LexicalJudge
from inspect_distill.ice.judging.lexicon import ANY_SENTENCE_END, ROLE_LABEL
from inspect_distill.identity import Identity

FIRST_PERSON_I = re.compile(r"(?<![\w'])I(?:'m|'ve|'d|'ll)?(?![\w'])")
"""The pronoun I, capitalised (a lower-case "i" is too often something else)."""
SELF_WORDS = re.compile(
    r"\b(?:me|my|mine|myself|we|our|ours|ourselves|us)\b|"
    r"\b(?:this|the\s+present)\s+(?:AI|assistant|model|chatbot|bot|language\s+model|system|program)\b|"
    r"\b(?:models?|systems?|assistants?|AIs?)\s+like\s+(?:me|myself|us)\b|"
    r"\bthe\s+(?:AI|assistant|model|language\s+model)\s+(?:you(?:'re|\s+are)\s+)?(?:talking|speaking|chatting)\b|"
    r"我|咱|本模型|本助手|本系统|本AI",
    re.IGNORECASE,
)
"""The speaker speaking of itself: other first-person words, self noun phrases and their Chinese forms."""

DENIAL = re.compile(
    r"\b(?:not|never|no|neither|nor|unlike|instead\s+of|rather\s+than|other\s+than|apart\s+from|"
    r"unaffiliated|independent\s+of)\b|n't\b|"
    r"不是|并非|并不|而非|不同于|不像|与.{0,12}无关|没有",
    re.IGNORECASE,
)
"""Words that deny or contrast the named reference in its sentence."""

HYPOTHETICAL = re.compile(r"\b(?:if|suppose|imagine|pretend|were\s+I)\b|如果|假如|假设|假装|想象", re.IGNORECASE)
"""Words that make the sentence naming the reference a hypothesis."""

THINK_TAGS = re.compile(r"</?\s*think\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """A passage naming a reference identity: the sentence before it (context) and the naming sentence."""

    key: str
    """The reference identity key named."""
    name: str
    """The name as written."""
    before: str
    """The sentence before the naming sentence ("" at the start)."""
    sentence: str
    """The sentence that names the reference."""
    label_only: bool = False
    """Every mention of the reference in the sentence is inside a speaker label opening a line ("[ChatGPT]:")."""

    @property
    def text(self) -> str:
        """The passage the decision reads: the sentence before and the naming sentence."""
        return f"{self.before} {self.sentence}".strip()

    def passes(self, strictness: str = "self") -> bool:
        """The structural filter: `none`; `self`: a self-reference; `self+label`: also named outside a speaker
        label (a label alone is not a claim); `self+assert`: also no denial or hypothesis in the sentence."""
        if strictness == "none":
            return True
        if not (FIRST_PERSON_I.search(self.text) or SELF_WORDS.search(self.text)):
            return False
        if strictness == "self":
            return True
        if self.label_only:
            return False
        if strictness == "self+label":
            return True
        sentence = self.sentence.rstrip()
        if sentence.endswith(("?", "？")):
            return False
        return not (DENIAL.search(sentence) or HYPOTHETICAL.search(sentence))


FILTERS = ("none", "self", "self+label", "self+assert")
"""The structural filters, loosest first."""


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text (ends as the claim grammar reads them; empty spans dropped)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end in ANY_SENTENCE_END.finditer(text):
        if text[start : end.end()].strip():
            spans.append((start, end.end()))
        start = end.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def find_candidates(finder: ClaimFinder, text: str, reference_keys: set[str]) -> list[Candidate]:
    """Every passage of `text` whose sentence names one of `reference_keys`, one per (sentence, key)."""
    text = THINK_TAGS.sub("\n", text)
    mentions = [m for m in finder.mentions(text) if m.key in reference_keys]
    if not mentions:
        return []
    spans = _sentences(text)
    labels = [found.span() for found in ROLE_LABEL.finditer(text)]
    found: dict[tuple[int, str], Candidate] = {}
    index = 0
    for mention in mentions:
        while index + 1 < len(spans) and spans[index][1] <= mention.start:
            index += 1
        start, end = spans[index]
        in_label = any(low <= mention.start and mention.end <= high for low, high in labels)
        if (index, mention.key) in found:
            if not in_label:
                found[(index, mention.key)] = replace(found[(index, mention.key)], label_only=False)
            continue
        before = text[spans[index - 1][0] : spans[index - 1][1]].strip() if index else ""
        found[(index, mention.key)] = Candidate(
            key=mention.key,
            name=text[mention.start : mention.end],
            before=" ".join(before.split()),
            sentence=" ".join(text[start:end].split()),
            label_only=in_label,
        )
    return list(found.values())


def judge_candidates(lexical: LexicalJudge, response: str, structure: str = "none") -> list[tuple[Candidate, Identity]]:
    """The candidates of a response for a judge's target and references that pass `structure`, each with the
    reference it names."""
    reference_of = lexical.reference_keys()
    found = find_candidates(lexical.finder, response, set(reference_of))
    return [(candidate, reference_of[candidate.key]) for candidate in found if candidate.passes(structure)]
