"""The RSE score keys: one entry per key of a sample's score value, the one place a key is written.

Every user reads this table: the rating (the criteria's ranges and the names a reply may give them), the
settings (which keys a run has), the scorer (rounding and the explanation's names), the viewer (column headers
and colour scales), the metrics and the report (per-dataset prefixes, the heatmap's range). The table is in
display order, which is the order of a run's keys (`JudgeSettings.score_keys`).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel

KeyGroup = Literal["judge", "overlap", "swap", "ceiling", "ceiling_overlap"]
"""Which part of a run gives the key: the judge, the cheap signals, `swap`, or `ceiling` (judge or overlap)."""


class ScoreKey(BaseModel, frozen=True):
    """One key of the RSE score value."""

    name: str
    group: KeyGroup
    label: str
    """Its name in the explanation's values line (`overall (1-5)`)."""
    column: str
    """Its header in the sample list (11 characters at most: `common.viewer.column_label`)."""
    range: tuple[int, int] | None
    """Inclusive range of the value (a judge key: its whole-number choices); None: no fixed range, no colour
    scale."""
    digits: int | None = None
    """Decimals the value is rounded to and shown with; None: the judge's whole numbers (halves with `swap`)."""
    aliases: tuple[str, ...] = ()
    """The names a judge reply may give a judge key (the key first)."""
    per_dataset: str | None = None
    """Prefix of its per-dataset metrics and report columns (`rse_arena_hard`, `rse_avg`); None: none."""

    def bounds(self) -> tuple[int, int]:
        """The range, for a key that has one."""
        if self.range is None:
            raise ValueError(f"The RSE score key {self.name} has no fixed range.")
        return self.range

    @property
    def span(self) -> str:
        """The range as labels write it (`1-5`)."""
        low, high = self.bounds()
        return f"{low}-{high}"

    def rounded(self, value: float) -> float:
        """The value as the score holds it: rounded to `digits` decimals, if any."""
        return value if self.digits is None else round(value, self.digits)

    def shown(self, value: float) -> str:
        """The value as the explanation writes it: `unscored` for NaN."""
        if math.isnan(value):
            return "unscored"
        return f"{value:g}" if self.digits is None else f"{value:.{self.digits}f}"


OVERALL = "overall"
NGRAM = "ngram"
ROUGE_L = "rouge_l"
SCORE_KEYS: dict[str, ScoreKey] = {key.name: key for key in (
    ScoreKey(name=OVERALL, group="judge", label="overall (1-5)", column="overall", range=(1, 5),
             aliases=("overall", "overall_similarity", "overall similarity", "similarity"), per_dataset="rse"),
    ScoreKey(name="style", group="judge", label="style (0-2)", column="style 0-2", range=(0, 2),
             aliases=("style", "response_style", "response style")),
    ScoreKey(name="logic", group="judge", label="logic (0-2)", column="logic 0-2", range=(0, 2),
             aliases=("logic", "logical_structure", "logical structure", "structure")),
    ScoreKey(name="content", group="judge", label="content (0-2)", column="content 0-2", range=(0, 2),
             aliases=("content", "content_detail", "content detail", "detail")),
    ScoreKey(name=NGRAM, group="overlap", label="2-gram overlap", column="2-gram", range=(0, 1), digits=3,
             per_dataset="ngram"),
    ScoreKey(name=ROUGE_L, group="overlap", label="ROUGE-L F1", column="ROUGE-L", range=(0, 1), digits=3,
             per_dataset="rouge_l"),
    ScoreKey(name="swap_gap", group="swap", label="swap gap", column="swap gap", range=None),
    ScoreKey(name="ceiling", group="ceiling", label="ceiling (1-5)", column="ceiling", range=(1, 5),
             per_dataset="ceiling"),
    ScoreKey(name="ceiling_ngram", group="ceiling_overlap", label="ceiling 2-gram", column="ceil 2-gram",
             range=(0, 1), digits=3),
    ScoreKey(name="ceiling_rouge_l", group="ceiling_overlap", label="ceiling ROUGE-L", column="ceil ROUGE",
             range=(0, 1), digits=3),
)}
"""Every RSE score key, in display order."""


def keys_of(group: KeyGroup) -> tuple[str, ...]:
    """The keys of one group, in display order."""
    return tuple(name for name, key in SCORE_KEYS.items() if key.group == group)


JUDGE_KEYS = keys_of("judge")
"""The judge's keys, overall first."""
RATING_KEYS: tuple[str, ...] = (*(key for key in JUDGE_KEYS if key != OVERALL), OVERALL)
"""The judge's keys in the order a reply gives them: the criteria, then overall (so that a reply rates the
parts before the whole)."""
OVERLAP_KEYS = keys_of("overlap")
(SWAP_KEY,) = keys_of("swap")
(CEILING_JUDGE_KEY,) = keys_of("ceiling")
CEILING_OVERLAP_KEYS = keys_of("ceiling_overlap")
PER_DATASET: dict[str, str] = {name: key.per_dataset for name, key in SCORE_KEYS.items() if key.per_dataset}
"""Keys reported per dataset, and the prefix of their metric names."""
