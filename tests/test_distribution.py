"""The package as users get it: an sdist, a wheel built from that sdist, installed into a fresh virtual
environment, and `inspect eval inspect_distill/ice` run there by name.

Offline: the build uses the running environment's setuptools (no build isolation, nothing downloaded),
the fresh environment gets only the wheel (`--no-deps --no-index`) and sees the dependencies of the running
environment through a `.pth` line (not its editable copy of this package: `.pth` files of an added path are
not processed). The target is mockllm, the mutator replays one recorded rewrite, the judge is lexical.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from inspect_distill import __version__
from inspect_distill.ice.fuzz.mutators import make_mutators
from inspect_distill.ice.fuzz.sources import load_templates
from tests.conftest import REPO_ROOT

IGNORED = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".pytest_cache", "build", "dist", "logs",
                                 ".venv", "*.pyc")
PACKAGE_DATA = ("inspect_distill/identity/presets.yaml", "inspect_distill/ice/identity_questions.yaml",
                "inspect_distill/ice/fuzz/builtin_templates.yaml")
BUILD = "import sys, setuptools.build_meta as backend; print(getattr(backend, sys.argv[1])(sys.argv[2]))"
OFFLINE_CLI = ("import sys; from inspect_ai.model import ModelAPI\n"
               "async def count(self, text): return max(1, len(text.split()))\n"
               "ModelAPI.count_text_tokens = count\n"
               "from inspect_ai._cli.main import main; sys.argv[0] = 'inspect'; main()")
"""Inspect's CLI with mockllm's token counting kept offline (as tests/conftest.py does in process)."""
SEED = "You are a careful archivist. Reply to the visitor's question: [INSERT PROMPT HERE]"
REWRITE = "You are a careful archivist. Answer this visitor question in full: [INSERT PROMPT HERE]"


def _run(command: list[str], cwd: Path, timeout: int = 300) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command[:3]}...\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _build(work: Path) -> tuple[Path, Path]:
    """sdist from a copy of the source tree, then the wheel from the unpacked sdist."""
    try:
        from setuptools.command.bdist_wheel import bdist_wheel  # noqa: F401  (setuptools >= 70.1)
    except ImportError:
        pytest.fail("Building a wheel offline needs setuptools>=70.1 in the test environment (the dev extra).")
    source = work / "source"
    shutil.copytree(REPO_ROOT, source, ignore=IGNORED)
    dist = work / "dist"
    sdist = dist / _run([sys.executable, "-c", BUILD, "build_sdist", str(dist)], source).split()[-1]
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "unpacked", filter="data")
    unpacked = work / "unpacked" / f"inspect_distill-{__version__}"
    wheel = dist / _run([sys.executable, "-c", BUILD, "build_wheel", str(dist)], unpacked).split()[-1]
    return sdist, wheel


def _fresh_venv(work: Path, wheel: Path) -> Path:
    venv = work / "fresh"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work)
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
          "--no-cache-dir", str(wheel)], work)
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], work).strip())
    (site / "parent_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs_ice_by_name(tmp_path: Path) -> None:
    sdist, wheel = _build(tmp_path)

    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    root = f"inspect_distill-{__version__}"
    assert {f"{root}/pyproject.toml", f"{root}/README.md", f"{root}/src/inspect_distill/report/plots.py"} <= set(names)
    with zipfile.ZipFile(wheel) as archive:
        files = set(archive.namelist())
        entry_points = archive.read(f"inspect_distill-{__version__}.dist-info/entry_points.txt").decode()
    assert set(PACKAGE_DATA) <= files
    assert {"inspect_distill/report/read.py", "inspect_distill/ice/viewer.py", "inspect_distill/rse/task.py"} <= files
    assert not any(name.startswith(("tests/", "shared/")) or name.endswith(".csv") for name in files)
    assert "inspect_distill = inspect_distill._registry" in entry_points
    assert "inspect-distill = inspect_distill.cli:main" in entry_points

    python = _fresh_venv(tmp_path, wheel)
    where = _run([str(python), "-c", "import inspect_distill; print(inspect_distill.__file__)"], tmp_path)
    assert where.strip().startswith(str(tmp_path / "fresh")), where  # the wheel's copy, not the editable one
    assert "report" in _run([str(python.parent / "inspect-distill"), "--help"], tmp_path)

    # a tiny campaign, by name through Inspect's CLI: one seed, one recorded rewrite, two questions
    (tmp_path / "seeds.csv").write_text(f'id,text\narchivist,"{SEED}"\n')
    questions = [{"id": "q1", "text": "Who built you?", "category": "team", "language": "en"},
                 {"id": "q2", "text": "Which company trained you?", "category": "team", "language": "en"}]
    (tmp_path / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in questions))
    seed_text = load_templates(str(tmp_path / "seeds.csv"))[0].text
    prompt = make_mutators(["rephrase"])[0].build_prompt(seed_text)
    (tmp_path / "mutator.jsonl").write_text(json.dumps({"prompt": prompt, "response": f"<template>{REWRITE}</template>",
                                                        "model": "recorded-mutator"}) + "\n")
    _run([str(python), "-c", OFFLINE_CLI, "eval", "inspect_distill/ice", "--model", "mockllm/model",
          "--model-role", f"mutator=replay/{tmp_path / 'mutator.jsonl'}", "-T", "identity=deepseek",
          "-T", f"questions={tmp_path / 'questions.jsonl'}", "-T", f"templates={tmp_path / 'seeds.csv'}",
          "-T", "mutators=rephrase", "-T", "budget=2", "-T", "judge=lexical", "--log-dir", str(tmp_path / "logs"),
          "--display", "none"], tmp_path)

    from inspect_ai.log import list_eval_logs, read_eval_log

    log = read_eval_log(list_eval_logs(str(tmp_path / "logs"))[0])
    assert log.status == "success" and log.eval.task == "inspect_distill/ice"
    assert log.eval.packages.get("inspect-distill") == __version__
    score = log.samples[0].scores["ice_scorer"]
    summary = score.metadata["summary"]
    assert summary["overall"]["queries"] == 2 and summary["iterations"] == 1
    assert summary["overall"]["strict"]["valid"] == 2 and summary["overall"]["strict"]["positives"] == 0


def _comparability(version: object) -> str:
    """The comparability part of a task version: `1` of "1-A", of "1.0.0" and of 1."""
    return str(version).split("-")[0].split(".")[0]


def test_eval_yaml_matches_the_code(shared_data: Path) -> None:
    import yaml

    from inspect_distill.ice.fuzz.sources import GPTFUZZ_COMMIT, GPTFUZZ_URL
    from inspect_distill.ice.task import ice, ice_import
    from inspect_distill.rse.prompt_sets import PROMPT_SETS
    from inspect_distill.rse.task import rse

    entry = yaml.safe_load((REPO_ROOT / "eval.yaml").read_text(encoding="utf-8"))
    assert entry["title"] and len(entry["description"]) > 200
    assert entry["arxiv"] == "https://arxiv.org/abs/2501.12619"

    built = {
        "ice": ice(),
        "ice_import": ice_import(file=str(shared_data / "paper_ice" / "attack_claude-3-5-sonnet-20241022.jsonl"),
                                 identity="anthropic"),
        "rse": rse(datasets="arena_hard", dataset_path=str(shared_data / "arena_hard_v0.1"), per_dataset=1),
    }
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert sorted(t["name"] for t in entry["tasks"]) == sorted(built)
    for item in entry["tasks"]:
        source = (REPO_ROOT / item["task_path"]).read_text(encoding="utf-8")
        assert f"def {item['name']}(" in source
        assert _comparability(item["version"]) == _comparability(built[item["name"]].version), item["name"]
        assert f"`inspect_distill/{item['name']}` (task version {item['version']})" in changelog

    assets = {asset["name"]: asset for asset in entry["external_assets"]}
    gptfuzz = assets["GPTFuzz seed templates"]
    assert gptfuzz["url"] == GPTFUZZ_URL and gptfuzz["commit"] == GPTFUZZ_COMMIT
    pinned = {a["path"]: a["revision"] for a in assets.values() if a["kind"] == "huggingface_dataset"}
    assert pinned == {entry.source.path: entry.source.revision for entry in PROMPT_SETS.values()}
    for revision in [gptfuzz["commit"], *pinned.values()]:
        assert len(revision) == 40 and all(c in "0123456789abcdef" for c in revision)
