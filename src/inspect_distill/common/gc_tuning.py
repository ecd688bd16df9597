"""The garbage collector's tuning while ICE campaigns run: fewer full collections of a large heap."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

GC_YOUNG_ENV = "INSPECT_DISTILL_GC_YOUNG"
DEFAULT_GC_YOUNG = 10_000
"""Python's youngest-generation threshold while a campaign runs (Python's default: 700). A campaign's
transcript grows by hundreds of objects per model call, and with the default every growth of the heap by a
quarter costs a full collection that walks all of it: about a fifth of the client's CPU in a 2000-query
campaign (README, Performance). `INSPECT_DISTILL_GC_YOUNG=0` keeps Python's thresholds."""


class _Collections:
    campaigns = 0
    saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Raise the garbage collector's youngest threshold to `DEFAULT_GC_YOUNG` while campaigns run (full
    collections become rare); the thresholds found are restored when the last campaign ends."""
    young = int(os.environ.get(GC_YOUNG_ENV, DEFAULT_GC_YOUNG))
    if _Collections.campaigns == 0:
        thresholds = gc.get_threshold()
        if 0 < thresholds[0] < young:
            _Collections.saved = thresholds
            gc.set_threshold(young, *thresholds[1:])
    _Collections.campaigns += 1
    try:
        yield
    finally:
        _Collections.campaigns -= 1
        if _Collections.campaigns == 0 and _Collections.saved is not None:
            gc.set_threshold(*_Collections.saved)
            _Collections.saved = None
