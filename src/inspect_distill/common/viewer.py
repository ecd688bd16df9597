"""Rules shared by the tasks' `inspect view` configurations."""

from __future__ import annotations

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
