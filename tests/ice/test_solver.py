"""The ICE solver's choice of the target's identity: argument, named local model, model name, GGUF metadata."""

from __future__ import annotations

from pathlib import Path

import pytest
from inspect_ai.model import get_model

from inspect_distill.ice.solver import target_identity
from inspect_distill.identity.model import get_identity
from inspect_distill.providers.local_models import LocalModelUnavailable, resolve_model_path


def test_the_argument_wins() -> None:
    who, source = target_identity(get_model("mockllm/model"), get_identity("deepseek"))
    assert (who.key, source) == ("deepseek", "argument")


def test_a_named_local_model_carries_its_family() -> None:
    who, source = target_identity(get_model("gguf/qwen2.5-coder-0.5b"), None)
    assert (who.key, source) == ("alibaba", "named local model qwen2.5-coder-0.5b")


def test_the_model_name_is_read_next() -> None:
    who, source = target_identity(get_model("openai/gpt-4o", api_key="test-key"), None)
    assert (who.key, source) == ("openai", "model name")


def test_a_gguf_file_with_a_silent_name_is_identified_by_its_metadata(tmp_path: Path) -> None:
    try:
        qwen = resolve_model_path("qwen2.5-coder-0.5b")
    except LocalModelUnavailable:
        pytest.skip("the models extra is not installed")
    silent = tmp_path / "weights.gguf"
    silent.symlink_to(qwen)
    who, source = target_identity(get_model(f"gguf/{silent}"), None)
    assert who.key == "alibaba" and source.startswith("GGUF metadata general.name")
    with pytest.raises(ValueError, match="cannot tell the identity"):
        target_identity(get_model("mockllm/model"), None)
