"""How `inspect view` lists ICE campaigns: the sample list (`Task(viewer=...)`).

Shown when a log has several campaigns (`--epochs N`): one row per campaign with strict, hard and loose first,
the paper's rates, strict per language and the one-line summary (`Score.answer`, which names the campaign and
its seed), sorted by strict. Only these columns: every other built-in column is declared hidden, and the score
value holds only these keys (`ice.score_value.SHOWN_KEYS`). The transcript's spans and lines are written by the
campaign with `ice.display`.
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

from inspect_distill.common.viewer import column_label, hidden_columns
from inspect_distill.ice.score_value import ICE_SCORER, SHOWN_KEYS

ICE_COLUMNS: tuple[str, ...] = SHOWN_KEYS
"""ICE score keys shown as columns, in order: the keys of a campaign's score value (`SHOWN_KEYS`)."""
SHOWN_COLUMNS = ("epoch", "answer", "duration", "error")
"""The built-in columns the sample list shows (every other one is declared hidden)."""
ICE_LABELS: dict[str, str] = {key: column_label(key.replace("_", " ")) for key in ICE_COLUMNS}
"""Column headers: the score keys as the sample's score panel names them, widened so as not to be cut."""
RATE = ScoreColorScale(palette="neutral", min=0.0, max=1.0)


def ice_viewer() -> ViewerConfig:
    """Sample list of an ICE log: epoch (the campaign), strict/hard/loose, paper rates, summary."""
    return ViewerConfig(
        task_samples_view=TaskSamplesView(
            name="ICE campaigns",
            columns=[
                TaskSamplesColumn(id="epoch"),
                *[TaskSamplesColumn.score(ICE_SCORER, key) for key in ICE_COLUMNS],
                *[TaskSamplesColumn(id=column) for column in SHOWN_COLUMNS[1:]],
                *hidden_columns(SHOWN_COLUMNS),
            ],
            sort=[TaskSamplesSort.score(ICE_SCORER, "strict", dir="desc")],
            score_labels=ICE_LABELS,
            score_color_scales={key: RATE for key in ICE_COLUMNS},
        ),
        sample_score_view=SampleScoreView(default="grid"),
    )
