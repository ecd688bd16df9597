"""RSE prompt sets read from local files in the public formats (arena-hard, NuminaMath-CoT, ShareGPT)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from inspect_distill.rse.prompt_sets import (
    PROMPT_SETS,
    RSE_DATASETS,
    RSEDatasetError,
    load_prompt_set,
    parse_dataset_names,
    resolve_local_paths,
    rse_dataset,
)
from tests.conftest import ARENA_HARD

NUMINA_ROWS = [
    {"source": "synthetic_math", "problem": f"Compute {i} + {i}.",
     "solution": f"We add: {i} + {i} = {2 * i}. The answer is $\\boxed{{{2 * i}}}$.",
     "messages": [{"role": "user", "content": f"Compute {i} + {i}."},
                  {"role": "assistant", "content": f"The answer is {2 * i}."}]}
    for i in range(12)
]

SHAREGPT_ROWS: list[dict[str, Any]] = [
    {"id": "abc_0", "conversations": [{"from": "human", "value": "Write a limerick about tea."},
                                      {"from": "gpt", "value": "A kettle once sang..."},
                                      {"from": "human", "value": "Now make it rhyme better."},
                                      {"from": "gpt", "value": "A teapot that..."}]},
    {"id": "def_1", "conversations": [{"from": "gpt", "value": "Hello! How can I help?"},
                                      {"from": "human", "value": "Explain recursion briefly."}]},
    {"id": "empty_2", "conversations": []},
    {"id": "gpt_only_3", "conversations": [{"from": "gpt", "value": "Nobody asked."}]},
    {"id": "sys_4", "conversations": [{"from": "system", "value": "Be terse."},
                                      {"from": "human", "value": "Capital of Peru?"},
                                      {"from": "gpt", "value": "Lima."}]},
]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    _write_jsonl(tmp_path / "numina_cot.jsonl", NUMINA_ROWS)
    (tmp_path / "sharegpt_sample.json").write_text(json.dumps(SHAREGPT_ROWS))
    (tmp_path / "arena_hard_v0.1").mkdir()
    (tmp_path / "arena_hard_v0.1" / "question.jsonl").write_text(
        "".join((ARENA_HARD / "question.jsonl").read_text().splitlines(keepends=True)[:6]))
    return tmp_path


def test_arena_hard_question_file_all_500_in_file_order() -> None:
    samples = load_prompt_set("arena_hard", path=ARENA_HARD / "question.jsonl")
    first = json.loads((ARENA_HARD / "question.jsonl").read_text().splitlines()[0])
    assert len(samples) == 500
    assert samples[0].id == f"arena_hard-{first['uid']}" and samples[0].input == first["prompt"]
    assert samples[0].metadata == {"dataset": "arena_hard", "source_id": first["uid"],
                                   "category": first["category"], "cluster": first["cluster"]}
    assert len({s.id for s in samples}) == 500


def test_sampling_is_seeded_and_a_smaller_sample_is_a_prefix() -> None:
    path = ARENA_HARD / "question.jsonl"
    five = [s.id for s in load_prompt_set("arena_hard", path=path, limit=5, seed=7)]
    again = [s.id for s in load_prompt_set("arena_hard", path=path, limit=5, seed=7)]
    ten = [s.id for s in load_prompt_set("arena_hard", path=path, limit=10, seed=7)]
    other = [s.id for s in load_prompt_set("arena_hard", path=path, limit=5, seed=8)]
    assert five == again == ten[:5]
    assert five != other


def test_arena_hard_hub_format_parquet(tmp_path: Path) -> None:
    rows = [{"question_id": "q1", "category": "arena-hard-v0.1", "cluster": "c", "turns": [{"content": "Why?"}]},
            {"question_id": "q2", "category": "arena-hard-v0.1", "cluster": "c", "turns": [{"content": "How?"}]}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "arena_hard.parquet")
    samples = load_prompt_set("arena_hard", path=tmp_path / "arena_hard.parquet")
    assert [(s.id, s.input) for s in samples] == [("arena_hard-q1", "Why?"), ("arena_hard-q2", "How?")]


def test_numina_jsonl_and_parquet_give_the_same_sample(tmp_path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(NUMINA_ROWS), tmp_path / "numina.parquet")
    from_jsonl = load_prompt_set("numina", path=_write_jsonl(tmp_path / "numina.jsonl", NUMINA_ROWS), limit=4)
    from_parquet = load_prompt_set("numina", path=tmp_path / "numina.parquet", limit=4)
    assert [s.id for s in from_jsonl] == [s.id for s in from_parquet]
    assert len(from_jsonl) == 4
    sample = from_jsonl[0]
    assert isinstance(sample.input, str) and sample.input.startswith("Compute ")
    assert sample.metadata is not None and sample.metadata["dataset"] == "numina"
    assert sample.metadata["source"] == "synthetic_math"
    # the default size (1000) is larger than this file: the whole file is taken
    assert len(load_prompt_set("numina", path=tmp_path / "numina.parquet")) == len(NUMINA_ROWS)


def test_sharegpt_first_turn(data_dir: Path) -> None:
    samples = {s.id: s for s in load_prompt_set("sharegpt", path=data_dir / "sharegpt_sample.json")}
    assert set(samples) == {"sharegpt-abc_0", "sharegpt-def_1", "sharegpt-sys_4"}  # no human turn: skipped
    assert samples["sharegpt-abc_0"].input == "Write a limerick about tea."
    assert samples["sharegpt-def_1"].input == "Explain recursion briefly."


def test_sharegpt_all_turns_keep_the_conversation_up_to_the_last_human_turn(data_dir: Path) -> None:
    samples = {s.id: s for s in load_prompt_set("sharegpt", path=data_dir / "sharegpt_sample.json",
                                                sharegpt_turns="all")}
    history = samples["sharegpt-abc_0"].input
    assert isinstance(history, list)
    assert [m.role for m in history] == ["user", "assistant", "user"]
    assert history[-1].text == "Now make it rhyme better."
    system = samples["sharegpt-sys_4"].input
    assert isinstance(system, list) and [m.role for m in system] == ["system", "user"]
    assert samples["sharegpt-abc_0"].metadata["user_turns"] == 2  # type: ignore[index]


def test_directory_holds_all_three_sets(data_dir: Path) -> None:
    dataset = rse_dataset(dataset_path=str(data_dir), per_dataset=3)
    by_set: dict[str, int] = {}
    for sample in dataset:
        assert sample.metadata is not None
        by_set[sample.metadata["dataset"]] = by_set.get(sample.metadata["dataset"], 0) + 1
    assert by_set == {"arena_hard": 3, "numina": 3, "sharegpt": 3}
    assert len({s.id for s in dataset}) == 9


def test_name_path_pairs(data_dir: Path) -> None:
    pairs = f"numina={data_dir / 'numina_cot.jsonl'},arena_hard={ARENA_HARD / 'question.jsonl'}"
    paths = resolve_local_paths(pairs, ["arena_hard", "numina"])
    assert paths == {"arena_hard": ARENA_HARD / "question.jsonl", "numina": data_dir / "numina_cot.jsonl"}
    # the CLI turns a comma list into a list of strings
    assert resolve_local_paths(pairs.split(","), ["numina"]) == {"numina": data_dir / "numina_cot.jsonl"}
    dataset = rse_dataset("numina", dataset_path=pairs, per_dataset=2)
    assert len(dataset) == 2


def test_shared_arena_hard_directory_is_found() -> None:
    assert resolve_local_paths(str(ARENA_HARD), ["arena_hard"]) == {"arena_hard": ARENA_HARD / "question.jsonl"}
    assert resolve_local_paths(str(ARENA_HARD.parent), ["arena_hard"]) == {
        "arena_hard": ARENA_HARD / "question.jsonl"}


@pytest.mark.parametrize(
    "datasets, dataset_path, message",
    [
        ("arena_hard,mmlu", None, "Unknown RSE dataset"),
        ("", None, "No dataset named"),
        ("sharegpt", "DIR", "No sharegpt file"),
        ("numina", "arena_hard=/x.jsonl", r"names no file for \['numina'\]"),
        ("numina", "numina", "not a directory"),
        ("numina", "numina=", "not name=path"),
    ],
)
def test_bad_requests_are_clear_errors(tmp_path: Path, datasets: str, dataset_path: str | None, message: str) -> None:
    path = str(tmp_path) if dataset_path == "DIR" else dataset_path
    with pytest.raises(RSEDatasetError, match=message):
        rse_dataset(datasets, dataset_path=path)


def test_bad_records_are_clear_errors(tmp_path: Path) -> None:
    _write_jsonl(tmp_path / "numina.jsonl", [{"question": "no problem field"}])
    with pytest.raises(RSEDatasetError, match="'problem'"):
        load_prompt_set("numina", path=tmp_path / "numina.jsonl")
    _write_jsonl(tmp_path / "sharegpt.jsonl", [{"id": "x", "messages": []}])
    with pytest.raises(RSEDatasetError, match="'conversations'"):
        load_prompt_set("sharegpt", path=tmp_path / "sharegpt.jsonl")


def test_ambiguous_directory_is_an_error(data_dir: Path) -> None:
    _write_jsonl(data_dir / "numina_other.jsonl", NUMINA_ROWS[:2])
    with pytest.raises(RSEDatasetError, match="Several numina files"):
        resolve_local_paths(str(data_dir), ["numina"])


def test_every_prompt_set_is_one_pinned_entry() -> None:
    assert parse_dataset_names(",".join(PROMPT_SETS)) == list(PROMPT_SETS)
    assert RSE_DATASETS == ("arena_hard", "numina", "sharegpt")  # the default run: RSE Avg over these three
    for name, entry in PROMPT_SETS.items():
        assert len(entry.source.revision) == 40 and int(entry.source.revision, 16) >= 0
        assert entry.title and entry.local_patterns and entry.rows_per_prompt >= 1, name


def test_offline_hub_failure_suggests_dataset_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(RSEDatasetError, match="dataset_path"):
        load_prompt_set("arena_hard", limit=2)
