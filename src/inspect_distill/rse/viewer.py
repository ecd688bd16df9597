"""How `inspect view` shows RSE logs: the useful score columns first (`Task(viewer=...)`), and the headline.

One sample is one prompt; its row shows the judge's overall score, the three criteria and the two cheap
signals, with their ranges in the headers, sorted by overall; without a judge (`judge=false`) only the two
cheap signals, sorted by ROUGE-L; with `swap` or `ceiling` also their keys. Only these columns: every other
built-in column is declared hidden. The sample's Scoring tab shows the values with the same names, the judge's
reasons, and the reference and tested answers in two columns (`rse.scorer`).

The headline (`rse_headline`: the log list's Score column and the first row of the header) is the mean of
overall, a rating 1-5, or without a judge of ROUGE-L; the header's other rows are 2-gram and ROUGE-L
(`rse.metrics.HEADER_KEYS`).
"""

from __future__ import annotations

from inspect_ai.log import HeadlineMetric
from inspect_ai.viewer import (
    SampleScoreView,
    ScoreColorScale,
    TaskSamplesColumn,
    TaskSamplesSort,
    TaskSamplesView,
    ViewerConfig,
)

from inspect_distill.common.validation import build_settings
from inspect_distill.common.viewer import column_label, hidden_columns
from inspect_distill.rse.keys import OVERALL, ROUGE_L, SCORE_KEYS
from inspect_distill.rse.scorer import rse_similarity
from inspect_distill.rse.settings import JudgeSettings

RSE_SCORER = rse_similarity.__name__
"""The key of the RSE score in `sample.scores`."""
SHOWN_COLUMNS = ("sampleId", "input", "error")
"""The built-in columns the sample list shows (every other one is declared hidden). The tested answer is not
one: it is in the Scoring tab beside the reference answer (`rse.scorer.side_by_side`)."""
SCALES: dict[str, ScoreColorScale] = {
    name: ScoreColorScale(palette="neutral", min=float(key.range[0]), max=float(key.range[1]))
    for name, key in SCORE_KEYS.items() if key.range is not None
}
"""A colour scale over each key's range (`rse.keys.SCORE_KEYS`); a key without a range has none."""


def rse_columns(judge: bool = True, swap: bool = False, ceiling: bool = False) -> tuple[str, ...]:
    """The score keys a run has, in column order: without a judge only the overlap signals (and the ceiling's)."""
    return build_settings(JudgeSettings, judge=judge, swap=swap, ceiling=ceiling).score_keys()


def rse_headline(judge: bool = True) -> HeadlineMetric:
    """The metric that sums up an RSE log: the mean overall rating (1-5), or without a judge the mean ROUGE-L."""
    return HeadlineMetric(scorer=RSE_SCORER, score=OVERALL if judge else ROUGE_L, metric="mean")


def rse_viewer(judge: bool = True, swap: bool = False, ceiling: bool = False) -> ViewerConfig:
    """Sample list of an RSE log: prompt id, overall similarity, criteria, 2-gram and ROUGE-L (and the swap and
    ceiling keys of a run that has them), prompt; sorted by a column the run has (overall, or ROUGE-L without a
    judge)."""
    keys = rse_columns(judge, swap, ceiling)
    sort_key = OVERALL if judge else ROUGE_L
    return ViewerConfig(
        task_samples_view=TaskSamplesView(
            name="RSE prompts",
            columns=[
                TaskSamplesColumn(id="sampleId"),
                *[TaskSamplesColumn.score(RSE_SCORER, key) for key in keys],
                *[TaskSamplesColumn(id=column) for column in SHOWN_COLUMNS[1:]],
                *hidden_columns(SHOWN_COLUMNS),
            ],
            sort=[TaskSamplesSort.score(RSE_SCORER, sort_key, dir="desc")],
            score_labels={key: column_label(SCORE_KEYS[key].column) for key in keys},
            score_color_scales={key: SCALES[key] for key in keys if key in SCALES},
        ),
        sample_score_view=SampleScoreView(default="grid"),
    )
