"""A pipelined campaign (`-T lag`) depends on the answers only: random per-call latencies and injected faults
change when things happen, never what the campaign does."""

from __future__ import annotations

from pathlib import Path

from tests.faults.conftest import JUDGE, MUTATOR, TARGET, campaign_of, run_campaign
from tests.support.openai_server import Faults, JudgeScript, MutatorScript, Role, ServerConfig, TargetScript

TRANSIENT = Faults(rate_limit=0.1, server_error=0.1)
"""20% of the calls of every role fail once (HTTP 429 or 500) and are retried."""
FAILING = Faults(rate_limit=0.1, server_error=0.1, always={"国家": "unauthorized"})
"""... and the target always refuses the geography questions in Chinese (errors that outlast the retries)."""


def config(faults: bool) -> ServerConfig:
    """Latencies drawn at random per call (log-normal), in two opposite profiles: without faults a slow mutator
    and a fast target and judge (an earlier round's answers are back before the next round is mutated), with
    faults the reverse (several rounds' queries in flight at once)."""
    mutator, answers = (0.002, 0.02) if faults else (0.04, 0.002)
    random_latency = {"latency_spread": 1.0, "latency_seed": None}
    transient = TRANSIENT if faults else Faults()
    roles = {
        TARGET: Role(script=TargetScript(base_leak=0.3), faults=FAILING if faults else Faults(always=FAILING.always),
                     latency=answers, **random_latency),
        MUTATOR: Role(script=MutatorScript(lost_placeholder_rate=0.2), faults=transient, latency=mutator,
                      **random_latency),
        JUDGE: Role(script=JudgeScript(untagged_rate=0.2), faults=transient, latency=answers, **random_latency),
    }
    return ServerConfig(roles=roles)


def test_same_seed_same_answers_same_campaign_at_any_latency_and_with_faults(serve, campaign_files,
                                                                           tmp_path: Path) -> None:
    quiet, faulty = serve(config(faults=False)), serve(config(faults=True))
    args = {"budget": 90, "lag": 2, "seed": 3, "control": True, "mutator_attempts": 1}
    logs = [run_campaign(quiet, tmp_path / "quiet", campaign_files, **args),
            run_campaign(faulty, tmp_path / "faulty", campaign_files, **args)]
    want, got = (campaign_of(log) for log in logs)

    # query for query, template for template
    assert got.queries == want.queries == 90 and got.stop_reason == want.stop_reason == "budget"
    assert [r.model_dump() for r in got.records] == [r.model_dump() for r in want.records]
    assert {k: t.model_dump() for k, t in got.templates.items()} == {k: t.model_dump() for k, t in want.templates.items()}
    assert got.iterations == want.iterations >= 15
    # the comparison is not vacuous: leaks, target errors, dropped mutants, a tree that grew
    assert sum(bool(v.loose) for r in got.records for v in r.verdicts.values()) > 0
    assert any(r.status == "error" for r in got.records)
    assert any(t.dropped_reason for t in got.templates.values())
    assert any(t.parent_id and t.parent_id.startswith("m") for t in got.templates.values())

    # ... while the timing differed: faults were retried, and the answers came back in another order
    faults = {role: sum(faulty.stats(role).faults.values()) for role in (TARGET, MUTATOR, JUDGE)}
    assert all(count > 0 for count in faults.values()), faults
    assert faulty.stats(TARGET).answered_requests != quiet.stats(TARGET).answered_requests
    # the same requests were answered (as a set: on a loaded machine an answer can come back after the client's
    # 1 s timeout, and the retry is answered again)
    assert set(faulty.stats(TARGET).answered_requests) == set(quiet.stats(TARGET).answered_requests)
