"""The report's PNGs: every plot is drawn from real logs; a plot without data is skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inspect_distill.report import Report
from inspect_distill.report.plots import (
    build_plots,
    ice_category_plot,
    reference_matrix,
)
from inspect_distill.report.tables import Table

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EXPECTED = ("ice_rates", "ice_categories", "ice_discovery", "rse_heatmap", "rse_reference_matrix", "ice_vs_rse")


def _size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_MAGIC
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_every_plot_is_drawn(report: Report) -> None:
    assert [plot.name for plot in report.plots] == list(EXPECTED)
    for plot in report.plots:
        assert plot.skipped is None and plot.path is not None and plot.path.parent == report.out
        width, height = _size(plot.path)
        assert width >= 500 and height >= 300, plot.name


def test_ice_panels_follow_the_verdict_sources(report: Report) -> None:
    # lexical, recorded (the paper's judge) and llm: three panels, each about 4.2 inches high at 120 dpi
    judges = report.tables["ice_models"].data["judge"].nunique()
    assert judges == 3
    for name in ("ice_rates", "ice_categories"):
        plot = next(p for p in report.plots if p.name == name)
        assert plot.path is not None
        _, height = _size(plot.path)
        assert height == pytest.approx(judges * 4.2 * 120, rel=0.02)


def _empty(name: str) -> Table:
    return Table(name=name, title=name, description="", data=pd.DataFrame(), view=pd.DataFrame())


def test_plots_without_data_are_skipped(tmp_path: Path, report: Report) -> None:
    one_reference = report.tables["rse_models"].data
    one_reference = one_reference[one_reference["reference"] == "gpt-4-0314"]
    table = Table("rse_models", "", "", one_reference, one_reference)
    plot = reference_matrix(table, tmp_path / "m.png")
    assert plot.path is None and plot.skipped == "fewer than two reference models"
    assert ice_category_plot(_empty("ice_category"), tmp_path / "c.png").skipped == "no ICE log"
    plots = build_plots({name: _empty(name) for name in ("ice_models", "ice_category", "ice_discovery", "rse_models",
                                                         "ice_vs_rse")},
                        tmp_path)
    assert all(p.path is None and p.skipped for p in plots)
    assert not list(tmp_path.glob("*.png"))


def _rates_row(model: str, positives: int, valid: int) -> dict[str, object]:
    from inspect_distill.ice.rates import Rate

    row: dict[str, object] = {"model": model, "judge": "llm"}
    for kind in ("loose", "strict", "hard"):
        rate = Rate(positives=positives, valid=valid)
        low, high = rate.interval
        row |= {kind: rate.rate, f"{kind}_valid": valid, f"{kind}_positives": positives, f"{kind}_ci_low": low,
                f"{kind}_ci_high": high}
    return row


def test_a_source_that_judged_nothing_says_not_judged(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from inspect_distill.report.plots import NOT_JUDGED, ice_rates_plot, rates_panel

    rows = pd.DataFrame([_rates_row("judged", 2, 8), _rates_row("silent", 0, 0)])
    figure, ax = plt.subplots()
    rates_panel(ax, rows)
    # three bars for the judged model (loose, strict, hard), none at 0.00 for the silent one
    assert len(ax.patches) == 3 and all(bar.get_x() < 0.5 for bar in ax.patches)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count(NOT_JUDGED) == 1 and texts.count("0.25") == 3 and "0.00" not in texts
    assert [label.get_text() for label in ax.get_xticklabels()] == ["judged\n(n=8)", "silent\n(n=0)"]
    plt.close(figure)
    # a whole panel of nothing judged is still drawn, with the words and no bar
    table = Table("ice_models", "", "", rows.iloc[[1]], rows.iloc[[1]])
    plot = ice_rates_plot(table, tmp_path / "rates.png")
    assert plot.path is not None and plot.skipped is None and "not judged" in plot.description
