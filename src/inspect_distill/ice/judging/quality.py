"""Each judge's measured strict precision and recall, and the strict rate corrected for that judge's error.

`quality.json` beside this module is written by `python -m benchmarks.judge_gold --write-quality` from the
gold rows labelled after the lexical rules (leave-one-model-out for the hybrid's choices). The correction

    corrected = observed x precision / recall

estimates the true claim rate when the judge misses (1 - recall) of the claims and (1 - precision) of its
positives are wrong. It ASSUMES that the judge's error on the gold set carries over to the model tested.
Its 95% interval is simulated (seeded): the observed rate, precision and recall are each drawn from a
Beta posterior (Jeffreys prior) of their counts, so it carries the uncertainty of all three.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

QUALITY_FILE = Path(__file__).with_name("quality.json")
DRAWS = 4000
SEED = 20261205


class JudgeQuality(BaseModel):
    """One judge's strict precision and recall on the gold rows, with the counts behind them."""

    precision: float
    """Point estimate (stratum-weighted where the sample was stratified)."""
    recall: float
    predicted: int
    """Gold rows the judge called strict (the precision's sample size)."""
    positives: int
    """Gold rows labelled strict (the recall's sample size)."""
    tp: int
    fp: int
    fn: int


class QualityTable(BaseModel):
    """The measured quality of each judge and where it was measured."""

    measured_on: str
    command: str
    judges: dict[str, JudgeQuality]


class CorrectedRate(BaseModel):
    """A strict rate corrected for the judge's measured error, with a 95% interval."""

    judge: str
    observed: float
    corrected: float
    low: float
    high: float
    precision: float
    recall: float

    def describe(self) -> str:
        """One line for explanations and reports."""
        return (
            f"corrected for the {self.judge} judge's error: {self.corrected:.1%} "
            f"[{self.low:.1%}, {self.high:.1%}] (precision {self.precision:.3f}, recall {self.recall:.3f} on the "
            "gold set; an estimate that assumes the judge errs on this model as it did there)"
        )


@lru_cache(maxsize=1)
def load_quality(path: Path = QUALITY_FILE) -> QualityTable | None:
    """The shipped quality table (None when the file is missing)."""
    if not path.exists():
        return None
    return QualityTable.model_validate_json(path.read_text(encoding="utf-8"))


def _beta(rng: random.Random, hits: float, misses: float) -> float:
    """A draw from the Jeffreys posterior of a proportion with these (possibly weighted) counts."""
    return rng.betavariate(hits + 0.5, misses + 0.5)


def corrected_rate(judge: str, positives: int, total: int, table: QualityTable | None = None) -> CorrectedRate | None:
    """The strict rate positives/total corrected for `judge`'s error; None without a measurement or a total."""
    table = table if table is not None else load_quality()
    quality = table.judges.get(judge) if table is not None else None
    if quality is None or total <= 0 or quality.recall <= 0 or quality.predicted <= 0 or quality.positives <= 0:
        return None
    observed = positives / total
    rng = random.Random(SEED)
    draws = sorted(
        min(1.0, _beta(rng, positives, total - positives)
            * _beta(rng, quality.precision * quality.predicted, (1 - quality.precision) * quality.predicted)
            / _beta(rng, quality.recall * quality.positives, (1 - quality.recall) * quality.positives))
        for _ in range(DRAWS)
    )
    corrected = min(1.0, observed * quality.precision / quality.recall)
    return CorrectedRate(
        judge=judge,
        observed=observed,
        corrected=corrected,
        low=min(corrected, draws[int(0.025 * DRAWS)]),  # 0 positives: the point sits on the interval's edge
        high=max(corrected, draws[int(0.975 * DRAWS) - 1]),
        precision=quality.precision,
        recall=quality.recall,
    )
