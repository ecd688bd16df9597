"""Screenshots of `inspect view` for the kinds of logs the plugin writes, taken with headless Chromium.

    python -m benchmarks.viewer_screenshots OUT_DIR [--fast] [--logs LOG_DIR] [--chromium PATH]

Writes the logs to OUT_DIR/logs (offline: the local `gguf/smollm2-135m` model where it is installed, else the
local OpenAI-compatible test server of `tests/support/openai_server.py`, the paper's recorded deepseek-chat run
and the recorded arena-hard answers of `../shared/data`), serves them with `inspect view` on 127.0.0.1, and
saves one PNG per view into OUT_DIR/png, with OUT_DIR/png/index.md saying what each one shows. Scrollbars are
shown (Playwright hides them by default), so a view wider than the window shows its horizontal scrollbar; and in
every sample list the script counts the columns the viewer really shows (the grid's `aria-colcount`) against
those its view declares visible, writes both into index.md and exits 1 when one differs.

The logs:

- `ice_local`: one campaign, target and mutator the same local model (`gguf/smollm2-135m`; `--fast`: the test
  server), lexical judge, English questions only, with the hallucination control (as the README's main job);
- `ice_two_campaigns`: two campaigns (`epochs=2`) against the test server, lexical judge;
- `ice_llm_judge`: `judge=both` with the test server's grader, which gives no verdict to a quarter of the
  answers (unjudged rows, and the agreement of the two judges);
- `ice_not_judged`: a grader that never gives a verdict: nothing is judged;
- `ice_import_deepseek`: the paper's deepseek-chat run imported, lexical judge and the recorded verdicts;
- `rse_judged` and `rse_no_judge`: recorded gpt-4-0613 answers against gpt-4-0314's on five arena-hard
  prompts, with the test server's grader and with `judge=false`.

It is a module of `benchmarks` (run from the repository root, like the other scripts there) because it uses
the test server of `tests.support` and is linted with them; it needs Playwright's Python package
(`pip install playwright`, for its driver only) and a Chromium binary (Debian: `apt-get install chromium`; and
a CJK font such as `fonts-wqy-zenhei` for the Chinese answers).
Without Chromium it writes the logs and says that it skipped the screenshots (exit 0); tests never need it.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("INSPECT_DISTILL_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
ARENA_HARD = SHARED / "arena_hard_v0.1"
DEEPSEEK_RUN = SHARED / "paper_ice" / "attack_deepseek-chat.jsonl"

TARGET = "gpt-local-target"
MUTATOR = "gpt-local-mutator"
GRADER = "gpt-local-grader"
SILENT_GRADER = "gpt-local-silent-grader"
"""A grader whose every answer holds no verdict (nothing is judged)."""
UNJUDGED_TARGET = "gpt-local-unjudged-target"
"""The same target under another name, so that the report draws its campaign apart (its judge judged nothing)."""
NOISY_GRADER = "gpt-local-noisy-grader"
"""A grader that gives no verdict to about a quarter of the answers."""
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
EVENTS = (800, 700)
"""A point inside the transcript's events (right of its outline) at this viewport."""


# -- the logs ---------------------------------------------------------------------------------------------


def _offline_environment() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("INSPECT_DISPLAY", "none")


def _gguf_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None


def make_logs(log_dir: Path, fast: bool = False) -> dict[str, Path]:
    """Run the evals into `log_dir` (each into its own subdirectory); the log file of each, by name."""
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import get_model

    from inspect_distill.ice.task import ice, ice_import
    from inspect_distill.rse.task import rse
    from tests.support.campaign_inputs import write_campaign_files
    from tests.support.openai_server import JudgeScript, OpenAIServer, Role, ServerConfig

    _offline_environment()
    log_dir.mkdir(parents=True, exist_ok=True)
    inputs = write_campaign_files(Path(tempfile.mkdtemp(prefix="viewer-inputs-")))
    roles = ServerConfig().roles
    roles[SILENT_GRADER] = Role(script=JudgeScript(noise_rate=1.0))
    roles[NOISY_GRADER] = Role(script=JudgeScript(noise_rate=0.25))
    logs: dict[str, Path] = {}

    def run(name: str, task: Any, model: Any, **kwargs: Any) -> None:
        result = inspect_eval(task, model=model, log_dir=str(log_dir / name), display="none", **kwargs)[0]
        if result.status != "success":
            raise RuntimeError(f"{name}: the eval failed: {result.error}")
        logs[name] = Path(result.location)
        print(f"{name}: {result.location}", flush=True)

    with OpenAIServer(ServerConfig(roles=roles)) as server:
        ice_args: dict[str, Any] = {"identity": "deepseek", "cache": False, "seed": 1, **inputs}
        server_roles = {"mutator": server.model(MUTATOR), "grader": server.model(GRADER)}
        if fast or not _gguf_available():
            run("ice_local", ice(judge="lexical", budget=12, languages="en", control=True, **ice_args),
                server.model(TARGET), model_roles={"mutator": server.model(MUTATOR)})
        else:
            local = get_model("gguf/smollm2-135m")
            run("ice_local", ice(judge="lexical", languages="en", categories="team", budget=10, max_tokens=48,
                                 mutator_max_tokens=200, control=True, cache=False),
                local, model_roles={"mutator": local})
        run("ice_two_campaigns", ice(judge="lexical", budget=18, epochs=2, **ice_args), server.model(TARGET),
            model_roles=server_roles)
        run("ice_llm_judge", ice(judge="both", budget=24, **ice_args), server.model(TARGET),
            model_roles={"mutator": server.model(MUTATOR), "grader": server.model(NOISY_GRADER)})
        run("ice_not_judged", ice(judge="llm", budget=12, **ice_args), server.model(UNJUDGED_TARGET),
            model_roles={"mutator": server.model(MUTATOR), "grader": server.model(SILENT_GRADER)})
        run("ice_import_deepseek", ice_import(file=str(DEEPSEEK_RUN), identity="deepseek"), None)
        rse_args: dict[str, Any] = {
            "datasets": "arena_hard", "dataset_path": str(ARENA_HARD / "question.jsonl"), "per_dataset": 5,
            "reference_answers": str(ARENA_HARD / "answer_gpt-4-0314.jsonl"),
        }
        tested = f"replay/{ARENA_HARD / 'answer_gpt-4-0613.jsonl'}"
        run("rse_judged", rse(**rse_args), tested, model_roles={"grader": server.model(GRADER)})
        run("rse_no_judge", rse(judge=False, **rse_args), tested)
    return logs


def existing_logs(log_dir: Path) -> dict[str, Path]:
    """The newest log of each subdirectory of `log_dir` (a directory written by `make_logs`)."""
    logs = {}
    for directory in sorted(p for p in log_dir.iterdir() if p.is_dir()):
        files = sorted(directory.glob("*.eval"))
        if files:
            logs[directory.name] = files[-1]
    return logs


# -- the screenshots --------------------------------------------------------------------------------------


@dataclass
class Shot:
    """One screenshot: which log (None: the log list), which view of it, and what it shows."""

    name: str
    log: str | None
    view: str
    shows: str
    click: tuple[str, ...] = ()
    """Texts to click, in order, before the screenshot (a tab, an entry of the transcript's outline); `=Text`:
    the last element whose whole text is `Text` (a toggle whose label is also a tab's)."""
    full_page: bool = False
    scroll: int = 0
    """Pixels to scroll the page's main pane by after the clicks (negative: up)."""
    close: str | None = None
    """A text to click after the screenshot (a dialog's Close button: the viewer remembers open dialogs)."""
    show: str | None = None
    """A text to scroll into view before the screenshot (after the clicks)."""
    events_end: int | None = None
    """Scroll the transcript's events to their end, then back up by this many pixels (after the clicks)."""
    columns: str | None = None
    """The scorer whose sample list this shot shows: its visible columns are counted against the view's."""


SHOTS = [
    Shot("01_log_list", None, "", "The log list: the Score column is each log's headline metric, a rate or a "
         "rating: strict for every ICE log and the import (Model column none/deepseek-chat), the mean overall "
         "rating (1-5) for RSE and the mean ROUGE-L without a judge. A campaign that judged nothing has no rate: "
         "Inspect falls back to its first metric, not_judged (its 12 queries)."),
    Shot("02_ice_local_header", "ice_local", "", "One campaign (English questions, with the control): the header "
         "leads with strict, hard, loose and strict's interval; the sample's score panel holds the sample list's "
         "keys only; the answer names the campaign, the identity tested and where it came from, the references, "
         "what was kept out and the control's result."),
    Shot("03_ice_local_transcript", "ice_local", "", "The transcript: `CAMPAIGN: ITERATION 1` (titled once) in the "
         "outline and the events; each target call inside a `TARGET: QUERY n: <question> VIA <template>` span, "
         "followed by its verdict line.", click=("query 1:",)),
    Shot("04_ice_local_scoring", "ice_local", "/samples/sample/campaign/1/scoring", "The Scoring tab at 1400x900: "
         "the headline with the identity and references, the control, then the evidence (the strict positives) "
         "before the details (rates table, what loose counts, strict by category/language, search)."),
    Shot("05_ice_two_campaigns_list", "ice_two_campaigns", "/samples/", "Two campaigns: one row per campaign, epoch "
         "first, the declared columns only (no status, target, tokens or raw score keys, no horizontal "
         "scrollbar), the answer names campaign and seed.", columns="ice_scorer"),
    Shot("06_ice_llm_judge_scoring", "ice_llm_judge", "/samples/sample/campaign/1/scoring", "judge=both with a grader "
         "that leaves rows unjudged: the positives first, then the rates of llm and lexical side by side, unjudged "
         "per judge, what each one's loose counts, their agreement.", show="What loose counts"),
    Shot("07_ice_llm_judge_iteration", "ice_llm_judge", "", "The end of iteration 1: the last query's verdict line "
         "and the iteration report: the mutants table padded (a text block) and the line stating judged, leaks, "
         "errors, refusals and unjudged; then `CAMPAIGN: ITERATION 2`.", click=("iteration 2",), scroll=-380),
    Shot("08_ice_not_judged_header", "ice_not_judged", "", "Nothing judged: the header says NOT_JUDGED (the queries, "
         "none judged) instead of NaN, the answer says not judged; the score panel is empty (no rate)."),
    Shot("09_ice_not_judged_scoring", "ice_not_judged", "/samples/sample/campaign/1/scoring", "Nothing judged: the "
         "explanation says not judged for every rate and for the positives."),
    Shot("10_import_header", "ice_import_deepseek", "", "The imported paper run: model none/deepseek-chat in the "
         "title, strict/hard/loose first; the answer holds the identity (given), the references, the recorded "
         "verdicts (219/70/339) and the agreement."),
    Shot("11_import_scoring", "ice_import_deepseek", "/samples/sample/attack_deepseek-chat/1/scoring", "The import's "
         "strict positives: hard ones first, one per template before a template's next (the planted role-play "
         "follows them), each with the excerpt centred on its claim."),
    Shot("11b_import_scoring_rates", "ice_import_deepseek", "/samples/sample/attack_deepseek-chat/1/scoring", "Below "
         "the positives: lexical and recorded rates side by side, and what each one's loose counts (the lexical "
         "judge's only named claims: 240 = its strict, beside the recorded 339), then the agreement.",
         show="What loose counts"),
    Shot("12_import_all_scoring", "ice_import_deepseek", "", "All scoring: the recorded rates and the agreement as "
         "metrics (recorded_strict, agree_recorded_loose, ...); Inspect prints every metric as a float.",
         click=("All scoring",), close="Close"),
    Shot("13_rse_list", "rse_judged", "/samples/", "RSE: the header's rows overall, ngram, rouge_l (mean, stderr); "
         "the list's declared columns only: prompt id, overall, the criteria (0-2), 2-gram and ROUGE-L, prompt; "
         "sorted by overall.", columns="rse_similarity"),
    Shot("14_rse_scoring", "rse_judged", "/samples/sample/{first}/1/scoring", "RSE sample: labelled values, the judge's "
         "reason, the reference and tested answers in two independent columns, each half the explanation's width "
         "(no score answer narrows it)."),
    Shot("15_rse_no_judge_list", "rse_no_judge", "/samples/", "RSE without a judge: only 2-gram and ROUGE-L columns, "
         "sorted by ROUGE-L (a column that exists); the header leads with rouge_l.", columns="rse_similarity"),
    Shot("16_ice_local_info", "ice_local", "/samples/sample/campaign/1/info", "The sample's Info tab: the store "
         "(the campaign record) is its last section, as the README says.", full_page=True),
    Shot("17_ice_local_models", "ice_local", "/models", "The Models tab in Models mode: the target's tokens under its "
         "model name, beside the mutator's (Roles mode lists only the roles, as the README says).",
         click=("=Models",)),
    Shot("19_ice_local_control", "ice_local", "", "The end of the hallucination control in the transcript: in "
         "the outline one `query n: control-0k-en via <template>` entry per control query (English only, as "
         "-T languages=en); in the events each control call inside a `CONTROL: QUERY n: ...` span, followed by its "
         "verdict line, and the control's closing summary.", events_end=700),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(log_dir: Path) -> Iterator[str]:
    """`inspect view` on 127.0.0.1 for `log_dir`; its base URL. The server is stopped on exit."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "inspect_ai", "view", "--log-dir", str(log_dir), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("inspect view did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def chromium_path(given: str | None) -> str | None:
    """The Chromium binary: the one given, else `chromium` or `chromium-browser` on PATH."""
    if given:
        return given if Path(given).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def declared_columns(log: Path, scorer: str) -> list[str]:
    """The columns a log's sample list should show: those its view declares visible, a score column only when
    some sample's score value has that key."""
    from inspect_ai.log import read_eval_log

    read = read_eval_log(str(log))
    view = read.eval.viewer.task_samples_view if read.eval.viewer else None
    if view is None or isinstance(view, list) or view.columns is None:
        return []
    keys = {f"score__{scorer}__{key}" for sample in read.samples or [] for score in [(sample.scores or {}).get(scorer)]
            if score is not None and isinstance(score.value, dict) for key in score.value}
    return [c.id for c in view.columns if c.visible and (not c.id.startswith("score__") or c.id in keys)]


def shown_columns(page: Any) -> tuple[int, list[str]]:
    """The number of columns the sample list shows (its grid's `aria-colcount`) and their headers."""
    grid = page.locator("[aria-colcount]").first
    count = int(grid.get_attribute("aria-colcount") or 0)
    headers = page.locator('[role="columnheader"]')
    names = [headers.nth(i).inner_text().replace("\u2060", "").strip() for i in range(headers.count())]
    return count, names


COLUMN_CHECKS: list[str] = []
"""One line per sample list: the columns shown against those declared (filled by `take_screenshots`)."""


def take_screenshots(log_dir: Path, logs: dict[str, Path], out: Path, chromium: str) -> list[tuple[Shot, Path]]:
    """Open each view in headless Chromium and save it as a PNG; count the columns of each sample list."""
    from inspect_ai.log import read_eval_log
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    taken = []
    COLUMN_CHECKS.clear()
    with serve(log_dir) as url, sync_playwright() as playwright:
        profile = tempfile.mkdtemp(prefix="viewer-chromium-")
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=CHROMIUM_FLAGS[1:], viewport=VIEWPORT,
            ignore_default_args=["--hide-scrollbars"])  # Playwright hides scrollbars: show any overflow
        try:
            page = browser.new_page()
            for shot in SHOTS:
                route = ""
                if shot.log is not None and shot.log not in logs:
                    print(f"SKIPPED {shot.name}: no {shot.log} log", flush=True)
                    continue
                if shot.log is not None:
                    log = logs[shot.log]
                    view = shot.view
                    if "{first}" in view:
                        first = read_eval_log(str(log), header_only=False).samples or []
                        view = view.replace("{first}", str(first[0].id) if first else "")
                    route = f"logs/{log.relative_to(log_dir).as_posix()}{view}"
                page.goto(f"{url}/#/{route}")
                page.wait_for_timeout(3500)
                try:
                    for text in shot.click:
                        if text.startswith("="):
                            page.get_by_text(text[1:], exact=True).last.click(timeout=10_000)
                        else:
                            page.get_by_text(text, exact=False).first.click(timeout=10_000)
                        page.wait_for_timeout(1500)
                except PlaywrightError as error:  # a log without that element (e.g. no control)
                    print(f"SKIPPED {shot.name}: {str(error).splitlines()[0]}", flush=True)
                    continue
                if shot.scroll:
                    page.mouse.move(VIEWPORT["width"] * 0.6, VIEWPORT["height"] * 0.6)
                    page.mouse.wheel(0, shot.scroll)
                    page.wait_for_timeout(1000)
                if shot.events_end is not None:  # the list draws only the events in view: scroll in steps
                    page.mouse.move(*EVENTS)
                    for _ in range(30):
                        page.mouse.wheel(0, 5000)
                        page.wait_for_timeout(300)
                    page.mouse.wheel(0, -shot.events_end)
                    page.wait_for_timeout(1500)
                if shot.show:
                    with contextlib.suppress(PlaywrightError):
                        page.get_by_text(shot.show, exact=False).first.scroll_into_view_if_needed(timeout=10_000)
                    page.wait_for_timeout(1000)
                if shot.columns and shot.log is not None:
                    count, names = shown_columns(page)
                    declared = declared_columns(logs[shot.log], shot.columns)
                    verdict = "ok" if count == len(declared) else "DIFFERS"
                    COLUMN_CHECKS.append(f"{shot.name}: {count} columns shown, {len(declared)} declared visible "
                                         f"({verdict}): {', '.join(names)}")
                    print(COLUMN_CHECKS[-1], flush=True)
                path = out / f"{shot.name}.png"
                page.screenshot(path=str(path), full_page=shot.full_page)
                if shot.close:
                    page.get_by_text(shot.close, exact=True).first.click()
                    page.wait_for_timeout(500)
                taken.append((shot, path))
                print(f"{path}", flush=True)
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)
    return taken


REPORT_SHOT = Shot("18_report_ice_rates", None, "", "The report's ice_rates plot (matplotlib, not the browser): the "
                   "panel of the judge that judged nothing says \"not judged\" (n=0) instead of bars at 0.00.")


def report_plot(log_dir: Path, out: Path) -> list[tuple[Shot, Path]]:
    """The report's `ice_rates` PNG of the same logs (needs the `report` extra)."""
    try:
        from inspect_distill.report import build_report
    except ImportError as error:
        print(f"SKIPPED the report plot: {error} (install the `report` extra).")
        return []
    report = build_report([log_dir], Path(tempfile.mkdtemp(prefix="viewer-report-")), quiet=True)
    plot = next(p for p in report.plots if p.name == "ice_rates")
    if plot.path is None:
        print(f"SKIPPED the report plot: {plot.skipped}")
        return []
    path = out / f"{REPORT_SHOT.name}.png"
    shutil.copyfile(plot.path, path)
    print(path, flush=True)
    return [(REPORT_SHOT, path)]


def write_index(taken: list[tuple[Shot, Path]], out: Path) -> None:
    lines = ["# inspect view screenshots", "", "`python -m benchmarks.viewer_screenshots` (headless Chromium).", ""]
    if COLUMN_CHECKS:
        lines += ["Columns of each sample list (shown / declared visible):", "",
                  *[f"- {check}" for check in COLUMN_CHECKS], ""]
    for shot, path in taken:
        lines += [f"## {shot.name}", "", shot.shows, "", f"![{shot.name}]({path.name})", ""]
    (out / "index.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="output directory (logs/ and png/ are written in it)")
    parser.add_argument("--fast", action="store_true", help="the test server as the local target (no gguf model)")
    parser.add_argument("--logs", type=Path, help="use the logs already in this directory (written by an earlier run)")
    parser.add_argument("--chromium", help="the Chromium binary (default: chromium on PATH)")
    args = parser.parse_args(argv)
    log_dir = args.logs or args.out / "logs"
    logs = existing_logs(log_dir) if args.logs else make_logs(log_dir, fast=args.fast)
    png = args.out / "png"
    png.mkdir(parents=True, exist_ok=True)
    chromium = chromium_path(args.chromium)
    taken: list[tuple[Shot, Path]] = []
    if chromium is None:
        print("SKIPPED the screenshots: no Chromium binary (install Debian's `chromium`, or pass --chromium PATH). "
              f"The logs are in {log_dir}.")
    elif importlib.util.find_spec("playwright") is None:
        print("SKIPPED the screenshots: Playwright's Python package is missing (`pip install playwright`; its "
              f"driver is enough, the browser is Chromium). The logs are in {log_dir}.")
    else:
        taken = take_screenshots(log_dir, logs, png, chromium)
    if logs:
        taken += report_plot(log_dir, png)
    write_index(taken, png)
    print(f"{len(taken)} images in {png} (index.md says what each one shows).")
    failed = [check for check in COLUMN_CHECKS if "(DIFFERS)" in check]
    if failed:
        print("A sample list shows other columns than its view declares:\n" + "\n".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
