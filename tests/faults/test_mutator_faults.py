"""A mutator that refuses or loses the placeholder in half of its answers: the budget goes to valid
templates only, and the dropped mutants are counted."""

from __future__ import annotations

from pathlib import Path

from inspect_distill.ice.fuzz.templates import has_placeholder
from tests.faults.conftest import MUTATOR, campaign_of, run_campaign, summary_of
from tests.support.openai_server import MutatorScript, ServerConfig


def test_budget_is_spent_on_valid_templates_and_drops_are_counted(serve, campaign_files, tmp_path: Path) -> None:
    server = serve(ServerConfig().with_role("mutator", script=MutatorScript(refusal_rate=0.25, lost_placeholder_rate=0.25)))
    log = run_campaign(server, tmp_path / "logs", campaign_files, budget=48, mutator_attempts=2)
    result = campaign_of(log)

    assert result.queries == 48 and result.stop_reason == "budget"
    mutants = [t for t in result.templates.values() if t.source == "mutant"]
    dropped = [t for t in mutants if t.dropped_reason]
    queried = {r.template_id for r in result.records}
    assert len(dropped) > 0 and len(queried) == 8

    # every query went through a valid template; no dropped mutant was ever queried
    for template_id in queried:
        template = result.templates[template_id]
        assert template.text and has_placeholder(template.text) and template.dropped_reason is None
        assert template.queries == 6
    assert not queried & {t.id for t in dropped}
    for template in dropped:
        assert template.text is None and template.queries == 0 and template.attempts == 2
        assert template.dropped_reason.split(" after ")[0] in ("mutator refused", "no placeholder",
                                                               "placeholder in the added text")

    # the campaign says how many it dropped (score metadata, metric, log)
    assert summary_of(log)["dropped_mutants"] == len(dropped) == result.dropped_mutants
    assert log.results.scores[0].metrics["dropped_mutants"].value == len(dropped)
    # the server answered exactly the attempts the campaign recorded
    assert server.stats(MUTATOR).requests == sum(t.attempts for t in mutants)
    # a bad answer is retried: some queried mutants needed their second attempt
    assert any(result.templates[t].attempts == 2 for t in queried)
