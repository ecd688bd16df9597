"""Rules shared by the tasks' `inspect view` configurations."""

from __future__ import annotations

from collections.abc import Sequence

from inspect_ai.viewer import TaskSamplesColumn

WORD_JOINER = "\u2060"
"""An invisible character that is no break opportunity: it widens a column header without showing."""
HEADER_CHARS_PER_LABEL_CHAR = 1.35
"""The sample list sizes a score column at 6.2 px per character of its label (plus 40 px, at most 120 px),
while an upper-case header with the sort arrow needs about 8.3 px per character: a label of n characters
needs about 1.35 n characters of width."""


def column_label(label: str) -> str:
    """A score column header that the sample list does not cut ("STR…"): the label, widened with invisible
    word joiners to the width its upper-case text and the sort arrow need. Keep labels to 11 characters or
    less (the viewer caps a score column at 120 px)."""
    width = round(len(label) * HEADER_CHARS_PER_LABEL_CHAR)
    return label + WORD_JOINER * max(0, width - len(label))


BUILT_IN_COLUMNS: tuple[str, ...] = ("sampleStatus", "sampleId", "sampleUuid", "epoch", "input", "target",
                                     "answer", "tokens", "cost", "duration", "error", "limit", "retries",
                                     "fallbacks")
"""Every built-in column of a task's sample list (Inspect 0.3.285). The viewer appends any column the view does
not name after the named ones, visible: a view names every built-in column, hidden when it does not show it."""


def hidden_columns(shown: Sequence[str]) -> list[TaskSamplesColumn]:
    """The built-in columns not in `shown`, declared hidden (`visible=False`: still in the Columns menu).

    Score keys cannot be hidden this way: the viewer shows every key of a score value (its score selector
    starts with all of them and overrides `visible`), so a score keeps in its value only the keys its view
    shows."""
    return [TaskSamplesColumn(id=column, visible=False) for column in BUILT_IN_COLUMNS if column not in shown]
