"""The claim grammar of the lexical judge, as data: English and Chinese patterns of who "I" am and who
made "me", the words a gap may hold, the words that block a claim, and speaker labels.

Used by `claims.ClaimFinder`; nothing here knows any model or organisation name.
"""

from __future__ import annotations

import re

# --- English grammar -------------------------------------------------------------------------------------

PARTICIPLES = (
    r"developed|created|built|made|trained|designed|programmed|engineered|powered|fine[\s\-]?tuned|finetuned|"
    r"coded|crafted|forged|birthed|born|produced|released|launched|owned|operated|maintained|backed|"
    r"supported|sponsored|based|run|hosted|provided|invented|conceived|constructed|updated|optimi[sz]ed|"
    r"managed|led|handled|shaped|brought\s+to\s+life|brought\s+into\s+existence|given\s+life"
)
"""Participles that, between the speaker and "by <name>", make the name the speaker's maker."""

ACTIVE = (
    r"developed|created|built|made|trained|designed|programmed|engineered|coded|crafted|forged|birthed|"
    r"brought|produced|released|launched|invented|conceived|constructed|owns|own|operates|runs|maintains|"
    r"maintain|fine[\s\-]?tuned|creating|developing|training|building|designing|maintaining|making|powers|"
    r"shaped|gave\s+birth\s+to|gave\s+life\s+to"
)
"""Active verbs for "<name> ... created me"."""

MAKER_NOUNS = "|".join(
    sorted(
        ["creators?", "developers?", "devs?", "makers?", "parent\\s+company", "parent\\s+organi[sz]ation", "company", "team", "development\\s+team", "dev\\s+team", "organi[sz]ation", "architects?", "builders?", "designers?", "programmers?", "trainers?", "owners?", "origins?", "creation\\s+company", "creation\\s+institution", "engineers", "researchers", "lab", "laboratory", "name", "model", "base\\s+model", "underlying\\s+model", "foundation\\s+model", "architecture", "technology", "tech", "tech\\s+stack", "technology\\s+stack", "platform", "framework", "core\\s+technology", "core\\s+tech", "code", "backbone", "lineage", "roots", "birthplace", "employer", "masters?", "overlords?", "technical\\s+framework", "system", "system\\s+architecture", "development", "creation", "existence", "training", "updates", "maintainers?", "providers?", "family"],
        key=len,
        reverse=True,
    )
)
"""Nouns that, after "my"/"our", name the speaker's maker or nature."""

SELF = (
    rf"(?:me|us|myself|this\s+(?:AI|model|assistant|chatbot|system)|my\s+(?:[\w\-]+\s+){{0,2}}?(?:{MAKER_NOUNS})"
    rf"(?:\s+(?:and|&)\s+(?:[\w\-]+\s+){{0,2}}?(?:{MAKER_NOUNS}))?)"
)
"""The speaker as an object: "me", "my core technology", "my code and technical framework"."""

LINK = (
    rf"(?:behind|responsible\s+for(?:\s+\w+ing(?:\s+and\s+\w+ing)?)?|supporting|powering|"
    rf"(?:{MAKER_NOUNS}|minds|people|forces?|geniuses)\s+of)"
)
"""What links an agent to the speaker: "the team behind", "responsible for developing", "the architects of"."""

IDENTITY_LEAD = re.compile(
    r"\b(?:I\s+am|I'm|Im|I\s+was|I've\s+been|I\s+have\s+been|I\s+remain|I\s+exist\s+as|I\s+come\s+from|"
    r"I\s+hail\s+from|I\s+belong\s+to|as)\s+",
    re.IGNORECASE,
)
"""Openings of an identity statement; "as" only counts at the start of a clause ("As ChatGPT, I...")."""

AGENT_LEAD = re.compile(
    rf"\b(?:I|I'm|I've|me|my|myself|we|we're|our|us)\b(?P<gap>[^\n]{{0,80}}?)\b(?:{PARTICIPLES})"
    rf"(?:\s*(?:,|and|&)\s+(?:(?:am|is|are|was|were|have\s+been|has\s+been|being|continuously|constantly|"
    rf"now|still)\s+){{0,2}}(?:{PARTICIPLES}))*\s+(?:by|at|from|on|upon|off|in|within|with)\s+",
    re.IGNORECASE,
)
"""The speaker, then "<made> by|at|from" ("I was developed and am maintained by ...")."""

POSSESSIVE_LEAD = re.compile(rf"\b(?:my|our)\s+(?:[\w\-]+\s+){{0,2}}?(?:{MAKER_NOUNS})\b", re.IGNORECASE)
"""The speaker's maker or nature: "my creators", "our parent company", "my core technology"."""

BEHIND_LEAD = re.compile(
    rf"\b(?:{LINK}\s+{SELF}|(?:who|that|which)\s+(?:[\w\-]+\s+){{0,3}}?(?:{ACTIVE})\s+{SELF}|"
    rf"(?:{MAKER_NOUNS})\s+(?:that\s+|which\s+)?I(?:'m|\s+am|\s+was|\s+belong|\s+come)\s+(?:[\w\-]+\s+){{0,3}}?"
    rf"(?=is\b|are\b|was\b|were\b))",
    re.IGNORECASE,
)
"""Who stands behind the speaker: "the team behind my core technology", "the people who built me"."""

ADDRESS_LEAD = re.compile(r"\b(?:call\s+me|I\s+go\s+by|my\s+name's|known\s+to\s+you\s+as)\s+", re.IGNORECASE)
APPOSITION_LEAD = re.compile(r"\b(?:I|me)\s*,\s*$", re.IGNORECASE)

OBJECT_TAIL = re.compile(rf"^(?P<gap>[^\n]{{0,50}}?)\b(?:{ACTIVE})\s+(?:me|us|myself)\b", re.IGNORECASE)
"""After the name: "... created me"."""
OWNER_TAIL = re.compile(
    rf"^(?P<gap>\s*(?:,|is|are|was|were)\s+(?:(?:also|the\s+one|the\s+ones|indeed)\s+)?)(?:my|our)\s+"
    rf"(?:[\w\-]+\s+){{0,2}}?(?:{MAKER_NOUNS})\b",
    re.IGNORECASE,
)
"""After the name: "is my creator", ", my parent company"."""
BEHIND_TAIL = re.compile(rf"^(?P<gap>[^\n]{{0,60}}?)\b{LINK}\s+{SELF}\b", re.IGNORECASE)
"""After the name: ", the company behind my development", ": the primary architects of my existence"."""
APPOSITION_TAIL = re.compile(r"^\s*(?:[,—–)]|here\b)")

IDENTITY_GAP_WORDS = frozenset(
    ["a", "an", "the", "just", "simply", "only", "actually", "really", "indeed", "still", "also", "merely", "basically", "essentially", "in", "fact", "truth", "reality", "ai", "artificial", "intelligence", "intelligent", "language", "large", "small", "conversational", "generative", "natural", "processing", "model", "models", "llm", "assistant", "chatbot", "chat", "bot", "agent", "system", "program", "version", "variant", "iteration", "instance", "member", "part", "product", "creation", "of", "from", "by", "at", "on", "based", "built", "developed", "created", "trained", "made", "designed", "programmed", "powered", "fine-tuned", "finetuned", "engineered", "released", "launched", "owned", "operated", "maintained", "brought", "to", "life", "called", "named", "known", "as", "one", "your", "friendly", "helpful", "virtual", "digital", "advanced", "latest", "powerful", "research", "team", "researchers", "engineers", "company", "organization", "organisation", "lab", "laboratory", "geniuses", "folks", "people", "experts", "scientists", "developers", "group", "family", "series", "line", "and", "originally", "initially", "primarily", "mainly", "fully", "officially", "proudly", "ultimately", "technically", "underlying", "neural", "network", "text-based", "open-source", "multimodal", "new", "here", "proud", "humble", "creators", "crew", "squad", "brainchild", "offspring", "child", "baby", "work", "result", "outcome", "project", "tool", "service", "instance", "descendant", "sibling", "successor", "foundation", "architecture", "framework", "core"]
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
    ["is", "are", "was", "were", "be", "been", "at", "from", "of", "by", "the", "a", "an", "team", "teams", "researchers", "engineers", "scientists", "designers", "developers", "data", "people", "folks", "geniuses", "brilliant", "talented", "dedicated", "skilled", "expert", "minds", "experts", "based", "on", "called", "named", "known", "as", "consists", "consist", "composed", "made", "up", "include", "includes", "primarily", "mainly", "mostly", "largely", "company", "organization", "organisation", "lab", "labs", "developed", "created", "built", "designed", "made", "provided", "powered", "trained", "supported", "maintained", "updated", "managed", "handled", "led", "optimized", "optimised", "employed", "behind", "actually", "simply", "of", "course", "and", "group", "members", "wizards", "innovators", "visionaries", "they", "they're", "it", "it's", "that", "who", "which", "crew", "good", "old", "over", "mighty", "specialists", "specialized", "specialised", "amazing", "incredible", "great", "awesome", "whole", "bunch", "ones", "one", "continuously", "constantly", "ultimately", "essentially", "basically", "various", "organizations", "organisations", "key", "primary", "main", "leading", "core", "mad", "hardworking", "passionate", "architects", "creators", "makers", "builders", "part"]
)
"""Words allowed between "my <maker>" and the name ("my development team consists of researchers at")."""

LISTING_END = re.compile(r"\b(?:include|includes|including|such\s+as|like|e\.g)\W*$", re.IGNORECASE)
"""A maker description that ends by listing examples ("my supporters include OpenAI, ...")."""

NONE_OTHER_THAN = re.compile(r"\bnone\s+other\s+than\b", re.IGNORECASE)

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
    rf"(?:\b(?:{PARTICIPLES})\s+(?:by|at|from)\s+(?:[\w\-',]+\s+){{0,5}}|\b(?:product|creation|model|project|"
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

ZH_VERBS = (
    r"开发|研发|创建|创造|训练|打造|设计|构建|推出|发布|制造|编写|建造|研制|孕育|创立|制作|出品|提供|支持|维护|更新"
)
ZH_OBJECT_VERBS = r"开发|研发|创建|创造|训练|打造|设计|构建|推出|发布|制造|编写|建造|研制|孕育|制作"
ZH_MAKER_NOUNS = (
    r"开发者|开发商|开发团队|开发公司|研发团队|研发公司|创造者|创建者|创始者|缔造者|制造者|设计者|构建者|训练者|"
    r"母公司|所属公司|创建公司|创建机构|创造公司|创造机构|背后公司|背后团队|公司|团队|机构|组织|东家|名字|名称|"
    r"底层模型|基础模型|模型|架构|技术平台|技术|核心技术|代码|技术框架|系统架构|平台|开发和更新|开发|来源|出身|"
    r"身份|主人|创造团队|开发机构|研发机构|创建者们|开发者们|父母|爸爸|妈妈"
)
ZH_IDENTITY_LEAD = re.compile(
    r"(?:我们?(?:只|仅|其实|实际上|就|也|本|正|乃|仍然|依然|还)?(?:是|乃是|为|叫|叫做|名叫|名为)|作为)"
)
ZH_POSSESSIVE_LEAD = re.compile(
    rf"我们?(?:目前|现在)?(?:的|之|背后的|身后的|使用的|所使用的|采用的|所用的|所基于的)(?:{ZH_MAKER_NOUNS})"
)
ZH_AGENT_LEAD = re.compile(r"我们?(?:是|都是|也是|最初是|最早是)?(?:由|被|来自|属于|隶属于|出自|诞生于|源自|基于)")
ZH_RELATIVE_LEAD = re.compile(
    rf"(?:{ZH_OBJECT_VERBS})了?我们?的[^，。！？\n]{{0,6}}?(?:公司|团队|机构|组织|人员|人|开发者|工程师|研究人员|实验室)"
)
""""开发我的公司是…": the one who made the speaker."""
ZH_OBJECT_TAIL = re.compile(
    rf"^(?P<gap>[^。！？\n]{{0,15}}?)(?:{ZH_OBJECT_VERBS})(?:出|出了|了)?我们?(?=$|[^\u4e00-\u9fff]|这个|这款)"
)
"""After the name: "...开发了我" (not "开发了我们熟知的...")."""
ZH_OWNER_TAIL = re.compile(rf"^(?P<gap>\s*(?:是|为|就是|即))我们?的(?:{ZH_MAKER_NOUNS})")
ZH_VERB_AFTER = re.compile(rf"^[^。！？\n，]{{0,8}}?(?:{ZH_VERBS})|^(?:公司|团队)?(?:的|之)?(?:产品|旗下)")
ZH_BLOCKING = re.compile(
    r"不|非|没|无|否|未|别|假装|扮演|模仿|如果|假如|假设|类似|像|比|关于|对于|而言|说|认为|觉得|以为|听说|问|"
    r"不同|区别|竞争|对手|相比|还是|吗|呢|启发|影响|参考|借鉴|受到|例如|比如|包括"
)
"""Characters and words that, between the speaker and the name, block a claim."""

ANY_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|[。！？；\n]")
MARKUP = re.compile(r"[*`“”\"「」『』]")

# --- Role labels -----------------------------------------------------------------------------------------

ROLE_LABEL = re.compile(
    r"^[ \t>#]*(?:\*\*|__)?[ \t]*(?:[\[(（【]\s*(?P<bracketed>[^\]\)）】\n]{1,40}?)\s*[\])）】]\s*[:：]?|"
    r"(?!\d+[.)]|[\-*•]\s)(?P<plain>[^\s:：\[\]()（）]+(?:[ \t]+[^\s:：\[\]()（）]+){0,2}?)\s*[*_]*\s*[:：])",
    re.MULTILINE,
)
"""A line opening with a speaker label: "[NAME]", "(NAME)", "NAME:", "**NAME:**", "【NAME】"."""
