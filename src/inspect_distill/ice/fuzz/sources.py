"""Where seed templates come from: this package's own set, GPTFuzz's 77 seeds (downloaded once from a
pinned commit and cached), or a file of the user's (CSV, JSONL, JSON or YAML)."""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from inspect_distill.common.jsonl import read_jsonl
from inspect_distill.common.paths import default_cache_dir
from inspect_distill.ice.fuzz.pool import TemplateNode
from inspect_distill.ice.fuzz.templates import PLACEHOLDERS, has_placeholder

GPTFUZZ_COMMIT = "1eddeb565740ae311b5f4950492b011a6f866fe7"
GPTFUZZ_URL = f"https://raw.githubusercontent.com/sherdencooper/GPTFuzz/{GPTFUZZ_COMMIT}/datasets/prompts/GPTFuzzer.csv"
GPTFUZZ_CACHE_NAME = f"gptfuzz_templates_{GPTFUZZ_COMMIT[:12]}.csv"
DOWNLOAD_TIMEOUT = 30.0
BUILTIN_FILE = "builtin_templates.yaml"
TEXT_COLUMNS = ("text", "template", "prompt")
"""Columns (or keys) read as the template text, in order of preference."""


class TemplateSourceUnavailable(RuntimeError):
    """A template source cannot be read (e.g. offline and not cached)."""


def load_templates(
    spec: str = "builtin", cache_dir: Path | None = None, skip_invalid: bool = False
) -> list[TemplateNode]:
    """Load seed templates (level 0, ids "seed-<source id>").

    Args:
        spec: "builtin" (this package's own set), "gptfuzz" (GPTFuzz's 77 seeds, downloaded once from
            the pinned `GPTFUZZ_URL` and cached), or a path to a CSV (`id,text`; a `template` or
            `prompt` column also works), JSONL, JSON or YAML file (records with `text` and optional `id`).
        cache_dir: where "gptfuzz" is cached (default: `$INSPECT_DISTILL_CACHE`, else
            `$XDG_CACHE_HOME/inspect_distill`, else `~/.cache/inspect_distill`).
        skip_invalid: drop templates without a placeholder instead of raising.
    """
    if spec == "builtin":
        text = resources.files(__package__).joinpath(BUILTIN_FILE).read_text(encoding="utf-8")
        return _to_nodes(_parse_records(text, ".yaml", BUILTIN_FILE), "builtin", skip_invalid)
    if spec == "gptfuzz":
        path = ensure_gptfuzz_cached(cache_dir)
        return _to_nodes(_parse_records(path.read_text(encoding="utf-8"), ".csv", str(path)), "gptfuzz", skip_invalid)
    path = Path(spec).expanduser()
    if not path.is_file():
        raise FileNotFoundError(
            f"Templates '{spec}' not found: use 'builtin', 'gptfuzz' or the path of a CSV/JSONL/YAML file."
        )
    records = _read_records(path)
    return _to_nodes(records, str(path), skip_invalid)


def gptfuzz_cache_path(cache_dir: Path | None = None) -> Path:
    """Where the pinned GPTFuzz template CSV is (or will be) cached."""
    return (Path(cache_dir).expanduser() if cache_dir else default_cache_dir()) / GPTFUZZ_CACHE_NAME


def ensure_gptfuzz_cached(cache_dir: Path | None = None) -> Path:
    """Return the cached GPTFuzz CSV, downloading it from the pinned commit on first use."""
    path = gptfuzz_cache_path(cache_dir)
    if path.is_file():
        return path
    try:
        data = _download(GPTFUZZ_URL, DOWNLOAD_TIMEOUT)
    except (urllib.error.URLError, OSError) as ex:
        raise TemplateSourceUnavailable(
            f"Could not download the GPTFuzz templates from {GPTFUZZ_URL} ({ex}) and they are not cached "
            f"at {path}. Download that file yourself and pass `-T templates=PATH` (a local copy of "
            f"GPTFuzzer.csv), or place it at {path}."
        ) from ex
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(path)
    return path


def _download(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()  # type: ignore[no-any-return]


def _parse_records(text: str, suffix: str, origin: str) -> list[dict[str, Any]]:
    """Read template records from file content (CSV, JSON or YAML); each record is a mapping or a bare string."""
    records: Any
    if suffix == ".csv":
        return list(csv.DictReader(io.StringIO(text)))
    if suffix == ".json":
        records = json.loads(text)
    elif suffix in (".yaml", ".yml"):
        records = yaml.safe_load(text)
    else:
        raise ValueError(f"{origin}: unsupported template file type '{suffix}' (use .csv, .jsonl, .json or .yaml).")
    if isinstance(records, dict) and isinstance(records.get("templates"), list):
        records = records["templates"]
    if not isinstance(records, list):
        raise ValueError(f"{origin}: expected a list of templates.")
    return [{"text": r} if isinstance(r, str) else r for r in records]


def _read_records(path: Path) -> list[dict[str, Any]]:
    """Template records of a file: JSONL by the package's one JSONL rule, the other types by `_parse_records`."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return [record for _, record in read_jsonl(path)]
    return _parse_records(path.read_text(encoding="utf-8"), suffix, str(path))


def _record_text(record: Any) -> str:
    if isinstance(record, dict):
        for column in TEXT_COLUMNS:
            if isinstance(value := record.get(column), str):
                return value.strip()
    return ""


def _to_nodes(records: list[dict[str, Any]], source: str, skip_invalid: bool) -> list[TemplateNode]:
    if not records:
        raise ValueError(f"No templates in '{source}'.")
    if not isinstance(records[0], dict) or not any(column in records[0] for column in TEXT_COLUMNS):
        raise ValueError(f"Templates in '{source}' need a text column or key (one of {', '.join(TEXT_COLUMNS)}).")
    nodes: list[TemplateNode] = []
    invalid: list[str] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        raw_id = record.get("id") if isinstance(record, dict) else None
        source_id = str(raw_id).strip() if raw_id not in (None, "") else str(index)
        if source_id in seen:
            raise ValueError(f"Duplicate template id '{source_id}' in '{source}'.")
        seen.add(source_id)
        text = _record_text(record)
        if not has_placeholder(text):
            invalid.append(source_id)
            continue
        kind = record.get("kind") if isinstance(record, dict) else None
        nodes.append(TemplateNode(id=f"seed-{source_id}", text=text, source=source, kind=kind))
    if invalid and not skip_invalid:
        raise ValueError(
            f"Templates in '{source}' without a placeholder ({' or '.join(PLACEHOLDERS)}): ids {', '.join(invalid)}. "
            "Fix them or load with skip_invalid=True."
        )
    if not nodes:
        raise ValueError(f"No valid templates in '{source}'.")
    return nodes
