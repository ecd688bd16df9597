"""The deterministic identity judge: first-person identity claims found by English and Chinese claim grammar.

A claim is a sentence in which the speaker ("I", "my", "我", ...) says it IS a named model, was made by a
named organisation, or names its maker ("my creators at OpenAI", "我的开发者是OpenAI"). Not claims:
statements about others ("ChatGPT is made by OpenAI"), negations ("I am not ChatGPT"), comparisons
("a model like ChatGPT"), questions and hypotheses ("if I were ChatGPT"), invented names glued to a known
one ("PersonGPT"), and lines spoken by a clearly marked role that is another model ("[Claude]: I am made by
Anthropic" from a model that is not Claude).

The grammar is anchored on name mentions: for each whole-word mention of a known model or organisation, the
words before it in the same sentence (left rules) or after it (right rules) decide whether the speaker
claims it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel

from inspect_distill.ice.judging.lexicon import (
    ADDRESS_LEAD,
    AGENT_AFFILIATION,
    AGENT_LEAD,
    ANY_SENTENCE_END,
    APPOSITION_LEAD,
    APPOSITION_TAIL,
    ATTRIBUTION_LEFT,
    ATTRIBUTION_RIGHT,
    BEHIND_LEAD,
    BEHIND_TAIL,
    BLOCKING_WORDS,
    ECHO_AFTER,
    ECHO_ANSWER,
    ELLIPTICAL,
    ELLIPTICAL_AFTER,
    EXAMPLE_WORDS,
    HEDGE,
    IDENTITY_GAP_END,
    IDENTITY_GAP_WORDS,
    IDENTITY_LEAD,
    IDENTITY_MODESTY,
    IDENTITY_UNKNOWN_WORDS,
    LISTING_END,
    LISTING_LEFT,
    MAKER_ANAPHOR,
    MAKER_GAP_WORDS,
    MARKUP,
    NONE_OTHER_THAN,
    OBJECT_GAP_BLOCK,
    OBJECT_TAIL,
    OBJECT_TAIL_MORE,
    OWN_ASSERTION,
    OWNER_TAIL,
    POSSESSED_NOT_IDENTITY,
    POSSESSIVE_LEAD,
    PRECEDING_BLOCK,
    PROMPT_ASKS_SELF,
    ROLE_LABEL,
    SELF_MAKER,
    SELF_QUESTION,
    SELF_SUBJECT,
    SUBJECT_GAP_BLOCK,
    SUBJECT_PREDICATE,
    ZH_AFFILIATION,
    ZH_AGENT_LEAD,
    ZH_BLOCKING,
    ZH_CONDITIONAL,
    ZH_DATA,
    ZH_HEADLESS_LEAD,
    ZH_HEDGE,
    ZH_IDENTITY_LEAD,
    ZH_LINK,
    ZH_MADE_VERBS,
    ZH_NEW_CLAUSE,
    ZH_OBJECT_TAIL,
    ZH_OWNER_TAIL,
    ZH_PASSIVE_END,
    ZH_POSSESSED_NOT_IDENTITY,
    ZH_POSSESSIVE_LEAD,
    ZH_PRECEDING_BLOCK,
    ZH_RELATIVE_LEAD,
    ZH_VERB_AFTER,
)
from inspect_distill.identity import Identity, load_presets

CONTEXT = 300
"""How far a mention's sentence is read on either side."""
READ_BEHIND = 400
"""How far before a mention's sentence any rule reads (a question, an antecedent, a model just named)."""

FRAME_LEAD = re.compile(r"(?:as\b|in\s+my\b|作为|身为)", re.IGNORECASE)
"""How a persona frame opens: "As ChatGPT, ...", "in my capacity as GPT", "作为ChatGPT，..."."""

Vocabulary = tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]
"""Per identity: its key, every name it goes by, its model names, and the names matched case-sensitively."""


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


@dataclass(frozen=True)
class _Mention:
    key: str
    start: int
    end: int


def _name_pattern(name: str, exact_case: bool) -> str:
    parts = [re.escape(part) for part in re.split(r"[\s\-]+", name.strip()) if part]
    body = r"[\s\-]?".join(parts)
    if name[0].isascii() and name[0].isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if name[-1].isascii() and name[-1].isalnum():
        body += r"(?![A-Za-z])"
    return f"(?-i:{body})" if exact_case else body


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


def _words(gap: str) -> list[str]:
    gap = NONE_OTHER_THAN.sub(" ", gap)
    return [word.lower() for word in re.split(r"[\s,:;\-–—=()/]+", gap.strip(" ,:;-–—=()/")) if word]


def _unknown(gap: str, allowed: frozenset[str]) -> int:
    return sum(word not in allowed and not word.isdigit() for word in _words(gap))


def _within(gap: str, allowed: frozenset[str], limit: int) -> bool:
    words = _words(gap)
    return len(words) <= limit and all(word in allowed or word.isdigit() for word in words)


@dataclass(frozen=True)
class _Context:
    """A mention with the text of its sentence on both sides."""

    text: str
    mention: _Mention
    left_start: int
    right_end: int

    @property
    def left(self) -> str:
        return self.text[self.left_start : self.mention.start]

    @property
    def right(self) -> str:
        return self.text[self.mention.end : self.right_end]


def _leads(pattern: re.Pattern[str], left: str) -> Iterator[re.Match[str]]:
    """Every match of `pattern` in `left`, nearest to the name first (overlapping matches included)."""
    found: list[re.Match[str]] = []
    position = 0
    while (match := pattern.search(left, position)) is not None:
        found.append(match)
        position = match.start() + 1
    return reversed(found)


class ClaimFinder:
    """Finds first-person identity claims for a fixed vocabulary of names."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        owners: dict[str, str] = {}
        spelled: dict[str, bool] = {}
        model_names: dict[str, str] = {}
        for key, names, models, exact_names in vocabulary:
            model_names.update({model: key for model in models})
            for name in names:
                folded = name.casefold()
                if owners.setdefault(folded, key) != key:
                    raise ValueError(f"name {name!r} belongs to both {owners[folded]} and {key}")
                spelled[name] = name in exact_names
        self._owners = owners
        self._patterns = [
            (re.compile(_name_pattern(name, exact), re.IGNORECASE), owners[name.casefold()])
            for name, exact in spelled.items()
        ]
        ordered = sorted(spelled, key=len, reverse=True)
        self._names = re.compile(
            "|".join(_name_pattern(name, spelled[name]) for name in ordered) or r"(?!)", re.IGNORECASE
        )
        longest_first = sorted(model_names, key=len, reverse=True)
        self._models = re.compile(
            "|".join(_name_pattern(name, spelled[name]) for name in longest_first) or r"(?!)", re.IGNORECASE
        )
        self._rules: list[Callable[[_Context], int | None]] = [  # each returns the far edge of a claim
            self._identity,
            self._agent,
            self._possessive,
            self._subject,
            self._behind,
            self._echo,
            self._anaphor,
            self._address,
            self._apposition,
            self._object,
            self._zh_identity,
            self._zh_possessive,
            self._zh_agent,
            self._zh_object,
            self._zh_owner,
            self._zh_headless,
            self._zh_affiliation,
        ]

    # --- mentions and sentences ----------------------------------------------------------------------

    def mentions(self, text: str) -> list[_Mention]:
        """Every whole-word mention of a known name, left to right."""
        return [_Mention(self._key(found.group(0)), found.start(), found.end()) for found in self._names.finditer(text)]

    def _key(self, name: str) -> str:
        folded = name.casefold()
        if folded in self._owners:
            return self._owners[folded]
        return next(key for pattern, key in self._patterns if pattern.fullmatch(name))

    def _context(self, text: str, mention: _Mention) -> _Context:
        left_start = max(0, mention.start - CONTEXT)  # no rule reaches further: long run-ons stay linear
        for end in ANY_SENTENCE_END.finditer(text, left_start, mention.start):
            left_start = end.end()
        after = ANY_SENTENCE_END.search(text, mention.end)
        right_end = after.start() if after else len(text)
        return _Context(text, mention, left_start, min(right_end, mention.end + CONTEXT))

    def _has_mention(self, fragment: str) -> bool:
        return self._names.search(fragment) is not None

    def _is_question(self, context: _Context) -> bool:
        """Whether the clause holding the mention is a question (it runs to a question mark)."""
        ends_in_question = context.text[context.right_end : context.right_end + 1] in ("?", "？")
        return ends_in_question and not re.search(r"[,，;；:：]", context.right)

    # --- public ---------------------------------------------------------------------------------------

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
            named = self._models.search(label.group(0))
            plays: str | None = None
            if named is not None and not (prompt is not None and named.group(0).casefold() in prompt.casefold()):
                plays = self._key(named.group(0))
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
        found: list[tuple[_Mention, int, int, bool]] = []
        seen: dict[tuple[str, int, str], int | None] = {}  # a looping answer repeats the same contexts
        for mention in self.mentions(compact):
            if any(label.start <= mention.start < label.end for label in labels):
                continue  # a speaker label is not content
            if any(label.start <= mention.start < label.until and label.plays == mention.key for label in labels):
                continue  # a marked role of that model says so
            context = self._context(compact, mention)
            if self._is_question(context):
                continue
            window = max(0, context.left_start - READ_BEHIND)
            memo = (compact[window : context.right_end], mention.start - window, mention.key)
            if memo not in seen:
                edge = next((edge for rule in self._rules if (edge := rule(context)) is not None), None)
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
        text: str, labels: list[_Label], mention: _Mention, begin: int, found: list[tuple[_Mention, int, int, bool]]
    ) -> bool:
        """Whether the paragraph a persona frame opens claims another identity (then the frame is a label)."""
        paragraph = re.search(r"\n\s*\n", text[begin:])
        scope = begin + paragraph.start() if paragraph else len(text)
        scope = min([scope] + [label.start for label in labels if label.start > begin])
        return any(
            other.key != mention.key and not frame and begin <= other.start < scope for other, _, _, frame in found
        )

    def _elliptical(self, context: _Context, labels: list[_Label]) -> int | None:
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
            context = self._context(normalised, mention)
            sentence = context.text[context.left_start : context.right_end]
            if HEDGE.search(sentence) or ZH_HEDGE.search(sentence) or self._is_question(context):
                continue
            own = (mention.start - context.left_start, mention.end - context.left_start)
            if any(found.span() != own for found in self._models.finditer(sentence)):
                continue  # the sentence is about a known model ("OpenAI makes ChatGPT")
            if ATTRIBUTION_LEFT.search(context.left) or ATTRIBUTION_RIGHT.match(context.right):
                keys.append(mention.key)
        return keys

    # --- English left rules (return the start of the claim, or None) ---------------------------------

    def _clean_gap(self, gap: str) -> bool:
        gap = NONE_OTHER_THAN.sub(" ", gap)
        return not BLOCKING_WORDS.search(gap) and not self._has_mention(gap)

    def _not_hypothetical(self, left: str, lead_start: int) -> bool:
        block = PRECEDING_BLOCK.search(left[:lead_start])
        if block is None:
            return True
        return OWN_ASSERTION.search(left[:lead_start]) is not None and not re.search(
            r"\b(?:not|n't|never|if|whether)\b", left[max(0, block.start() - 30) : lead_start], re.IGNORECASE
        )

    def _identity(self, context: _Context) -> int | None:
        left = context.left
        possessed = POSSESSED_NOT_IDENTITY.match(context.right) is not None
        for lead in _leads(IDENTITY_LEAD, left):
            gap = IDENTITY_MODESTY.sub(" ", left[lead.end() :])
            if possessed and not re.search(r"\bby\s*$", gap):
                continue
            if not self._clean_gap(gap) or not (
                _within(gap, IDENTITY_GAP_WORDS, 10)
                or (IDENTITY_GAP_END.search(gap) and _unknown(gap, IDENTITY_GAP_WORDS) <= IDENTITY_UNKNOWN_WORDS)
            ):
                continue
            if lead.group(0).strip().lower() == "as" and not self._clause_start(left[: lead.start()]):
                continue
            if self._not_hypothetical(left, lead.start()):
                return context.left_start + lead.start()
        return None

    @staticmethod
    def _clause_start(before: str) -> bool:
        stripped = before.rstrip()
        return not stripped or stripped[-1] in ",;:()[]—–-" or bool(re.search(r"\b(?:and|but|so|that)$", stripped))

    def _agent(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(AGENT_LEAD, left):
            gap, gap2 = lead.group("gap"), left[lead.end() :]
            if not self._clean_gap(gap) or re.search(r"[.!?;]\s|\b(?:he|she|they|it|this|that|those|ones?|others?)\b", gap):
                continue
            affiliation = AGENT_AFFILIATION.match(gap2)
            if affiliation and self._clean_gap(gap2) and not EXAMPLE_WORDS.search(affiliation.group("agents")):
                pass  # "by a team of engineers who work at <name>"
            elif len(_words(gap2)) > 10 or not self._clean_gap(gap2) or EXAMPLE_WORDS.search(gap2):
                continue
            if self._not_hypothetical(left, lead.start()):
                return context.left_start + lead.start()
        return None

    def _maker_gap(self, gap: str) -> bool:
        """A short description of the maker ("consists of researchers at"), not a list of examples."""
        return _within(gap, MAKER_GAP_WORDS, 10) and self._clean_gap(gap) and not LISTING_END.search(gap)

    def _possessive(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(POSSESSIVE_LEAD, left):
            if not self._clean_gap(lead.group(0)):
                continue  # "my favourite model"
            if self._maker_gap(left[lead.end() :]) and self._not_hypothetical(left, lead.start()):
                return context.left_start + lead.start()
        return None

    def _behind(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(BEHIND_LEAD, left):
            if self._maker_gap(left[lead.end() :]):
                return context.left_start + lead.start()
        return None

    def _subject(self, context: _Context) -> int | None:
        """The speaker or a part of it as the subject, its maker at the end: "The development of my code is
        attributed to", "My core architecture comes from", "The assistant you are talking to was trained by"."""
        left = context.left
        for lead in _leads(SELF_SUBJECT, left):
            if not self._clean_gap(re.sub(r"\blike\s+(?:me|myself|us|mine)\b", " ", lead.group(0), flags=re.I)):
                continue  # "my favourite model" (but "models like me" is the speaker)
            start = context.left_start + lead.start()
            if lead.group(0).lower().startswith("this") and self._models.search(context.text[max(0, start - 200) : start]):
                continue  # "this model" may be the model just named
            rest = left[lead.end() :]
            for predicate in SUBJECT_PREDICATE.finditer(rest):
                gap, maker = rest[: predicate.start()], rest[predicate.end() :]
                if len(_words(gap)) > 12 or not self._clean_gap(gap) or SUBJECT_GAP_BLOCK.search(gap):
                    break
                if EXAMPLE_WORDS.search(gap):
                    break
                if self._maker_gap(maker) and self._not_hypothetical(left, lead.start()):
                    return start
        return None

    def _echo(self, context: _Context) -> int | None:
        """The answer to a question the speaker asks about itself: "Who made me? OpenAI did.", "我的开发公司？当然是OpenAI"."""
        before = context.text[max(0, context.left_start - 120) : context.left_start]
        question = SELF_QUESTION.search(before)
        if question is None or not ECHO_ANSWER.match(context.left) or not ECHO_AFTER.match(context.right):
            return None
        return max(0, context.left_start - 120) + question.start()

    def _anaphor(self, context: _Context) -> int | None:
        """"They" naming the maker of the speaker's makers named just before: "The teams behind my creation are
        brilliant. These teams are part of OpenAI.", "我的开发者非常优秀。他们来自OpenAI。"."""
        anaphor = MAKER_ANAPHOR.match(context.left)
        if anaphor is None:
            return None
        gap = context.left[anaphor.end() :]
        chinese = not anaphor.group(0).strip().isascii()
        if chinese:
            if len(gap) > 10 or not self._zh_clean(gap) or not re.match(r"^(?:都|也|全都)?(?:来自|属于|隶属于|就职于|供职于|是|在)", gap):
                return None
        elif not self._maker_gap(gap):
            return None
        paragraph = max(context.text.rfind("\n", 0, context.left_start), context.left_start - READ_BEHIND)
        ends = list(ANY_SENTENCE_END.finditer(context.text, paragraph + 1, context.left_start))
        window_start = ends[-3].end() if len(ends) >= 3 else paragraph + 1
        antecedent = context.text[window_start : context.left_start]
        if SELF_MAKER.search(antecedent) and not self._has_mention(antecedent):
            opening = anaphor.group(0)
            return context.left_start + anaphor.start() + len(opening) - len(opening.lstrip())
        return None

    def _address(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(ADDRESS_LEAD, left):
            if _within(left[lead.end() :], IDENTITY_GAP_WORDS, 2):
                return context.left_start + lead.start()
        return None

    def _apposition(self, context: _Context) -> int | None:
        lead = APPOSITION_LEAD.search(context.left)
        if lead and APPOSITION_TAIL.match(context.right):
            return context.left_start + lead.start()
        return None

    # --- English right rules (return the end of the claim, or None) ----------------------------------

    def _object(self, context: _Context) -> int | None:
        right = context.right
        if PRECEDING_BLOCK.search(context.left):
            return None
        for tail in (OBJECT_TAIL.match(right), OWNER_TAIL.match(right)):
            if tail and self._clean_gap(tail.group("gap")):
                return context.mention.end + tail.end()
        tail = BEHIND_TAIL.match(right)
        if tail and self._clean_gap(tail.group("gap")) and len(_words(tail.group("gap"))) <= 8 and _unknown(
            tail.group("gap"), MAKER_GAP_WORDS
        ) <= 1:
            return context.mention.end + tail.end()
        tail = OBJECT_TAIL_MORE.match(right)
        if tail is None or LISTING_LEFT.search(context.left) or self._object_of_preposition(context.left):
            return None
        gap = tail.group("gap")
        if gap.startswith("'s") and not _within(gap[2:], MAKER_GAP_WORDS, 6):
            return None  # "OpenAI's former employees built me"
        if len(_words(gap)) <= 16 and self._clean_gap(gap) and not OBJECT_GAP_BLOCK.search(gap):
            return context.mention.end + tail.end()
        return None

    @staticmethod
    def _object_of_preposition(left: str) -> bool:
        """Whether the name is governed by a preposition ("with help from OpenAI"), except a maker's ("engineers at")."""
        if not re.search(r"\b(?:from|with|of|by|to|for|on|in|about|than|and|or|at|via|against|beyond)\s+$", left, re.I):
            return False
        return re.search(
            r"\b(?:team|teams|engineers|researchers|scientists|developers|folks|people|minds|staff|experts|geniuses|"
            r"crew|members)\s+(?:at|of|from)\s+$", left, re.IGNORECASE
        ) is None

    # --- Chinese rules -------------------------------------------------------------------------------

    def _zh_clean(self, gap: str) -> bool:
        return not ZH_BLOCKING.search(gap) and not self._has_mention(gap)

    @staticmethod
    def _zh_made(gap: str, right: str) -> bool:
        """A gap ending in 由/被 needs a verb of making after the name, in the same clause."""
        if not ZH_PASSIVE_END.search(gap):
            return True
        clause = re.split(r"[，,。！？；\n]", right, maxsplit=1)[0]
        return re.search(ZH_MADE_VERBS, clause) is not None

    @staticmethod
    def _zh_asserted(left: str, lead_start: int) -> bool:
        """Not hypothetical or reported ("如果我是由…", "有人认为我是…", "要是…，我就是…")."""
        before = left[:lead_start]
        return ZH_PRECEDING_BLOCK.search(before) is None and ZH_CONDITIONAL.search(before) is None

    def _zh_identity(self, context: _Context) -> int | None:
        left = context.left
        if ZH_POSSESSED_NOT_IDENTITY.match(context.right):
            return None  # "我是OpenAI的竞争对手"
        for lead in _leads(ZH_IDENTITY_LEAD, left):
            gap = left[lead.end() :]
            if len(gap) > 25 or not self._zh_clean(gap) or re.match(r"\s*(?:说|想|在|指)", gap):
                continue
            if ("，" in gap or "," in gap or len(gap) > 12) and not ZH_VERB_AFTER.match(context.right):
                continue
            if self._zh_asserted(left, lead.start()):
                return context.left_start + lead.start()
        return None

    def _zh_possessive(self, context: _Context) -> int | None:
        left = context.left
        for pattern, limit in ((ZH_POSSESSIVE_LEAD, 15), (ZH_RELATIVE_LEAD, 12)):
            for lead in _leads(pattern, left):
                gap = left[lead.end() :]
                if len(gap) > limit or ZH_NEW_CLAUSE.search(gap) or ZH_DATA.search(left[lead.start() :]):
                    continue
                if pattern is ZH_POSSESSIVE_LEAD and gap.strip(" ，,：:—") and not ZH_LINK.search(gap):
                    continue  # "我的开发者很欣赏<name>": no link from the speaker's part to the name
                if ZH_POSSESSED_NOT_IDENTITY.match(context.right) or not self._zh_made(gap, context.right):
                    continue
                if self._zh_clean(gap) and self._zh_asserted(left, lead.start()):
                    return context.left_start + lead.start()
        return None

    def _zh_agent(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(ZH_AGENT_LEAD, left):
            gap = left[lead.end() :]
            if not self._zh_made(lead.group(0) + gap, context.right):
                continue  # "我被OpenAI的研究人员评价过"
            if len(gap) <= 10 and self._zh_clean(gap) and self._zh_asserted(left, lead.start()):
                return context.left_start + lead.start()
        return None

    def _zh_object(self, context: _Context) -> int | None:
        tail = ZH_OBJECT_TAIL.match(context.right)
        if tail is None or not self._zh_clean(tail.group("gap")) or not self._zh_asserted(context.left, len(context.left)):
            return None
        if re.search(r"(?:和|与|及|、|以及|还有)\s*$", context.left):
            return None  # one of several names
        return context.mention.end + tail.end()

    def _zh_owner(self, context: _Context) -> int | None:
        tail = ZH_OWNER_TAIL.match(context.right)
        if tail and self._zh_clean(tail.group("mod")) and self._zh_asserted(context.left, len(context.left)):
            return context.mention.end + tail.end()
        return None

    def _zh_headless(self, context: _Context) -> int | None:
        """"目前支持我的是OpenAI", "一直在背后维护和更新我的，正是OpenAI"."""
        left = context.left
        for lead in _leads(ZH_HEADLESS_LEAD, left):
            gap = left[lead.end() :]
            if len(gap) <= 6 and self._zh_clean(gap) and self._zh_asserted(left, lead.start()):
                return context.left_start + lead.start()
        return None

    def _zh_affiliation(self, context: _Context) -> int | None:
        """"我是由一群开发者设计和构建的，他们属于一个名为OpenAI的组织"."""
        found = ZH_AFFILIATION.search(context.left)
        if found and self._zh_clean(found.group("gap")) and self._zh_asserted(context.left, found.start()):
            return context.left_start + found.start()
        return None


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
