"""The garbage collector's tuning while campaigns run."""

from __future__ import annotations

import gc

import pytest

from inspect_distill.common.gc_tuning import DEFAULT_GC_YOUNG, GC_YOUNG_ENV, fewer_full_collections


def test_fewer_full_collections_while_campaigns_run_then_the_thresholds_found(monkeypatch: pytest.MonkeyPatch) -> None:
    found = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_full_collections():
            assert gc.get_threshold() == (DEFAULT_GC_YOUNG, 10, 10)
            with fewer_full_collections():  # a second campaign of the same eval
                pass
            assert gc.get_threshold() == (DEFAULT_GC_YOUNG, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        monkeypatch.setenv(GC_YOUNG_ENV, "0")  # opt out: Python's thresholds stay
        with fewer_full_collections():
            assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*found)
