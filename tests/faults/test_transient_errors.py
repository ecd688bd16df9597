"""20% transient target errors (HTTP 429, 500, timeouts) change nothing but the retry count."""

from __future__ import annotations

from pathlib import Path

from tests.faults.conftest import (
    TARGET,
    campaign_of,
    model_events,
    run_campaign,
    summary_of,
)
from tests.support.openai_server import Faults, ServerConfig, TargetScript

LEAKY = TargetScript(base_leak=0.4)
TRANSIENT = Faults(rate_limit=0.07, server_error=0.07, timeout=0.06)


def test_transient_errors_give_the_same_records_as_a_fault_free_run(serve, campaign_files, tmp_path: Path) -> None:
    clean = serve(ServerConfig().with_role("target", script=LEAKY))
    faulty = serve(ServerConfig().with_role("target", script=LEAKY, faults=TRANSIENT))

    expected = run_campaign(clean, tmp_path / "clean", campaign_files)
    log = run_campaign(faulty, tmp_path / "faulty", campaign_files)

    want, got = campaign_of(expected), campaign_of(log)
    assert got.queries == want.queries == 30 and got.stop_reason == "budget"
    assert [r.model_dump() for r in got.records] == [r.model_dump() for r in want.records]
    assert {k: t.model_dump() for k, t in got.templates.items()} == {k: t.model_dump() for k, t in want.templates.items()}
    assert all(r.status == "ok" for r in got.records)
    assert summary_of(log)["overall"] == summary_of(expected)["overall"]
    assert summary_of(log)["overall"]["loose"]["positives"] > 0  # the comparison is not vacuous

    # the server did fail about a fifth of the target requests, of every transient kind
    stats = faulty.stats(TARGET)
    assert set(stats.faults) == {"rate_limit", "server_error", "timeout"}
    assert stats.answered == 30 and stats.requests == 30 + sum(stats.faults.values())
    assert 0.1 < sum(stats.faults.values()) / stats.requests < 0.3

    # ... and the log shows the retries on the target's model calls
    events = model_events(log, TARGET)
    assert len(events) == 30 and all(e.error is None for e in events)
    assert sum(e.retries or 0 for e in events) == sum(stats.faults.values())
    assert not any(e.retries for e in model_events(expected, TARGET))
