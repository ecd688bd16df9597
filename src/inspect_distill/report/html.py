"""`index.html`: every table and plot of a report on one page, with links to the logs for `inspect view`."""

from __future__ import annotations

import html
import os
from pathlib import Path

import pandas as pd
from inspect_ai.analysis import log_viewer, prepare

from inspect_distill.report.plots import Plot
from inspect_distill.report.read import LogSet
from inspect_distill.report.tables import Table

DEFAULT_VIEW_URL = "http://127.0.0.1:7575/"
"""Where `inspect view --log-dir LOG_DIR` serves a log directory by default."""

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; } h3 { margin-top: 1.5em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; }
th { background: #f3f3f3; } td:first-child, td:nth-child(2) { text-align: left; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5em 0; }
.note { color: #666; font-size: 0.9em; } code { background: #f5f5f5; padding: 0 3px; }
"""

SECTIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("ICE: identity consistency", ("ice_rates", "ice_categories", "ice_discovery"),
     ("ice_models", "ice_category", "ice_language", "ice_agreement", "ice_discovery")),
    ("RSE: response similarity", ("rse_heatmap", "rse_reference_matrix"), ("rse_models", "rse_signals")),
    ("ICE against RSE", ("ice_vs_rse",), ("ice_vs_rse",)),
)
"""Page sections: title, plots, tables (by name)."""


def _relative(path: str | Path, out: Path) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), out.resolve())).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).resolve().as_uri()


def view_links(logs: LogSet, view_url: str) -> pd.Series:
    """The `inspect view` URL of each log (`log_viewer` of inspect_ai.analysis), by log path."""
    if logs.evals.empty:
        return pd.Series(dtype=str)
    roots = {str(Path(source).resolve() if Path(source).is_dir() else Path(source).resolve().parent)
             for source in logs.sources}
    mappings = {root: view_url for root in sorted(roots, key=len, reverse=True)}
    frame = prepare(logs.evals[["log"]].copy(), log_viewer("eval", mappings))
    return pd.Series(frame["log_viewer"].to_numpy(), index=frame["log"])


def _plot_html(plot: Plot, out: Path) -> str:
    title = f"<h3>{html.escape(plot.title)}</h3>"
    if plot.path is None:
        return f'{title}<p class="note">Not drawn: {html.escape(plot.skipped or "no data")}.</p>'
    source = html.escape(_relative(plot.path, out))
    return (f'{title}<p class="note">{html.escape(plot.description)}</p>'
            f'<img src="{source}" alt="{html.escape(plot.title)}">')


def _table_html(table: Table) -> str:
    title = f"<h3>{html.escape(table.title)}</h3><p class=\"note\">{html.escape(table.description)}</p>"
    if table.empty:
        return f'{title}<p class="note">No rows: no log of this kind was read.</p>'
    files = f'<p class="note">Files: <a href="{table.name}.csv">{table.name}.csv</a>, ' \
            f'<a href="{table.name}.md">{table.name}.md</a></p>'
    return title + str(table.view.to_html(index=False, escape=True, border=0)) + files


def _logs_html(logs: LogSet, out: Path, view_url: str) -> str:
    links = view_links(logs, view_url)
    rows = []
    for row in logs.evals.itertuples(index=False):
        file_link = f'<a href="{html.escape(_relative(row.log, out))}">{html.escape(Path(row.log).name)}</a>'
        view = links.get(row.log)
        view_link = f'<a href="{html.escape(str(view))}">inspect view</a>' if view else ""
        rows.append(f"<tr><td>{html.escape(str(row.task))}</td><td>{html.escape(str(row.tested_model))}</td>"
                    f"<td>{html.escape(str(row.task_version))}</td><td>{row.completed_samples}</td>"
                    f"<td>{file_link}</td><td>{view_link}</td></tr>")
    head = "<tr><th>task</th><th>tested model</th><th>version</th><th>samples</th><th>log</th><th>viewer</th></tr>"
    sources = " ".join(f"<code>{html.escape(s)}</code>" for s in logs.sources)
    text = (f"<h2>Logs</h2><p class=\"note\">Start the viewer with <code>inspect view --log-dir "
            f"{html.escape(logs.sources[0] if logs.sources else 'LOG_DIR')}</code> (one log directory at a time; "
            f"the links assume it serves at {html.escape(view_url)}). Read from: {sources}.</p>"
            f"<table>{head}{''.join(rows)}</table>")
    if not logs.skipped.empty:
        skipped = logs.skipped.assign(log=logs.skipped["log"].map(lambda p: Path(p).name))
        text += "<h3>Logs not used</h3><p class=\"note\">Only logs that finished with status success are " \
                "counted (an eval set keeps the attempts it retried).</p>" + skipped.to_html(index=False, border=0)
    return text


def write_index(tables: dict[str, Table], plots: list[Plot], logs: LogSet, out: Path,
                view_url: str = DEFAULT_VIEW_URL) -> Path:
    """Write `out/index.html` showing every table and plot and linking every log."""
    by_name = {plot.name: plot for plot in plots}
    body = ["<h1>inspect-distill report</h1>",
            '<p class="note">ICE: identity consistency (loose / strict / hard leaks); RSE: response similarity '
            "(judge overall score 1-5). Method: Lee et al., Distillation Quantification for Large Language "
            'Models, <a href="https://arxiv.org/abs/2501.12619">arXiv:2501.12619</a>.</p>']
    for title, plot_names, table_names in SECTIONS:
        body.append(f"<h2>{html.escape(title)}</h2>")
        body += [_plot_html(by_name[name], out) for name in plot_names if name in by_name]
        body += [_table_html(tables[name]) for name in table_names if name in tables]
    body.append(_logs_html(logs, out, view_url))
    page = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>inspect-distill report</title>"
            f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>")
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
