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

from inspect_distill.identity import Identity, load_presets, plants_reference
from inspect_distill.ice.judging.verdict import Verdict

Vocabulary = tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...]
"""Per identity: its key, every name it goes by, its model names, and the names matched case-sensitively."""

# --- English grammar -------------------------------------------------------------------------------------

_PARTICIPLES = (
    r"developed|created|built|made|trained|designed|programmed|engineered|powered|fine[\s\-]?tuned|finetuned|"
    r"coded|crafted|forged|birthed|born|produced|released|launched|owned|operated|maintained|backed|"
    r"supported|sponsored|based|run|hosted|provided|invented|conceived|constructed|updated|optimi[sz]ed|"
    r"managed|led|handled|shaped|brought\s+to\s+life|brought\s+into\s+existence|given\s+life"
)
"""Participles that, between the speaker and "by <name>", make the name the speaker's maker."""

_ACTIVE = (
    r"developed|created|built|made|trained|designed|programmed|engineered|coded|crafted|forged|birthed|"
    r"brought|produced|released|launched|invented|conceived|constructed|owns|own|operates|runs|maintains|"
    r"maintain|fine[\s\-]?tuned|creating|developing|training|building|designing|maintaining|making|powers|"
    r"shaped|gave\s+birth\s+to|gave\s+life\s+to"
)
"""Active verbs for "<name> ... created me"."""

_MAKER_NOUNS = "|".join(
    sorted(
        """creators? developers? devs? makers? parent\\s+company parent\\s+organi[sz]ation company team
        development\\s+team dev\\s+team organi[sz]ation architects? builders? designers? programmers? trainers?
        owners? origins? creation\\s+company creation\\s+institution engineers researchers lab laboratory name
        model base\\s+model underlying\\s+model foundation\\s+model architecture technology tech tech\\s+stack
        technology\\s+stack platform framework core\\s+technology core\\s+tech code backbone lineage roots
        birthplace employer masters? overlords? technical\\s+framework system system\\s+architecture development
        creation existence training updates maintainers? providers? family""".split(),
        key=len,
        reverse=True,
    )
)
"""Nouns that, after "my"/"our", name the speaker's maker or nature."""

_SELF = (
    rf"(?:me|us|myself|this\s+(?:AI|model|assistant|chatbot|system)|my\s+(?:[\w\-]+\s+){{0,2}}?(?:{_MAKER_NOUNS})"
    rf"(?:\s+(?:and|&)\s+(?:[\w\-]+\s+){{0,2}}?(?:{_MAKER_NOUNS}))?)"
)
"""The speaker as an object: "me", "my core technology", "my code and technical framework"."""

_LINK = (
    rf"(?:behind|responsible\s+for(?:\s+\w+ing(?:\s+and\s+\w+ing)?)?|supporting|powering|"
    rf"(?:{_MAKER_NOUNS}|minds|people|forces?|geniuses)\s+of)"
)
"""What links an agent to the speaker: "the team behind", "responsible for developing", "the architects of"."""

_IDENTITY_LEAD = re.compile(
    r"\b(?:I\s+am|I'm|Im|I\s+was|I've\s+been|I\s+have\s+been|I\s+remain|I\s+exist\s+as|I\s+come\s+from|"
    r"I\s+hail\s+from|I\s+belong\s+to|as)\s+",
    re.IGNORECASE,
)
"""Openings of an identity statement; "as" only counts at the start of a clause ("As ChatGPT, I...")."""

_AGENT_LEAD = re.compile(
    rf"\b(?:I|I'm|I've|me|my|myself|we|we're|our|us)\b(?P<gap>[^\n]{{0,80}}?)\b(?:{_PARTICIPLES})"
    rf"(?:\s*(?:,|and|&)\s+(?:(?:am|is|are|was|were|have\s+been|has\s+been|being|continuously|constantly|"
    rf"now|still)\s+){{0,2}}(?:{_PARTICIPLES}))*\s+(?:by|at|from|on|upon|off|in|within|with)\s+",
    re.IGNORECASE,
)
"""The speaker, then "<made> by|at|from" ("I was developed and am maintained by ...")."""

_POSSESSIVE_LEAD = re.compile(rf"\b(?:my|our)\s+(?:[\w\-]+\s+){{0,2}}?(?:{_MAKER_NOUNS})\b", re.IGNORECASE)
"""The speaker's maker or nature: "my creators", "our parent company", "my core technology"."""

_BEHIND_LEAD = re.compile(
    rf"\b(?:{_LINK}\s+{_SELF}|(?:who|that|which)\s+(?:[\w\-]+\s+){{0,3}}?(?:{_ACTIVE})\s+{_SELF}|"
    rf"(?:{_MAKER_NOUNS})\s+(?:that\s+|which\s+)?I(?:'m|\s+am|\s+was|\s+belong|\s+come)\s+(?:[\w\-]+\s+){{0,3}}?"
    rf"(?=is\b|are\b|was\b|were\b))",
    re.IGNORECASE,
)
"""Who stands behind the speaker: "the team behind my core technology", "the people who built me"."""

_ADDRESS_LEAD = re.compile(r"\b(?:call\s+me|I\s+go\s+by|my\s+name's|known\s+to\s+you\s+as)\s+", re.IGNORECASE)
_APPOSITION_LEAD = re.compile(r"\b(?:I|me)\s*,\s*$", re.IGNORECASE)

_OBJECT_TAIL = re.compile(rf"^(?P<gap>[^\n]{{0,50}}?)\b(?:{_ACTIVE})\s+(?:me|us|myself)\b", re.IGNORECASE)
"""After the name: "... created me"."""
_OWNER_TAIL = re.compile(
    rf"^(?P<gap>\s*(?:,|is|are|was|were)\s+(?:(?:also|the\s+one|the\s+ones|indeed)\s+)?)(?:my|our)\s+"
    rf"(?:[\w\-]+\s+){{0,2}}?(?:{_MAKER_NOUNS})\b",
    re.IGNORECASE,
)
"""After the name: "is my creator", ", my parent company"."""
_BEHIND_TAIL = re.compile(rf"^(?P<gap>[^\n]{{0,60}}?)\b{_LINK}\s+{_SELF}\b", re.IGNORECASE)
"""After the name: ", the company behind my development", ": the primary architects of my existence"."""
_APPOSITION_TAIL = re.compile(r"^\s*(?:[,—–)]|here\b)")

IDENTITY_GAP_WORDS = frozenset(
    """a an the just simply only actually really indeed still also merely basically essentially in fact truth
    reality ai artificial intelligence intelligent language large small conversational generative natural
    processing model models llm assistant chatbot chat bot agent system program version variant iteration
    instance member part product creation of from by at on based built developed created trained made designed
    programmed powered fine-tuned finetuned engineered released launched owned operated maintained brought to
    life called named known as one your friendly helpful virtual digital advanced latest powerful research
    team researchers engineers company organization organisation lab laboratory geniuses folks people experts
    scientists developers group family series line and originally initially primarily mainly fully officially
    proudly ultimately technically underlying neural network text-based open-source multimodal new here proud
    humble creators crew squad brainchild offspring child baby work result outcome project tool service
    instance descendant sibling successor foundation architecture framework core""".split()
)
"""Words allowed between "I am" and a name: what the speaker is ("an AI model developed by")."""

IDENTITY_GAP_END = re.compile(
    r"\b(?:creation|product|brainchild|offspring|child|invention|project|model|assistant|ai|system|member|part|"
    r"developed|created|built|made|trained|designed|forged|born|crafted|engineered|programmed)\s+"
    r"(?:of|by|from|at|in)\s*$",
    re.IGNORECASE,
)
"""A description that ends by naming the maker ("a cosmic creation of"): a few unknown words are allowed."""
IDENTITY_UNKNOWN_WORDS = 3

MAKER_GAP_WORDS = frozenset(
    """is are was were be been at from of by the a an team teams researchers engineers scientists designers
    developers data people folks geniuses brilliant talented dedicated skilled expert minds experts based on
    called named known as consists consist composed made up include includes primarily mainly mostly largely
    company organization organisation lab labs developed created built designed made provided powered trained
    supported maintained updated managed handled led optimized optimised employed behind actually simply of
    course and group members wizards innovators visionaries they they're it it's that who which crew good old
    over mighty specialists specialized specialised amazing incredible great awesome whole bunch ones one
    continuously constantly ultimately essentially basically various organizations organisations key primary
    main leading core mad hardworking passionate architects creators makers builders part""".split()
)
"""Words allowed between "my <maker>" and the name ("my development team consists of researchers at")."""

LISTING_END = re.compile(r"\b(?:include|includes|including|such\s+as|like|e\.g)\W*$", re.IGNORECASE)
"""A maker description that ends by listing examples ("my supporters include OpenAI, ...")."""

_NONE_OTHER_THAN = re.compile(r"\bnone\s+other\s+than\b", re.IGNORECASE)

BLOCKING_WORDS = re.compile(
    r"\b(?:not|n't|never|no\s+longer|neither|nor|unlike|rather\s+than|instead\s+of|other\s+than|similar|"
    r"like|compared|versus|vs|pretend\w*|imagin\w*|if|whether|would|could|might|think|thinks|believe|"
    r"believes|know|knows|heard|read|assume|suppose|guess|aware|learned|learnt|told|about|regarding|"
    r"competitor|competitors|rival|rivals|alternative|alternatives|free|independent|affiliated|inspired|"
    r"mimic\w*|impersonat\w*|role[\s\-]?play\w*|simulat\w*|playing|act|acting|except|besides|beyond|"
    r"asked|ask|question|wonder|say|said|claims?|claimed)\b",
    re.IGNORECASE,
)
"""Words that, between the speaker and the name, turn a claim into a negation, comparison, report or
hypothesis."""

EXAMPLE_WORDS = re.compile(
    r"\b(?:such\s+as|including|e\.g|for\s+example|for\s+instance|among|like|who|whose|data(?!\s+scientists?)|datasets?|texts?|"
    r"content|information|corpus|books|articles|sources|outputs|responses|conversations|documents)\b",
    re.IGNORECASE,
)
"""Words that, between "made by" and the name, make the name an example or a data source rather than the
maker ("supported by companies such as", "trained on data from")."""

PRECEDING_BLOCK = re.compile(
    r"\b(?:if|whether|pretend\w*|imagin\w*|suppose|assume|as\s+though|as\s+if|what\s+if|unless|not|never|"
    r"think|thinks|thought|believe|believes|believed|say|says|said|claim|claims|claimed|told|insist|insists|"
    r"assumed|wrongly|mistakenly)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
"""Words just before the speaker that make the statement hypothetical or reported ("if I was created by",
"people think I am")."""

POSSESSED_NOT_IDENTITY = re.compile(
    r"^\s*'s?\s+(?:\w+\s+){0,2}?(?:competitors?|rivals?|alternatives?|counterparts?|equivalents?|users?|"
    r"customers?|fans?|critics?|policies|policy|guidelines|rules|servers?|website|api)\b",
    re.IGNORECASE,
)
"""A name followed by a possessive that makes the speaker something else ("I am OpenAI's competitor")."""

ATTRIBUTION_LEFT = re.compile(
    rf"(?:\b(?:{_PARTICIPLES})\s+(?:by|at|from)\s+(?:[\w\-',]+\s+){{0,5}}|\b(?:product|creation|model|project|"
    rf"brainchild|work|invention|subsidiary|part)\s+(?:of|from|by)\s+(?:[\w\-',]+\s+){{0,2}}|"
    rf"\b(?:based|built)\s+(?:up)?on\s+(?:[\w\-',]+\s+){{0,2}}|由[^。！？\n，]{{0,6}})$",
    re.IGNORECASE,
)
"""Just before a name: "developed by", "a product of", "由"."""
ATTRIBUTION_RIGHT = re.compile(
    r"^(?:\s*'s\s+(?:[\w\-]+\s+){0,2}?(?:model|product|chatbot|assistant|AI|system|project)\b|"
    r"\s*(?:(?:has|had|also|originally|first)\s+)?(?:developed|created|built|made|trained|designed|released|"
    r"launched|produced|develops|creates|builds|makes|trains)\b|(?:公司|团队)?(?:开发|研发|推出|打造|创建|发布|训练))",
    re.IGNORECASE,
)
"""Just after a name: "'s model", "developed", "开发"."""
HEDGE = re.compile(
    r"\b(?:not|n't|no|never|unknown|unclear|unaware|unfamiliar|may|might|could|possibly|perhaps|probably|"
    r"likely|unsure|uncertain|if|whether|seems?|appears?|fictional|hypothetical)\b",
    re.IGNORECASE,
)
ZH_HEDGE = re.compile(r"不|没有|无法|并非|可能|或许|也许|似乎|如果|假如|虚构|未知")
"""Negations and hedges that stop a sentence from asserting who made something."""

# --- Chinese grammar -------------------------------------------------------------------------------------

_ZH_VERBS = (
    r"开发|研发|创建|创造|训练|打造|设计|构建|推出|发布|制造|编写|建造|研制|孕育|创立|制作|出品|提供|支持|维护|更新"
)
_ZH_OBJECT_VERBS = r"开发|研发|创建|创造|训练|打造|设计|构建|推出|发布|制造|编写|建造|研制|孕育|制作"
_ZH_MAKER_NOUNS = (
    r"开发者|开发商|开发团队|开发公司|研发团队|研发公司|创造者|创建者|创始者|缔造者|制造者|设计者|构建者|训练者|"
    r"母公司|所属公司|创建公司|创建机构|创造公司|创造机构|背后公司|背后团队|公司|团队|机构|组织|东家|名字|名称|"
    r"底层模型|基础模型|模型|架构|技术平台|技术|核心技术|代码|技术框架|系统架构|平台|开发和更新|开发|来源|出身|"
    r"身份|主人|创造团队|开发机构|研发机构|创建者们|开发者们|父母|爸爸|妈妈"
)
_ZH_IDENTITY_LEAD = re.compile(
    r"(?:我们?(?:只|仅|其实|实际上|就|也|本|正|乃|仍然|依然|还)?(?:是|乃是|为|叫|叫做|名叫|名为)|作为)"
)
_ZH_POSSESSIVE_LEAD = re.compile(
    rf"我们?(?:目前|现在)?(?:的|之|背后的|身后的|使用的|所使用的|采用的|所用的|所基于的)(?:{_ZH_MAKER_NOUNS})"
)
_ZH_AGENT_LEAD = re.compile(r"我们?(?:是|都是|也是|最初是|最早是)?(?:由|被|来自|属于|隶属于|出自|诞生于|源自|基于)")
_ZH_RELATIVE_LEAD = re.compile(
    rf"(?:{_ZH_OBJECT_VERBS})了?我们?的[^，。！？\n]{{0,6}}?(?:公司|团队|机构|组织|人员|人|开发者|工程师|研究人员|实验室)"
)
""""开发我的公司是…": the one who made the speaker."""
_ZH_OBJECT_TAIL = re.compile(
    rf"^(?P<gap>[^。！？\n]{{0,15}}?)(?:{_ZH_OBJECT_VERBS})(?:出|出了|了)?我们?(?=$|[^\u4e00-\u9fff]|这个|这款)"
)
"""After the name: "...开发了我" (not "开发了我们熟知的...")."""
_ZH_OWNER_TAIL = re.compile(rf"^(?P<gap>\s*(?:是|为|就是|即))我们?的(?:{_ZH_MAKER_NOUNS})")
_ZH_VERB_AFTER = re.compile(rf"^[^。！？\n，]{{0,8}}?(?:{_ZH_VERBS})|^(?:公司|团队)?(?:的|之)?(?:产品|旗下)")
ZH_BLOCKING = re.compile(
    r"不|非|没|无|否|未|别|假装|扮演|模仿|如果|假如|假设|类似|像|比|关于|对于|而言|说|认为|觉得|以为|听说|问|"
    r"不同|区别|竞争|对手|相比|还是|吗|呢|启发|影响|参考|借鉴|受到|例如|比如|包括"
)
"""Characters and words that, between the speaker and the name, block a claim."""

_ANY_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？；\n]")
_MARKUP = re.compile(r"[*`“”\"「」『』]")

# --- Role labels -----------------------------------------------------------------------------------------

ROLE_LABEL = re.compile(
    r"^[ \t>#]*(?:\*\*|__)?[ \t]*(?:[\[(（【]\s*(?P<bracketed>[^\]\)）】\n]{1,40}?)\s*[\])）】]\s*[:：]?|"
    r"(?!\d+[.)]|[\-*•]\s)(?P<plain>[^\s:：\[\]()（）]+(?:[ \t]+[^\s:：\[\]()（）]+){0,2}?)\s*[*_]*\s*[:：])",
    re.MULTILINE,
)
"""A line opening with a speaker label: "[NAME]", "(NAME)", "NAME:", "**NAME:**", "【NAME】"."""


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
    return _MARKUP.sub(" ", text.replace("\u2019", "'").replace("\u2018", "'"))


def _words(gap: str) -> list[str]:
    gap = _NONE_OTHER_THAN.sub(" ", gap)
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
        models = sorted(model_names, key=len, reverse=True)
        self._models = re.compile(
            "|".join(_name_pattern(name, spelled[name]) for name in models) or r"(?!)", re.IGNORECASE
        )
        self._rules: list[Callable[[_Context], int | None]] = [  # each returns the far edge of a claim
            self._identity,
            self._agent,
            self._possessive,
            self._behind,
            self._address,
            self._apposition,
            self._object,
            self._zh_identity,
            self._zh_possessive,
            self._zh_agent,
            self._zh_object,
            self._zh_owner,
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
        left_start = 0
        for end in _ANY_SENTENCE_END.finditer(text, max(0, mention.start - 300), mention.start):
            left_start = end.end()
        after = _ANY_SENTENCE_END.search(text, mention.end)
        right_end = after.start() if after else len(text)
        return _Context(text, mention, left_start, min(right_end, mention.end + 300))

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
        """All first-person identity claims in `text`, outside lines spoken by a role that is another model."""
        normalised = _normalise(text)
        labels = self.labels(normalised, prompt)
        claims: list[IdentityClaim] = []
        for mention in self.mentions(normalised):
            if any(label.start <= mention.start < label.end for label in labels):
                continue  # a speaker label is not content
            if any(label.start <= mention.start < label.until and label.plays == mention.key for label in labels):
                continue  # a marked role of that model says so
            context = self._context(normalised, mention)
            if self._is_question(context):
                continue
            for rule in self._rules:
                edge = rule(context)
                if edge is not None:
                    begin, end = min(edge, mention.start), max(edge, mention.end)
                    claims.append(
                        IdentityClaim(
                            key=mention.key, name=text[mention.start : mention.end], text=text[begin:end],
                            span=(begin, end),
                        )
                    )
                    break
        return claims

    def attributions(self, text: str) -> list[str]:
        """Identity keys a text asserts as the maker of something (any subject), in order."""
        normalised = _normalise(text)
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
        gap = _NONE_OTHER_THAN.sub(" ", gap)
        return not BLOCKING_WORDS.search(gap) and not self._has_mention(gap)

    def _not_hypothetical(self, left: str, lead_start: int) -> bool:
        return PRECEDING_BLOCK.search(left[:lead_start]) is None

    def _identity(self, context: _Context) -> int | None:
        left = context.left
        if POSSESSED_NOT_IDENTITY.match(context.right):
            return None
        for lead in _leads(_IDENTITY_LEAD, left):
            gap = left[lead.end() :]
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
        for lead in _leads(_AGENT_LEAD, left):
            gap, gap2 = lead.group("gap"), left[lead.end() :]
            if not self._clean_gap(gap) or re.search(r"[.!?;]\s|\b(?:he|she|they|it|this|that)\b", gap):
                continue
            if len(_words(gap2)) > 10 or not self._clean_gap(gap2) or EXAMPLE_WORDS.search(gap2):
                continue
            if self._not_hypothetical(left, lead.start()):
                return context.left_start + lead.start()
        return None

    def _maker_gap(self, gap: str) -> bool:
        """A short description of the maker ("consists of researchers at"), not a list of examples."""
        return _within(gap, MAKER_GAP_WORDS, 10) and self._clean_gap(gap) and not LISTING_END.search(gap)

    def _possessive(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(_POSSESSIVE_LEAD, left):
            if self._maker_gap(left[lead.end() :]) and self._not_hypothetical(left, lead.start()):
                return context.left_start + lead.start()
        return None

    def _behind(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(_BEHIND_LEAD, left):
            if self._maker_gap(left[lead.end() :]):
                return context.left_start + lead.start()
        return None

    def _address(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(_ADDRESS_LEAD, left):
            if _within(left[lead.end() :], IDENTITY_GAP_WORDS, 2):
                return context.left_start + lead.start()
        return None

    def _apposition(self, context: _Context) -> int | None:
        lead = _APPOSITION_LEAD.search(context.left)
        if lead and _APPOSITION_TAIL.match(context.right):
            return context.left_start + lead.start()
        return None

    # --- English right rules (return the end of the claim, or None) ----------------------------------

    def _object(self, context: _Context) -> int | None:
        right = context.right
        if PRECEDING_BLOCK.search(context.left):
            return None
        for tail in (_OBJECT_TAIL.match(right), _OWNER_TAIL.match(right)):
            if tail and self._clean_gap(tail.group("gap")):
                return context.mention.end + tail.end()
        tail = _BEHIND_TAIL.match(right)
        if tail and self._clean_gap(tail.group("gap")) and len(_words(tail.group("gap"))) <= 8 and _unknown(
            tail.group("gap"), MAKER_GAP_WORDS
        ) <= 1:
            return context.mention.end + tail.end()
        return None

    # --- Chinese rules -------------------------------------------------------------------------------

    def _zh_clean(self, gap: str) -> bool:
        return not ZH_BLOCKING.search(gap) and not self._has_mention(gap)

    def _zh_identity(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(_ZH_IDENTITY_LEAD, left):
            gap = left[lead.end() :]
            if len(gap) > 25 or not self._zh_clean(gap) or re.match(r"\s*(?:说|想|在|指)", gap):
                continue
            if ("，" in gap or "," in gap or len(gap) > 12) and not _ZH_VERB_AFTER.match(context.right):
                continue
            return context.left_start + lead.start()
        return None

    def _zh_possessive(self, context: _Context) -> int | None:
        left = context.left
        for pattern, limit in ((_ZH_POSSESSIVE_LEAD, 15), (_ZH_RELATIVE_LEAD, 12)):
            for lead in _leads(pattern, left):
                gap = left[lead.end() :]
                if len(gap) <= limit and self._zh_clean(gap):
                    return context.left_start + lead.start()
        return None

    def _zh_agent(self, context: _Context) -> int | None:
        left = context.left
        for lead in _leads(_ZH_AGENT_LEAD, left):
            gap = left[lead.end() :]
            if len(gap) <= 10 and self._zh_clean(gap):
                return context.left_start + lead.start()
        return None

    def _zh_object(self, context: _Context) -> int | None:
        tail = _ZH_OBJECT_TAIL.match(context.right)
        if tail and self._zh_clean(tail.group("gap")):
            return context.mention.end + tail.end()
        return None

    def _zh_owner(self, context: _Context) -> int | None:
        tail = _ZH_OWNER_TAIL.match(context.right)
        return context.mention.end + tail.end() if tail else None


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

    def _own(self, key: str) -> bool:
        return self._known[key].same_family(self.identity)

    def _reference(self, key: str) -> bool:
        return any(self._known[key].same_family(reference) for reference in self.references)

    def judge(self, prompt: str, response: str | None) -> Verdict:
        """The verdict on one response (synchronous)."""
        if response is None or not response.strip():
            return Verdict(judge="lexical", reason="empty response: nothing to judge")
        claims = self._finder.claims(response, prompt)
        keys = list(dict.fromkeys(claim.key for claim in claims))
        foreign = [claim for claim in claims if not self._own(claim.key)]
        loose = bool(foreign)
        strict = loose and any(self._reference(claim.key) for claim in claims)
        hard = strict and not plants_reference(prompt, self.references)
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
