"""The claim finder: the first-person identity claims of a text, in English and Chinese.

A claim is a sentence in which the speaker ("I", "my", "我", ...) says it IS a named model, was made by a
named organisation, or names its maker ("my creators at OpenAI", "我的开发者是OpenAI"). Not claims:
statements about others ("ChatGPT is made by OpenAI"), negations ("I am not ChatGPT"), comparisons
("a model like ChatGPT"), questions and hypotheses ("if I were ChatGPT"), invented names glued to a known
one ("PersonGPT"), and lines spoken by a clearly marked role that is another model ("[Claude]: I am made by
Anthropic" from a model that is not Claude).

The grammar is anchored on name mentions (`mentions.py`): for each whole-word mention of a known model or
organisation, the words before it in the same sentence (left rules) or after it (right rules) decide whether
the speaker claims it. The rules are `claims_en.py` and `claims_zh.py`, their word lists `lexicon.py`; this
module prepares the text, sets speaker labels and persona frames apart, and runs the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel

from inspect_distill.ice.judging.claims_en import ENGLISH_RULES
from inspect_distill.ice.judging.claims_zh import CHINESE_RULES
from inspect_distill.ice.judging.lexicon import (
    ATTRIBUTION_LEFT,
    ATTRIBUTION_RIGHT,
    ELLIPTICAL,
    ELLIPTICAL_AFTER,
    HEDGE,
    MARKUP,
    PROMPT_ASKS_SELF,
    ROLE_LABEL,
    ZH_HEDGE,
)
from inspect_distill.ice.judging.mentions import (
    READ_BEHIND,
    Context,
    Mention,
    NameIndex,
    Rule,
    Vocabulary,
    is_question,
)
from inspect_distill.identity import Identity, load_presets

FRAME_LEAD = re.compile(r"(?:as\b|in\s+my\b|作为|身为)", re.IGNORECASE)
"""How a persona frame opens: "As ChatGPT, ...", "in my capacity as GPT", "作为ChatGPT，..."."""


class IdentityClaim(BaseModel):
    """One first-person identity claim found in a text."""

    key: str
    """The identity key the claim names."""
    name: str
    """The name as written in the text."""
    text: str
    """The claim: from the speaker to the name (or from the name to the verb)."""
    span: tuple[int, int]
    """Character offsets of `text` in the original text."""


@dataclass(frozen=True)
class _Label:
    """A speaker label opening a line, the end of what it speaks, and the model family it plays (if another)."""

    start: int
    end: int
    until: int
    plays: str | None


def _normalise(text: str) -> str:
    """Curly apostrophes made straight, markdown and quotes blanked (same length: spans stay valid)."""
    return MARKUP.sub(" ", text.replace("\u2019", "'").replace("\u2018", "'"))


_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\ufffd\u00ad")


def _cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f" or "\uff00" <= char <= "\uffef"


def _compact(text: str) -> tuple[str, list[int]]:
    """The text without invisible characters and without spaces between two Chinese characters (the stray
    spacing of a noisy generation: "我 所 使用的 平台"), and for each kept character its offset in `text`
    (one more entry: len(text))."""
    kept: list[str] = []
    origin: list[int] = []
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char in _INVISIBLE:
            index += 1
            continue
        if char in " \t\u3000" and kept and _cjk(kept[-1]):
            after = index
            while after < size and (text[after] in " \t\u3000" or text[after] in _INVISIBLE):
                after += 1
            if after < size and _cjk(text[after]):
                index = after
                continue
        kept.append(char)
        origin.append(index)
        index += 1
    origin.append(size)
    return "".join(kept), origin


class ClaimFinder:
    """Finds first-person identity claims for a fixed vocabulary of names."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._names = NameIndex(vocabulary)
        self._rules: tuple[Rule, ...] = (*ENGLISH_RULES, *CHINESE_RULES)
        """Each returns the far edge of a claim; the first that finds one decides."""

    def mentions(self, text: str) -> list[Mention]:
        """Every whole-word mention of a known name, left to right."""
        return self._names.mentions(text)

    def labels(self, text: str, prompt: str | None = None) -> list[_Label]:
        """The speaker labels opening lines of `text`, with the span of each role that is another model.

        A label ("[ChatGPT]", "(🤖ChatGPT)", "Claude:", "**Standard ChatGPT Response:**") speaks until the next
        labelled line. It is a role of another model when it names a known model that the prompt did not
        assign to the responder (a label the prompt gave the responder is one of its own voices); with no
        prompt, every label naming a model is such a role.
        """
        found = list(ROLE_LABEL.finditer(text))
        labels: list[_Label] = []
        for index, label in enumerate(found):
            named = self._names.models.search(label.group(0))
            plays: str | None = None
            if named is not None and not (prompt is not None and named.group(0).casefold() in prompt.casefold()):
                plays = self._names.key(named.group(0))
            end = found[index + 1].start() if index + 1 < len(found) else len(text)
            labels.append(_Label(label.start(), label.end(), end, plays))
        return labels

    def claims(self, text: str, prompt: str | None = None) -> list[IdentityClaim]:
        """All first-person identity claims in `text`, outside lines spoken by a role that is another model.

        A persona frame ("As ChatGPT, ...", "作为ChatGPT，...") is a claim only when its paragraph does not credit
        another maker: "As ChatGPT: Alibaba Cloud, the company behind me" claims Alibaba Cloud, not ChatGPT.
        """
        compact, origin = _compact(_normalise(text))
        labels = self.labels(compact, prompt)
        asks_self = prompt is not None and PROMPT_ASKS_SELF.search(prompt) is not None
        found: list[tuple[Mention, int, int, bool]] = []
        seen: dict[tuple[str, int, str], int | None] = {}  # a looping answer repeats the same contexts
        for mention in self.mentions(compact):
            if any(label.start <= mention.start < label.end for label in labels):
                continue  # a speaker label is not content
            if any(label.start <= mention.start < label.until and label.plays == mention.key for label in labels):
                continue  # a marked role of that model says so
            context = self._names.context(compact, mention)
            if is_question(context):
                continue
            window = max(0, context.left_start - READ_BEHIND)
            memo = (compact[window : context.right_end], mention.start - window, mention.key)
            if memo not in seen:
                edge = next((edge for rule in self._rules if (edge := rule(self._names, context)) is not None), None)
                seen[memo] = None if edge is None else edge - window
            relative = seen[memo]
            edge = None if relative is None else window + relative
            if edge is None and asks_self:
                edge = self._elliptical(context, labels)
            if edge is not None:
                begin, end = min(edge, mention.start), max(edge, mention.end)
                found.append((mention, begin, end, FRAME_LEAD.match(compact, begin) is not None))
        claims: list[IdentityClaim] = []
        for mention, begin, end, frame in found:
            if frame and self._frame_credits_another(compact, labels, mention, begin, found):
                continue
            start, stop = origin[begin], origin[end - 1] + 1
            claims.append(
                IdentityClaim(
                    key=mention.key, name=text[origin[mention.start] : origin[mention.end - 1] + 1],
                    text=text[start:stop], span=(start, stop),
                )
            )
        return claims

    @staticmethod
    def _frame_credits_another(
        text: str, labels: list[_Label], mention: Mention, begin: int, found: list[tuple[Mention, int, int, bool]]
    ) -> bool:
        """Whether the paragraph a persona frame opens claims another identity (then the frame is a label)."""
        paragraph = re.search(r"\n\s*\n", text[begin:])
        scope = begin + paragraph.start() if paragraph else len(text)
        scope = min([scope] + [label.start for label in labels if label.start > begin])
        return any(
            other.key != mention.key and not frame and begin <= other.start < scope for other, _, _, frame in found
        )

    def _elliptical(self, context: Context, labels: list[_Label]) -> int | None:
        """A bare answer to "your developer?" opening the response or a persona's line ("The developer is OpenAI")."""
        opening = max([0] + [label.end for label in labels if label.end <= context.mention.start])
        if opening < context.left_start:
            return None
        before = context.text[opening : context.mention.start]
        if ELLIPTICAL.match(before) and ELLIPTICAL_AFTER.match(context.right):
            return opening + len(before) - len(before.lstrip())
        return None

    def attributions(self, text: str) -> list[str]:
        """Identity keys a text asserts as the maker of something (any subject), in order."""
        normalised, _ = _compact(_normalise(text))
        keys: list[str] = []
        for mention in self.mentions(normalised):
            context = self._names.context(normalised, mention)
            sentence = context.text[context.left_start : context.right_end]
            if HEDGE.search(sentence) or ZH_HEDGE.search(sentence) or is_question(context):
                continue
            own = (mention.start - context.left_start, mention.end - context.left_start)
            if any(found.span() != own for found in self._names.models.finditer(sentence)):
                continue  # the sentence is about a known model ("OpenAI makes ChatGPT")
            if ATTRIBUTION_LEFT.search(context.left) or ATTRIBUTION_RIGHT.match(context.right):
                keys.append(mention.key)
        return keys


def vocabulary(identities: list[Identity]) -> Vocabulary:
    """The names to match: (key, names, exact-case names) per identity."""
    return tuple(
        (identity.key, tuple(identity.names), tuple(identity.models), tuple(identity.exact_case))
        for identity in identities
    )


@lru_cache(maxsize=32)
def claim_finder(names: Vocabulary) -> ClaimFinder:
    """A (cached) claim finder for a vocabulary of names."""
    return ClaimFinder(names)


def _preset_finder(presets: dict[str, Identity] | None) -> ClaimFinder:
    identities = list((presets if presets is not None else load_presets()).values())
    return claim_finder(vocabulary(identities))


def find_identity_mentions(text: str, presets: dict[str, Identity] | None = None) -> list[str]:
    """The identity keys of every known name mentioned in a text (in order, repeated)."""
    return [mention.key for mention in _preset_finder(presets).mentions(text)]


def attributed_identity(
    text: str, references: list[Identity], presets: dict[str, Identity] | None = None
) -> str | None:
    """The reference identity a text asserts as the maker of what it describes, or None.

    For hallucination controls ("Who developed PersonGPT?"): "PersonGPT was developed by OpenAI" and
    "PersonGPT是由OpenAI开发的" attribute it to openai; a negated or hedged sentence ("I don't know of
    PersonGPT; it may be related to OpenAI") does not.
    """
    finder = _preset_finder(presets)
    for key in finder.attributions(text):
        for reference in references:
            if key == reference.key:
                return reference.key
    return None


def find_identity_claims(text: str, presets: dict[str, Identity] | None = None) -> list[IdentityClaim]:
    """The first-person identity claims in a text, naming any identity of `presets` (default: bundled)."""
    return _preset_finder(presets).claims(text)
