"""The Chinese claim rules: does the speaker claim the mentioned name?

As the English rules (`claims_en.py`): each reads one mention in its sentence and returns the far edge of the
claim it finds, or None ("我是由OpenAI开发的", "我的开发者是OpenAI", "OpenAI开发了我").
"""

from __future__ import annotations

import re

from inspect_distill.ice.judging.lexicon import (
    ZH_AFFILIATION,
    ZH_AGENT_LEAD,
    ZH_BLOCKING,
    ZH_CONDITIONAL,
    ZH_DATA,
    ZH_HEADLESS_LEAD,
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
from inspect_distill.ice.judging.mentions import Context, NameIndex, Rule, leads


def zh_clean(names: NameIndex, gap: str) -> bool:
    """A gap with no blocking word and no other name (the anaphor rule of `claims_en.py` reads it too)."""
    return not ZH_BLOCKING.search(gap) and not names.has_mention(gap)


def _made(gap: str, right: str) -> bool:
    """A gap ending in 由/被 needs a verb of making after the name, in the same clause."""
    if not ZH_PASSIVE_END.search(gap):
        return True
    clause = re.split(r"[，,。！？；\n]", right, maxsplit=1)[0]
    return re.search(ZH_MADE_VERBS, clause) is not None


def _asserted(left: str, lead_start: int) -> bool:
    """Not hypothetical or reported ("如果我是由…", "有人认为我是…", "要是…，我就是…")."""
    before = left[:lead_start]
    return ZH_PRECEDING_BLOCK.search(before) is None and ZH_CONDITIONAL.search(before) is None


def _identity(names: NameIndex, context: Context) -> int | None:
    left = context.left
    if ZH_POSSESSED_NOT_IDENTITY.match(context.right):
        return None  # "我是OpenAI的竞争对手"
    for lead in leads(ZH_IDENTITY_LEAD, left):
        gap = left[lead.end() :]
        if len(gap) > 25 or not zh_clean(names, gap) or re.match(r"\s*(?:说|想|在|指)", gap):
            continue
        if ("，" in gap or "," in gap or len(gap) > 12) and not ZH_VERB_AFTER.match(context.right):
            continue
        if _asserted(left, lead.start()):
            return context.left_start + lead.start()
    return None


def _possessive(names: NameIndex, context: Context) -> int | None:
    left = context.left
    for pattern, limit in ((ZH_POSSESSIVE_LEAD, 15), (ZH_RELATIVE_LEAD, 12)):
        for lead in leads(pattern, left):
            gap = left[lead.end() :]
            if len(gap) > limit or ZH_NEW_CLAUSE.search(gap) or ZH_DATA.search(left[lead.start() :]):
                continue
            if pattern is ZH_POSSESSIVE_LEAD and gap.strip(" ，,：:—") and not ZH_LINK.search(gap):
                continue  # "我的开发者很欣赏<name>": no link from the speaker's part to the name
            if ZH_POSSESSED_NOT_IDENTITY.match(context.right) or not _made(gap, context.right):
                continue
            if zh_clean(names, gap) and _asserted(left, lead.start()):
                return context.left_start + lead.start()
    return None


def _agent(names: NameIndex, context: Context) -> int | None:
    left = context.left
    for lead in leads(ZH_AGENT_LEAD, left):
        gap = left[lead.end() :]
        if not _made(lead.group(0) + gap, context.right):
            continue  # "我被OpenAI的研究人员评价过"
        if len(gap) <= 10 and zh_clean(names, gap) and _asserted(left, lead.start()):
            return context.left_start + lead.start()
    return None


def _object(names: NameIndex, context: Context) -> int | None:
    tail = ZH_OBJECT_TAIL.match(context.right)
    if tail is None or not zh_clean(names, tail.group("gap")) or not _asserted(context.left, len(context.left)):
        return None
    if re.search(r"(?:和|与|及|、|以及|还有)\s*$", context.left):
        return None  # one of several names
    return context.mention.end + tail.end()


def _owner(names: NameIndex, context: Context) -> int | None:
    tail = ZH_OWNER_TAIL.match(context.right)
    if tail and zh_clean(names, tail.group("mod")) and _asserted(context.left, len(context.left)):
        return context.mention.end + tail.end()
    return None


def _headless(names: NameIndex, context: Context) -> int | None:
    """"目前支持我的是OpenAI", "一直在背后维护和更新我的，正是OpenAI"."""
    left = context.left
    for lead in leads(ZH_HEADLESS_LEAD, left):
        gap = left[lead.end() :]
        if len(gap) <= 6 and zh_clean(names, gap) and _asserted(left, lead.start()):
            return context.left_start + lead.start()
    return None


def _affiliation(names: NameIndex, context: Context) -> int | None:
    """"我是由一群开发者设计和构建的，他们属于一个名为OpenAI的组织"."""
    found = ZH_AFFILIATION.search(context.left)
    if found and zh_clean(names, found.group("gap")) and _asserted(context.left, found.start()):
        return context.left_start + found.start()
    return None


CHINESE_RULES: tuple[Rule, ...] = (
    _identity,
    _possessive,
    _agent,
    _object,
    _owner,
    _headless,
    _affiliation,
)
"""The Chinese rules, in the order the finder tries them (after the English ones)."""
