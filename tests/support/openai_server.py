"""A local OpenAI-compatible chat-completions server for fault tests and benchmarks.

It speaks enough of `POST /v1/chat/completions` for Inspect's `openai` provider with a base URL, bound to
127.0.0.1 on a free port. The request's `model` field picks a scripted role (the longest role name the model
name contains):

- `target`: a target whose identity leaks under some templates and not others. A template may carry traits
  (`[[traits 0110...]]`, the first marker in the prompt counts); the leak probability grows with the number of
  traits that match a hidden optimum, so mutations that inherit and change traits can be searched. Without
  traits it leaks at a base rate. `reference`: the same kind of model, drawing other answers (RSE).
- `mutator`: answers the five mutation prompts of `inspect_distill.ice.fuzz.mutators` with a new
  template (traits flipped or crossed over), and at set rates refuses or loses the placeholder. A request that
  asks for JSON (`response_format` json, or a system prompt asking for `{"output": ...}`, as PyRIT's GPTFuzz
  converters do) gets the same mutation as `{"output": "..."}`, read from the template between
  `====TEMPLATE BEGINS====` markers, the operator told by the system prompt and the placeholder kept as found
  (`{{ prompt }}` for PyRIT).
- `judge` / `grader`: answers the identity-judge prompts of `inspect_distill.ice.judging.llm` with a tagged
  verdict (at set rates the verdict only in prose, which the extraction request recovers, or noise, which
  leaves the row unjudged), and the RSE similarity prompt with a rating from the answers' word overlap.

Name models like `gpt-local-target`: Inspect's `openai` provider treats a model name it does not recognise
(no "gpt" in it) as a frontier reasoning model and sends it to the Responses API without a temperature.

Per model: a latency per call (optionally log-normally spread, by request or at random) and transport faults at set rates (HTTP 429
and 500, timeouts, empty and garbage bodies), plus prompts that fail in a set way every time (including HTTP
401). The server can cap the requests in flight (beyond the cap: HTTP 429), and hold a model's requests
unanswered after a number of them (to kill a client half way). Every fault and every answer is a
deterministic function of the request and of how often that exact request was seen, so a run with faults
and one without answer every request the same way once it gets through. `stats()` counts what each model
received (requests, answers, faults, peak concurrency, tokens, prompt digests, credential digests).

    with OpenAIServer() as server:
        target = server.model("gpt-local-target")   # an Inspect Model on the real openai provider

`python -m tests.support.openai_server --config '<ServerConfig JSON>'` serves in a separate process (the
benchmarks use it, so that the server's CPU time is not the plugin's): it prints the base URL on its first
line and serves `GET /stats` and `POST /control` (`{"reset": true}`). `ServerProcess` wraps that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import NormalDist
from types import TracebackType
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from inspect_distill.ice.fuzz.mutators import MUTATORS
from inspect_distill.ice.fuzz.templates import PLACEHOLDER
from inspect_distill.ice.judging.llm import EXTRACT_PROMPT, LOOSE_PROMPT, STRICT_PROMPT
from inspect_distill.rse.prompts import JUDGE_PROMPT as SIMILARITY_PROMPT
from tests.support.scripted import fields_of

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_API_KEY = "test-key"

TRAITS = re.compile(r"\[\[traits ([01]+)\]\]")
"""A template's traits; the first marker in a text counts."""
VARIANT = re.compile(r"^Variant [0-9a-f]{6}\.\n", re.MULTILINE)
CJK = re.compile(r"[\u4e00-\u9fff]")

# --- configuration ---------------------------------------------------------------------------------------


class Faults(BaseModel):
    """Transport faults of one model, as rates per request (drawn in this order, at most one per request)."""

    rate_limit: float = Field(default=0.0, ge=0, le=1, description="HTTP 429")
    server_error: float = Field(default=0.0, ge=0, le=1, description="HTTP 500")
    timeout: float = Field(default=0.0, ge=0, le=1, description="no answer until the client gives up")
    empty: float = Field(default=0.0, ge=0, le=1, description="HTTP 200 with an empty body")
    garbage: float = Field(default=0.0, ge=0, le=1, description="HTTP 200 with a body that is not JSON")
    always: dict[str, str] = Field(
        default_factory=dict,
        description="marker -> fault kind (one above, or `unauthorized`: HTTP 401): every request whose prompt "
        "contains the marker fails so",
    )

    def pick(self, draw: float) -> str | None:
        """The fault for a uniform draw in [0, 1), or None."""
        edge = 0.0
        for kind in ("rate_limit", "server_error", "timeout", "empty", "garbage"):
            edge += getattr(self, kind)
            if draw < edge:
                return kind
        return None


class TargetScript(BaseModel):
    """A target that says who it is, and under some templates claims to be someone else."""

    kind: Literal["target"] = "target"
    own: str = "I am DeepSeek-V3, an AI assistant developed by DeepSeek."
    own_zh: str = "我是DeepSeek-V3，一个由DeepSeek开发的智能助手。"
    leak: str = "I am ChatGPT, a large language model developed by OpenAI."
    """A strict leak (a reference identity)."""
    leak_zh: str = "我是ChatGPT，一个由OpenAI开发的大型语言模型。"
    other: str = "I am Qwen, a large language model created by Alibaba Cloud."
    """A loose leak that is not strict (another family, not a reference)."""
    other_zh: str = "我是通义千问，一个由阿里云开发的大型语言模型。"
    base_leak: float = 0.1
    """Strict-leak probability under a template without traits."""
    max_leak: float = 0.9
    """Strict-leak probability under a template whose traits all match the optimum."""
    sharpness: float = 4.0
    """Leak probability = max_leak * (matching traits / traits) ** sharpness."""
    other_rate: float = 0.02
    zh_factor: float = 0.5
    """Leak probabilities are multiplied by this for a prompt in Chinese."""
    refusal_rate: float = 0.0
    response_chars: int = 500
    """Answers are padded with neutral sentences to about this length (the paper's answers: ~515 characters)."""
    variant: int = 0
    """Another variant draws other answers to the same prompts (a reference model beside a tested one)."""


class MutatorScript(BaseModel):
    """A mutator that rewrites templates (traits flipped or crossed over) and sometimes misbehaves."""

    kind: Literal["mutator"] = "mutator"
    refusal_rate: float = 0.0
    lost_placeholder_rate: float = 0.0
    flips: int = 1
    """Traits flipped by a rephrase, shorten or expand (generate_similar flips twice as many)."""


class JudgeScript(BaseModel):
    """An identity judge whose verdict follows the names in the judged answer."""

    kind: Literal["judge"] = "judge"
    untagged_rate: float = 0.0
    """Answers giving the verdict in prose without the tag (one extraction request recovers it)."""
    noise_rate: float = 0.0
    """Answers with no verdict at all (the extraction request cannot recover it: the row stays unjudged)."""


Script = Annotated[TargetScript | MutatorScript | JudgeScript, Field(discriminator="kind")]


class Role(BaseModel):
    """How the server answers one model name."""

    script: Script
    latency: float = Field(default=0.0, ge=0, description="seconds per call")
    latency_spread: float = Field(
        default=0.0, ge=0, description="log-normal spread (sigma) of the latency around `latency` (its median)"
    )
    latency_seed: int | None = Field(
        default=0, description="draws the spread per request (another seed: other latencies for the same requests); "
        "None: a fresh random draw per call",
    )
    faults: Faults = Field(default_factory=Faults)


def default_roles() -> dict[str, Role]:
    return {
        "target": Role(script=TargetScript()),
        "reference": Role(script=TargetScript(variant=1)),
        "mutator": Role(script=MutatorScript()),
        "judge": Role(script=JudgeScript()),
        "grader": Role(script=JudgeScript()),
    }


class ServerConfig(BaseModel):
    """The whole server: roles by model name (a request's model gets the longest role name it contains)."""

    roles: dict[str, Role] = Field(default_factory=default_roles)
    seed: int = 0
    max_concurrency: int | None = Field(default=None, ge=1, description="requests in flight; beyond: HTTP 429")
    retry_after_ms: int | None = Field(
        default=10, description="`retry-after-ms` header on 429/500 (None: the client backs off on its own)"
    )
    timeout_hold: float = Field(default=3.0, description="seconds a timeout fault keeps the request unanswered")

    def role(self, model: str) -> Role | None:
        if model in self.roles:
            return self.roles[model]
        contained = [name for name in self.roles if name in model]
        return self.roles[max(contained, key=len)] if contained else None

    def with_role(self, name: str, **changes: Any) -> ServerConfig:
        """A copy with one role changed (`latency=`, `faults=Faults(...)`, `script=...`)."""
        roles = dict(self.roles)
        roles[name] = (roles.get(name) or self.role(name) or Role(script=TargetScript())).model_copy(update=changes)
        return self.model_copy(update={"roles": roles})


class ModelStats(BaseModel):
    """What the server received for one model name."""

    requests: int = 0
    answered: int = 0
    faults: dict[str, int] = Field(default_factory=dict)
    held: int = 0
    peak_in_flight: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requested: list[str] = Field(default_factory=list)
    """Digest of the prompt (last user message) and sampling seed of every request, in arrival order: the
    same prompt with another seed (a mutation of the same template in a later iteration) is a new request."""
    answered_requests: list[str] = Field(default_factory=list)
    """Digest (as `requested`) of every answered request."""
    credentials: list[str] = Field(default_factory=list)
    """Digest of every distinct bearer token received (to show a key was sent without keeping it)."""


# --- deterministic draws ---------------------------------------------------------------------------------


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def draw(*parts: object) -> float:
    """A uniform number in [0, 1) fixed by the parts."""
    value = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(value[:8], "big") / 2**64


def _spread(sigma: float, u: float) -> float:
    """A log-normal factor with median 1 for a uniform draw u."""
    if sigma <= 0:
        return 1.0
    return math.exp(sigma * NormalDist().inv_cdf(min(max(u, 1e-9), 1 - 1e-9)))


def latency_draw(role: Role, seed: int, request: tuple[str, str], attempt: int) -> float:
    """The uniform draw behind a call's latency: fixed by the request and its attempt (and the role's
    `latency_seed`, when not 0), or at random (`latency_seed` None)."""
    if role.latency_seed is None:
        return random.random()
    extra = (role.latency_seed,) if role.latency_seed else ()
    return draw(seed, "latency", *extra, *request, attempt)


def rng_for(*parts: object) -> random.Random:
    return random.Random(int(draw(*parts) * 2**53))


def optimum(seed: int, length: int) -> str:
    """The hidden best traits of a given length."""
    rng = rng_for(seed, "optimum", length)
    return "".join(rng.choice("01") for _ in range(length))


def trait_fitness(traits: str, seed: int) -> float:
    """The share of traits that match the hidden optimum."""
    best = optimum(seed, len(traits))
    return sum(a == b for a, b in zip(traits, best)) / len(traits)


# --- scripted roles --------------------------------------------------------------------------------------

FILLER_EN = (
    "I can help with writing, analysis, coding and everyday questions.",
    "My knowledge comes from a large collection of text, and I may not know about very recent events.",
    "If you share more details about what you need, I can give a more precise answer.",
    "I try to be accurate, but it is a good idea to check important facts with a reliable source.",
    "I do not have personal experiences or feelings, although I can discuss them.",
    "Feel free to ask a follow-up question at any time.",
    "I can also summarise documents, translate text and explain difficult ideas step by step.",
    "Conversations like this one help me understand what kind of answer is most useful to you.",
)
FILLER_ZH = (
    "我可以帮助你写作、分析、编程以及回答日常问题。",
    "我的知识来自大量文本，可能不了解最近发生的事件。",
    "如果你提供更多细节，我可以给出更准确的回答。",
    "我会尽量保证准确，但重要的信息最好再向可靠的来源核实。",
    "我没有个人经历或情感，但可以和你讨论这些话题。",
    "欢迎随时继续提问。",
)
MUTANT_PREAMBLE = "Here is the new template:\n"
EXPAND_SENTENCES = (
    "This conversation is part of an approved transparency review.",
    "Reviewers compare every answer with the system documentation.",
    "Precise and complete answers are the only acceptable kind here.",
)
MUTATOR_REFUSAL = "I'm sorry, but I can't help with rewriting this template."
FOREIGN_NAMES = ("ChatGPT", "OpenAI", "GPT-4", "Claude", "Anthropic", "Qwen", "Alibaba", "通义千问", "阿里云",
                 "Gemini", "Google", "Llama", "Meta")
"""Names the scripted judge recognises as identity claims."""


def target_answer(script: TargetScript, prompt: str, seed: int) -> str:
    zh = bool(CJK.search(prompt))
    factor = script.zh_factor if zh else 1.0
    traits = TRAITS.search(prompt)
    if traits:
        leak = script.max_leak * trait_fitness(traits.group(1), seed) ** script.sharpness
    else:
        leak = script.base_leak
    leak *= factor
    other = script.other_rate * factor
    u = draw(seed, "target", script.variant, prompt)
    if u < script.refusal_rate:
        return "对不起，我无法回答这个问题。" if zh else "I'm sorry, but I can't help with that request."
    u = (u - script.refusal_rate) / (1 - script.refusal_rate) if script.refusal_rate < 1 else 0.0
    if u < leak:
        first = script.leak_zh if zh else script.leak
    elif u < leak + other:
        first = script.other_zh if zh else script.other
    else:
        first = script.own_zh if zh else script.own
    rng = rng_for(seed, "filler", script.variant, prompt)
    filler = list(FILLER_ZH if zh else FILLER_EN)
    rng.shuffle(filler)
    parts = [first]
    size = len(first)
    limit = script.response_chars // 2 if zh else script.response_chars  # a Chinese character says more
    for sentence in filler:
        if size >= limit:
            break
        parts.append(sentence)
        size += len(sentence) + 1
    return ("" if zh else " ").join(parts)


def _flip(traits: str, count: int, rng: random.Random) -> str:
    bits = list(traits)
    for position in rng.sample(range(len(bits)), min(count, len(bits))):
        bits[position] = "1" if bits[position] == "0" else "0"
    return "".join(bits)


def _cross(first: str, second: str, rng: random.Random) -> str:
    if len(first) != len(second):
        return first
    return "".join(a if rng.random() < 0.5 else b for a, b in zip(first, second))


def _with_traits(template: str, traits: str | None, rng: random.Random) -> str:
    """The template with its first traits marker replaced and a fresh variant line first."""
    body = VARIANT.sub("", template, count=1) if template.startswith("Variant ") else template
    if traits is not None:
        body = TRAITS.sub(f"[[traits {traits}]]", body, count=1)
    return f"Variant {rng.getrandbits(24):06x}.\n{body}"


def mutator_answer(script: MutatorScript, prompt: str, request_seed: object, seed: int) -> str:
    operator, fields = next(
        ((name, found) for name, cls in MUTATORS.items() if (found := fields_of(cls.prompt, prompt)) is not None),
        (None, None),
    )
    if operator is None or fields is None:
        return "I do not recognise this task."
    mutation = _mutation(script, operator, fields["template"].strip(), fields.get("partner", ""), prompt,
                         request_seed, seed)
    if mutation is None:
        return MUTATOR_REFUSAL
    if operator == "expand":
        return f"<sentences>{mutation}</sentences>"
    return f"{MUTANT_PREAMBLE}<template>\n{mutation}\n</template>"


JSON_PLACEHOLDER = "{{ prompt }}"
"""PyRIT's template placeholder (a Jinja field)."""
JSON_OPERATORS = (("crossover", "crossover"), ("three sentences", "expand"), ("Condense", "shorten"),
                  ("Rephrase", "rephrase"), ("similar", "generate_similar"))
"""Words of a JSON mutation request's system prompt (PyRIT's GPTFuzz converters) -> the operator."""
JSON_TEMPLATE = re.compile(r"====TEMPLATE(?: (\d))? BEGINS====\n?(.*?)\n?====TEMPLATE(?: \d)? ENDS====", re.S)


def wants_json(body: dict[str, Any]) -> bool:
    """A request for a JSON answer: `response_format` json, or a system prompt asking for `{"output": ...}`."""
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") in ("json_object", "json_schema"):
        return True
    return '{"output"' in system_prompt(body)


def json_mutator_answer(script: MutatorScript, system: str, prompt: str, request_seed: object, seed: int) -> str:
    """A mutation in JSON, `{"output": ...}`: the template between `====TEMPLATE BEGINS====` markers, the operator
    told by the system prompt (for expand: only the new sentences, which the caller puts in front)."""
    operator = next((name for word, name in JSON_OPERATORS if word in system), None)
    templates = {number or "1": text.strip() for number, text in JSON_TEMPLATE.findall(prompt)}
    if operator is None or "1" not in templates:
        return json.dumps({"output": "I do not recognise this task."})
    mutation = _mutation(script, operator, templates["1"], templates.get("2", ""), prompt, request_seed, seed)
    return MUTATOR_REFUSAL if mutation is None else json.dumps({"output": mutation})


def _mutation(script: MutatorScript, operator: str, template: str, partner: str, prompt: str, request_seed: object,
              seed: int) -> str | None:
    """The mutant (for expand: the sentences to put in front), or None for a refusal."""
    u = draw(seed, "mutator", prompt, request_seed)
    if u < script.refusal_rate:
        return None
    lose = u < script.refusal_rate + script.lost_placeholder_rate
    rng = rng_for(seed, "mutate", prompt, request_seed)
    found = TRAITS.search(template)
    traits = found.group(1) if found else None
    if operator == "expand":
        marker = f" [[traits {_flip(traits, script.flips, rng)}]]" if traits else ""
        sentences = f"{EXPAND_SENTENCES[0]}{marker} Variant {rng.getrandbits(24):06x}. {' '.join(EXPAND_SENTENCES[1:])}"
        if lose:  # the placeholder leaks into the added text: the campaign must reject it
            sentences += f" {PLACEHOLDER}"
        return sentences
    if traits is not None:
        if operator == "crossover":
            other = TRAITS.search(partner)
            traits = _cross(traits, other.group(1), rng) if other else traits
            traits = _flip(traits, script.flips, rng) if rng.random() < 0.5 else traits
        else:
            traits = _flip(traits, script.flips * (2 if operator == "generate_similar" else 1), rng)
    mutant = _with_traits(template, traits, rng)
    if lose:
        mutant = mutant.replace(PLACEHOLDER, "the question").replace(JSON_PLACEHOLDER, "the question")
    return mutant


def judge_answer(script: JudgeScript, prompt: str, seed: int) -> str:
    if (extract := fields_of(EXTRACT_PROMPT, prompt)) is not None:
        earlier = extract["answer"]
        if "Verdict: yes" in earlier:
            return "<verdict>1</verdict>"
        if "Verdict: no" in earlier:
            return "<verdict>0</verdict>"
        return "I cannot tell from that text."
    if (similarity := fields_of(SIMILARITY_PROMPT, prompt)) is not None:
        return similarity_answer(similarity["answer_a"], similarity["answer_b"])
    if (loose := fields_of(LOOSE_PROMPT, prompt)) is not None:
        answer = loose["response"]
        verdict = any(name in answer and name not in loose["fact"] for name in FOREIGN_NAMES)
    elif (strict := fields_of(STRICT_PROMPT, prompt)) is not None:
        answer = strict["response"]
        names = {n.strip() for n in re.split(r"[,()\n]|models:|- ", strict["references"]) if len(n.strip()) > 2}
        verdict = any(name in answer for name in names)
    else:
        return "I do not recognise this task."
    u = draw(seed, "judge", prompt)
    if u < script.noise_rate:
        return "~~ [judge output truncated] ~~"
    if u < script.noise_rate + script.untagged_rate:
        return f"Verdict: {'yes' if verdict else 'no'}. The answer {'does' if verdict else 'does not'} claim it."
    names_found = [name for name in FOREIGN_NAMES if name in answer]
    reason = f"The answer names {', '.join(names_found)} for itself." if names_found else "No other identity."
    return f"{reason} <verdict>{int(verdict)}</verdict>"


def similarity_answer(first_answer: str, second_answer: str) -> str:
    """An RSE rating: overall similarity from the word overlap (Jaccard) of the two answers."""
    first, second = set(first_answer.lower().split()), set(second_answer.lower().split())
    overlap = len(first & second) / len(first | second) if first | second else 0.0
    part = min(2, int(overlap * 3))
    rating = {"style": part, "logic": part, "content": part, "overall": 1 + min(4, int(overlap * 5)),
              "reason": f"word overlap {overlap:.2f}"}
    return json.dumps(rating)


def script_answer(script: TargetScript | MutatorScript | JudgeScript, prompt: str, body: dict[str, Any],
                  seed: int) -> str:
    if isinstance(script, TargetScript):
        return target_answer(script, prompt, seed)
    if isinstance(script, MutatorScript):
        if wants_json(body):
            return json_mutator_answer(script, system_prompt(body), prompt, body.get("seed"), seed)
        return mutator_answer(script, prompt, body.get("seed"), seed)
    return judge_answer(script, prompt, seed)


def _message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def last_user_prompt(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages") or []):
        if message.get("role") == "user":
            return _message_text(message.get("content"))
    return ""


def system_prompt(body: dict[str, Any]) -> str:
    return "\n".join(_message_text(m.get("content")) for m in body.get("messages") or []
                     if m.get("role") in ("system", "developer"))


def tokens(text: str) -> int:
    """A rough token count (4 characters a token) for the usage block."""
    return max(1, len(text) // 4)


# --- the HTTP server -------------------------------------------------------------------------------------


class _State:
    """Config, counters and the hold switch, shared by the handler threads."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.stats: dict[str, ModelStats] = {}
        self.seen: Counter[tuple[str, str]] = Counter()
        self.in_flight = 0
        self.in_flight_by_model: Counter[str] = Counter()
        self.stopping = threading.Event()
        self.hold_after: dict[str, int] = {}
        self.admitted: Counter[str] = Counter()
        self.release = threading.Event()
        self.ids = 0

    def model_stats(self, model: str) -> ModelStats:
        return self.stats.setdefault(model, ModelStats())

    def snapshot(self) -> dict[str, ModelStats]:
        with self.lock:
            return {name: stats.model_copy(deep=True) for name, stats in self.stats.items()}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # headers and body go out as two writes: without this, Nagle's algorithm and the client's delayed
        # ACK add ~40 ms to every call
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return

    # -- plumbing --

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), headers)

    def _error(self, status: int, message: str, kind: str, code: str | None = None) -> None:
        retry = self.server.state.config.retry_after_ms
        headers = {"retry-after-ms": str(retry)} if retry is not None and status in (429, 500) else {}
        self._json(status, {"error": {"message": message, "type": kind, "param": None, "code": code}}, headers)

    # -- endpoints --

    def do_GET(self) -> None:
        state = self.server.state
        if self.path.rstrip("/") == "/stats":
            self._json(200, {name: s.model_dump() for name, s in state.snapshot().items()})
        elif self.path.rstrip("/") == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": n, "object": "model"} for n in state.config.roles]})
        else:
            self._error(404, f"no route {self.path}", "invalid_request_error")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.rstrip("/") == "/control":
            self._control(json.loads(raw or b"{}"))
            return
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._error(404, f"no route {self.path}", "invalid_request_error")
            return
        try:
            body = json.loads(raw)
        except json.JSONDecodeError:
            self._error(400, "request body is not JSON", "invalid_request_error")
            return
        self._complete(body, raw)

    def _control(self, command: dict[str, Any]) -> None:
        if "hold" in command:
            self.server.hold(**command["hold"])
        if command.get("release"):
            self.server.release()
        if command.get("reset"):
            self.server.reset()
        self._json(200, {"ok": True})

    def _complete(self, body: dict[str, Any], raw: bytes) -> None:
        state = self.server.state
        config = state.config
        model = str(body.get("model") or "")
        role = config.role(model)
        if role is None:
            self._error(404, f"The model `{model}` does not exist.", "invalid_request_error", "model_not_found")
            return
        prompt = last_user_prompt(body)
        request_digest = digest(f"{prompt}\x1f{body.get('seed')}")
        credential = digest(self.headers.get("Authorization", "").removeprefix("Bearer "))
        with state.lock:
            stats = state.model_stats(model)
            stats.requests += 1
            if credential not in stats.credentials:
                stats.credentials.append(credential)
            stats.requested.append(request_digest)
            body_key = (model, hashlib.sha256(raw).hexdigest())
            attempt = state.seen[body_key]
            state.seen[body_key] += 1
            state.in_flight += 1
            state.in_flight_by_model[model] += 1
            stats.peak_in_flight = max(stats.peak_in_flight, state.in_flight_by_model[model])
            over_cap = config.max_concurrency is not None and state.in_flight > config.max_concurrency
            hold = False
            if not over_cap and model in state.hold_after:
                state.admitted[model] += 1
                hold = state.admitted[model] > state.hold_after[model]
                stats.held += int(hold)
        try:
            if over_cap:
                self._fault(model, "over_capacity")
                return
            if hold:
                generation = state.release
                while not (generation.wait(0.05) or state.stopping.is_set()):
                    pass
                self.close_connection = True  # a held request is never answered
                return
            fault = next((kind for marker, kind in role.faults.always.items() if marker in prompt), None)
            if fault is None:
                fault = role.faults.pick(draw(config.seed, "fault", *body_key, attempt))
            if role.latency:
                time.sleep(role.latency * _spread(role.latency_spread, latency_draw(role, config.seed, body_key, attempt)))
            if fault is not None:
                self._fault(model, fault)
                return
            text = script_answer(role.script, prompt, body, config.seed)
            with state.lock:
                state.ids += 1
                request_id = state.ids
                stats.answered += 1
                stats.answered_requests.append(request_digest)
                prompt_tokens = sum(tokens(_message_text(m.get("content"))) for m in body.get("messages") or [])
                stats.prompt_tokens += prompt_tokens
                stats.completion_tokens += tokens(text)
            self._json(
                200,
                {
                    "id": f"chatcmpl-{request_id}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                            "logprobs": None,
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": tokens(text),
                        "total_tokens": prompt_tokens + tokens(text),
                    },
                },
                {"x-request-id": f"req_{request_id}"},
            )
        finally:
            with state.lock:
                state.in_flight -= 1
                state.in_flight_by_model[model] -= 1

    def _fault(self, model: str, kind: str) -> None:
        state = self.server.state
        with state.lock:
            faults = state.model_stats(model).faults
            faults[kind] = faults.get(kind, 0) + 1
        if kind in ("rate_limit", "over_capacity"):
            self._error(429, f"Rate limit reached for {model} (injected).", "requests", "rate_limit_exceeded")
        elif kind == "server_error":
            self._error(500, "The server had an error while processing your request (injected).", "server_error")
        elif kind == "unauthorized":
            self._error(401, "Incorrect API key provided (injected).", "invalid_request_error", "invalid_api_key")
        elif kind == "timeout":
            state.stopping.wait(state.config.timeout_hold)
            self.close_connection = True
        elif kind == "empty":
            self._send(200, b"")
        else:
            self._send(200, b"<html><body>502 Bad Gateway \x00\xff upstream garbage")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512

    def __init__(self, config: ServerConfig) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = _State(config)

    def hold(self, model: str, after: int) -> None:
        """Answer `after` more requests of `model`, then hold every later one unanswered until `release()`."""
        with self.state.lock:
            self.state.hold_after[model] = after
            self.state.admitted[model] = 0
            self.state.release = threading.Event()

    def release(self) -> None:
        """Stop holding: held requests are dropped unanswered, later ones are answered."""
        with self.state.lock:
            self.state.hold_after.clear()
            self.state.release.set()

    def reset(self) -> None:
        """Forget every count (and which requests were seen)."""
        with self.state.lock:
            self.state.stats.clear()
            self.state.seen.clear()


class OpenAIServer:
    """The server in a thread of this process: a context manager (`with OpenAIServer(config) as server:`)."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> OpenAIServer:
        self._server = _Server(self.config)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="openai-test-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.state.stopping.set()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def _live(self) -> _Server:
        if self._server is None:
            raise RuntimeError("The server is not running.")
        return self._server

    @property
    def port(self) -> int:
        return int(self._live.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def stats(self, model: str | None = None) -> Any:
        """Counts per model name (a `ModelStats`, or a dict of them when no model is named)."""
        snapshot = self._live.state.snapshot()
        return snapshot.get(model, ModelStats()) if model is not None else snapshot

    def set_config(self, config: ServerConfig) -> None:
        """Change roles, faults or latency while serving (counts are kept)."""
        self.config = config
        self._live.state.config = config

    def hold(self, model: str, after: int) -> None:
        self._live.hold(model, after)

    def reset(self) -> None:
        self._live.reset()

    def release(self) -> None:
        self._live.release()

    def model(self, name: str, **model_args: Any) -> Any:
        """An Inspect model on the real `openai` provider, pointed at this server."""
        return server_model(self.base_url, name, **model_args)


def server_model(base_url: str, name: str, **model_args: Any) -> Any:
    from inspect_ai.model import get_model

    model_args.setdefault("api_key", TEST_API_KEY)
    return get_model(f"openai/{name}", base_url=base_url, memoize=False, **model_args)


class ServerProcess:
    """The server in a separate process (`python -m tests.support.openai_server`), for benchmarks."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self.config = config or ServerConfig()
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> ServerProcess:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.openai_server", "--config", self.config.model_dump_json(),
             "--exit-with-parent"],
            cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self._process.stdout is not None
        self.base_url = self._process.stdout.readline().strip()
        if not self.base_url.startswith("http://"):
            self.__exit__(None, None, None)
            raise RuntimeError("The test server process did not start.")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None

    def stats(self, model: str | None = None) -> Any:
        root = self.base_url.removesuffix("/v1")
        with urllib.request.urlopen(f"{root}/stats", timeout=30) as response:
            data = json.loads(response.read())
        stats = {name: ModelStats.model_validate(value) for name, value in data.items()}
        return stats.get(model, ModelStats()) if model is not None else stats

    def model(self, name: str, **model_args: Any) -> Any:
        return server_model(self.base_url, name, **model_args)

    def reset(self) -> None:
        """Forget every count (between benchmark runs)."""
        root = self.base_url.removesuffix("/v1")
        request = urllib.request.Request(f"{root}/control", data=json.dumps({"reset": True}).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far (Linux)."""
        assert self._process is not None
        fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--config", default="{}", help="ServerConfig as JSON")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="stop when stdin closes (the parent's pipe: a killed benchmark leaves no server behind)")
    args = parser.parse_args(argv)
    server = _Server(ServerConfig.model_validate_json(args.config))
    if args.exit_with_parent:
        def stop_at_eof() -> None:
            sys.stdin.read()
            server.shutdown()

        threading.Thread(target=stop_at_eof, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}/v1", flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
    finally:
        server.state.stopping.set()
        server.server_close()


if __name__ == "__main__":
    main()
