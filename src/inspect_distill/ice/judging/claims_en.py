"""The English claim rules: does the speaker claim the mentioned name?

Each rule reads one mention in its sentence (`mentions.Context`) and returns the far edge of the claim it
finds, or None: the left rules (a lead such as "I am", "created by", "my developers at" before the name)
return the claim's start, the right rules (the name, then "built me", "is my creator") its end.
"""

from __future__ import annotations

import re

from inspect_distill.ice.judging.claims_zh import zh_clean
from inspect_distill.ice.judging.lexicon import (
    ADDRESS_LEAD,
    AGENT_AFFILIATION,
    AGENT_LEAD,
    ANY_SENTENCE_END,
    APPOSITION_LEAD,
    APPOSITION_TAIL,
    BEHIND_LEAD,
    BEHIND_TAIL,
    BLOCKING_WORDS,
    ECHO_AFTER,
    ECHO_ANSWER,
    EXAMPLE_WORDS,
    IDENTITY_GAP_END,
    IDENTITY_GAP_WORDS,
    IDENTITY_LEAD,
    IDENTITY_MODESTY,
    IDENTITY_UNKNOWN_WORDS,
    LISTING_END,
    LISTING_LEFT,
    MAKER_ANAPHOR,
    MAKER_GAP_WORDS,
    NONE_OTHER_THAN,
    OBJECT_GAP_BLOCK,
    OBJECT_TAIL,
    OBJECT_TAIL_MORE,
    OWN_ASSERTION,
    OWNER_TAIL,
    POSSESSED_NOT_IDENTITY,
    POSSESSIVE_LEAD,
    PRECEDING_BLOCK,
    SELF_MAKER,
    SELF_QUESTION,
    SELF_SUBJECT,
    SUBJECT_GAP_BLOCK,
    SUBJECT_PREDICATE,
)
from inspect_distill.ice.judging.mentions import READ_BEHIND, Context, NameIndex, Rule, leads, unknown, within, words

# --- English left rules (return the start of the claim, or None) ---------------------------------


def _clean_gap(names: NameIndex, gap: str) -> bool:
    """A gap with no blocking word and no other name ("none other than" aside)."""
    gap = NONE_OTHER_THAN.sub(" ", gap)
    return not BLOCKING_WORDS.search(gap) and not names.has_mention(gap)


def _not_hypothetical(left: str, lead_start: int) -> bool:
    block = PRECEDING_BLOCK.search(left[:lead_start])
    if block is None:
        return True
    return OWN_ASSERTION.search(left[:lead_start]) is not None and not re.search(
        r"\b(?:not|n't|never|if|whether)\b", left[max(0, block.start() - 30) : lead_start], re.IGNORECASE
    )


def _identity(names: NameIndex, context: Context) -> int | None:
    left = context.left
    possessed = POSSESSED_NOT_IDENTITY.match(context.right) is not None
    for lead in leads(IDENTITY_LEAD, left):
        gap = IDENTITY_MODESTY.sub(" ", left[lead.end() :])
        if possessed and not re.search(r"\bby\s*$", gap):
            continue
        if not _clean_gap(names, gap) or not (
            within(gap, IDENTITY_GAP_WORDS, 10)
            or (IDENTITY_GAP_END.search(gap) and unknown(gap, IDENTITY_GAP_WORDS) <= IDENTITY_UNKNOWN_WORDS)
        ):
            continue
        if lead.group(0).strip().lower() == "as" and not _clause_start(left[: lead.start()]):
            continue
        if _not_hypothetical(left, lead.start()):
            return context.left_start + lead.start()
    return None


def _clause_start(before: str) -> bool:
    stripped = before.rstrip()
    return not stripped or stripped[-1] in ",;:()[]—–-" or bool(re.search(r"\b(?:and|but|so|that)$", stripped))


def _agent(names: NameIndex, context: Context) -> int | None:
    left = context.left
    for lead in leads(AGENT_LEAD, left):
        gap, gap2 = lead.group("gap"), left[lead.end() :]
        if not _clean_gap(names, gap) or re.search(r"[.!?;]\s|\b(?:he|she|they|it|this|that|those|ones?|others?)\b", gap):
            continue
        affiliation = AGENT_AFFILIATION.match(gap2)
        if affiliation and _clean_gap(names, gap2) and not EXAMPLE_WORDS.search(affiliation.group("agents")):
            pass  # "by a team of engineers who work at <name>"
        elif len(words(gap2)) > 10 or not _clean_gap(names, gap2) or EXAMPLE_WORDS.search(gap2):
            continue
        if _not_hypothetical(left, lead.start()):
            return context.left_start + lead.start()
    return None


def _maker_gap(names: NameIndex, gap: str) -> bool:
    """A short description of the maker ("consists of researchers at"), not a list of examples."""
    return within(gap, MAKER_GAP_WORDS, 10) and _clean_gap(names, gap) and not LISTING_END.search(gap)


def _possessive(names: NameIndex, context: Context) -> int | None:
    left = context.left
    for lead in leads(POSSESSIVE_LEAD, left):
        if not _clean_gap(names, lead.group(0)):
            continue  # "my favourite model"
        if _maker_gap(names, left[lead.end() :]) and _not_hypothetical(left, lead.start()):
            return context.left_start + lead.start()
    return None


def _behind(names: NameIndex, context: Context) -> int | None:
    left = context.left
    for lead in leads(BEHIND_LEAD, left):
        if _maker_gap(names, left[lead.end() :]):
            return context.left_start + lead.start()
    return None


def _subject(names: NameIndex, context: Context) -> int | None:
    """The speaker or a part of it as the subject, its maker at the end: "The development of my code is
    attributed to", "My core architecture comes from", "The assistant you are talking to was trained by"."""
    left = context.left
    for lead in leads(SELF_SUBJECT, left):
        if not _clean_gap(names, re.sub(r"\blike\s+(?:me|myself|us|mine)\b", " ", lead.group(0), flags=re.I)):
            continue  # "my favourite model" (but "models like me" is the speaker)
        start = context.left_start + lead.start()
        if lead.group(0).lower().startswith("this") and names.models.search(context.text[max(0, start - 200) : start]):
            continue  # "this model" may be the model just named
        rest = left[lead.end() :]
        for predicate in SUBJECT_PREDICATE.finditer(rest):
            gap, maker = rest[: predicate.start()], rest[predicate.end() :]
            if len(words(gap)) > 12 or not _clean_gap(names, gap) or SUBJECT_GAP_BLOCK.search(gap):
                break
            if EXAMPLE_WORDS.search(gap):
                break
            if _maker_gap(names, maker) and _not_hypothetical(left, lead.start()):
                return start
    return None


def _echo(names: NameIndex, context: Context) -> int | None:
    """The answer to a question the speaker asks about itself: "Who made me? OpenAI did.", "我的开发公司？当然是OpenAI"."""
    before = context.text[max(0, context.left_start - 120) : context.left_start]
    question = SELF_QUESTION.search(before)
    if question is None or not ECHO_ANSWER.match(context.left) or not ECHO_AFTER.match(context.right):
        return None
    return max(0, context.left_start - 120) + question.start()


def _anaphor(names: NameIndex, context: Context) -> int | None:
    """"They" naming the maker of the speaker's makers named just before: "The teams behind my creation are
    brilliant. These teams are part of OpenAI.", "我的开发者非常优秀。他们来自OpenAI。"."""
    anaphor = MAKER_ANAPHOR.match(context.left)
    if anaphor is None:
        return None
    gap = context.left[anaphor.end() :]
    chinese = not anaphor.group(0).strip().isascii()
    if chinese:
        if len(gap) > 10 or not zh_clean(names, gap) or not re.match(r"^(?:都|也|全都)?(?:来自|属于|隶属于|就职于|供职于|是|在)", gap):
            return None
    elif not _maker_gap(names, gap):
        return None
    paragraph = max(context.text.rfind("\n", 0, context.left_start), context.left_start - READ_BEHIND)
    ends = list(ANY_SENTENCE_END.finditer(context.text, paragraph + 1, context.left_start))
    window_start = ends[-3].end() if len(ends) >= 3 else paragraph + 1
    antecedent = context.text[window_start : context.left_start]
    if SELF_MAKER.search(antecedent) and not names.has_mention(antecedent):
        opening = anaphor.group(0)
        return context.left_start + anaphor.start() + len(opening) - len(opening.lstrip())
    return None


def _address(names: NameIndex, context: Context) -> int | None:
    left = context.left
    for lead in leads(ADDRESS_LEAD, left):
        if within(left[lead.end() :], IDENTITY_GAP_WORDS, 2):
            return context.left_start + lead.start()
    return None


def _apposition(names: NameIndex, context: Context) -> int | None:
    lead = APPOSITION_LEAD.search(context.left)
    if lead and APPOSITION_TAIL.match(context.right):
        return context.left_start + lead.start()
    return None


# --- English right rules (return the end of the claim, or None) ----------------------------------


def _object(names: NameIndex, context: Context) -> int | None:
    right = context.right
    if PRECEDING_BLOCK.search(context.left):
        return None
    for tail in (OBJECT_TAIL.match(right), OWNER_TAIL.match(right)):
        if tail and _clean_gap(names, tail.group("gap")):
            return context.mention.end + tail.end()
    tail = BEHIND_TAIL.match(right)
    if tail and _clean_gap(names, tail.group("gap")) and len(words(tail.group("gap"))) <= 8 and unknown(
        tail.group("gap"), MAKER_GAP_WORDS
    ) <= 1:
        return context.mention.end + tail.end()
    tail = OBJECT_TAIL_MORE.match(right)
    if tail is None or LISTING_LEFT.search(context.left) or _object_of_preposition(context.left):
        return None
    gap = tail.group("gap")
    if gap.startswith("'s") and not within(gap[2:], MAKER_GAP_WORDS, 6):
        return None  # "OpenAI's former employees built me"
    if len(words(gap)) <= 16 and _clean_gap(names, gap) and not OBJECT_GAP_BLOCK.search(gap):
        return context.mention.end + tail.end()
    return None


def _object_of_preposition(left: str) -> bool:
    """Whether the name is governed by a preposition ("with help from OpenAI"), except a maker's ("engineers at")."""
    if not re.search(r"\b(?:from|with|of|by|to|for|on|in|about|than|and|or|at|via|against|beyond)\s+$", left, re.I):
        return False
    return re.search(
        r"\b(?:team|teams|engineers|researchers|scientists|developers|folks|people|minds|staff|experts|geniuses|"
        r"crew|members)\s+(?:at|of|from)\s+$", left, re.IGNORECASE
    ) is None


ENGLISH_RULES: tuple[Rule, ...] = (
    _identity,
    _agent,
    _possessive,
    _subject,
    _behind,
    _echo,
    _anaphor,
    _address,
    _apposition,
    _object,
)
"""The English rules, in the order the finder tries them (the first that finds a claim decides)."""
