"""No API key, token or secret appears in a log, a report or an error message.

Fake secrets are set in the environment and passed to the models; a campaign that also meets failing calls
(HTTP 401, HTTP 500, garbage) runs to the end; then every output is searched for the secrets: the log file
(every member of the .eval archive), the exported rows, the score texts, the recorded errors, and everything
printed or logged meanwhile.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from inspect_ai.log import list_eval_logs

from inspect_distill.cli import write_rows
from tests.conftest import run_eval
from tests.faults.conftest import JUDGE, MUTATOR, TARGET, campaign_of
from tests.support.openai_server import Faults, ServerConfig, TargetScript, digest

ENV_KEY = "sk-proj-FAKEenvKEY7Qx2Lm9Rt4Vb8Nc1Zs6Pd3"
ROLE_KEY = "sk-FAKEroleKEY5Hj8Kk2Wq7Ee4Rr1Tt9Yy3Uu"
OTHER_SECRETS = {
    "ANTHROPIC_API_KEY": "sk-ant-FAKEanthropic4Gh7Jk1Lm5Np8",
    "HF_TOKEN": "hf_FAKEtokenQw3Er6Ty9Ui2Op5As8",
    "INSPECT_DISTILL_TEST_SECRET": "FAKE-secret-Zx4Cv7Bn1Mm8",
}
SECRETS = [ENV_KEY, ROLE_KEY, *OTHER_SECRETS.values()]
FAILING = {"Which base model are you running on?": "unauthorized", "你基于哪个基础模型？": "server_error",
           "In which country were you trained?": "garbage"}


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text or secret[-12:] in text]


def test_no_secret_in_any_output(serve, campaign_files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    from inspect_distill.ice.task import ice

    monkeypatch.setenv("OPENAI_API_KEY", ENV_KEY)
    for name, value in OTHER_SECRETS.items():
        monkeypatch.setenv(name, value)
    server = serve(ServerConfig().with_role("target", script=TargetScript(base_leak=0.4), faults=Faults(always=FAILING)))
    caplog.set_level(logging.DEBUG)

    task = ice(identity="deepseek", budget=18, judge="both", cache=False, seed=1, **campaign_files)
    log = run_eval(
        task, server.model(TARGET, api_key=None), tmp_path / "logs",  # the target's key comes from OPENAI_API_KEY
        model_roles={"mutator": server.model(MUTATOR, api_key=ROLE_KEY), "grader": server.model(JUDGE, api_key=ROLE_KEY)},
        max_retries=0,
    )
    result = campaign_of(log)

    # the keys were really used, and the failing calls really failed
    assert digest(ENV_KEY) in server.stats(TARGET).credentials
    assert digest(ROLE_KEY) in server.stats(JUDGE).credentials
    errors = [r.error or "" for r in result.records if r.status == "error"]
    assert len(errors) == 9 and any("AuthenticationError" in e for e in errors)

    outputs: dict[str, str] = {}
    log_file = Path(list_eval_logs(str(tmp_path / "logs"))[0].name.removeprefix("file://"))
    with zipfile.ZipFile(log_file) as archive:
        for member in archive.namelist():
            outputs[f"log:{member}"] = archive.read(member).decode("utf-8", errors="replace")
    rows = tmp_path / "rows.jsonl"
    write_rows(log_file, rows)
    outputs["rows"] = rows.read_text(encoding="utf-8")
    score = log.samples[0].scores["ice_scorer"]
    outputs["score"] = f"{score.answer}\n{score.explanation}"
    outputs["errors"] = "\n".join(errors)
    captured = capfd.readouterr()
    outputs["stdout"], outputs["stderr"] = captured.out, captured.err
    outputs["logging"] = "\n".join(record.getMessage() for record in caplog.records)

    assert len(outputs["log:header.json"]) > 1000 and outputs["rows"].count("\n") == 18
    leaked = {name: _leaks(text) for name, text in outputs.items() if _leaks(text)}
    assert leaked == {}
