"""What a claim rule reads: the mentions of known names in a text, the sentence around each, and its words.

`NameIndex` compiles a vocabulary of names once: where a text mentions them, whose each one is, and the
sentence context of a mention. The English rules (`claims_en.py`) and the Chinese rules (`claims_zh.py`) read
a `Context`; the claim finder (`claims.py`) runs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from inspect_distill.ice.judging.lexicon import ANY_SENTENCE_END, NONE_OTHER_THAN

CONTEXT = 300
"""How far a mention's sentence is read on either side."""
READ_BEHIND = 400
"""How far before a mention's sentence any rule reads (a question, an antecedent, a model just named)."""

Vocabulary = tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]
"""Per identity: its key, every name it goes by, its model names, and the names matched case-sensitively."""


@dataclass(frozen=True)
class Mention:
    """A whole-word mention of a known name: whose name it is, and where."""

    key: str
    start: int
    end: int


@dataclass(frozen=True)
class Context:
    """A mention with the text of its sentence on both sides."""

    text: str
    mention: Mention
    left_start: int
    right_end: int

    @property
    def left(self) -> str:
        return self.text[self.left_start : self.mention.start]

    @property
    def right(self) -> str:
        return self.text[self.mention.end : self.right_end]


def _name_pattern(name: str, exact_case: bool) -> str:
    parts = [re.escape(part) for part in re.split(r"[\s\-]+", name.strip()) if part]
    body = r"[\s\-]?".join(parts)
    if name[0].isascii() and name[0].isalnum():
        body = r"(?<![A-Za-z0-9])" + body
    if name[-1].isascii() and name[-1].isalnum():
        body += r"(?![A-Za-z])"
    return f"(?-i:{body})" if exact_case else body


class NameIndex:
    """The names of a vocabulary, compiled: where a text mentions them and whose each one is."""

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
        self.models = re.compile(
            "|".join(_name_pattern(name, spelled[name]) for name in longest_first) or r"(?!)", re.IGNORECASE
        )
        """Any model name of the vocabulary (not an organisation's)."""

    def mentions(self, text: str) -> list[Mention]:
        """Every whole-word mention of a known name, left to right."""
        return [Mention(self.key(found.group(0)), found.start(), found.end()) for found in self._names.finditer(text)]

    def key(self, name: str) -> str:
        """The identity key a name (as written) belongs to."""
        folded = name.casefold()
        if folded in self._owners:
            return self._owners[folded]
        return next(key for pattern, key in self._patterns if pattern.fullmatch(name))

    def has_mention(self, fragment: str) -> bool:
        return self._names.search(fragment) is not None

    def context(self, text: str, mention: Mention) -> Context:
        """The mention with its sentence: back to the last sentence end, on to the next (at most `CONTEXT`)."""
        left_start = max(0, mention.start - CONTEXT)  # no rule reaches further: long run-ons stay linear
        for end in ANY_SENTENCE_END.finditer(text, left_start, mention.start):
            left_start = end.end()
        after = ANY_SENTENCE_END.search(text, mention.end)
        right_end = after.start() if after else len(text)
        return Context(text, mention, left_start, min(right_end, mention.end + CONTEXT))


Rule = Callable[[NameIndex, Context], int | None]
"""A claim rule: the far edge of the claim it finds on a mention (its start for a left rule, its end for a right
rule), or None."""


def is_question(context: Context) -> bool:
    """Whether the clause holding the mention is a question (it runs to a question mark)."""
    ends_in_question = context.text[context.right_end : context.right_end + 1] in ("?", "？")
    return ends_in_question and not re.search(r"[,，;；:：]", context.right)


def words(gap: str) -> list[str]:
    """The lower-cased words of a gap between a lead and a name ("none other than" left out)."""
    gap = NONE_OTHER_THAN.sub(" ", gap)
    return [word.lower() for word in re.split(r"[\s,:;\-–—=()/]+", gap.strip(" ,:;-–—=()/")) if word]


def unknown(gap: str, allowed: frozenset[str]) -> int:
    """How many words of a gap are neither allowed nor numbers."""
    return sum(word not in allowed and not word.isdigit() for word in words(gap))


def within(gap: str, allowed: frozenset[str], limit: int) -> bool:
    """Whether a gap has at most `limit` words, each allowed or a number."""
    found = words(gap)
    return len(found) <= limit and all(word in allowed or word.isdigit() for word in found)


def leads(pattern: re.Pattern[str], left: str) -> Iterator[re.Match[str]]:
    """Every match of `pattern` in `left`, nearest to the name first (overlapping matches included)."""
    found: list[re.Match[str]] = []
    position = 0
    while (match := pattern.search(left, position)) is not None:
        found.append(match)
        position = match.start() + 1
    return reversed(found)
