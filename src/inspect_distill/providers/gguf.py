"""In-process llama.cpp model API: `--model gguf/<name>`, `gguf/hf:<owner>/<repo>/<file>.gguf` or `gguf/<path>.gguf`.

Named models (`LOCAL_MODELS` in `local_models.py`): `smollm2-135m` (the `local` extra),
`qwen2.5-coder-0.5b` and `gemma-3-270m` (the `models` extra).

Prompt format: a GGUF with a chat template (`tokenizer.chat_template` in its metadata) is prompted with
that template through llama.cpp's chat completion. A GGUF without one is a base model (Gemma 3 270M
base): it is prompted with RAW TEXT, the messages' texts joined by blank lines with no role markup, and
its continuation is the answer. llama.cpp would otherwise fall back to a guessed format (Llama-2's
`[INST]`), and an instruction format would pretend the model was tuned on turns it never saw; raw text
shows what the base model itself continues.

Log probabilities (`GenerateConfig(logprobs=True, top_logprobs=k)`): each generated token's log probability
and the k most likely tokens at its position, read from the model's raw logits before any grammar or penalty
(what the model itself would say there), without llama.cpp's `logits_all` (which would hold a vocabulary-wide
row per context position: gigabytes for a 150k vocabulary).

Cancellation: llama.cpp generates in a worker thread, which asyncio cannot stop. When the call awaiting it is
cancelled (Ctrl-C, a timeout), a flag set for that call ends its generation at the next token
(`GenerationCancelled`), and calls still queued for the model do not start: the process exits in seconds.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessage,
    ChatMessageAssistant,
    GenerateConfig,
    Logprob,
    Logprobs,
    ModelAPI,
    ModelCall,
    ModelOutput,
    ModelUsage,
    StopReason,
    TopLogprob,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from inspect_distill.providers.local_models import LocalModelUnavailable, resolve_model_path

__all__ = ["GGUFModelAPI", "GenerationCancelled", "LocalModelUnavailable", "load_model", "resolve_model_path"]

LOCAL_EXTRA_HINT = "pip install 'inspect-distill[local]'"
DEFAULT_CONTEXT = 8192
DEFAULT_MAX_TOKENS = 512
CHAT_TEMPLATE_KEY = "tokenizer.chat_template"


class GenerationCancelled(Exception):
    """The call awaiting a generation was cancelled: the generation stopped early (or never started)."""


def _import_llama() -> Any:
    try:
        from llama_cpp import Llama
    except ImportError as ex:
        raise LocalModelUnavailable(
            f"The gguf provider needs llama-cpp-python, which is not installed. "
            f"Install the local extra: {LOCAL_EXTRA_HINT}"
        ) from ex
    return Llama


class LogprobRecorder:
    """Records each generated token's log probability and the `top` most likely tokens at its position.

    Called by llama.cpp as the first logits processor of every step (raw logits, before grammar and
    penalties); the sampled token is then reported by `chose`.
    """

    def __init__(self, top: int) -> None:
        self.top = top
        self.steps: list[tuple[int, float, list[tuple[int, float]]]] = []
        self._pending: np.ndarray | None = None

    def __call__(self, input_ids: np.ndarray, logits: np.ndarray) -> np.ndarray:
        values = logits.astype(np.float64)
        peak = values.max()
        self._pending = values - (peak + np.log(np.exp(values - peak).sum()))
        return logits

    def chose(self, token: int) -> None:
        """The token sampled at the step just recorded."""
        if self._pending is None:
            return
        logprobs, self._pending = self._pending, None
        top: list[tuple[int, float]] = []
        if self.top:
            ids = np.argpartition(-logprobs, self.top)[: self.top]
            top = [(int(i), float(logprobs[i])) for i in ids[np.argsort(-logprobs[ids])]]
        self.steps.append((int(token), float(logprobs[token]), top))


@cache
def _cancellable_llama() -> Any:
    """llama.cpp's `Llama`, extended so that a generation stops at the next token once its call is cancelled."""

    class CancellableLlama(_import_llama()):  # type: ignore[misc]
        cancelled: threading.Event | None = None
        """The flag of the call running now; set when that call is cancelled."""
        recorder: LogprobRecorder | None = None
        """The log probability recorder of the call running now, if it asked for them."""

        def sample(self, *args: Any, **kwargs: Any) -> Any:
            # llama.cpp's generation loop calls this once per token
            if self.cancelled is not None and self.cancelled.is_set():
                raise GenerationCancelled()
            token = super().sample(*args, **kwargs)
            if self.recorder is not None:
                self.recorder.chose(token)
            return token

    return CancellableLlama


class _LoadedModel:
    """One llama.cpp model, loaded once, used by one call at a time."""

    def __init__(self, path: Path, n_ctx: int, n_threads: int | None) -> None:
        Llama = _cancellable_llama()
        self.path = path
        self.lock = threading.Lock()
        self.llama = Llama(
            model_path=str(path),
            n_ctx=n_ctx,
            n_threads=n_threads,
            verbose=False,
            logits_all=False,
        )
        self.has_chat_template = CHAT_TEMPLATE_KEY in self.llama.metadata

    def _generate(
        self,
        cancelled: threading.Event | None,
        recorder: LogprobRecorder | None,
        run: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if recorder is not None:
            from llama_cpp import LogitsProcessorList

            extra["logits_processor"] = LogitsProcessorList([recorder])
        with self.lock:
            if cancelled is not None and cancelled.is_set():
                raise GenerationCancelled()  # cancelled while it waited for the model
            # llama.cpp keeps state between calls: reset so that every call is independent
            self.llama.reset()
            self.llama.cancelled = cancelled
            self.llama.recorder = recorder
            try:
                return run(extra)
            finally:
                self.llama.cancelled = None
                self.llama.recorder = None

    def chat(
        self,
        messages: list[dict[str, str]],
        params: dict[str, Any],
        cancelled: threading.Event | None = None,
        recorder: LogprobRecorder | None = None,
    ) -> dict[str, Any]:
        return self._generate(
            cancelled, recorder, lambda extra: self.llama.create_chat_completion(messages=messages, **params, **extra)
        )

    def complete(
        self,
        prompt: str,
        params: dict[str, Any],
        cancelled: threading.Event | None = None,
        recorder: LogprobRecorder | None = None,
    ) -> dict[str, Any]:
        """Plain text continuation (no chat template); a response schema becomes a grammar."""
        params = dict(params)
        response_format = params.pop("response_format", None)
        if response_format is not None:
            from llama_cpp.llama_grammar import LlamaGrammar

            params["grammar"] = LlamaGrammar.from_json_schema(json.dumps(response_format["schema"]), verbose=False)
        return self._generate(
            cancelled, recorder, lambda extra: self.llama.create_completion(prompt=prompt, **params, **extra)
        )

    def token_text(self, token: int) -> bytes:
        """The bytes of one token."""
        return bytes(self.llama.detokenize([token]))

    def tokenize(self, text: str) -> list[int]:
        with self.lock:
            return list(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))


_models: dict[tuple[str, int, int | None], _LoadedModel] = {}
_models_lock = threading.Lock()


def load_model(path: Path, n_ctx: int = DEFAULT_CONTEXT, n_threads: int | None = None) -> _LoadedModel:
    """Return the process-wide instance of a model file, loading it on first use."""
    key = (str(path.resolve()), n_ctx, n_threads)
    with _models_lock:
        if key not in _models:
            if not _models:
                atexit.register(_close_models)
            _models[key] = _LoadedModel(path, n_ctx, n_threads)
        return _models[key]


def _close_models() -> None:
    """Free the models before interpreter shutdown (llama.cpp's own finaliser fails that late)."""
    with _models_lock:
        for model in _models.values():
            model.llama.close()
        _models.clear()


def _message_dicts(messages: list[ChatMessage]) -> list[dict[str, str]]:
    converted: list[dict[str, str]] = []
    for message in messages:
        role = "user" if message.role == "tool" else message.role
        converted.append({"role": role, "content": message.text})
    return converted


def raw_prompt(messages: list[dict[str, str]]) -> str:
    """The prompt of a model without a chat template: the messages' texts, joined by blank lines."""
    return "\n\n".join(message["content"] for message in messages if message["content"])


def _generation_params(config: GenerateConfig) -> dict[str, Any]:
    params: dict[str, Any] = {
        "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
        "temperature": 0.0 if config.temperature is None else config.temperature,
    }
    if config.top_p is not None:
        params["top_p"] = config.top_p
    if config.top_k is not None:
        params["top_k"] = config.top_k
    if config.seed is not None:
        params["seed"] = config.seed
    if config.stop_seqs:
        params["stop"] = list(config.stop_seqs)
    if config.frequency_penalty is not None:
        params["frequency_penalty"] = config.frequency_penalty
    if config.presence_penalty is not None:
        params["presence_penalty"] = config.presence_penalty
    if config.response_schema is not None:
        # llama.cpp turns the JSON schema into a grammar: the reply can only be JSON of that shape
        schema = config.response_schema.json_schema.model_dump(exclude_none=True, by_alias=True)
        params["response_format"] = {"type": "json_object", "schema": schema}
    return params


def _logprobs(model: _LoadedModel, recorder: LogprobRecorder) -> Logprobs:
    def entry(token: int) -> tuple[str, list[int]]:
        raw = model.token_text(token)
        return raw.decode("utf-8", errors="replace"), list(raw)

    content = []
    for token, logprob, top in recorder.steps:
        text, raw = entry(token)
        alternatives = []
        for alternative, alternative_logprob in top:
            alternative_text, alternative_raw = entry(alternative)
            alternatives.append(TopLogprob(token=alternative_text, logprob=alternative_logprob, bytes=alternative_raw))
        content.append(Logprob(token=text, logprob=logprob, bytes=raw, top_logprobs=alternatives))
    return Logprobs(content=content)


class GGUFModelAPI(ModelAPI):
    """Runs a GGUF model with llama.cpp on the CPU, in this process.

    Model args (`-M`): `n_ctx` (context size, default 8192), `n_threads` (CPU threads).
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig | None = None,
        n_ctx: int = DEFAULT_CONTEXT,
        n_threads: int | None = None,
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config if config is not None else GenerateConfig())
        self.model_path = resolve_model_path(model_name)
        self.n_ctx = int(n_ctx)
        self.n_threads = int(n_threads) if n_threads is not None else None
        if model_args:
            raise ValueError(f"Unknown model args for the gguf provider: {sorted(model_args)}")

    @property
    def _model(self) -> _LoadedModel:
        return load_model(self.model_path, self.n_ctx, self.n_threads)

    def max_connections(self) -> int:
        # calls are serialised on the model; a few in flight keep the queue fed
        return 4

    def connection_key(self) -> str:
        return str(self.model_path)

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> tuple[ModelOutput, ModelCall]:
        if tools:
            raise ValueError("The gguf provider does not support tool calls.")
        messages = _message_dicts(input)
        params = _generation_params(config)
        model = self._model
        request: dict[str, Any] = {"model": self.model_name}
        cancelled = threading.Event()
        recorder = LogprobRecorder(config.top_logprobs or 0) if config.logprobs else None
        try:
            if model.has_chat_template:
                request["messages"] = messages
                response = await asyncio.to_thread(model.chat, messages, params, cancelled, recorder)
                choice = response["choices"][0]
                text = choice["message"].get("content") or ""
            else:
                request["prompt"] = raw_prompt(messages)
                response = await asyncio.to_thread(model.complete, request["prompt"], params, cancelled, recorder)
                choice = response["choices"][0]
                text = choice.get("text") or ""
        finally:
            cancelled.set()  # this call no longer waits (it was cancelled, or it is done): stop its thread
        usage = response.get("usage") or {}
        stop_reason: StopReason = "max_tokens" if choice.get("finish_reason") == "length" else "stop"
        output = ModelOutput(
            model=self.model_name,
            choices=[
                ChatCompletionChoice(
                    message=ChatMessageAssistant(content=text, model=self.model_name, source="generate"),
                    stop_reason=stop_reason,
                    logprobs=_logprobs(model, recorder) if recorder is not None else None,
                )
            ],
            usage=ModelUsage(
                input_tokens=int(usage.get("prompt_tokens", 0)),
                output_tokens=int(usage.get("completion_tokens", 0)),
                total_tokens=int(usage.get("total_tokens", 0)),
            ),
        )
        call = ModelCall.create(
            request={**request, **params},
            response=response,
        )
        return output, call

    async def count_text_tokens(self, text: str) -> int:
        return len(await self.tokenize(text))

    async def tokenize(self, text: str) -> list[int]:
        return await asyncio.to_thread(self._model.tokenize, text)
