"""`inspect_distill/ice_import`: a recorded ICE run (the paper's attack-result format) scored by the ICE scorer."""

from __future__ import annotations

from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample

from inspect_distill.identity.model import get_identity, load_identity_file, resolve_references
from inspect_distill.ice.scorer import ice_scorer
from inspect_distill.ice.judging.judges import judge_names
from inspect_distill.ice.paper_import import default_strict_file, read_attack_rows, recorded_campaign
from inspect_distill.ice.task import _as_list
from inspect_distill.ice.viewer import ice_viewer

TASK_VERSION = "1-A"
"""This task's own version (see CHANGELOG.md): the search settings of `ice` do not reach a recorded run."""


@task
def ice_import(
    file: str,
    identity: str | None = None,
    identity_file: str | None = None,
    judge: str = "lexical",
    strict_file: str | None = None,
    questions: str | None = None,
    references: str | list[str] | None = None,
) -> Task:
    """Score a recorded ICE run; the recorded loose verdicts and strict file are kept for agreement.

    Args:
        file: `attack_<model>.jsonl` in the paper's attack-result format.
        identity: the recorded target's identity preset (or identity_file).
        identity_file: a YAML/JSON identity instead of a preset.
        judge: lexical (default, no model), llm (grader role) or both.
        strict_file: the paper's strict CSV; default `strict_<model>.csv` beside the file when present.
        questions: a question file whose categories label the recorded queries (e.g. the paper's CSV).
        references: reference identities (default openai,anthropic; own family excluded).
    """
    judge_names(judge)
    if not identity and not identity_file:
        raise ValueError("A recorded run needs the target's identity: -T identity=NAME or -T identity_file=PATH.")
    who = load_identity_file(identity_file) if identity_file else get_identity(str(identity))
    reference_names = _as_list(references)
    resolve_references(reference_names, who)
    rows = read_attack_rows(file)  # early, clear error on a bad file
    strict = strict_file or default_strict_file(file)
    sample = Sample(
        id=Path(file).stem,
        input=f"Recorded ICE run {Path(file).name}: {len(rows)} queries.",
        metadata={"source": str(file), "strict_file": str(strict) if strict else None},
    )
    return Task(
        dataset=MemoryDataset([sample], name=Path(file).stem),
        solver=recorded_campaign(str(file), who, reference_names, str(strict) if strict else None, questions),
        scorer=ice_scorer(judge=judge),
        metadata={"source": str(file), "judge": judge, "identity": who.key},
        version=TASK_VERSION,
        viewer=ice_viewer(),
    )
