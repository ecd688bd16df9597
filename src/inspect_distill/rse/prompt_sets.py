"""Prompt sets of the RSE task: ArenaHard v0.1, NuminaMath-CoT and ShareGPT, one `PromptSet` entry each.

Each set is read with `hf_dataset`, either from the Hugging Face Hub at a pinned revision or from local
files in the same public formats (`dataset_path`; one JSON object a line, a JSON list, or parquet; each
reader's docstring gives its record format). One sampling rule serves both: the rows are shuffled with the
seed (the `datasets` permutation) and the first N are kept, so a smaller `per_dataset` is a prefix of a
larger one and a local copy of a hub set yields the same sample.

`dataset_path` is either a directory searched by file name (`PromptSet.local_patterns`) or `name=path` pairs
separated by commas (a path may be a file or a directory of data files).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from inspect_ai.dataset import Dataset, MemoryDataset, Sample, hf_dataset
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageUser,
)
from pydantic import BaseModel

from inspect_distill.common.text import comma_list

logger = logging.getLogger(__name__)

SharegptTurns = Literal["first", "all"]


class RSEDatasetError(ValueError):
    """A prompt set cannot be found, read or understood."""


class HubSource(BaseModel, frozen=True):
    """Where a prompt set lives on the Hugging Face Hub, pinned to one commit."""

    path: str
    revision: str
    split: str = "train"
    data_files: str | None = None


class Prompt(NamedTuple):
    """What a reader takes from one record: the source's id of the prompt, the input, and extra metadata."""

    source_id: str
    input: str | list[ChatMessage]
    metadata: dict[str, Any]


Reader = Callable[[dict[str, Any], SharegptTurns], Prompt | None]
"""Reads one record (and the `sharegpt_turns` choice, which a single-turn set ignores) into a prompt, or None
to skip a record that holds no usable prompt."""

DEFAULT_SEED = 2501
"""Seed of the fixed sample (2501: the paper's arXiv number, 2501.12619)."""

DATA_SUFFIXES = {".jsonl": "json", ".json": "json", ".parquet": "parquet"}

_SHAREGPT_ROLES = {"human": "user", "user": "user", "gpt": "assistant", "chatgpt": "assistant",
                   "bard": "assistant", "bing": "assistant", "assistant": "assistant", "system": "system"}


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _require_text(record: dict[str, Any], key: str, dataset: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RSEDatasetError(f"A {dataset} record needs a non-empty text field '{key}'; found keys {sorted(record)}.")
    return value


def arena_hard_prompt(record: dict[str, Any], turns: SharegptTurns = "first") -> Prompt:
    """One ArenaHard question: `{"uid", "prompt", "category", "cluster"}` (arena-hard-auto `question.jsonl`)
    or the hub's `{"question_id", "turns": [{"content"}], "category", "cluster"}`."""
    if "prompt" in record:
        prompt = _require_text(record, "prompt", "arena_hard")
        uid = record.get("uid") or record.get("question_id")
    elif isinstance(record.get("turns"), list) and record["turns"]:
        turn = record["turns"][0]
        content = turn.get("content") if isinstance(turn, dict) else turn
        if not isinstance(content, str) or not content.strip():
            raise RSEDatasetError("An arena_hard record has an empty first turn.")
        prompt = content
        uid = record.get("question_id") or record.get("uid")
    else:
        raise RSEDatasetError(
            f"An arena_hard record needs 'prompt' (arena-hard-auto) or 'turns' (hub); found keys {sorted(record)}."
        )
    source_id = str(uid) if uid else _short_hash(prompt)
    return Prompt(source_id, prompt, {"category": record.get("category"), "cluster": record.get("cluster")})


def numina_prompt(record: dict[str, Any], turns: SharegptTurns = "first") -> Prompt:
    """One NuminaMath-CoT problem: `{"problem", "solution", "messages", "source"}` (the reference solution is
    not used)."""
    problem = _require_text(record, "problem", "numina")
    return Prompt(_short_hash(problem), problem, {"source": record.get("source")})


def sharegpt_prompt(record: dict[str, Any], turns: SharegptTurns = "first") -> Prompt | None:
    """One ShareGPT conversation, `{"id", "conversations": [{"from": "human"|"gpt"|"system", "value"}]}`, or
    None when it has no usable human turn.

    `first`: the first human turn alone. `all`: the conversation up to its last human turn, earlier
    turns kept as chat history, so that both models answer the same last question.
    """
    conversation = record.get("conversations")
    if not isinstance(conversation, list):
        raise RSEDatasetError(
            f"A sharegpt record needs a 'conversations' list of {{from, value}}; found keys {sorted(record)}."
        )
    messages: list[ChatMessage] = []
    for turn in conversation:
        if not isinstance(turn, dict):
            continue
        role = _SHAREGPT_ROLES.get(str(turn.get("from", "")).lower())
        text = turn.get("value")
        if role is None or not isinstance(text, str) or not text.strip():
            continue
        if role == "user":
            messages.append(ChatMessageUser(content=text))
        elif role == "assistant":
            messages.append(ChatMessageAssistant(content=text))
        else:
            messages.append(ChatMessageSystem(content=text))
    user_positions = [i for i, m in enumerate(messages) if m.role == "user"]
    if not user_positions:
        return None
    first_user = messages[user_positions[0]]
    source_id = str(record.get("id") or _short_hash(first_user.text))
    input: str | list[ChatMessage]
    if turns == "first":
        input = first_user.text
    else:
        input = messages[: user_positions[-1] + 1]
    return Prompt(source_id, input, {"turns": turns, "user_turns": len(user_positions) if turns == "all" else 1})


@dataclass(frozen=True)
class PromptSet:
    """One RSE prompt set: its report title, its pinned Hub source, its local file names, its reader."""

    title: str
    """Its name in the report's tables and plots."""
    source: HubSource
    """Its pinned Hugging Face source (also listed in `eval.yaml`, which a test checks)."""
    default_size: int | None
    """Prompts used when `per_dataset` is not given (None: the whole set, in file order)."""
    local_patterns: tuple[str, ...]
    """File names looked for (case-insensitively) when `dataset_path` is a directory."""
    read: Reader
    rows_per_prompt: int = 1
    """Rows read per wanted prompt: more than 1 when some rows hold no usable prompt and are skipped."""
    default: bool = True
    """Part of the default `-T datasets`, and so of RSE Avg. A new set joins as False: the default run, and the
    numbers its task version promises, stay the same."""


PROMPT_SETS: dict[str, PromptSet] = {
    "arena_hard": PromptSet(
        title="ArenaHard",
        source=HubSource(path="lmarena-ai/arena-hard-auto-v0.1", revision="2a69efe86cff85c593cfd4c2b4491c128e52c6f1"),
        default_size=None,
        local_patterns=("arena_hard*/question.jsonl", "arena-hard*/question.jsonl", "arena_hard*.jsonl",
                        "arena_hard*.json", "arena_hard*.parquet", "question.jsonl"),
        read=arena_hard_prompt,
    ),
    "numina": PromptSet(
        title="Numina",
        source=HubSource(path="AI-MO/NuminaMath-CoT", revision="9d8d210c9f6a36c8f3cd84045668c9b7800ef517"),
        default_size=1000,
        local_patterns=("numina*.jsonl", "numina*.json", "numina*.parquet"),
        read=numina_prompt,
    ),
    "sharegpt": PromptSet(
        title="ShareGPT",
        source=HubSource(path="anon8231489123/ShareGPT_Vicuna_unfiltered",
                         revision="192ab2185289094fc556ec8ce5ce1e8e587154ca",
                         data_files="ShareGPT_V3_unfiltered_cleaned_split.json"),
        default_size=1000,
        local_patterns=("sharegpt*.json", "sharegpt*.jsonl", "sharegpt*.parquet"),
        read=sharegpt_prompt,
        rows_per_prompt=2,
    ),
}
"""Every prompt set, in report order; `-T datasets=` accepts each name."""

RSE_DATASETS = tuple(name for name, prompt_set in PROMPT_SETS.items() if prompt_set.default)
"""The default `-T datasets=`, in report order."""


def parse_dataset_names(datasets: str | Sequence[str]) -> list[str]:
    """The requested prompt sets, validated, duplicates removed, in the order given."""
    cleaned = [name.lower().replace("-", "_") for name in comma_list(datasets) or []]
    if not cleaned:
        raise RSEDatasetError(f"No dataset named: choose from {', '.join(PROMPT_SETS)}.")
    unknown = [name for name in cleaned if name not in PROMPT_SETS]
    if unknown:
        raise RSEDatasetError(f"Unknown RSE dataset(s) {unknown}: choose from {', '.join(PROMPT_SETS)}.")
    return list(dict.fromkeys(cleaned))


def prompt_sample(name: str, prompt: Prompt) -> Sample:
    """A sample of set `name`: a stable id (`<name>-<source id>`) and `dataset` first in its metadata."""
    return Sample(id=f"{name}-{prompt.source_id}", input=prompt.input,
                  metadata={"dataset": name, "source_id": prompt.source_id, **prompt.metadata})


def _hub_offline() -> bool:
    """Whether Hugging Face offline mode is on (then a miss is final: no retry with back-off)."""
    return any(os.environ.get(var, "").strip().lower() in ("1", "true", "yes", "on")
               for var in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"))


def _data_files(path: Path, name: str) -> list[str]:
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES)
    else:
        raise RSEDatasetError(f"No {name} data at '{path}'.")
    if not files:
        raise RSEDatasetError(f"The directory '{path}' holds no .jsonl, .json or .parquet files for {name}.")
    kinds = {DATA_SUFFIXES.get(f.suffix.lower()) for f in files}
    if None in kinds:
        raise RSEDatasetError(f"Unsupported {name} file '{files[0]}': use .jsonl, .json or .parquet.")
    if len(kinds) > 1:
        raise RSEDatasetError(f"The {name} files under '{path}' mix JSON and parquet; keep one format.")
    return [str(f) for f in files]


def _read(name: str, path: Path | None, to_sample: Callable[[dict[str, Any]], Any], shuffle: bool,
          limit: int | None, seed: int) -> Dataset:
    """One prompt set through `hf_dataset`: the pinned hub source (path None) or local files."""
    hint = ""
    if path is None:
        source = PROMPT_SETS[name].source
        where = f"the Hugging Face Hub ({source.path} at revision {source.revision})"
        hint = f" Offline, download them and pass -T dataset_path=<dir or {name}=<file>>."
        args: dict[str, Any] = {"path": source.path, "split": source.split, "revision": source.revision,
                                "retry": not _hub_offline()}
        if source.data_files:
            args["data_files"] = source.data_files
    else:
        files = _data_files(path, name)
        where = f"'{path}'"
        args = {"path": DATA_SUFFIXES[Path(files[0]).suffix.lower()], "split": "train", "data_files": files,
                "cached": False}
    try:
        return hf_dataset(**args, sample_fields=to_sample, shuffle=shuffle, seed=seed, limit=limit)
    except (RSEDatasetError, IndexError):
        raise
    except Exception as ex:  # datasets/pyarrow raise many types (unreachable hub, malformed file)
        raise RSEDatasetError(
            f"Could not load the {name} prompts from {where}: {type(ex).__name__}: {ex}.{hint}"
        ) from ex


def _find_in_directory(directory: Path, name: str) -> Path:
    entries = {p.relative_to(directory).as_posix().lower(): p for p in directory.rglob("*")}
    patterns = PROMPT_SETS[name].local_patterns
    for pattern in patterns:
        matches = sorted(path for rel, path in entries.items() if Path(rel).match(pattern) and path.is_file()
                         and len(Path(rel).parts) == len(Path(pattern).parts))
        if len(matches) > 1:
            raise RSEDatasetError(
                f"Several {name} files in '{directory}' match '{pattern}': {[str(m) for m in matches]}. "
                f"Name one with -T dataset_path={name}=<file>."
            )
        if matches:
            return matches[0]
    raise RSEDatasetError(
        f"No {name} file in '{directory}': expected one of {', '.join(patterns)}, "
        f"or pass -T dataset_path={name}=<file>."
    )


def resolve_local_paths(dataset_path: str | Sequence[str], names: Sequence[str]) -> dict[str, Path]:
    """Map every requested prompt set to a local file or directory.

    `dataset_path` is a directory (searched with each set's `local_patterns`), `name=path` pairs (a string with
    commas or a list), or one file when one set is requested. With pairs, a set that is requested but not
    named is an error.
    """
    items = comma_list(dataset_path) or []
    if not items:
        raise RSEDatasetError("dataset_path is empty.")
    if len(items) == 1 and "=" not in items[0]:
        path = Path(items[0]).expanduser()
        if path.is_file() and len(names) == 1:  # one dataset and one file: unambiguous
            return {names[0]: path}
        if not path.is_dir():
            what = "a file, and several datasets are selected" if path.is_file() else "not a directory"
            raise RSEDatasetError(
                f"dataset_path '{path}' is {what}; give a directory, one file with one dataset, or name=path "
                f"pairs ({', '.join(f'{n}=<file>' for n in names)})."
            )
        return {name: _find_in_directory(path, name) for name in names}
    pairs: dict[str, Path] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not value.strip():
            raise RSEDatasetError(f"dataset_path entry '{item}' is not name=path.")
        pairs[parse_dataset_names(key)[0]] = Path(value.strip()).expanduser()
    missing = [name for name in names if name not in pairs]
    if missing:
        raise RSEDatasetError(f"dataset_path names no file for {missing}; add {missing[0]}=<file>.")
    return {name: pairs[name] for name in names}


def load_prompt_set(name: str, *, path: Path | None = None, limit: int | None = None, seed: int = DEFAULT_SEED,
                    sharegpt_turns: SharegptTurns = "first") -> list[Sample]:
    """The samples of one prompt set, from the hub (path None) or a local file/directory.

    `limit` None takes the set's default size (`PromptSet.default_size`); a limit larger than the set
    takes the whole set, in the same shuffled order.
    """
    prompt_set = PROMPT_SETS[name]
    wanted = limit if limit is not None else prompt_set.default_size
    if wanted is not None and wanted < 1:
        raise RSEDatasetError(f"per_dataset must be at least 1 (got {wanted}).")
    read_limit = None if wanted is None else wanted * prompt_set.rows_per_prompt

    def to_sample(record: dict[str, Any]) -> Sample | list[Sample]:
        prompt = prompt_set.read(record, sharegpt_turns)
        return [] if prompt is None else prompt_sample(name, prompt)

    shuffle = wanted is not None
    try:
        dataset = _read(name, path, to_sample, shuffle, read_limit, seed)
    except IndexError:  # the set holds fewer rows than the limit
        dataset = _read(name, path, to_sample, shuffle, None, seed)
    return list(dataset)[:wanted] if wanted is not None else list(dataset)


def rse_dataset(datasets: str | Sequence[str] = RSE_DATASETS, *, dataset_path: str | Sequence[str] | None = None,
                per_dataset: int | None = None, seed: int = DEFAULT_SEED,
                sharegpt_turns: SharegptTurns = "first") -> MemoryDataset:
    """All requested prompt sets as one dataset; every sample has a stable id and `dataset` in metadata."""
    if sharegpt_turns not in ("first", "all"):
        raise RSEDatasetError(f"sharegpt_turns must be 'first' or 'all' (got {sharegpt_turns!r}).")
    names = parse_dataset_names(datasets)
    paths = resolve_local_paths(dataset_path, names) if dataset_path else {}
    samples: list[Sample] = []
    seen: set[str] = set()
    for name in names:
        duplicates = 0
        for sample in load_prompt_set(name, path=paths.get(name), limit=per_dataset, seed=seed,
                                      sharegpt_turns=sharegpt_turns):
            if str(sample.id) in seen:
                duplicates += 1
                continue
            seen.add(str(sample.id))
            samples.append(sample)
        if duplicates:
            logger.warning("RSE %s: dropped %d repeated prompts (same id).", name, duplicates)
    return MemoryDataset(samples=samples, name="rse_" + "_".join(names))
