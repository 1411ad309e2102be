"""Plots where people would rather look than read (matplotlib figures).

matplotlib is imported only when a plot is asked for, so ``import townhall`` stays light.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def plot_representativeness(report: pd.DataFrame, *, title: str | None = None):
    """Sample share against target share per category, one panel per variable.

    ``report`` is the DataFrame from :func:`townhall.representativeness`. Under-represented
    categories are marked with "▼". Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    variables = list(dict.fromkeys(report.index.get_level_values("variable")))
    heights = [len(report.loc[v]) for v in variables]
    fig, axes = plt.subplots(len(variables), 1, squeeze=False,
                             figsize=(7, 1.0 + 0.45 * sum(heights) + 0.6 * len(variables)),
                             gridspec_kw={"height_ratios": heights})
    for ax, var in zip(axes[:, 0], variables):
        part = report.loc[var]
        y = np.arange(len(part))
        ax.barh(y - 0.2, part["target_share"], height=0.4, label="target", color="#b1b4b6")
        ax.barh(y + 0.2, part["sample_share"], height=0.4, label="sample", color="#1d70b8")
        labels = [f"{c} ▼" if u else str(c)
                  for c, u in zip(part.index, part["under_represented"])]
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_title(var, loc="left")
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes[0, 0].legend(loc="lower right")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_answers_by_group(data: pd.DataFrame, row: str, column: str, weights: Any = None, *,
                          suppress_below: int = 0, title: str | None = None):
    """Stacked horizontal bars: the share of each answer to ``column`` within each group of
    ``row`` (weighted when ``weights`` are given; suppressed cells drawn as gaps).
    Returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    from .analysis import crosstab

    ct = crosstab(data, row, column, weights, suppress_below=suppress_below)
    shares = ct["share"].unstack(column)
    fig, ax = plt.subplots(figsize=(7, 1.0 + 0.5 * len(shares)))
    left = np.zeros(len(shares))
    for answer in shares.columns:
        v = shares[answer].fillna(0).to_numpy()
        ax.barh(np.arange(len(shares)), v, left=left, label=str(answer))
        left += v
    ax.set_yticks(np.arange(len(shares)), [str(g) for g in shares.index])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), title=column)
    ax.set_title(title or f"{column} by {row}", loc="left")
    fig.tight_layout()
    return fig


__all__ = ["plot_representativeness", "plot_answers_by_group"]
