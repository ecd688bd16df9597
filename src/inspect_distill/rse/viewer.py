"""How `inspect view` shows RSE logs: the useful score columns first (`Task(viewer=...)`).

One sample is one prompt; its row shows the judge's overall score, the three criteria and the two cheap
signals, sorted by overall.
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

from inspect_distill.rse.scorer import rse_similarity
from inspect_distill.rse.settings import JUDGE_KEYS, OVERLAP_KEYS

RSE_SCORER = rse_similarity.__name__
"""The key of the RSE score in `sample.scores`."""
RSE_COLUMNS: tuple[str, ...] = (*JUDGE_KEYS, *OVERLAP_KEYS)
"""RSE score keys shown as columns, in order (`similarity.rse_similarity`)."""
RATE = ScoreColorScale(palette="neutral", min=0.0, max=1.0)


def rse_viewer() -> ViewerConfig:
    """Sample list of an RSE log: prompt, overall similarity, criteria, n-gram and ROUGE-L, answer."""
    return ViewerConfig(
        task_samples_view=TaskSamplesView(
            name="RSE prompts",
            columns=[
                TaskSamplesColumn(id="sampleId"),
                *[TaskSamplesColumn.score(RSE_SCORER, key) for key in RSE_COLUMNS],
                TaskSamplesColumn(id="input"),
                TaskSamplesColumn(id="answer"),
                TaskSamplesColumn(id="error"),
                TaskSamplesColumn(id="epoch", visible=False),
            ],
            sort=[TaskSamplesSort.score(RSE_SCORER, "overall", dir="desc")],
            score_labels={"rouge_l": "ROUGE-L", "ngram": "2-gram"},
            score_color_scales={
                "overall": ScoreColorScale(palette="neutral", min=1.0, max=5.0),
                **{key: ScoreColorScale(palette="neutral", min=0.0, max=2.0) for key in ("style", "logic", "content")},
                "ngram": RATE,
                "rouge_l": RATE,
            },
        ),
        sample_score_view=SampleScoreView(default="grid"),
    )
