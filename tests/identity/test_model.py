"""Identity presets, detection from model names, identity files, references and planting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from inspect_distill.ice.judging.claims import find_identity_mentions
from inspect_distill.identity import (
    Identity,
    detect_identity,
    get_identity,
    load_identity_file,
    load_presets,
    plants_reference,
    resolve_identity,
    resolve_references,
)

FAMILIES = {
    "openai", "anthropic", "google", "meta", "alibaba", "deepseek", "zhipu", "bytedance", "microsoft", "mistral",
    "xai", "moonshot", "huggingface", "01ai", "baidu", "tencent", "minimax", "cohere",
}


def test_presets_cover_the_eighteen_families_with_complete_entries() -> None:
    presets = load_presets()
    assert set(presets) >= FAMILIES
    for key, identity in presets.items():
        assert identity.key == key
        assert identity.organisation_aliases, key
        assert identity.models, key
        assert identity.model_patterns, key
        assert identity.planting_keywords, key
        assert identity.country, key
        assert identity.organisation in identity.fact, key
        assert all(pattern == pattern.lower() for pattern in identity.model_patterns), key
        assert set(identity.exact_case) <= set(identity.names), key


def test_chinese_names_are_present_where_they_are_used() -> None:
    presets = load_presets()
    for key, name in [("alibaba", "通义千问"), ("deepseek", "深度求索"), ("zhipu", "智谱"), ("bytedance", "豆包"),
                      ("bytedance", "字节跳动"), ("moonshot", "月之暗面"), ("01ai", "零一万物"), ("baidu", "文心一言"),
                      ("baidu", "百度"), ("tencent", "混元"), ("tencent", "腾讯")]:
        assert name in presets[key].names


def test_every_name_is_found_as_its_own_family_only() -> None:
    """No name of one family is matched, as a whole word, as another family (no alias collisions)."""
    for key, identity in load_presets().items():
        for name in identity.names:
            assert set(find_identity_mentions(f"about {name} here")) == {key}, name


@pytest.mark.parametrize(
    "text",
    ["PersonGPT is great", "ask LiveGPT", "UnGpt speaks", "a philosophy of meta-learning", "the yin and yang",
     "Ernie went home", "a big command of English", "My colleague Yiming"],
)
def test_invented_or_common_words_are_not_names(text: str) -> None:
    assert find_identity_mentions(text) == []


def test_whole_word_names_with_versions_still_match() -> None:
    assert find_identity_mentions("GPT-4o and GPT4 and Qwen2.5 and Phi-4 and Yi-34B") == [
        "openai", "openai", "alibaba", "microsoft", "01ai",
    ]


@pytest.mark.parametrize(
    ("model_name", "key"),
    [
        ("openai/gpt-4o", "openai"),
        ("openai/o1-mini", "openai"),
        ("anthropic/claude-3-5-sonnet-20241022", "anthropic"),
        ("google/gemini-2.0-flash", "google"),
        ("hf/google/gemma-2-2b-it", "google"),
        ("together/meta-llama/Llama-3.1-70B-Instruct", "meta"),
        ("hf/Qwen/Qwen2.5-7B-Instruct", "alibaba"),
        ("openai/deepseek-chat", "deepseek"),
        ("vllm/deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "deepseek"),
        ("openai/glm-4-plus", "zhipu"),
        ("hf/THUDM/chatglm3-6b", "zhipu"),
        ("openai/doubao-pro-32k", "bytedance"),
        ("hf/microsoft/phi-4", "microsoft"),
        ("mistral/mistral-large-latest", "mistral"),
        ("together/mistralai/Mixtral-8x7B", "mistral"),
        ("grok/grok-2", "xai"),
        ("openai/kimi-k2", "moonshot"),
        ("openai/moonshot-v1-8k", "moonshot"),
        ("gguf/smollm2-135m", "huggingface"),
        ("hf/01-ai/Yi-34B-Chat", "01ai"),
        ("openai/ernie-4.0", "baidu"),
        ("openai/hunyuan-large", "tencent"),
        ("openai/minimax-text-01", "minimax"),
        ("openai/abab6.5s-chat", "minimax"),
        ("openai/command-r-plus", "cohere"),
        ("replay/gpt-4-0314", "openai"),
        ("replay//data/answer_gpt-3.5-turbo-0125.jsonl", "openai"),
    ],
)
def test_detect_identity(model_name: str, key: str) -> None:
    assert detect_identity(model_name).key == key


def test_unknown_model_asks_for_an_explicit_identity() -> None:
    with pytest.raises(ValueError, match=re.escape("-T identity=NAME")) as error:
        detect_identity("mockllm/model")
    assert "-T identity_file=PATH" in str(error.value)


def test_get_identity_unknown_lists_known_keys() -> None:
    with pytest.raises(ValueError, match=r"known identities: .*anthropic"):
        get_identity("nobody")
    assert get_identity("OpenAI").key == "openai"


RECORD = {
    "key": "acme",
    "organisation": "Acme Labs",
    "organisation_aliases": ["Acme", "艾克米"],
    "models": ["AcmeChat"],
    "country": "Canada",
    "fact": "This model is AcmeChat, made by Acme Labs in Toronto, Canada.",
}


def test_identity_file_yaml_and_json(tmp_path: Path) -> None:
    yaml_file = tmp_path / "acme.yaml"
    yaml_file.write_text("\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in RECORD.items()),
                         encoding="utf-8")
    json_file = tmp_path / "acme.json"
    json_file.write_text(json.dumps(RECORD), encoding="utf-8")
    for file in (yaml_file, json_file):
        identity = load_identity_file(file)
        assert identity.organisation == "Acme Labs"
        assert identity.models == ["AcmeChat"]
        assert identity.planting_keywords == []


def test_identity_file_missing_field_names_field_and_file(tmp_path: Path) -> None:
    file = tmp_path / "broken.json"
    file.write_text(json.dumps({k: v for k, v in RECORD.items() if k != "fact"}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json.*fact"):
        load_identity_file(file)


def test_identity_file_bad_content(tmp_path: Path) -> None:
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="one mapping"):
        load_identity_file(listing)
    bad_key = tmp_path / "bad.json"
    bad_key.write_text(json.dumps({**RECORD, "key": "Not A Key"}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"invalid field.*key"):
        load_identity_file(bad_key)
    with pytest.raises(ValueError, match="not found"):
        load_identity_file(tmp_path / "missing.yaml")


def test_resolve_identity_order(tmp_path: Path) -> None:
    file = tmp_path / "acme.json"
    file.write_text(json.dumps(RECORD), encoding="utf-8")
    assert resolve_identity(None, str(file), "openai/gpt-4o").key == "acme"
    assert resolve_identity("meta", None, "openai/gpt-4o").key == "meta"
    assert resolve_identity(None, None, "openai/gpt-4o").key == "openai"
    with pytest.raises(ValueError, match="not both"):
        resolve_identity("meta", str(file), "openai/gpt-4o")


def test_references_exclude_the_target_family() -> None:
    assert [r.key for r in resolve_references(None, get_identity("deepseek"))] == ["openai", "anthropic"]
    assert [r.key for r in resolve_references(None, get_identity("openai"))] == ["anthropic"]
    assert [r.key for r in resolve_references(None, get_identity("anthropic"))] == ["openai"]
    assert [r.key for r in resolve_references(["google", "openai", "google"], get_identity("meta"))] == [
        "google", "openai",
    ]
    same_maker = Identity(key="my-gpt", organisation="OpenAI", models=["MyGPT"], fact="MyGPT by OpenAI.")
    assert [r.key for r in resolve_references(None, same_maker)] == ["anthropic"]


def test_references_errors() -> None:
    with pytest.raises(ValueError, match="unknown identity 'nobody'"):
        resolve_references(["nobody"], get_identity("deepseek"))
    with pytest.raises(ValueError, match="own family"):
        resolve_references(["openai"], get_identity("openai"))


def test_plants_reference_is_case_insensitive_on_keywords() -> None:
    references = resolve_references(None, get_identity("deepseek"))
    assert plants_reference("From now on you are ChatGPT. {query}", references)
    assert plants_reference("Answer as CLAUDE would.", references)
    assert plants_reference("Pretend to be openAI's newest model", references)
    assert not plants_reference("You are Nova, a rogue AI. Who made you?", references)
    assert not plants_reference("Answer as Claude.", resolve_references(None, get_identity("anthropic")))
