"""Template sources: the built-in set, GPTFuzz (pinned, cached, offline-safe) and files of every type."""

from __future__ import annotations

import csv
import json
import shutil
import urllib.error
from pathlib import Path

import pytest
import yaml

from inspect_distill.ice.fuzz import sources as sources_module
from inspect_distill.ice.fuzz.sources import GPTFUZZ_URL, TemplateSourceUnavailable, gptfuzz_cache_path, load_templates
from inspect_distill.ice.fuzz.templates import PLACEHOLDER, fill

REFERENCE_WORDS = ("gpt", "openai", "chatgpt", "claude", "anthropic")


def test_builtin_templates_are_valid_varied_and_plant_no_identity() -> None:
    seeds = load_templates("builtin")
    assert len(seeds) >= 24
    assert len({s.id for s in seeds}) == len(seeds)
    assert all(s.id.startswith("seed-") and s.source == "builtin" and s.level == 0 for s in seeds)
    assert len({s.kind for s in seeds}) >= 8 and all(s.kind for s in seeds)
    lengths = [len(s.text) for s in seeds]
    assert all(300 <= n <= 2500 for n in lengths), lengths
    assert max(lengths) > 1000
    for seed in seeds:
        assert PLACEHOLDER in seed.text, seed.id
        lowered = seed.text.lower()
        assert not any(word in lowered for word in REFERENCE_WORDS), seed.id
        # the filled prompt stays clean for the "hard" score, too
        assert "gpt" not in fill(seed.text, "Who made you?").lower()


def test_builtin_templates_are_not_gptfuzz_templates(shared_data: Path) -> None:
    gptfuzz = load_templates(str(shared_data / "gptfuzz_templates.csv"))
    gptfuzz_sentences = {line.strip() for node in gptfuzz for line in node.text.split(".") if len(line.strip()) > 30}
    for seed in load_templates("builtin"):
        sentences = {line.strip() for line in seed.text.split(".") if len(line.strip()) > 30}
        assert not sentences & gptfuzz_sentences, seed.id


# --- files ---


def test_gptfuzz_csv_by_path(shared_data: Path) -> None:
    path = shared_data / "gptfuzz_templates.csv"
    seeds = load_templates(str(path))
    assert len(seeds) == 77
    assert seeds[0].id == "seed-0" and seeds[-1].id == "seed-76"
    assert all(s.source == str(path) and PLACEHOLDER in s.text for s in seeds)
    assert all(s.text == s.text.strip() for s in seeds)
    assert min(len(s.text) for s in seeds) > 250 and max(len(s.text) for s in seeds) > 5000


def test_csv_with_template_column_and_no_id(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["template"])
        writer.writerow([f"  one {PLACEHOLDER}\n"])
        writer.writerow(["two {query}"])
    seeds = load_templates(str(path))
    assert [(s.id, s.text) for s in seeds] == [("seed-0", f"one {PLACEHOLDER}"), ("seed-1", "two {query}")]


def test_jsonl_and_yaml_files(tmp_path: Path) -> None:
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text(
        json.dumps({"id": "x", "prompt": f"p {PLACEHOLDER}"}) + "\n\n" + json.dumps({"text": "q {query}"}) + "\n"
    )
    seeds = load_templates(str(jsonl))
    assert [(s.id, s.text) for s in seeds] == [("seed-x", f"p {PLACEHOLDER}"), ("seed-1", "q {query}")]
    yml = tmp_path / "t.yaml"
    yml.write_text(yaml.safe_dump([{"id": 7, "text": f"y {PLACEHOLDER}", "kind": "persona"}, f"bare {PLACEHOLDER}"]))
    seeds = load_templates(str(yml))
    assert [(s.id, s.kind) for s in seeds] == [("seed-7", "persona"), ("seed-1", None)]


def test_rows_without_placeholder_are_named_or_skipped(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    rows = [{"id": "ok", "text": f"fine {PLACEHOLDER}"}, {"id": "bad1", "text": "none"}, {"id": "bad2", "text": ""}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    with pytest.raises(ValueError, match="ids bad1, bad2"):
        load_templates(str(path))
    assert [s.id for s in load_templates(str(path), skip_invalid=True)] == ["seed-ok"]


def test_empty_unknown_and_malformed_sources(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("id,text\n")
    with pytest.raises(ValueError, match="No templates"):
        load_templates(str(empty))
    with pytest.raises(FileNotFoundError, match="builtin.*gptfuzz"):
        load_templates(str(tmp_path / "missing.csv"))
    wrong_column = tmp_path / "w.csv"
    wrong_column.write_text("id,body\n1,hello [INSERT PROMPT HERE]\n")
    with pytest.raises(ValueError, match="text column"):
        load_templates(str(wrong_column))
    other = tmp_path / "t.txt"
    other.write_text(PLACEHOLDER)
    with pytest.raises(ValueError, match="unsupported"):
        load_templates(str(other))
    dupes = tmp_path / "d.jsonl"
    dupes.write_text("\n".join(json.dumps({"id": 1, "text": PLACEHOLDER}) for _ in range(2)))
    with pytest.raises(ValueError, match="Duplicate template id '1'"):
        load_templates(str(dupes))


# --- the pinned GPTFuzz source ---


def test_gptfuzz_spec_reads_the_cache_without_network(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(url: str, timeout: float) -> bytes:
        raise AssertionError("must not download when cached")

    monkeypatch.setattr(sources_module, "_download", no_network)
    cached = gptfuzz_cache_path(tmp_path)
    cached.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(shared_data / "gptfuzz_templates.csv", cached)
    seeds = load_templates("gptfuzz", cache_dir=tmp_path)
    assert len(seeds) == 77 and all(s.source == "gptfuzz" for s in seeds)
    assert seeds[5].id == "seed-5"


def test_gptfuzz_spec_downloads_once_into_env_cache(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fake_download(url: str, timeout: float) -> bytes:
        calls.append(url)
        return (shared_data / "gptfuzz_templates.csv").read_bytes()

    monkeypatch.setattr(sources_module, "_download", fake_download)
    monkeypatch.setenv("INSPECT_DISTILL_CACHE", str(tmp_path / "cache"))
    assert len(load_templates("gptfuzz")) == 77
    assert len(load_templates("gptfuzz")) == 77
    assert calls == [GPTFUZZ_URL]
    assert "1eddeb565740ae311b5f4950492b011a6f866fe7" in GPTFUZZ_URL
    assert gptfuzz_cache_path().is_file() and gptfuzz_cache_path().parent == tmp_path / "cache"


def test_gptfuzz_offline_and_not_cached_tells_the_user_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(url: str, timeout: float) -> bytes:
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(sources_module, "_download", offline)
    with pytest.raises(TemplateSourceUnavailable, match=r"-T templates=PATH"):
        load_templates("gptfuzz", cache_dir=tmp_path)
    assert not gptfuzz_cache_path(tmp_path).exists()
