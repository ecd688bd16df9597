"""The one JSONL reading rule: one JSON object a line, blank lines skipped, errors name file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def read_jsonl(path: str | Path, error: type[Exception] = ValueError) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-blank line; a bad line raises `error` naming file:line."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as ex:
        raise error(f"Cannot read '{file}': {ex}") from ex
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as ex:
            raise error(f"{file}:{number}: not valid JSON ({ex.msg})") from ex
        if not isinstance(record, dict):
            raise error(f"{file}:{number}: each line must be a JSON object")
        yield number, record
