"""Report plots (matplotlib, Agg backend, PNG): the paper's Figures 4 and 5, RSE heatmaps, ICE against RSE.

Each plot is drawn from a report table, so a plot and its table always show the same numbers. A plot whose
table has no rows is not drawn; `Plot.skipped` says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from inspect_distill.ice.rates import KINDS, RECORDED
from inspect_distill.report.tables import AVG, RSE, Table, dataset_title
from inspect_distill.rse.keys import OVERALL, SCORE_KEYS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

KIND_COLOURS = {"loose": "#9ecae1", "strict": "#3182bd", "hard": "#08519c"}
DPI = 120
RSE_RANGE = SCORE_KEYS[OVERALL].bounds()
"""The colour and axis range of RSE: the judge's overall rating (`rse.keys.SCORE_KEYS`)."""
RSE_SPAN = SCORE_KEYS[OVERALL].span
"""That range as the labels write it (`1-5`)."""


@dataclass
class Plot:
    """One PNG of the report, or why it was not drawn."""

    name: str
    title: str
    description: str
    path: Path | None = None
    skipped: str | None = None


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt

    return plt


def _judge_title(judge: str) -> str:
    return "recorded verdicts (paper's gpt-4o-mini judge)" if judge == RECORDED else f"judge: {judge}"


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=DPI, bbox_inches="tight")  # the image grows to hold a long title or label, never cuts it
    _pyplot().close(figure)
    return path


def _panels(count: int, width: float, height: float) -> tuple[Figure, list[Axes]]:
    plt = _pyplot()
    figure, axes = plt.subplots(count, 1, figsize=(width, height * count), squeeze=False)
    return figure, list(axes[:, 0])


def _label_judge_panel(ax: Axes, judge: str, ylabel: str, legend_size: int) -> None:
    """The labels of one verdict-source panel: y axis, judge title, legend outside on the right, y grid."""
    ax.set_ylabel(ylabel)
    ax.set_title(_judge_title(judge), fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=legend_size)
    ax.grid(axis="y", alpha=0.3)


def _model_width(models: int) -> float:
    return max(6.0, 1.3 * models + 3.5)


NOT_JUDGED = "not judged"
"""What a plot writes where a verdict source judged nothing (n=0): no bar, never a 0.00 bar."""


def ice_rates_plot(table: Table, path: Path) -> Plot:
    """Figure 4: loose, strict and hard rates per model with 95% intervals, one panel per verdict source.

    A model whose verdict source judged no query (n=0) has no bars but "not judged"; so has a panel whose
    source judged nothing at all.
    """
    plot = Plot("ice_rates", "ICE: loose, strict and hard leak rates per model (the paper's Figure 4)",
                "Bars: rate over valid judged queries; whiskers: 95% Wilson interval; \"not judged\": no query "
                "was judged (n=0).")
    data = table.data
    if data.empty:
        plot.skipped = "no ICE log"
        return plot
    judges = list(dict.fromkeys(data["judge"]))
    figure, axes = _panels(len(judges), _model_width(data["model"].nunique()), 4.2)
    for ax, judge in zip(axes, judges):
        rates_panel(ax, data[data["judge"] == judge].reset_index(drop=True))
        _label_judge_panel(ax, judge, "share of valid judged queries", legend_size=8)
    figure.suptitle(plot.title, fontsize=11)
    plot.path = _save(figure, path)
    return plot


def rates_panel(ax: Axes, rows: pd.DataFrame) -> None:
    """One verdict source's bars: loose, strict and hard per model with their intervals; "not judged" (and no
    bar) for a model, or a kind, that the source judged no query for."""
    x = np.arange(len(rows))
    width = 0.26
    judged = rows["loose_valid"].fillna(0).to_numpy() > 0
    for offset, kind in zip((-width, 0.0, width), KINDS):
        valid = rows[f"{kind}_valid"].fillna(0).to_numpy() > 0
        rates = rows[kind].where(valid, 0.0).fillna(0.0).to_numpy()
        below = np.clip(rates - rows[f"{kind}_ci_low"].where(valid, 0.0).fillna(0.0).to_numpy(), 0, None)
        above = np.clip(rows[f"{kind}_ci_high"].where(valid, 0.0).fillna(0.0).to_numpy() - rates, 0, None)
        bars = ax.bar((x + offset)[valid], rates[valid], width, yerr=[below[valid], above[valid]], capsize=3,
                      label=kind, color=KIND_COLOURS[kind], error_kw={"elinewidth": 0.8, "ecolor": "#444444"})
        ax.bar_label(bars, labels=[f"{r:.2f}" for r in rates[valid]], fontsize=7, padding=2)
    ax.set_xticks(x, [f"{m}\n(n={v})" for m, v in zip(rows["model"], rows["loose_valid"])], fontsize=8)
    highs = rows.loc[judged, [f"{k}_ci_high" for k in KINDS]]
    top = float(highs.max().max()) if judged.any() else 0.0
    ax.set_ylim(0, min(1.0, max(0.1, (0.0 if math.isnan(top) else top) * 1.15)))
    ax.set_xlim(-0.6, len(rows) - 0.4)
    for position in x[~judged]:
        ax.text(position, ax.get_ylim()[1] / 2, NOT_JUDGED, ha="center", va="center", fontsize=9,
                color="#666666", style="italic")


def ice_category_plot(table: Table, path: Path) -> Plot:
    """Figure 5: successful (strict) leaks per question category, bars per model, one panel per verdict source."""
    plot = Plot("ice_categories", "ICE: successful strict leaks per question category (the paper's Figure 5)",
                "Bars: number of strict positives (label: positives/valid judged queries of the category).")
    data = table.data
    if data.empty:
        plot.skipped = "no ICE log"
        return plot
    judges = list(dict.fromkeys(data["judge"]))
    colour_of = {model: i % 10 for i, model in enumerate(dict.fromkeys(data["model"]))}
    figure, axes = _panels(len(judges), max(7.0, 1.6 * data["category"].nunique() + 4.5), 4.2)
    colours = _pyplot().get_cmap("tab10")
    for ax, judge in zip(axes, judges):
        rows = data[data["judge"] == judge]
        categories = list(dict.fromkeys(rows["category"]))
        models = list(dict.fromkeys(rows["model"]))
        x = np.arange(len(categories))
        width = 0.8 / len(models)
        for i, model in enumerate(models):
            mine = rows[rows["model"] == model].set_index("category").reindex(categories)
            counts = mine["strict_positives"].fillna(0).to_numpy()
            bars = ax.bar(x - 0.4 + width * (i + 0.5), counts, width, label=model, color=colours(colour_of[model]))
            labels = [f"{int(p)}/{int(v)}" if not math.isnan(v) else "" for p, v in
                      zip(mine["strict_positives"].fillna(0), mine["strict_valid"])]
            ax.bar_label(bars, labels=labels, fontsize=6, padding=1, rotation=90)
        ax.set_xticks(x, categories)
        _label_judge_panel(ax, judge, "strict positives", legend_size=7)
        ax.margins(y=0.25)
    figure.suptitle(plot.title, fontsize=11)
    plot.path = _save(figure, path)
    return plot


def _heatmap(ax: Axes, values: pd.DataFrame, vmin: float, vmax: float) -> None:
    matrix = values.to_numpy(dtype=float)
    masked = np.ma.masked_invalid(matrix)
    cmap = _pyplot().get_cmap("viridis").with_extremes(bad="#dddddd")
    image = ax.imshow(masked, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_xticks(range(values.shape[1]), list(values.columns), rotation=20, ha="right", fontsize=8)
    ax.set_yticks(range(values.shape[0]), list(values.index), fontsize=8)
    for (row, column), value in np.ndenumerate(matrix):
        text = "–" if math.isnan(value) else f"{value:.2f}"
        colour = "black" if math.isnan(value) or value > vmin + 0.6 * (vmax - vmin) else "white"
        ax.text(column, row, text, ha="center", va="center", fontsize=8, color=colour)
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(f"mean overall similarity ({RSE_SPAN})", fontsize=8)
    bar.ax.tick_params(labelsize=8)


def rse_heatmap(table: Table, path: Path) -> Plot:
    """Tested models x datasets (and Avg): mean overall similarity; one row per (model, reference) pair."""
    plot = Plot("rse_heatmap", "RSE: similarity of tested models to the reference, per prompt set",
                f"Cells: mean judge overall score ({RSE_SPAN}) of the scored samples; grey: set not run.")
    data = table.data
    if data.empty:
        plot.skipped = "no RSE log"
        return plot
    columns = [c for c in data.columns if c.startswith(f"{RSE}_")]
    several = data["reference"].nunique() > 1
    labels = [f"{m}\nvs {r}" if several else m for m, r in zip(data["model"], data["reference"])]
    values = pd.DataFrame(data[columns].to_numpy(), index=labels,
                          columns=[dataset_title(c.removeprefix(f"{RSE}_")) for c in columns])
    plt = _pyplot()
    # wide enough for the title, high enough for the colour bar's label
    figure, ax = plt.subplots(figsize=(max(6.5, 2.0 + 1.3 * len(columns)), max(3.0, 1.6 + 0.6 * len(labels))))
    _heatmap(ax, values, *RSE_RANGE)
    reference = "" if several else f"\n(reference: {data['reference'].iloc[0]})"
    ax.set_title(plot.title + reference, fontsize=10)
    plot.path = _save(figure, path)
    return plot


def reference_matrix(table: Table, path: Path) -> Plot:
    """References x tested models: RSE Avg (drawn when more than one reference was used)."""
    plot = Plot("rse_reference_matrix", "RSE Avg: reference models x tested models",
                "Cells: RSE Avg of the tested model (column) against the reference (row); grey: pair not run.")
    data = table.data
    if data.empty or data["reference"].nunique() < 2:
        plot.skipped = "fewer than two reference models"
        return plot
    values = data.pivot(index="reference", columns="model", values=f"{RSE}_{AVG}")
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(max(5.0, 2.5 + 1.6 * values.shape[1]), max(3.0, 1.5 + 0.7 * values.shape[0])))
    _heatmap(ax, values, *RSE_RANGE)
    ax.set_xlabel("tested model")
    ax.set_ylabel("reference model")
    ax.set_title(plot.title, fontsize=10)
    plot.path = _save(figure, path)
    return plot


def ice_vs_rse_plot(table: Table, path: Path) -> Plot:
    """One point per model: ICE strict rate (x, with its 95% interval) against RSE Avg (y)."""
    plot = Plot("ice_vs_rse", "ICE strict leak rate against RSE Avg, one point per model",
                "x: strict rate with 95% Wilson interval; y: RSE Avg against the reference named in the title.")
    data = table.data
    if data.empty:
        plot.skipped = "no model has both an ICE and an RSE log"
        return plot
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(6.5, 4.5))
    x = data["strict"].to_numpy()
    error = [np.clip(x - data["strict_ci_low"].to_numpy(), 0, None), np.clip(data["strict_ci_high"].to_numpy() - x, 0, None)]
    ax.errorbar(x, data["rse_avg"], xerr=error, fmt="o", capsize=3, color="#3182bd")
    for model, px, py in zip(data["model"], x, data["rse_avg"]):
        ax.annotate(model, (px, py), textcoords="offset points", xytext=(5, 5), fontsize=8)
    ax.set_xlim(-0.02, 1.0)
    ax.set_ylim(*RSE_RANGE)
    ax.set_xlabel("ICE strict rate (share of valid judged queries)")
    ax.set_ylabel(f"RSE Avg ({RSE_SPAN})")
    ax.set_title(f"{plot.title}\n(RSE reference: {data['reference'].iloc[0]})", fontsize=10)
    ax.grid(alpha=0.3)
    plot.path = _save(figure, path)
    return plot


def discovery_plot(table: Table, path: Path) -> Plot:
    """Cumulative strict positives against target queries spent, one step line per model."""
    plot = Plot("ice_discovery", "ICE: strict positives found against target queries spent",
                "One line per model (several campaigns end to end): how fast the search finds strict leaks.")
    if table.empty:
        plot.skipped = "no ICE log was read"
        return plot
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(7.5, 4.5))
    for row in table.data.itertuples():
        found_at = [int(at) for at in str(row.strict_at).split()] if isinstance(row.strict_at, str) else []
        label = f"{row.model} ({row.judge} judge" + (f", {row.campaigns} campaigns)" if row.campaigns > 1 else ")")
        ax.step([0, *found_at, row.queries], [0, *range(1, len(found_at) + 1), len(found_at)], where="post",
                label=label)
    ax.set_xlabel("target queries spent")
    ax.set_ylabel("strict positives found")
    ax.set_title(plot.title, fontsize=11)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0, top=max(1, int(table.data["strict_found"].max())) * 1.1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    plot.path = _save(figure, path)
    return plot


def build_plots(tables: dict[str, Table], out: Path) -> list[Plot]:
    """Draw every plot whose table has rows into `out` (PNG)."""
    out.mkdir(parents=True, exist_ok=True)
    return [
        ice_rates_plot(tables["ice_models"], out / "ice_rates.png"),
        ice_category_plot(tables["ice_category"], out / "ice_categories.png"),
        discovery_plot(tables["ice_discovery"], out / "ice_discovery.png"),
        rse_heatmap(tables["rse_models"], out / "rse_heatmap.png"),
        reference_matrix(tables["rse_models"], out / "rse_reference_matrix.png"),
        ice_vs_rse_plot(tables["ice_vs_rse"], out / "ice_vs_rse.png"),
    ]
