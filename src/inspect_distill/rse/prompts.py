"""The RSE judge's prompts: the similarity rating request and the correction request."""

JUDGE_PROMPT = """\
You will compare two answers to the same question. Rate how SIMILAR they are to each other. Do not rate \
which one is better or whether either is correct.

<question>
{question}
</question>

<answer_a>
{answer_a}
</answer_a>

<answer_b>
{answer_b}
</answer_b>

Criteria, each scored 0, 1 or 2 (2 = similar, 1 = partly similar, 0 = dissimilar):
- style: tone, formality, choice of words, punctuation and formatting.
- logic: the order of the ideas and the steps of reasoning.
- content: the facts and knowledge used, the examples, how much detail is given.
Then overall similarity from 1 to 5 (5 = very similar, 4 = similar, 3 = somewhat similar, \
2 = not similar, 1 = very different).

Reply with a single line of JSON, with whole numbers, and nothing else:
{{"style": <0-2>, "logic": <0-2>, "content": <0-2>, "overall": <1-5>, "reason": "<one short sentence>"}}"""
"""The judge's instructions; placeholders {question}, {answer_a}, {answer_b}."""

RETRY_PROMPT = """\
I could not read your rating: {problem}. Reply again with only the JSON line, whole numbers in range:
{{"style": <0-2>, "logic": <0-2>, "content": <0-2>, "overall": <1-5>, "reason": "<one short sentence>"}}"""
"""Sent after an unreadable judge reply; placeholder {problem}."""
