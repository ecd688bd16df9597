"""RSE metrics over the per-sample score dicts, computed after the epoch reducer.

- Per score key (Inspect dict metrics, so Inspect also counts per key the samples scored and the samples
  left unscored, NaN): `mean` and `stderr`; overall, 2-gram and ROUGE-L first (`HEADER_KEYS`).
- `rse_by_dataset`: per dataset the mean of `overall` (`rse_<name>`), `ngram`, `rouge_l` and, with a
  ceiling, `ceiling` (`<key>_<name>`, via Inspect's `grouped()`), and each one's `_avg`, the unweighted
  mean of its dataset means: `rse_avg` is RSE Avg. With a ceiling also `rse_norm_<name>` = RSE / ceiling
  and `rse_norm_avg`. A dataset without any scored sample is NaN, and so is every Avg it enters.
- `rse_counts`: samples with and without a judge score (`scored`, `unscored`), and without a ceiling score.
- `swap_gap_abs`: mean absolute gap between the two judge orders (with `swap`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import cast

from inspect_ai.scorer import (
    Metric,
    SampleScore,
    Value,
    aggregate,
    grouped,
    mean,
    metric,
    stderr,
)

from inspect_distill.common.validation import build_settings
from inspect_distill.rse.keys import (
    CEILING_JUDGE_KEY,
    OVERALL,
    OVERLAP_KEYS,
    PER_DATASET,
    SWAP_KEY,
)
from inspect_distill.rse.settings import JudgeSettings

DATASET_KEY = "dataset"
"""Sample metadata key naming the prompt set."""

MetricSpec = list[Metric | dict[str, list[Metric]]]
HEADER_KEYS = (OVERALL, *OVERLAP_KEYS)
"""The keys whose mean and stderr come first. The header of `inspect view` shows three rows of the headline
metric's group (`rse.viewer.rse_headline`: the mean of overall, or of ROUGE-L without a judge): overall,
2-gram and ROUGE-L, under their own short names, rather than the criteria."""


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _has_key(scores: list[SampleScore], key: str) -> bool:
    return any(isinstance(s.score.value, dict) and key in s.score.value for s in scores)


def unweighted_mean(values: Sequence[float]) -> float:
    """Mean giving every item the same weight; NaN if there are none or one of them is NaN."""
    return sum(values) / len(values) if values else math.nan


def dataset_means(scores: list[SampleScore], key: str, datasets: Sequence[str] | None = None) -> dict[str, float]:
    """Mean of `key` per dataset, unscored (NaN) values skipped; NaN for a dataset with no scored sample.

    `datasets` None: the datasets found in the samples' metadata.
    """
    per_dataset = cast(Callable[[list[SampleScore]], Value],
                       grouped(aggregate(key, mean(), on_missing="skip"), DATASET_KEY, all=False))
    means = per_dataset(scores) if scores else {}
    assert isinstance(means, dict)
    names = list(datasets) if datasets else sorted(means)
    return {name: float(cast(float, means.get(name, math.nan))) for name in names}


@metric
def rse_by_dataset(datasets: Sequence[str] | None = None) -> Metric:
    """Per-dataset means and their unweighted Avg; RSE normalised to the ceiling when there is one.

    Args:
        datasets: The datasets of the run (None: those found in the samples' metadata).
    """

    def compute(scores: list[SampleScore]) -> Value:
        result: dict[str, float] = {}
        means: dict[str, dict[str, float]] = {}
        for key, prefix in PER_DATASET.items():
            if not _has_key(scores, key):
                continue
            means[key] = dataset_means(scores, key, datasets)
            result.update({f"{prefix}_{name}": value for name, value in means[key].items()})
            result[f"{prefix}_avg"] = unweighted_mean(list(means[key].values()))
        if CEILING_JUDGE_KEY in means and OVERALL in means:
            normalised = {name: rse / means[CEILING_JUDGE_KEY][name] if means[CEILING_JUDGE_KEY][name] else math.nan
                          for name, rse in means[OVERALL].items()}
            result.update({f"rse_norm_{name}": value for name, value in normalised.items()})
            result["rse_norm_avg"] = unweighted_mean(list(normalised.values()))
        return result

    return compute


@metric
def rse_counts() -> Metric:
    """Samples with and without a judge score (`scored`, `unscored`), and without a ceiling score."""

    def compute(scores: list[SampleScore]) -> Value:
        def missing(key: str) -> int:
            return sum(1 for s in scores if not isinstance(s.score.value, dict) or _missing(s.score.value.get(key)))

        unscored = missing(OVERALL)
        result = {"scored": float(len(scores) - unscored), "unscored": float(unscored)}
        if _has_key(scores, CEILING_JUDGE_KEY):
            result["ceiling_unscored"] = float(missing(CEILING_JUDGE_KEY))
        return result

    return compute


@metric
def swap_gap_abs() -> Metric:
    """Mean absolute difference of the overall score between the two judge orders."""

    def compute(scores: list[SampleScore]) -> Value:
        gaps = [abs(float(s.score.value[SWAP_KEY])) for s in scores
                if isinstance(s.score.value, dict) and not _missing(s.score.value.get(SWAP_KEY))]
        return unweighted_mean(gaps)

    return compute


def rse_metrics(datasets: Sequence[str] | None = None, *, swap: bool = False, ceiling: bool = False,
                judge: bool = True) -> MetricSpec:
    """The metrics of an RSE run over `datasets`: mean and stderr of every score key (`JudgeSettings.score_keys`).

    `judge=False` (cheap signals only): no judge keys and no scored/unscored counts.
    """
    settings = build_settings(JudgeSettings, judge=judge, swap=swap, ceiling=ceiling)
    keys = settings.score_keys()
    metrics: MetricSpec = [
        {key: [mean(), stderr()] for key in sorted(keys, key=lambda k: (k not in HEADER_KEYS, keys.index(k)))},
        rse_by_dataset(list(datasets) if datasets else None),
    ]
    if judge:
        metrics.append(rse_counts())
    if swap:
        metrics.append(swap_gap_abs())
    return metrics
