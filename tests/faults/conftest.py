"""Fault tests: ICE campaigns through the real `openai` provider against the local server (tests.support)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from inspect_distill.ice.records import CampaignResult, stored_campaign
from tests.conftest import run_eval
from tests.support.campaign_inputs import write_campaign_files
from tests.support.openai_server import OpenAIServer, ServerConfig

TARGET = "gpt-local-target"
MUTATOR = "gpt-local-mutator"
JUDGE = "gpt-local-judge"
CLIENT_TIMEOUT = 1.0
"""Seconds before the client gives up on an attempt (the server's timeout faults outlast it)."""

@pytest.fixture
def campaign_files(tmp_path: Path) -> dict[str, str]:
    """A small question set (3 English, 3 Chinese) and four seed templates, written for these tests."""
    return write_campaign_files(tmp_path)


@pytest.fixture
def serve() -> Iterator[Callable[[ServerConfig], OpenAIServer]]:
    """Start servers for a test (`serve(config)`); all are stopped when it ends."""
    servers: list[OpenAIServer] = []

    def start(config: ServerConfig) -> OpenAIServer:
        servers.append(OpenAIServer(config).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def run_campaign(server: OpenAIServer, log_dir: Path, files: dict[str, str], *, eval_args: dict[str, Any] | None = None,
                 **task_args: Any) -> Any:
    """One ICE campaign against the server (target, mutator and grader roles), returning its log."""
    from inspect_distill.ice.task import ice

    args: dict[str, Any] = {"identity": "deepseek", "budget": 30, "judge": "llm", "cache": False, "seed": 1, **files}
    args.update(task_args)
    roles = {"mutator": server.model(MUTATOR), "grader": server.model(JUDGE)}
    target = server.model(TARGET, client_timeout=CLIENT_TIMEOUT)
    return run_eval(ice(**args), target, log_dir, model_roles=roles, **(eval_args or {}))


def campaign_of(log: Any) -> CampaignResult:
    assert log.status == "success", log.error
    assert log.samples
    result = stored_campaign(log.samples[0].store)
    assert result is not None
    return result


def summary_of(log: Any) -> dict[str, Any]:
    summary: dict[str, Any] = log.samples[0].scores["ice_scorer"].metadata["summary"]
    return summary


def model_events(log: Any, model: str) -> list[Any]:
    return [e for e in log.samples[0].events if e.event == "model" and e.model == f"openai/{model}"]
