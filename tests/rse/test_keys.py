"""The table of RSE score keys: every user reads it, none keeps its own copy."""

from __future__ import annotations

import math

from inspect_distill.common.viewer import column_label
from inspect_distill.report import plots, tables
from inspect_distill.rse.keys import (
    JUDGE_KEYS,
    OVERALL,
    PER_DATASET,
    RATING_KEYS,
    SCORE_KEYS,
    keys_of,
)
from inspect_distill.rse.prompts import JUDGE_PROMPT, RETRY_PROMPT
from inspect_distill.rse.rating import CRITERIA, KEY_ALIASES, Judgement, Similarity
from inspect_distill.rse.scorer import values_line
from inspect_distill.rse.settings import JudgeSettings
from inspect_distill.rse.viewer import rse_viewer


def test_the_table_is_the_keys_of_a_full_run_in_display_order() -> None:
    assert tuple(SCORE_KEYS) == JudgeSettings(swap=True, ceiling=True).score_keys()
    assert all(name == key.name for name, key in SCORE_KEYS.items())
    assert JUDGE_KEYS[0] == OVERALL and set(RATING_KEYS) == set(JUDGE_KEYS) and RATING_KEYS[-1] == OVERALL


def test_the_rating_reads_the_table() -> None:
    assert {key: SCORE_KEYS[key].range for key in RATING_KEYS} == CRITERIA
    assert {key: SCORE_KEYS[key].aliases for key in RATING_KEYS} == KEY_ALIASES
    assert all(aliases[0] == key for key, aliases in KEY_ALIASES.items())
    assert list(Judgement.model_fields) == [*RATING_KEYS, "reason"]
    assert list(Similarity.model_fields) == [*RATING_KEYS, *keys_of("swap")]
    for key in CRITERIA:  # the prompts ask for every criterion with its range
        assert f'"{key}": <{SCORE_KEYS[key].span}>' in JUDGE_PROMPT
        assert f'"{key}": <{SCORE_KEYS[key].span}>' in RETRY_PROMPT


def test_the_scorer_names_and_rounds_by_the_table() -> None:
    value = {name: (math.nan if name == "logic" else 1 / 3) for name in SCORE_KEYS}
    expected = [f"{key.label} **{'unscored' if name == 'logic' else key.shown(1 / 3)}**"
                for name, key in SCORE_KEYS.items()]
    assert values_line(value) == " · ".join(expected)
    assert "2-gram overlap **0.333**" in values_line(value) and "overall (1-5) **0.333333**" in values_line(value)
    for key in SCORE_KEYS.values():  # a judge key names its range; the overlaps are rounded
        assert key.group not in ("judge", "ceiling") or f"({key.span})" in key.label
        assert key.group not in ("overlap", "ceiling_overlap") or key.digits is not None


def test_the_viewer_columns_are_the_table() -> None:
    view = rse_viewer(judge=True, swap=True, ceiling=True).task_samples_view
    assert view is not None and not isinstance(view, list)
    assert view.score_labels == {name: column_label(key.column) for name, key in SCORE_KEYS.items()}
    assert view.score_color_scales is not None
    assert {name: (scale.min, scale.max) for name, scale in view.score_color_scales.items()} == {
        name: key.range for name, key in SCORE_KEYS.items() if key.range is not None}
    assert all(len(key.column) <= 11 for key in SCORE_KEYS.values())


def test_the_metrics_and_the_report_name_columns_by_the_table() -> None:
    assert PER_DATASET == {OVERALL: "rse", "ngram": "ngram", "rouge_l": "rouge_l", "ceiling": "ceiling"}
    assert SCORE_KEYS[OVERALL].per_dataset == tables.RSE
    assert SCORE_KEYS[OVERALL].range == plots.RSE_RANGE and plots.RSE_SPAN == "1-5"
