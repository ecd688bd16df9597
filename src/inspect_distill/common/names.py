"""Names both tasks read: the values of `-T judge=` that name an ICE judge.

In an eval set `-T judge=` reaches ICE and RSE alike, so RSE must recognise ICE's judge names without
importing ICE's judging. `ice/judging/judges.py` checks its registry against this Literal (`check_registry`).
"""

from __future__ import annotations

from typing import Literal

JudgeKind = Literal["lexical", "hybrid", "llm", "both"]
"""An ICE judge, or a combination of judges (`both`: llm and lexical)."""
