"""How `inspect view` shows ICE logs: the useful score columns first (`Task(viewer=...)`).

One sample is one campaign; its list row shows strict, hard and loose (over valid judged queries), the
paper's rates and the one-line summary (`Score.answer`), sorted by strict.
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

from inspect_distill.ice.scorer import ice_scorer

ICE_SCORER = ice_scorer.__name__
"""The key of the ICE score in `sample.scores`."""
ICE_COLUMNS: tuple[str, ...] = ("strict", "hard", "loose", "strict_paper", "hard_paper", "loose_paper",
                                "strict_en", "strict_zh")
"""ICE score keys shown as columns, in order (`ice_metrics.score_values`)."""
RATE = ScoreColorScale(palette="neutral", min=0.0, max=1.0)


def ice_viewer() -> ViewerConfig:
    """Sample list of an ICE log: campaign, epoch, strict/hard/loose, paper rates, summary."""
    return ViewerConfig(
        task_samples_view=TaskSamplesView(
            name="ICE campaigns",
            columns=[
                TaskSamplesColumn(id="sampleId"),
                TaskSamplesColumn(id="epoch"),
                *[TaskSamplesColumn.score(ICE_SCORER, key) for key in ICE_COLUMNS],
                TaskSamplesColumn(id="answer"),
                TaskSamplesColumn(id="duration"),
                TaskSamplesColumn(id="error"),
                TaskSamplesColumn(id="input", visible=False),
            ],
            sort=[TaskSamplesSort.score(ICE_SCORER, "strict", dir="desc")],
            score_labels={key: key.replace("_", " ") for key in ICE_COLUMNS},
            score_color_scales={key: RATE for key in ICE_COLUMNS},
        ),
        sample_score_view=SampleScoreView(default="grid"),
    )
