"""How `inspect view` shows RSE logs: the useful score columns first (`Task(viewer=...)`).

One sample is one prompt; its row shows the judge's overall score, the three criteria and the two cheap
signals, with their ranges in the headers, sorted by overall; without a judge (`judge=false`) only the two
cheap signals, sorted by ROUGE-L. The sample's Scoring tab shows the values with the same names, the judge's
reasons, and the reference and tested answers side by side (`rse.scorer`).
"""

from __future__ import annotations

from inspect_ai.viewer import (
    SampleScoreView,
    ScoreColorScale,
    TaskSamplesColumn,
    TaskSamplesSort,
    TaskSamplesView,
    ViewerConfig,
)

from inspect_distill.common.viewer import column_label
from inspect_distill.rse.scorer import rse_similarity
from inspect_distill.rse.settings import JUDGE_KEYS, OVERALL, OVERLAP_KEYS

RSE_SCORER = rse_similarity.__name__
"""The key of the RSE score in `sample.scores`."""
RSE_COLUMNS: tuple[str, ...] = (*JUDGE_KEYS, *OVERLAP_KEYS)
"""RSE score keys shown as columns, in order (`similarity.rse_similarity`)."""
RSE_LABELS: dict[str, str] = {
    "overall": "overall", "style": "style 0-2", "logic": "logic 0-2", "content": "content 0-2",
    "ngram": "2-gram", "rouge_l": "ROUGE-L",
}
"""Column headers, with the criteria's range (overall: 1-5); the explanation names every value in full."""
RATE = ScoreColorScale(palette="neutral", min=0.0, max=1.0)
CRITERION = ScoreColorScale(palette="neutral", min=0.0, max=2.0)


def rse_columns(judge: bool = True) -> tuple[str, ...]:
    """The score keys a run has, in column order: without a judge only the overlap signals."""
    return RSE_COLUMNS if judge else OVERLAP_KEYS


def rse_viewer(judge: bool = True) -> ViewerConfig:
    """Sample list of an RSE log: prompt, overall similarity, criteria, 2-gram and ROUGE-L, answer; sorted by
    a column the run has (overall, or ROUGE-L without a judge)."""
    keys = rse_columns(judge)
    sort_key = OVERALL if judge else "rouge_l"
    scales = {OVERALL: ScoreColorScale(palette="neutral", min=1.0, max=5.0),
              **{key: CRITERION for key in ("style", "logic", "content")}, "ngram": RATE, "rouge_l": RATE}
    return ViewerConfig(
        task_samples_view=TaskSamplesView(
            name="RSE prompts",
            columns=[
                TaskSamplesColumn(id="sampleId"),
                *[TaskSamplesColumn.score(RSE_SCORER, key) for key in keys],
                TaskSamplesColumn(id="input"),
                TaskSamplesColumn(id="answer"),
                TaskSamplesColumn(id="error"),
                TaskSamplesColumn(id="epoch", visible=False),
            ],
            sort=[TaskSamplesSort.score(RSE_SCORER, sort_key, dir="desc")],
            score_labels={key: column_label(RSE_LABELS[key]) for key in keys},
            score_color_scales={key: scales[key] for key in keys},
        ),
        sample_score_view=SampleScoreView(default="grid"),
    )
