"""Read ICE and RSE logs into data frames (Inspect's `inspect_ai.analysis` readers).

One row per log in `LogSet.evals`; one row per ICE campaign (sample and epoch) in `LogSet.ice`, with its
`IceSummary`; one row per RSE sample in `LogSet.rse`. Only logs whose status is `success` are used (an
eval-set directory also holds the failed attempts it retried); the others are listed in `LogSet.skipped`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from inspect_ai.analysis import (
    EvalColumn,
    EvalModel,
    EvalResults,
    EvalTask,
    SampleColumn,
    evals_df,
    samples_df,
)
from inspect_ai.log import EvalLog, EvalSample, list_eval_logs

from inspect_distill.ice.paper_import import recorded_model
from inspect_distill.ice.score_value import ICE_SCORER, IceScoreValue
from inspect_distill.rse.keys import JUDGE_KEYS, OVERALL, OVERLAP_KEYS, SWAP_KEY
from inspect_distill.rse.metrics import DATASET_KEY
from inspect_distill.rse.viewer import RSE_SCORER

IMPORT_TASK = "ice_import"
ICE_TASKS = ("ice", IMPORT_TASK)
RSE_TASKS = ("rse",)
"""Task names the report reads (the report imports no task; `tests/report` checks them against the registry)."""
SKIPPED_FIELDS = {"store", "messages", "events", "attachments"}
"""Sample fields the report never needs; not loading them keeps reading fast."""


def task_name(log: EvalLog) -> str:
    """The task's name without its package (`inspect_distill/ice` -> `ice`)."""
    return log.eval.task.split("/")[-1]


def tested_model(log: EvalLog) -> str:
    """The tested model of a log: the task's model, or for an imported recorded run the file's model.

    `ice_import` runs with no model; its file `attack_<model>.jsonl` names the model that answered.
    """
    if task_name(log) == IMPORT_TASK:
        return recorded_model(str((log.eval.task_args or {}).get("file", "recorded")))
    return log.eval.model


def _ice_payload(sample: EvalSample) -> str | None:
    value = IceScoreValue.from_score((sample.scores or {}).get(ICE_SCORER))
    return value.model_dump_json() if value is not None else None


def _rse_payload(sample: EvalSample) -> str | None:
    score = (sample.scores or {}).get(RSE_SCORER)
    if score is None or not isinstance(score.value, dict):
        return None
    return json.dumps({"value": score.value, "reason": score.reason})


EVAL_COLUMNS = [
    EvalColumn("log", path=lambda log: log.location, required=True),
    EvalColumn("task", path=task_name, required=True),
    EvalColumn("tested_model", path=tested_model, required=True),
    *[c for c in EvalTask if c.name in ("task_version", "task_file")],
    *[c for c in EvalModel if c.name in ("model",)],
    *[c for c in EvalResults if c.name in ("status", "total_samples", "completed_samples")],
    EvalColumn("created", path="eval.created", required=True),
    EvalColumn("eval_set_id", path="eval.eval_set_id"),
]
"""Per-log columns (log path, task, tested model, version, status)."""

ICE_SAMPLE_COLUMNS = [
    EvalColumn("log", path=lambda log: log.location, required=True),
    EvalColumn("tested_model", path=tested_model, required=True),
    SampleColumn("id", path="id", required=True, type=str),
    SampleColumn("epoch", path="epoch", required=True),
    SampleColumn("ice", path=_ice_payload, full=True),
]
RSE_SAMPLE_COLUMNS = [
    EvalColumn("log", path=lambda log: log.location, required=True),
    EvalColumn("tested_model", path=tested_model, required=True),
    SampleColumn("id", path="id", required=True, type=str),
    SampleColumn("epoch", path="epoch", required=True),
    SampleColumn("dataset", path=f"metadata.{DATASET_KEY}"),
    SampleColumn("reference_model", path="metadata.reference_model"),
    SampleColumn("rse", path=_rse_payload, full=True),
]

RSE_VALUE_KEYS = (*JUDGE_KEYS, *OVERLAP_KEYS, SWAP_KEY)
"""Per-sample RSE score keys kept as columns (swap_gap only when the run judged both orders)."""


@dataclass
class LogSet:
    """What the report reads from a set of logs."""

    evals: pd.DataFrame
    """One row per successful ICE, RSE or other log."""
    ice: pd.DataFrame
    """One row per ICE campaign: log, tested_model, sample_id, epoch, summary (`IceSummary`),
    recorded (`IceSummary` of the recorded verdicts of an import, or None)."""
    rse: pd.DataFrame
    """One row per RSE sample: log, tested_model, reference_model, dataset, overall, style, logic, content,
    ngram, rouge_l, swap_gap, reason."""
    skipped: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Logs not used, with their status (error, cancelled, started)."""
    sources: list[str] = field(default_factory=list)
    """The paths the logs were read from."""

    @property
    def empty(self) -> bool:
        return bool(self.ice.empty and self.rse.empty)


def find_logs(paths: Sequence[str | Path]) -> list[str]:
    """Every Inspect log under the given directories and files, in a stable order.

    Raises:
        FileNotFoundError: a path does not exist.
        ValueError: no log was found at all.
    """
    found: list[str] = []
    for path in paths:
        target = Path(path)
        if not target.exists():
            raise FileNotFoundError(f"No log file or directory at '{path}'.")
        if target.is_file():
            found.append(str(target.resolve()))
        else:
            found.extend(info.name for info in list_eval_logs(str(target.resolve()), recursive=True))
    unique = sorted(dict.fromkeys(found))
    if not unique:
        raise ValueError(f"No Inspect logs (.eval or .json) found in {', '.join(str(p) for p in paths)}.")
    return unique


def _native(location: str) -> str:
    return location.removeprefix("file://")


def _ice_rows(frame: pd.DataFrame) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for record in frame.to_dict("records"):
        if not isinstance(record.get("ice"), str):
            continue  # an unscored campaign (no summary): it is listed with its log, not counted
        value = IceScoreValue.model_validate_json(record["ice"])
        rows.append({
            "log": _native(record["log"]),
            "tested_model": record["tested_model"],
            "sample_id": record["id"],
            "epoch": int(record["epoch"]),
            "summary": value.summary,
            "recorded": value.recorded,
        })
    columns = ["log", "tested_model", "sample_id", "epoch", "summary", "recorded"]
    return pd.DataFrame(rows, columns=columns)


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _rse_rows(frame: pd.DataFrame) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for record in frame.to_dict("records"):
        if not isinstance(record.get("rse"), str):
            continue
        payload = json.loads(record["rse"])
        value = payload["value"]
        row = {
            "log": _native(record["log"]),
            "tested_model": record["tested_model"],
            "reference_model": record.get("reference_model") or "unknown",
            "dataset": record.get("dataset") or "unknown",
            "sample_id": record["id"],
            "epoch": int(record["epoch"]),
        }
        row.update({key: _number(value.get(key)) for key in RSE_VALUE_KEYS})
        row["judged"] = OVERALL in value  # False for a run without judge (judge=false): cheap signals only
        row["reason"] = payload.get("reason")
        rows.append(row)
    columns = ["log", "tested_model", "reference_model", "dataset", "sample_id", "epoch", *RSE_VALUE_KEYS, "judged",
               "reason"]
    return pd.DataFrame(rows, columns=columns)


def read_logs(paths: Sequence[str | Path], quiet: bool | None = None) -> LogSet:
    """Read every ICE and RSE log under `paths` (directories or log files).

    Args:
        paths: log directories (searched recursively) and/or log files.
        quiet: no progress bar (default: a progress bar in a terminal, none in a notebook).
    """
    logs = find_logs(paths)
    evals = evals_df(logs, columns=EVAL_COLUMNS, quiet=quiet)
    evals["log"] = evals["log"].map(_native)
    success = evals["status"] == "success"
    skipped = evals.loc[~success, ["log", "task", "tested_model", "status"]].reset_index(drop=True)
    evals = evals.loc[success].sort_values(["task", "tested_model", "created"]).reset_index(drop=True)
    ice_logs = evals.loc[evals["task"].isin(ICE_TASKS), "log"].tolist()
    rse_logs = evals.loc[evals["task"].isin(RSE_TASKS), "log"].tolist()
    ice_frame = (
        samples_df(ice_logs, columns=ICE_SAMPLE_COLUMNS, quiet=quiet, exclude_fields=SKIPPED_FIELDS)
        if ice_logs else pd.DataFrame()
    )
    rse_frame = (
        samples_df(rse_logs, columns=RSE_SAMPLE_COLUMNS, quiet=quiet, exclude_fields=SKIPPED_FIELDS)
        if rse_logs else pd.DataFrame()
    )
    return LogSet(
        evals=evals,
        ice=_ice_rows(ice_frame),
        rse=_rse_rows(rse_frame),
        skipped=skipped,
        sources=[str(p) for p in paths],
    )
