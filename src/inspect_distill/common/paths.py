"""Where the package keeps what it downloads or assembles (GPTFuzz templates, local model files)."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "INSPECT_DISTILL_CACHE"


def default_cache_dir() -> Path:
    """`$INSPECT_DISTILL_CACHE`, else `$XDG_CACHE_HOME/inspect_distill`, else `~/.cache/inspect_distill`."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "inspect_distill"
