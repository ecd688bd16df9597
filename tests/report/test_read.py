"""Reading logs: which logs count, the tested model of each, one row per campaign and per RSE sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspect_distill.report.read import find_logs, read_logs
from tests.report.logs import (
    ICE_MODELS,
    PAPER_MODELS,
    PER_DATASET,
    RSE_PAIRS,
    ReportLogs,
)


def test_every_successful_log_is_read_and_the_failed_one_is_listed(report_logs: ReportLogs) -> None:
    logs = read_logs([report_logs.log_dir], quiet=True)
    assert len(logs.evals) == len(PAPER_MODELS) + len(ICE_MODELS) + len(RSE_PAIRS)
    assert set(logs.evals["status"]) == {"success"}
    assert len(logs.skipped) == 1 and logs.skipped["status"].iloc[0] == "error"
    assert logs.skipped["task"].iloc[0] == "rse"

    # imports are named after their recorded file, live runs after their model
    imported = logs.evals.loc[logs.evals["task"] == "ice_import", "tested_model"]
    assert sorted(imported) == sorted(PAPER_MODELS)
    live = logs.evals.loc[logs.evals["task"] == "ice", "tested_model"]
    assert sorted(live) == sorted(f"replay/{m}" for m in ICE_MODELS)

    # one row per campaign; imports carry the recorded verdicts too
    assert len(logs.ice) == len(PAPER_MODELS) + len(ICE_MODELS)
    for row in logs.ice.itertuples():
        assert (row.recorded is not None) == (row.tested_model in PAPER_MODELS)
        assert row.summary.overall.queries == (report_logs.paper_rows if row.recorded else 8)

    # one row per RSE sample, with its dataset and reference
    assert len(logs.rse) == len(RSE_PAIRS) * 3 * PER_DATASET
    assert set(logs.rse["dataset"]) == {"arena_hard", "numina", "sharegpt"}
    pairs = set(zip(logs.rse["tested_model"], logs.rse["reference_model"]))
    assert pairs == {(f"replay/{t}", r) for t, r in RSE_PAIRS}
    unrated = logs.rse[logs.rse["reason"] == "grader_failed"]
    assert len(unrated) == len(RSE_PAIRS) and unrated["overall"].isna().all()
    assert unrated["rouge_l"].notna().all()  # the cheap signals never need the judge


def test_log_files_and_directories_both_work(report_logs: ReportLogs) -> None:
    files = sorted(report_logs.log_dir.glob("*.eval"))
    logs = read_logs([files[0], report_logs.log_dir], quiet=True)
    assert len(logs.evals) + len(logs.skipped) == len(files)  # a file named twice is read once


def test_bad_paths_fail_early(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="No log file or directory"):
        find_logs([tmp_path / "missing"])
    with pytest.raises(ValueError, match="No Inspect logs"):
        find_logs([tmp_path])
