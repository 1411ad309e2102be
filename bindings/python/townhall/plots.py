"""Plots where people would rather look than read (matplotlib figures).

Every plot has a title, axis labels and its (weighted) n. Answers keep the question's own option
order; ordered answers (a scale, an ordered categorical) are coloured along a colour-blind-safe
scale: a diverging ColorBrewer scale (``RdBu``) centred on the middle option when the scale has
one (a Likert scale of 5 or 7 points), else the sequential ``cividis``. Unordered answers get the
Okabe–Ito palette, which stays distinct under every common colour-vision deficiency.

matplotlib is imported only when a plot is asked for, so ``import townhall`` stays light.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .errors import InvalidInput

#: Colormaps for ordered answers (matplotlib names).
DIVERGING_COLORMAP = "RdBu"
SEQUENTIAL_COLORMAP = "cividis"
#: Okabe & Ito (2008), for answers with no order.
CATEGORICAL_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
                       "#CC79A7", "#000000"]
#: Where ordered answers sit on their colormap: the ends are left out (the darkest red and blue of
#: RdBu, the near-black of cividis), the middle option of an odd scale lands on its centre, 0.5.
COLORMAP_RANGE = (0.1, 0.9)
SUPPRESSED_COLOUR = "#d9d9d9"


def _question(data: pd.DataFrame, column: str) -> dict:
    questions = data.attrs.get("questions") if hasattr(data, "attrs") else None
    q = questions.get(column) if isinstance(questions, dict) else None
    return q if isinstance(q, dict) else {}


def _answer_order(data: pd.DataFrame, column: str) -> tuple[list, bool]:
    """The answers in the question's own order, and whether that order is a scale."""
    q = _question(data, column)
    series = data[column]
    categorical = isinstance(series.dtype, pd.CategoricalDtype)
    kind = q.get("type")
    if kind == "scale" and "min" in q and "max" in q:
        values = list(range(int(q["min"]), int(q["max"]) + 1))
        if categorical:  # a townhall frame: the categories are the scale's points, as stored
            cats = list(series.cat.categories)
            if [str(c) for c in cats] == [str(v) for v in values]:
                values = cats
        return values, True
    if kind in ("single_choice", "multiple_choice", "ranking") and q.get("options"):
        return list(q["options"]), False
    if kind == "yes_no":
        return [True, False], False
    if categorical:
        return list(series.cat.categories), bool(series.cat.ordered)
    return sorted(series.dropna().unique().tolist(), key=str), False


def _label(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    return str(value)


def answer_colours(n: int, ordered: bool, scale: str = "auto") -> tuple[list, str]:
    """Colours for ``n`` answers in order, and the scale's name ("RdBu", "cividis" or
    "Okabe-Ito"). ``scale``: "auto" (diverging for an ordered odd-length scale of 3 or more,
    sequential for other ordered answers, categorical otherwise), "diverging", "sequential" or
    "categorical"."""
    import matplotlib

    if scale == "auto":
        scale = ("diverging" if n >= 3 and n % 2 == 1 else "sequential") if ordered \
            else "categorical"
    if scale == "categorical":
        if n > len(CATEGORICAL_COLOURS):
            raise InvalidInput(f"{n} unordered answers: more than the {len(CATEGORICAL_COLOURS)} "
                               "colours that stay distinct; merge answers or pass scale="
                               "'sequential'", code="invalid-argument", field="scale")
        return [matplotlib.colors.to_rgba(c) for c in CATEGORICAL_COLOURS[:n]], "Okabe-Ito"
    if scale not in ("diverging", "sequential"):
        raise InvalidInput(f"scale must be 'auto', 'diverging', 'sequential' or 'categorical', "
                           f"not {scale!r}", code="invalid-argument", field="scale")
    name = DIVERGING_COLORMAP if scale == "diverging" else SEQUENTIAL_COLORMAP
    cmap = matplotlib.colormaps[name]
    lo, hi = COLORMAP_RANGE
    positions = [0.5] if n == 1 else np.linspace(lo, hi, n)
    return [tuple(float(x) for x in cmap(p)) for p in positions], name


def _fmt_n(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 0.05 else f"{value:,.1f}"


def plot_representativeness(report: pd.DataFrame, *, title: str | None = None):
    """Sample share against target share per category, one panel per variable.

    ``report`` is the DataFrame from :func:`townhall.representativeness`. Under-represented
    categories are marked with "▼"; each panel's title gives the variable and its n (the
    respondents who answered it). Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    variables = list(dict.fromkeys(report.index.get_level_values("variable")))
    summary = report.attrs.get("summary")
    heights = [len(report.loc[v]) for v in variables]
    fig, axes = plt.subplots(len(variables), 1, squeeze=False,
                             figsize=(7, 1.4 + 0.45 * sum(heights) + 0.9 * len(variables)),
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
        n = summary.loc[var, "n"] if summary is not None and var in summary.index else None
        ax.set_title(var if n is None else f"{var} (n = {_fmt_n(float(n))})", loc="left")
        ax.set_ylabel(var)
        ax.set_xlabel("share of respondents (▼ under-represented)")
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    axes[0, 0].legend(loc="lower right")
    fig.suptitle(title or "Who answered, against the target population")
    fig.tight_layout()
    return fig


def plot_answers_by_group(data: pd.DataFrame, row: str, column: str, weights: Any = None, *,
                          suppress_below: int = 0, title: str | None = None,
                          scale: str = "auto"):
    """Stacked horizontal bars: the share of each answer to ``column`` within each group of
    ``row``, weighted when ``weights`` are given.

    Answers and groups keep their questions' own order (``data.attrs["questions"]`` from
    :meth:`Database.responses`, else a categorical's order). Ordered answers are coloured along
    a diverging scale centred on the middle option, or a sequential one (see ``scale`` in
    :func:`answer_colours`). With ``suppress_below=N`` the cells :func:`townhall.crosstab`
    suppresses are never drawn: a group with fewer than N respondents is labelled "fewer than N"
    (when its total is hidden, "suppressed: fewer than N or would reveal one", as is any group
    hidden to protect it), and hidden cells inside a group are one grey hatched segment. The title defaults to the
    question's text; the axes say what they show; the weighted n of the plot is under the title
    and each group's beside its label. Returns the matplotlib Figure.
    """
    import matplotlib.patches as mpatches
    import matplotlib.pyplot as plt

    from .analysis import crosstab

    answers, ordered = _answer_order(data, column)
    groups, _ = _answer_order(data, row)
    colours, _ = answer_colours(len(answers), ordered, scale)
    frame = pd.DataFrame({
        row: pd.Categorical(data[row], categories=groups),
        column: pd.Categorical(data[column], categories=answers),
    }, index=data.index)
    ct = crosstab(frame, row, column, weights, suppress_below=suppress_below)
    shares = ct["share"].unstack(column).reindex(index=groups, columns=answers)
    hidden = ct["suppressed"].unstack(column).reindex(index=groups, columns=answers)
    weighted = ct["weighted"].unstack(column).reindex(index=groups, columns=answers)
    group_n = ct["group_n"].groupby(level=0, sort=False).first().reindex(groups)
    threshold = int(suppress_below)

    fig, ax = plt.subplots(figsize=(8, 1.6 + 0.55 * len(groups)))
    y = np.arange(len(groups))
    left = np.zeros(len(groups))
    tick_labels = []
    small = np.zeros(len(groups), dtype=bool)
    for i, g in enumerate(groups):
        n = group_n.loc[g]
        total_hidden = pd.isna(n)
        small[i] = threshold > 1 and (total_hidden or int(n) < threshold)
        if small[i]:
            tick_labels.append(str(g))
            continue
        visible = shares.loc[g].notna() & ~hidden.loc[g].astype(bool)
        share_sum = float(shares.loc[g][visible].sum())
        weighted_sum = float(weighted.loc[g][visible].sum())
        # The group's weighted total, recovered from its visible cells (share = weighted / total).
        wn = weighted_sum / share_sum if share_sum > 0 else float("nan")
        tick_labels.append(f"{g}\n(n = {_fmt_n(wn)})" if np.isfinite(wn) else str(g))
    for a, colour in zip(answers, colours):
        v = shares[a].where(~hidden[a].astype(bool)).fillna(0).to_numpy(dtype=float, copy=True)
        v[small] = 0
        # A thin grey edge keeps the near-white middle of a diverging scale visible.
        ax.barh(y, v, left=left, color=colour, edgecolor="#6f777b", linewidth=0.4, label=_label(a))
        left += v
    rest = np.where(small, 0.0, np.clip(1.0 - left, 0.0, 1.0))
    rest[rest < 1e-9] = 0.0
    if rest.any():
        hidden_bars = ax.barh(y, rest, left=left, color=SUPPRESSED_COLOUR, hatch="//",
                              edgecolor="#7f7f7f", linewidth=0.5)
        for bar in hidden_bars:
            bar.set_gid("suppressed")
    for i in np.flatnonzero(small):
        # A hidden group total is marked alike whether the group is small or its total was hidden
        # to protect a small one: telling them apart would give the small one away.
        hidden_total = pd.isna(group_n.loc[groups[i]])
        ax.text(0.5, y[i], f"suppressed: fewer than {threshold} or would reveal one" if hidden_total
                else f"fewer than {threshold}", ha="center", va="center", color="#505a5f",
                style="italic")
    ax.set_yticks(y, tick_labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    q_col, q_row = _question(data, column), _question(data, row)
    weighted_note = "weighted" if weights is not None else "unweighted"
    ax.set_xlabel(f"share of each group's answers ({weighted_note})")
    ax.set_ylabel(q_row.get("text") or row)
    handles, labels = ax.get_legend_handles_labels()
    if rest.any() or small.any():
        handles.append(mpatches.Patch(facecolor=SUPPRESSED_COLOUR, hatch="//",
                                      edgecolor="#7f7f7f"))
        labels.append(f"suppressed: fewer than {threshold},\nor would reveal such a cell")
    ax.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5),
              title=column, frameon=False)
    fig.suptitle(title or q_col.get("text") or f"{column} by {row}", x=0.02, ha="left")
    total = ct.attrs.get("weighted_n")
    n_name = "weighted n" if weights is not None else "n"
    ax.set_title(f"{n_name} suppressed" if total is None else
                 f"{n_name} = {_fmt_n(float(total))}", loc="left", fontsize="medium",
                 color="#505a5f")
    fig.tight_layout()
    return fig


__all__ = ["plot_representativeness", "plot_answers_by_group", "answer_colours"]
