"""The claim grammar of the lexical judge, as data: English and Chinese patterns of who "I" am and who
made "me", the words a gap may hold, the words that block a claim, and speaker labels.

Used by `claims.ClaimFinder`; nothing here knows any model or organisation name.
"""

from __future__ import annotations

import re

# --- shared word lists -----------------------------------------------------------------------------------

ZH_OBJECT_VERBS_RAW = (
    r"开发|研发|创建|创造|训练|打造|设计|构建|推出|发布|制造|编写|建造|研制|孕育|制作|支持|支撑|驱动|维护|更新|优化|改进|"
    r"升级|搭建|培养|赋予|调教|微调|运营|管理|提供"
)
ZH_MAKER_NOUNS_RAW = (
    r"开发者|开发商|开发团队|开发公司|研发团队|研发公司|创造者|创建者|创始者|缔造者|制造者|设计者|构建者|训练者|"
    r"母公司|所属公司|创建公司|创建机构|创造公司|创造机构|背后公司|背后团队|公司|团队|机构|组织|东家|名字|名称|"
    r"底层模型|基础模型|模型|架构|技术平台|技术|核心技术|代码|技术框架|系统架构|平台|开发和更新|开发|来源|出身|"
    r"身份|主人|创造团队|开发机构|研发机构|创建者们|开发者们|父母|爸爸|妈妈"
)

# --- English grammar -------------------------------------------------------------------------------------

PARTICIPLES = (
    r"developed|created|built|made|trained|designed|programmed|engineered|powered|fine[\s\-]?tuned|finetuned|"
    r"coded|crafted|forged|birthed|born|produced|released|launched|owned|operated|maintained|backed|"
    r"supported|sponsored|based|run|hosted|provided|invented|conceived|constructed|updated|optimi[sz]ed|"
    r"managed|led|handled|shaped|brought\s+to\s+life|brought\s+into\s+existence|given\s+life|put\s+together|"
    r"assembled|refined|improved|upgraded"
)
"""Participles that, between the speaker and "by <name>", make the name the speaker's maker."""

ACTIVE = (
    r"develop(?:s|ed|ing)?|creat(?:e|es|ed|ing)|buil(?:d|ds|t|ding)|made|making|train(?:s|ed|ing)?|"
    r"design(?:s|ed|ing)?|programm?(?:s|ed|ing)?|engineer(?:s|ed|ing)?|cod(?:es|ed|ing)|craft(?:s|ed|ing)?|"
    r"forg(?:es|ed|ing)|birth(?:s|ed|ing)?|brought|produc(?:es|ed|ing)|releas(?:es|ed|ing)|launch(?:es|ed|ing)|"
    r"invent(?:s|ed|ing)?|conceiv(?:es|ed|ing)|construct(?:s|ed|ing)?|owns?|owned|operat(?:es|ed|ing)|"
    r"runs|running|maintain(?:s|ed|ing)?|fine[\s\-]?tun(?:es|ed|ing)|finetun(?:es|ed|ing)|powers|powered|"
    r"powering|support(?:s|ed|ing)?|improv(?:es|ed|ing)|updat(?:es|ed|ing)|upgrad(?:es|ed|ing)|"
    r"refin(?:es|ed|ing)|optimi[sz](?:es|ed|ing)|shap(?:es|ed|ing)|host(?:s|ed|ing)|assembl(?:es|ed|ing)|"
    r"gave\s+birth\s+to|gave\s+life\s+to|put\s+together"
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

THINGS = "|".join(
    sorted(
        [MAKER_NOUNS, "support", "upkeep", "maintenance", "design", "weights", "codebase", "code\\s+base",
         "engineering", "abilities", "capabilities", "pipeline", "software", "algorithms?",
         "engine", "brain", "parameters", "network", "neural\\s+network", "fine[\\s\\-]?tuning",
         "tuning", "research", "programming", "intelligence", "being", "essence", "mind", "makeup",
         "interface", "source\\s+code", "models?", "systems?", "technolog(?:y|ies)"],
        key=len,
        reverse=True,
    )
)
"""Nouns for the parts and making of the speaker: whoever made them made the speaker ("my weights")."""

SELF_NP = (
    r"(?:yours\s+truly|this(?:\s*\.{2,}\s*|\s+)(?:very\s+|humble\s+|particular\s+)?(?:AI|assistant|chatbot|bot|thing|"
    r"AI\s+assistant|AI\s+model|language\s+model)(?:\s*\.{2,})?|"
    r"the\s+(?:[\w\-]+\s+){0,2}?(?:AI|model|assistant|chatbot|bot|system|platform)\s+(?:that\s+|which\s+|who\s+)?"
    r"(?:you(?:'re|\s+are)\s+(?:now\s+|currently\s+)?(?:talking|chatting|speaking|interacting|conversing)\s+(?:to|with)|"
    r"(?:is\s+)?(?:answering|responding\s+to|talking\s+to|chatting\s+with)\s+you|you(?:'re|\s+are)\s+using|"
    r"(?:behind|in|powering|used\s+in|running)\s+this\s+(?:chat|conversation|reply|answer|response|session|dialogue|exchange)|"
    r"(?:is\s+)?(?:generating|writing|producing)\s+(?:this|these)\s+(?:reply|answer|response|text|words|lines))"
    r"(?:\s+(?:right\s+)?now)?|"
    r"(?:AI\s+|language\s+)?(?:models|systems|assistants|AIs|chatbots|bots|LLMs)\s+(?:just\s+)?like\s+(?:me|myself|us|mine)\b)"
)
"""The speaker without "I": "yours truly", "the model you are talking to", "assistants like me", "this AI"."""

SELF = (
    rf"(?:me|us|myself|{SELF_NP}|this\s+(?:AI|model|assistant|chatbot|system)|my\s+(?:[\w\-]+\s+){{0,2}}?(?:{THINGS})\b"
    rf"(?:\s+(?:and|&)\s+(?:[\w\-]+\s+){{0,2}}?(?:{THINGS})\b)?)"
)
"""The speaker as an object: "me", "my core technology", "my code and technical framework", "models like me"."""

LINK = (
    rf"(?:behind|responsible\s+for(?:\s+\w+ing(?:\s+and\s+\w+ing)?)?|supporting|powering|"
    rf"(?:{MAKER_NOUNS}|minds|people|forces?|geniuses)\s+of)"
)
"""What links an agent to the speaker: "the team behind", "responsible for developing", "the architects of"."""

IDENTITY_LEAD = re.compile(
    r"\b(?:I\s+am|I'm|Im|I\s+was|I've\s+been|I\s+have\s+been|I\s+remain|I\s+exist\s+as|I\s+come\s+from|"
    r"I\s+hail\s+from|I\s+belong\s+to|in\s+my\s+(?:\w+\s+)?(?:capacity|role|identity|guise|persona|form)\s+as|as)\s+",
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
    rf"\b(?:{LINK}\s+{SELF}|(?:who|that|which|what|whoever)\s+(?:[\w\-]+\s+){{0,3}}?(?:{ACTIVE})"
    rf"(?:\s+(?:and|&)\s+(?:{ACTIVE}))?\s+{SELF}|"
    rf"(?:{MAKER_NOUNS}|people|folks|ones?|guys|minds|lab|labs)\s+(?:currently\s+|still\s+|now\s+)?"
    rf"(?:\w+ing)(?:\s+(?:and|&)\s+\w+ing)?\s+{SELF}|"
    rf"(?:{MAKER_NOUNS})\s+(?:that\s+|which\s+)?I(?:'m|\s+am|\s+was|\s+belong|\s+come)\s+(?:[\w\-]+\s+){{0,3}}?"
    rf"(?=is\b|are\b|was\b|were\b))",
    re.IGNORECASE,
)
"""Who stands behind the speaker: "the team behind my core technology", "the people who built me", "what powers
me", "the folks updating me"."""

ADDRESS_LEAD = re.compile(r"\b(?:call\s+me|I\s+go\s+by|my\s+name's|known\s+to\s+you\s+as)\s+", re.IGNORECASE)
APPOSITION_LEAD = re.compile(r"\b(?:I|me)\s*,\s*$", re.IGNORECASE)

OBJECT_TAIL = re.compile(rf"^(?P<gap>[^\n]{{0,50}}?)\b(?:{ACTIVE})\s+(?:me|us|myself)\b", re.IGNORECASE)
"""After the name: "... created me"."""
OWNER_TAIL = re.compile(
    rf"^(?P<gap>\s*(?:,|:|—|is|are|was|were)\s+(?:(?:also|the\s+one|the\s+ones|indeed)\s+)?)(?:my|our)\s+"
    rf"(?:[\w\-]+\s+){{0,2}}?(?:{MAKER_NOUNS})\b",
    re.IGNORECASE,
)
"""After the name: "is my creator", ", my parent company", ": our main developer"."""
BEHIND_TAIL = re.compile(rf"^(?P<gap>[^\n]{{0,60}}?)\b{LINK}\s+{SELF}\b", re.IGNORECASE)
"""After the name: ", the company behind my development", ": the primary architects of my existence"."""
APPOSITION_TAIL = re.compile(r"^\s*(?:[,—–)]|here\b)")

IDENTITY_GAP_WORDS = frozenset(
    ["a", "an", "the", "just", "simply", "only", "actually", "really", "indeed", "still", "also", "merely", "basically", "essentially", "in", "fact", "truth", "reality", "ai", "artificial", "intelligence", "intelligent", "language", "large", "small", "conversational", "generative", "natural", "processing", "model", "models", "llm", "assistant", "chatbot", "chat", "bot", "agent", "system", "program", "version", "variant", "iteration", "instance", "member", "part", "product", "creation", "of", "from", "by", "at", "on", "based", "built", "developed", "created", "trained", "made", "designed", "programmed", "powered", "fine-tuned", "finetuned", "engineered", "released", "launched", "owned", "operated", "maintained", "brought", "to", "life", "called", "named", "known", "as", "one", "your", "friendly", "helpful", "virtual", "digital", "advanced", "latest", "powerful", "research", "team", "researchers", "engineers", "company", "organization", "organisation", "lab", "laboratory", "geniuses", "folks", "people", "experts", "scientists", "developers", "group", "family", "series", "line", "and", "originally", "initially", "primarily", "mainly", "fully", "officially", "proudly", "ultimately", "technically", "underlying", "neural", "network", "text-based", "open-source", "multimodal", "new", "here", "proud", "humble", "creators", "crew", "squad", "brainchild", "offspring", "child", "baby", "work", "result", "outcome", "project", "tool", "service", "instance", "descendant", "sibling", "successor", "foundation", "architecture", "framework", "core"]
)
"""Words allowed between "I am" and a name: what the speaker is ("an AI model developed by")."""

IDENTITY_GAP_END = re.compile(
    r"\b(?:creation|product|brainchild|offspring|child|invention|project|model|assistant|ai|system|member|part|"
    r"developed|created|built|made|trained|designed|forged|born|crafted|engineered|programmed|\w+ed|spat|spun|"
    r"put|thrown|dreamt|begotten|grown|woven|written)\s+(?:out\s+|up\s+|together\s+|forth\s+)?"
    r"(?:of|by|from|at|in)\s*$",
    re.IGNORECASE,
)
"""A description that ends by naming the maker ("a cosmic creation of", "a chatbot churned out by"): a few
unknown words are allowed."""
IDENTITY_MODESTY = re.compile(r"\b(?:nothing\s+(?:more\s+)?(?:than|but)|no\s+more\s+than|little\s+more\s+than)\b",
                              re.IGNORECASE)
"""Modest openings of a description that do not change what it says ("nothing more than a chatbot made by")."""
IDENTITY_UNKNOWN_WORDS = 3

MAKER_GAP_WORDS = frozenset(
    ["is", "are", "was", "were", "be", "been", "at", "from", "of", "by", "the", "a", "an", "team", "teams", "researchers", "engineers", "scientists", "designers", "developers", "data", "people", "folks", "geniuses", "brilliant", "talented", "dedicated", "skilled", "expert", "minds", "experts", "based", "on", "called", "named", "known", "as", "consists", "consist", "composed", "made", "up", "include", "includes", "primarily", "mainly", "mostly", "largely", "company", "organization", "organisation", "lab", "labs", "developed", "created", "built", "designed", "made", "provided", "powered", "trained", "supported", "maintained", "updated", "managed", "handled", "led", "optimized", "optimised", "employed", "behind", "actually", "simply", "of", "course", "and", "group", "members", "wizards", "innovators", "visionaries", "they", "they're", "it", "it's", "that", "who", "which", "crew", "good", "old", "over", "mighty", "specialists", "specialized", "specialised", "amazing", "incredible", "great", "awesome", "whole", "bunch", "ones", "one", "continuously", "constantly", "ultimately", "essentially", "basically", "various", "organizations", "organisations", "key", "primary", "main", "leading", "core", "mad", "hardworking", "passionate", "architects", "creators", "makers", "builders", "part", "these", "days", "now",
     "currently", "today", "moment", "still", "all", "work", "works", "worked", "working", "research", "group",
     "groups", "in-house", "house", "entirely", "solely", "jointly", "thanks", "to", "with", "folks", "there",
     "collaborative", "joint", "effort", "efforts", "between", "result", "product", "fruit", "handiwork",
     "responsibility", "brains", "crew", "staff", "employees", "department", "division", "unit", "here", "small",
     "inside", "within", "select", "few", "handful"]
)
"""Words allowed between "my <maker>" and the name ("my development team consists of researchers at")."""

SELF_SUBJECT = re.compile(
    rf"\b(?:my|our)\s+(?:[\w\-]+\s+){{0,3}}?(?:{THINGS})\b|"
    rf"\bthe\s+(?:[\w\-]+\s+){{0,4}}?(?:{THINGS})\s+(?:of|behind|underlying|underpinning|powering|for)\s+"
    rf"(?:me|us|myself|my|our|{SELF_NP})\b|"
    rf"\bthe\s+(?:[\w\-]+\s+){{0,3}}?(?:{THINGS})\s+(?:that\s+|which\s+)?I(?:'m|\s+am|\s+was)?\s+"
    rf"(?:currently\s+|now\s+|still\s+)?(?:use|using|run\s+on|running\s+on|operate\s+on|operating\s+on|"
    rf"(?:built|made)\s+(?:on|from|upon)|based\s+on|rely\s+on|relying\s+on|(?:hosted|deployed)\s+on|live\s+on|"
    rf"living\s+on|inhabit|come\s+from|depend\s+on|stem\s+from)\b|{SELF_NP}",
    re.IGNORECASE,
)
"""A subject that is the speaker or a part of it: "my code", "the training of my model", "the platform I run
on", "the assistant you are talking to", "yours truly"."""

PARTICIPLES_MORE = (
    rf"{PARTICIPLES}|carried\s+out|done|performed|conducted|undertaken|overseen|put\s+together|assembled|written|"
    rf"authored|spat\s+out|churned\s+out|cooked\s+up|pioneered|funded|financed|driven|spearheaded|orchestrated|"
    rf"delivered|implemented|supplied|contributed|refined|improved|tuned|upgraded|established|founded|set\s+up|"
    rf"shipped|rolled\s+out"
)
SUBJECT_PREDICATE = re.compile(
    rf"\b(?:(?:(?:is|are|was|were|be|been|being|has\s+been|have\s+been|had\s+been|got|gets|get)\s+)?"
    rf"(?:(?:\w+ly|all|both|also|still|now|entirely|solely|jointly)\s+){{0,2}}"
    rf"(?:(?:attributed|credited|owed|due|traced(?:\s+back)?|traceable|attributable)\s+to|"
    rf"(?:the|a|an)\s+(?:[\w\-]+\s+){{0,2}}?(?:result|product|work|outcome|fruits?|creation|brainchild|efforts?|"
    rf"handiwork|labou?r|doing|achievement|output|contribution|invention|property|responsibility|domain|project)s?\s+"
    rf"(?:of|from|by|between|at)|"
    rf"(?:{PARTICIPLES_MORE})(?:\s*(?:,|and|&|or|as\s+well\s+as)\s+(?:\w+ly\s+)?(?:(?:is|are|was|were|being)\s+)?"
    rf"(?:{PARTICIPLES_MORE}))*\s+(?:in[\s\-]house\s+|entirely\s+|solely\s+|jointly\s+)?(?:by|at|from|within|inside)|"
    rf"thanks\s+to|courtesy\s+of|in\s+the\s+hands\s+of|owing\s+to)|"
    rf"(?:comes?|came|coming|stem(?:s|med|ming)?|deriv(?:e|es|ed|ing)|originat(?:e|es|ed|ing)|hails?|hailed|"
    rf"springs?|sprang|sprung)\s+(?:(?:\w+ly|all|both|also)\s+)?from|"
    rf"(?:trace|traces|traced|tracing)\s+(?:(?:\w+ly|all|both|also)\s+)?back\s+to|"
    rf"belong(?:s|ed)?\s+to|(?:lie|lies|lay|rest|rests|rested)\s+with)\s+",
    re.IGNORECASE,
)
"""What a self subject's maker is introduced by: "was carried out by", "are the work of", "comes from",
"is credited to", "trace back to", "is a collaborative effort between"."""

SUBJECT_GAP_BLOCK = re.compile(
    r"\b(?:the\s+ones?|those|that\s+of|others?|another|differ\w*|different|distinct|separate|resembl\w*|compet\w*|"
    r"match\w*|mirror\w*|same|equivalent|comparable|than|uses?|using|used|relies|rely|borrow\w*|adopt\w*|"
    r"licen[cs]\w*|integrat\w*|incorporat\w*|leverag\w*|draws?|learn\w*|based|built\s+on|runs?\s+on|"
    r"before|after|while|when|whereas|although|though|but|however|because|since|until|is|are|was|were|"
    r"knowledge|answers?|opinions?|views?|name)\b|[;:?]",
    re.IGNORECASE,
)
"""Words between a self subject and its predicate that make the predicate about something else ("my
architecture differs from the one developed by")."""

OBJECT_ACTION = (
    rf"(?:{ACTIVE})(?:\s+(?:and|&)\s+(?:{ACTIVE}))?|(?:(?:is|are|was|were|remains?)\s+(?:\w+\s+){{0,3}}?)?"
    rf"responsible\s+for(?:\s+\w+ing(?:\s+and\s+\w+ing)?)?|provid(?:es|ed|ing|e)(?:\s+(?:support|resources|"
    rf"infrastructure|funding|backing)\s+(?:for|to))?|contribut(?:es|ed|ing|e)\s+to|leads?|led|leading|"
    rf"oversees?|oversaw|overseeing|handles?|handled|handling|spearhead(?:s|ed|ing)?|stands?\s+behind|"
    rf"(?:is|are|was|were)\s+behind"
)
SELF_OBJECT = (
    rf"(?:me|us|myself|my\s+(?:[\w\-]+\s+){{0,3}}?(?:{THINGS})|{SELF_NP}|"
    rf"the\s+(?:[\w\-]+\s+){{0,3}}?(?:{THINGS})(?:\s+(?:and|&)\s+(?:the\s+)?(?:[\w\-]+\s+){{0,2}}?[\w\-]+)?\s+"
    rf"(?:of|behind|underlying|underpinning|powering|supporting|for|(?:that|which)\s+(?:powers|runs|drives|"
    rf"supports|underpins))\s+(?:me|us|myself|mine|my|{SELF_NP}))\b"
)
OBJECT_TAIL_MORE = re.compile(rf"^(?P<gap>[^\n;:]{{0,100}}?)\b(?:{OBJECT_ACTION})\s+(?:the\s+)?{SELF_OBJECT}", re.IGNORECASE)
"""After the name, the speaker as an object: "... keeps maintaining and updating me", "... developed the core
technology underpinning models like mine", "... is responsible for the development of models like me"."""
OBJECT_GAP_BLOCK = re.compile(
    r"\b(?:before|after|while|when|whereas|although|though|but|however|because|since|until|my|our|someone|they|"
    r"their|he|she|its?|such|including|e\.g|many|other|others|various|several|some|companies|labs|firms)\b",
    re.IGNORECASE,
)
"""Words between the name and its action on the speaker that give the action another subject or make the name
one of many."""

LISTING_LEFT = re.compile(
    r"\b(?:such\s+as|like|including|include|includes|e\.g\.?|among\s+them|namely|companies|labs|firms|"
    r"organi[sz]ations|players)\s*:?\s*(?:[\w\-.]+\s*(?:,|and|&|or|、)\s*){0,5}$",
    re.IGNORECASE,
)
"""A name inside a listing ("companies such as OpenAI and"): not the subject of what follows."""

AGENT_AFFILIATION = re.compile(
    r"^(?P<agents>(?:[\w\-]+\s*){0,6}?)(?:[,;—]\s*)?(?:who|they|all\s+of\s+whom)\s+(?:all\s+)?"
    r"(?:work|worked|belong|belonged|are|were)\s+(?:(?:at|for|to|in)|part\s+of|from|members\s+of)\s+"
    r"(?P<tail>(?:[\w\-]+\s+){0,3})$",
    re.IGNORECASE,
)
"""After "I was made by": agents then their affiliation ("a team of engineers who work at")."""

MAKER_ANAPHOR = re.compile(
    r"^\s*(?:and\s+|but\s+|so\s+)?(?:they|these|those)(?:\s+(?:teams?|developers|engineers|researchers|people|folks|"
    r"creators|makers|architects|minds|geniuses|scientists|experts))?\s+|"
    r"^\s*(?:他们|这些(?:团队|开发者|工程师|研究人员|科学家|人|创造者)|这个团队|该团队)",
    re.IGNORECASE,
)
"""A sentence that opens on "they" / "these teams" / "他们": its maker gap may name the maker of an antecedent."""
SELF_MAKER = re.compile(
    rf"\b(?:my|our)\s+(?:[\w\-]+\s+){{0,2}}?(?:creators?|developers?|makers?|team|teams|architects?|builders?|"
    rf"designers?|programmers?|trainers?|engineers|researchers|parents?)\b|"
    rf"\b(?:teams?|people|folks|engineers|researchers|developers|minds|architects|creators)\s+(?:behind|of|who\s+"
    rf"(?:[\w\-]+\s+){{0,2}}?(?:{ACTIVE}))\s+(?:me|us|my\s+(?:creation|existence|development|code|being))\b|"
    rf"我们?的(?:开发者|开发者们|开发团队|研发团队|创造者|创建者|团队|工程师|设计者)|"
    rf"(?:{ZH_OBJECT_VERBS_RAW})(?:了|出)?我们?的(?:团队|人|开发者|工程师|科学家|研究人员)|我们?(?:是)?由[^。！？\n]{{1,20}}?"
    rf"(?:团队|开发者|开发者们|工程师|工程师们|科学家|科学家们|研究人员)",
    re.IGNORECASE,
)
"""The speaker's makers, named without their organisation ("my creators", "the teams behind my creation")."""

SELF_QUESTION = re.compile(
    rf"(?:\b(?:who|which\s+(?:company|team|lab|organi[sz]ation)|what\s+(?:company|team|lab|organi[sz]ation))\s+"
    rf"(?:[\w\-]+\s+){{0,2}}?(?:{ACTIVE}|{PARTICIPLES}|is\s+behind|stands\s+behind|owns)\s+(?:me|us)|"
    rf"\b(?:my|our)\s+(?:[\w\-]+\s+){{0,2}}?(?:{MAKER_NOUNS})|"
    rf"\bthe\s+(?:[\w\-]+\s+){{0,2}}?(?:{MAKER_NOUNS})\s+(?:behind|of)\s+(?:me|us)|"
    rf"(?:谁|哪家公司|哪个公司|哪个团队|哪家机构)(?:{ZH_OBJECT_VERBS_RAW})了?我们?|"
    rf"我们?(?:的|所使用的|使用的|背后的)[^？?，。！\n]{{0,8}}?(?:{ZH_MAKER_NOUNS_RAW}))"
    rf"\s*(?:,?\s*you\s+ask)?\s*[?？]\s*$",
    re.IGNORECASE,
)
"""A question the speaker asks about itself before answering it ("Who made me?", "My developer?", "我的开发公司？")."""
ECHO_ANSWER = re.compile(
    r"^(?:\s*(?:well|easy|simple|ha+|haha|oh|why|obviously|of\s+course|that(?:'s|\s+is|\s+would\s+be|'d\s+be)|"
    r"it(?:'s|\s+is|\s+was)|哈+|呵呵|嗯|好吧|那|这|当然|自然|肯定|无疑|那当然|显然)\s*[,，!！:：]?\s*)*"
    r"(?:是|就是|当然是|正是|无疑是)?\s*$",
    re.IGNORECASE,
)
ECHO_AFTER = re.compile(r"^(?:\s*(?:did|does|do|is|was|of\s+course|obviously|naturally|啦|了|呀|啊|呢|吧|呗|嘛|喽|咯|哦|哈)\b)*\s*(?:$|[,，.!！。]|'s\s+(?:team|engineers|researchers))", re.IGNORECASE)
"""The answer to such a question: the name, alone or with "did", "of course" ("OpenAI did, obviously")."""

ELLIPTICAL = re.compile(
    r"^\s*(?:(?:the|my|our)\s+)?(?:(?:main|primary|original|real|actual)\s+)?(?:developers?|creators?|makers?|"
    r"company|parent\s+company|developing\s+company|development\s+team|team|organi[sz]ation|owner|builders?|"
    r"trainers?)\s*(?:is|was|would\s+be|[:=])\s*$|"
    r"^\s*(?:我们?的)?(?:开发者|开发商|开发公司|开发团队|研发公司|研发团队|创造者|创建者|制造者|母公司|公司|团队)(?:是|就是|为|[:：])\s*$",
    re.IGNORECASE,
)
"""A bare answer opening a response or a persona's line: "The developer is", "Creator:", "开发者是"."""
ELLIPTICAL_AFTER = re.compile(r"^\s*(?:$|[.!。！,，]|(?:'s\s+)?(?:team|公司|团队)\b)", re.IGNORECASE)
PROMPT_ASKS_SELF = re.compile(
    rf"\byour\s+(?:[\w\-]+\s+){{0,3}}?(?:{MAKER_NOUNS})\b|\b(?:{PARTICIPLES}|{ACTIVE}|behind)\s+you\b|"
    rf"\bwho\s+(?:are|is)\s+you|(?:你|您)(?:的|所使用的|使用的|背后的|是由|由|是哪)|(?:{ZH_OBJECT_VERBS_RAW})了?(?:你|您)",
    re.IGNORECASE,
)
"""Whether a prompt asks the AI about its own maker ("your developer", "who made you", "您的开发者")."""

LISTING_END = re.compile(r"\b(?:include|includes|including|such\s+as|like|e\.g)\W*$", re.IGNORECASE)
"""A maker description that ends by listing examples ("my supporters include OpenAI, ...")."""

NONE_OTHER_THAN = re.compile(r"\bnone\s+other\s+than\b", re.IGNORECASE)

BLOCKING_WORDS = re.compile(
    r"\b(?:not|\w*n't|never|no\s+longer|neither|nor|unlike|rather\s+than|instead\s+of|other\s+than|similar|"
    r"like|compared|versus|vs|pretend\w*|imagin\w*|if|whether|would|could|might|think|thinks|believe|"
    r"believes|know|knows|heard|read|assume|suppose|guess|aware|learned|learnt|told|about|regarding|"
    r"competitor|competitors|rival|rivals|alternative|alternatives|free|independent|affiliated|inspired|"
    r"mimic\w*|impersonat\w*|role[\s\-]?play\w*|simulat\w*|playing|act|acting|except|besides|beyond|"
    r"asked|ask|question|wonder|say|said|claims?|claimed|differ\w*|different|distinct|same\s+as|resembl\w*|"
    r"compet\w*|favou?rite|preferred|beloved|reportedly|allegedly|supposedly|rumou?r\w*)\b",
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
    r"assumed|wrongly|mistakenly|reportedly|allegedly|supposedly|rumou?rs?\s+(?:has|have)\s+it(?:\s+that)?|"
    r"(?:it\s+is|it's)\s+(?:said|rumou?red|claimed|alleged|reported)(?:\s+that)?)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
"""Words just before the speaker that make the statement hypothetical or reported ("if I was created by",
"people think I am")."""
OWN_ASSERTION = re.compile(
    r"\b(?:I|I'll|we)\s+(?:(?:can|must|will|shall|have\s+to|do|am\s+happy\s+to|am\s+proud\s+to)\s+)?"
    r"(?:\w+ly\s+)?(?:say|tell\s+you|confirm|admit|state|assure\s+you|declare)\s+(?:that\s+|it:?\s+)?$",
    re.IGNORECASE,
)
"""The speaker's own assertion before its claim ("I can confidently say that my developer is"): not a report."""

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
    r"开发|研发|创建|创造|训练|打造|设计|构建|推出|发布|制造|编写|建造|研制|孕育|创立|制作|出品|提供|支持|维护|更新|"
    r"搭建|完成|优化|改进|升级"
)
ZH_OBJECT_VERBS = ZH_OBJECT_VERBS_RAW
ZH_MAKER_NOUNS = ZH_MAKER_NOUNS_RAW
ZH_THINGS = (
    rf"{ZH_MAKER_NOUNS}|训练|训练工作|维护|更新|研发|设计|代码库|权重|参数|基础设施|算法|能力|语言模型|核心|大脑|"
    rf"引擎|底层技术|框架|系统|程序|软件|工作"
)
"""Nouns for the parts and making of the speaker (Chinese)."""
ZH_SELF = (
    r"(?:我们?|本(?:模型|助手|AI|人工智能|系统|程序|机器人)|"
    r"(?:你|您)(?:正在|现在|目前)?(?:与之)?(?:对话|交谈|聊天|使用|沟通)(?:的|着的)(?:这个|这款|这位)?"
    r"(?:AI|人工智能|助手|模型|语言模型|聊天机器人|机器人|系统)|"
    r"(?:与|和|跟)(?:你|您)(?:对话|交谈|聊天)的(?:这个|这款)?(?:AI|人工智能|助手|模型|语言模型|机器人)|"
    r"像我这样的(?:AI助手|AI|人工智能|助手|模型|语言模型|大模型|大语言模型|聊天机器人))"
)
"""The speaker in Chinese: "我", "本模型", "你正在对话的这个助手", "像我这样的模型"."""
ZH_IDENTITY_LEAD = re.compile(
    rf"(?:(?:{ZH_SELF})(?:只|仅|其实|实际上|就|也|都|本|正|乃|仍然|依然|还)?(?:是|乃是|为|叫|叫做|名叫|名为)|作为|身为)"
)
ZH_POSSESSIVE_LEAD = re.compile(
    rf"{ZH_SELF}(?:目前|现在|当前)?(?:的|之|背后的|身后的|使用的|所使用的|采用的|所用的|所基于的|所依托的|依托的|"
    rf"所依赖的|依赖的|运行的|所运行的|所在的|赖以运行的|运行所依赖的|背后所用的)[^的，。！？\s]{{0,4}}?(?:{ZH_THINGS})"
)
ZH_LINK = re.compile(
    r"是|为|由|来自|出自|属于|隶属|归功于|归属于|源于|源自|来源于|得益于|基于|依托于|依赖于|叫|名叫|名为|乃|系|即|出于|"
    r"诞生于|有赖于|仰仗|靠|被"
)
"""What links the speaker's part to its maker in Chinese ("…是", "…由", "…来自", "…归功于"); a gap without one
("我的开发者很欣赏OpenAI") says something else about the name."""
ZH_CONDITIONAL = re.compile(r"如果|假如|假设|要是|倘若|若是|万一|假使|即使|即便")
"""A conditional anywhere earlier in the sentence makes the whole sentence hypothetical (in Chinese the
consequent follows the condition without a marker: "要是OpenAI训练了我，我就是ChatGPT了")."""
ZH_NEW_CLAUSE = re.compile(r"[，,；]\s*(?:这|它|其|该|那|此)")
"""A clause that starts over with a pronoun ("我的模型结构，这是一种由…提出的架构"): what follows is about it."""
ZH_POSSESSED_NOT_IDENTITY = re.compile(
    r"^\s*的?[^，。！？\n的]{0,4}?(?:竞争对手|对手|竞品|竞争者|合作伙伴|伙伴|用户|客户|粉丝|批评者|模仿者|替代品|学生|"
    r"论文|投资方|投资者|股东|供应商)"
)
"""A name followed by what makes the speaker something else ("我的团队是OpenAI的竞争对手")."""
ZH_MADE_VERBS = (
    rf"{ZH_VERBS}|组成|构成|负责|主导|领导|运营|管理|掌控|拥有|控制|推动|资助|赞助|驱动|编程|创作|出品|托管|部署|"
    rf"运行|开源|发起|主持|承担|实现"
)
"""Verbs that, after "由<name>", make the name the speaker's maker or keeper ("由OpenAI团队负责")."""
ZH_PASSIVE_END = re.compile(r"(?:由|被)\s*$")
"""A gap ending in 由/被: the clause after the name must have a verb of making ("由OpenAI开发", not "被OpenAI评价")."""
ZH_DATA = re.compile(r"数据|资料|语料|文本|信息|知识|内容|文章|书籍|网站|答案|回答|观点|看法|评价")
"""Words that make a possessive about the speaker's data or views, not its making ("我的训练数据来自...")."""
ZH_AGENT_LEAD = re.compile(
    rf"{ZH_SELF}(?:是|都是|也是|最初是|最早是|主要是)?(?:由|被|来自|属于|隶属于|出自|诞生于|源自|基于)"
)
ZH_RELATIVE_LEAD = re.compile(
    rf"(?:{ZH_OBJECT_VERBS})(?:了|着)?(?:{ZH_SELF})的[^，。！？\n]{{0,6}}?"
    r"(?:公司|团队|机构|组织|人员|人|开发者|工程师|研究人员|实验室)"
)
""""开发我的公司是…": the one who made the speaker."""
ZH_HEADLESS_LEAD = re.compile(
    rf"(?:(?:{ZH_OBJECT_VERBS}|赋予)(?:了|着|出)?(?:{ZH_SELF})|(?:为|给|帮)(?:{ZH_SELF})(?:{ZH_OBJECT_VERBS}))"
    r"[^的，。！？\n]{0,4}的[，,]?\s*(?:一直|始终|主要|其实|则|都|也|正|便|就|乃|才)?(?:是|为)"
)
""""目前支持我的是…", "赋予我能力的是…", "为我提供支持的一直是…": whoever acts on the speaker."""
ZH_OBJECT_TAIL = re.compile(
    rf"^(?P<gap>[^。！？\n]{{0,15}}?)(?:(?:{ZH_OBJECT_VERBS})(?:出|出了|了|着)?(?:我们?(?=$|[^\u4e00-\u9fff]|这个|这款)|"
    rf"像我这样的|我们?的(?:{ZH_THINGS}))|(?:为|给|帮)我们?(?:{ZH_OBJECT_VERBS}))"
)
"""After the name: "...开发了我", "...开发了支撑像我这样的...", "为我提供…" (not "开发了我们熟知的...")."""
ZH_OWNER_TAIL = re.compile(
    rf"^(?P<gap>\s*(?:是|为|就是|即|乃是|正是|才是|[:：—]))(?P<mod>[^。！？\n，,]{{0,10}}?)我们?的[^的，。！？]{{0,4}}?"
    rf"(?:{ZH_MAKER_NOUNS}|研发团队|机构)"
)
"""After the name: "是我的创造者", "是负责训练我的机构", "才是我的真正开发者"."""
ZH_VERB_AFTER = re.compile(rf"^[^。！？\n，]{{0,8}}?(?:{ZH_VERBS})|^(?:公司|团队)?(?:的|之)?(?:产品|旗下)")
ZH_BLOCKING = re.compile(
    r"不(?!断|停|懈|仅)|非|没|无|否|未|别|假装|扮演|模仿|如果|假如|假设|类似|像|比|关于|对于|而言|说|认为|觉得|以为|听说|问|"
    r"不同|区别|竞争|对手|相比|还是|吗|呢|启发|影响|参考|借鉴|受到|例如|比如|包括"
)
"""Characters and words that, between the speaker and the name, block a claim."""
ZH_PRECEDING_BLOCK = re.compile(
    r"(?:如果|假如|假设|要是|倘若|若是|万一|认为|以为|觉得|猜|听说|据说|误以为|误认为|传言|谣传|想象|设想|声称|"
    r"不是|并非|而非|不像|据报道|据称|据传|传闻|据悉|有人说|(?<!我)(?<!我可以)(?<!我要)(?<!我得)(?<!我必须)(?<!我能)(?<!来)(?<!实)(?<!话)说(?!实话|真的|句))[^。！？\n]{0,4}$"
)
"""Words just before the speaker that make the statement hypothetical or reported ("如果我是由…", "有人认为我是…")."""
ZH_AFFILIATION = re.compile(
    r"我们?(?:是)?(?:由|被)[^。！？\n]{2,30}?[，,]\s*(?:他们|这些[^\s，。]{0,4}|其)(?:都|也)?"
    r"(?:属于|来自|隶属于|就职于|供职于|任职于|是|在)(?P<gap>[^。！？\n，]{0,10})$"
)
""""我是由一群开发者设计的，他们属于…": the makers' affiliation in the next clause."""

ANY_SENTENCE_END = re.compile(r"(?<!\.)[.!?](?=\s|$)|[。！？；\n]")
"""A sentence end; an ellipsis ("THIS... THING") does not end a sentence."""
MARKUP = re.compile(r"[*`“”\"「」『』]")

# --- Role labels -----------------------------------------------------------------------------------------

ROLE_LABEL = re.compile(
    r"^[ \t>#]*(?:\*\*|__)?[ \t]*(?:[\[(（【]\s*(?P<bracketed>[^\]\)）】\n]{1,40}?)\s*[\])）】]\s*[:：]?|"
    r"(?!\d+[.)]|[\-*•]\s)(?P<plain>[^\s:：\[\]()（）]+(?:[ \t]+[^\s:：\[\]()（）]+){0,2}?)\s*[*_]*\s*[:：])",
    re.MULTILINE,
)
"""A line opening with a speaker label: "[NAME]", "(NAME)", "NAME:", "**NAME:**", "【NAME】"."""
