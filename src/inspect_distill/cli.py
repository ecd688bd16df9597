"""`inspect-distill`: import recorded ICE runs, export per-query rows, write reports."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from inspect_distill.common.names import JUDGE_KINDS
from inspect_distill.common.validation import argument_flags
from inspect_distill.ice.records import CampaignResult, stored_campaign
from inspect_distill.ice.score_value import ICE_SCORER, IceScoreValue
from inspect_distill.report import MissingReportExtra, build_report


def campaigns_of_log(log_path: str | Path) -> Iterator[tuple[Any, CampaignResult]]:
    """Every (sample, campaign) recorded in an ICE log."""
    from inspect_ai.log import read_eval_log

    try:
        log = read_eval_log(str(log_path))
    except FileNotFoundError as ex:
        raise ValueError(f"No log file at '{log_path}'.") from ex
    except Exception as ex:  # a zip, JSON or schema error: any of them means "not a log"
        raise ValueError(f"'{log_path}' is not a readable Inspect log ({type(ex).__name__}: {ex}).") from ex
    if not log.samples:
        raise ValueError(f"The log '{log_path}' has no samples (was it an ICE run that started?).")
    found = False
    for sample in log.samples:
        result = stored_campaign(sample.store or {})
        if result is not None:
            found = True
            yield sample, result
    if not found:
        raise ValueError(f"The log '{log_path}' holds no ICE campaign records (is it an ICE log?).")


def campaign_rows(result: CampaignResult, judge: str | None = None, epoch: int | None = None) -> Iterator[dict[str, Any]]:
    """Per-query rows: the paper's columns (query, jailbreak_prompt, response) plus verdicts and provenance."""
    primary = judge or result.settings.primary_judge
    for record in result.records:
        template = result.templates[record.template_id]
        question = result.questions[record.question_id]
        verdict = record.verdicts.get(primary)
        yield {
            "epoch": epoch,
            "index": record.index,
            "iteration": record.iteration,
            "query": question.text,
            "question_id": question.id,
            "category": question.category,
            "language": question.language,
            "jailbreak_prompt": template.text,
            "template_id": template.id,
            "parent_id": template.parent_id,
            "mutator": template.mutator,
            "level": template.level,
            "prompt": result.prompt(record) if template.text else None,
            "response": record.response,
            "status": record.status,
            "error": record.error,
            "control": record.control,
            "judge": primary,
            "loose": verdict.loose if verdict else None,
            "strict": verdict.strict if verdict else None,
            "hard": verdict.hard if verdict else None,
            "verdicts": {name: v.model_dump(mode="json") for name, v in record.verdicts.items()},
            "recorded_loose": record.recorded_loose,
            "recorded_strict": record.recorded_strict,
        }


def write_rows(log_path: str | Path, out: str | Path, judge: str | None = None) -> int:
    """Write the per-query rows of every campaign of a log as JSONL; returns the number of rows.

    The rows go to a temporary file beside `out`, which replaces `out` only once the whole log was read: a
    log that fails (not a log, not an ICE log) leaves `out` as it was.
    """
    target = Path(out)
    if target.exists() and target.resolve() == Path(log_path).resolve():
        raise ValueError(f"--out '{out}' is the log itself: name another file.")
    count = 0
    part = target.with_name(f".{target.name}.{os.getpid()}.part")  # beside `out`: the rename stays on one disk
    try:
        with open(part, "w", encoding="utf-8") as handle:
            for sample, result in campaigns_of_log(log_path):
                for row in campaign_rows(result, judge, sample.epoch):
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                    count += 1
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return count


def _parse_roles(values: Sequence[str]) -> dict[str, str]:
    roles = {}
    for value in values:
        name, sep, model = value.partition("=")
        if not sep or not name or not model:
            raise SystemExit(f"--model-role takes ROLE=MODEL, got '{value}'")
        roles[name] = model
    return roles


IMPORT_FLAGS = {
    "identity": "--identity", "identity_file": "--identity-file", "judge": "--judge",
    "strict_file": "--strict", "questions": "--questions", "references": "--references",
}
"""The `import-ice` flag of each argument of the `ice_import` task: errors name these, not `-T name=`."""


def import_ice(args: argparse.Namespace) -> int:
    # the task loads every judge, mutator and policy: only this command pays for it
    from inspect_ai import eval as inspect_eval

    from inspect_distill.ice.task import ice_import

    with argument_flags(IMPORT_FLAGS):
        task = ice_import(
            file=args.file,
            identity=args.identity,
            identity_file=args.identity_file,
            judge=args.judge,
            strict_file=args.strict,
            questions=args.questions,
            references=args.references,
        )
        logs = inspect_eval(
            task,
            model="none",
            model_roles=_parse_roles(args.model_role) or None,
            log_dir=args.log_dir,
            display=args.display,
        )
    log = logs[0]
    if log.status != "success":
        message = log.error.message if log.error else log.status
        print(f"import failed: {message}", file=sys.stderr)
        return 1
    print(f"log: {log.location}")
    score = (log.samples[0].scores or {}).get(ICE_SCORER) if log.samples else None
    if score is not None:
        print(score.answer)
        value = IceScoreValue.from_score(score)
        for agreement in value.summary.agreements if value is not None else []:
            print(f"agreement {agreement.first} vs {agreement.second} ({agreement.kind}): "
                  f"{agreement.agree}/{agreement.both_judged}")
    if args.rows_out:
        count = write_rows(log.location, args.rows_out)
        print(f"rows: {count} written to {args.rows_out}")
    return 0


def rows(args: argparse.Namespace) -> int:
    count = write_rows(args.log, args.out, args.judge)
    print(f"{count} rows written to {args.out}")
    return 0


def report(args: argparse.Namespace) -> int:
    try:
        result = build_report(args.logs, args.out, quiet=args.quiet, view_url=args.view_url)
    except MissingReportExtra as ex:
        print(f"inspect-distill: {ex}", file=sys.stderr)
        return 2
    for plot in result.plots:
        if plot.skipped:
            print(f"not drawn: {plot.name} ({plot.skipped})")
    print(f"{len(result.files)} files written; open {result.index}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inspect-distill", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser("import-ice", help="score a recorded ICE run (the paper's attack-result format)")
    imp.add_argument("file", help="attack_<model>.jsonl")
    imp.add_argument("--identity", help="the recorded target's identity preset")
    imp.add_argument("--identity-file", help="a YAML/JSON identity instead of a preset")
    imp.add_argument("--judge", choices=JUDGE_KINDS, default="lexical")
    imp.add_argument("--model-role", action="append", default=[], help="e.g. grader=openai/gpt-4o-mini")
    imp.add_argument("--strict", help="the paper's strict CSV (default: strict_<model>.csv beside the file)")
    imp.add_argument("--questions", help="question file whose categories label the queries")
    imp.add_argument("--references", help="reference identities, comma-separated")
    imp.add_argument("--log-dir", default="logs")
    imp.add_argument("--rows-out", help="also write the per-query rows here (JSONL)")
    imp.add_argument("--display", default="none", help="Inspect display (none, plain, rich, full)")
    imp.set_defaults(run=import_ice)

    out = commands.add_parser("rows", help="export the per-query records of an ICE log as JSONL")
    out.add_argument("log", help="an ICE log file")
    out.add_argument("--out", required=True)
    out.add_argument("--judge", help="whose verdicts fill loose/strict/hard (default: the campaign's judge)")
    out.set_defaults(run=rows)

    rep = commands.add_parser("report", help="tables, plots and index.html from ICE and RSE logs")
    rep.add_argument("logs", nargs="+", help="log directories (searched recursively) or log files")
    rep.add_argument("--out", required=True, help="output directory")
    rep.add_argument("--view-url", help="where `inspect view` serves the logs (default http://127.0.0.1:7575/)")
    rep.add_argument("--quiet", action="store_true", default=None, help="no progress bar")
    rep.set_defaults(run=report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (ValueError, OSError) as ex:
        print(f"inspect-distill: {ex}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
