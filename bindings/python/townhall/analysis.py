"""Weighting and tabulation of responses: raking, weighted tallies, cross-tabulations.

The arithmetic is in the C++ core (townhall/analysis/*.h); these functions turn pandas columns
into int32 category codes and float64 weights (numpy arrays, no per-cell Python objects), call
the core with the GIL released, and shape the answers as DataFrames.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from typing import Any, Mapping

import numpy as np
import pandas as pd

from . import _townhall
from .errors import InvalidInput, RakingNotConverged

Targets = Any  # Mapping[str, Mapping[category, number] | pd.Series] | pd.DataFrame (long form)


@dataclasses.dataclass
class RakingReport:
    """The result of :func:`rake`.

    weights: one weight per row of the data (a Series with the data's index, named "weight").
    iterations: full cycles over the margins; converged: whether every margin's worst error is
    within tolerance; max_margin_error: that worst |achieved share - target share|.
    effective_sample_size: Kish (sum w)^2 / sum w^2; design_effect: n / effective_sample_size.
    trimmed: rows whose weight sits at a trimming bound. margins: one row per (variable,
    category) with target and achieved shares.
    """

    weights: pd.Series
    iterations: int
    converged: bool
    max_margin_error: float
    effective_sample_size: float
    design_effect: float
    weight_min: float
    weight_max: float
    trimmed: int
    margins: pd.DataFrame

    def __repr__(self) -> str:
        return (f"RakingReport(n={len(self.weights)}, iterations={self.iterations}, "
                f"converged={self.converged}, max_margin_error={self.max_margin_error:.3g}, "
                f"effective_sample_size={self.effective_sample_size:.1f})")


def _targets_by_variable(targets: Targets) -> dict[str, pd.Series]:
    """Normalises the accepted target forms to {variable: Series(category -> value)}."""
    if isinstance(targets, pd.DataFrame):
        cols = set(targets.columns)
        value_col = next((c for c in ("target", "share", "count") if c in cols), None)
        if "variable" not in cols or "category" not in cols or value_col is None:
            raise InvalidInput("a targets DataFrame needs columns variable, category and one of "
                               "target, share or count", code="invalid-argument", field="targets")
        out: dict[str, pd.Series] = {}
        for var, part in targets.groupby("variable", sort=False):
            out[str(var)] = pd.Series(part[value_col].to_numpy(dtype="float64"),
                                      index=part["category"].tolist())
        return out
    if isinstance(targets, Mapping):
        out = {}
        for var, spec in targets.items():
            if isinstance(spec, pd.Series):
                out[str(var)] = spec.astype("float64")
            elif isinstance(spec, Mapping):
                out[str(var)] = pd.Series(list(spec.values()), index=list(spec.keys()),
                                          dtype="float64")
            else:
                raise InvalidInput(f"targets for {var!r} must be a dict or Series of category -> "
                                   "share or count", code="invalid-argument",
                                   field=f"targets/{var}")
        return out
    raise InvalidInput("targets must be a dict or a long DataFrame (variable, category, target)",
                       code="invalid-argument", field="targets")


def _codes(column: pd.Series, categories: list, field: str, allow_missing: bool) -> np.ndarray:
    """int32 codes of `column` against `categories` (-1 for missing or unknown values)."""
    index = pd.Index(categories)
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Map the column's own categories once, then its codes: no per-row hashing.
        own = index.get_indexer(column.cat.categories).astype(np.int32)
        col_codes = column.cat.codes.to_numpy()
        codes = np.where(col_codes >= 0, own[np.maximum(col_codes, 0)], -1).astype(np.int32)
    else:
        codes = index.get_indexer(column).astype(np.int32, copy=False)
    if not allow_missing:
        bad = np.flatnonzero(codes < 0)
        if bad.size:
            i = int(bad[0])
            value = column.iloc[i]
            what = "is missing" if pd.isna(value) else f"value {value!r} has no target"
            raise InvalidInput(f"{field} row {column.index[i]!r}: {what} ({bad.size} such rows)",
                               code="invalid-argument", field=f"{field}[{i}]")
    return np.ascontiguousarray(codes)


def _weights_array(weights: Any, data_len: int, data: pd.DataFrame | None) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        if data is None or weights not in data.columns:
            raise InvalidInput(f"no weights column {weights!r}", code="invalid-argument",
                               field="weights")
        weights = data[weights]
    if isinstance(weights, RakingReport):
        weights = weights.weights
    arr = np.ascontiguousarray(np.asarray(weights, dtype=np.float64))
    if arr.ndim != 1 or arr.shape[0] != data_len:
        raise InvalidInput(f"weights has {arr.shape[0] if arr.ndim else 0} entries for "
                           f"{data_len} rows", code="invalid-argument", field="weights")
    return arr


def rake(data: pd.DataFrame, targets: Targets, *, weights: Any = None, max_iterations: int = 100,
         tolerance: float = 1e-6, trim: tuple[float | None, float | None] = (None, None),
         total: float | None = None) -> RakingReport:
    """Rakes the rows of ``data`` to target margins (iterative proportional fitting).

    targets: ``{column: {category: value}}`` (or Series values), or a long DataFrame with columns
      variable, category and target (or share, or count). Values may be shares or counts: each
      margin is normalised to shares. Every row needs a category with a target.
    weights: base (design) weights: array, Series or column name; default all 1.
    trim: (low, high) bounds on each weight as multiples of the mean weight, e.g. (0.2, 5).
    total: sum of the final weights; default the sum of the base weights (n when unweighted).

    When the margins are not all met within ``tolerance`` after ``max_iterations`` (trimming
    often makes the targets unreachable), the report says ``converged=False`` and a
    :class:`townhall.RakingNotConverged` warning (a RuntimeWarning) names the margins not met
    and the category furthest from its target, with its relative gap. Widen ``trim``, merge
    sparse categories or accept the gap; ``report.margins`` lists every category's error.
    """
    if not isinstance(data, pd.DataFrame):
        raise InvalidInput("data must be a pandas DataFrame", code="invalid-argument", field="data")
    by_var = _targets_by_variable(targets)
    if not by_var:
        raise InvalidInput("no target margins given", code="invalid-argument", field="targets")
    margins = []
    for var, t in by_var.items():
        if var not in data.columns:
            raise InvalidInput(f"targets name column {var!r} which the data lacks",
                               code="invalid-argument", field=var)
        categories = list(t.index)
        codes = _codes(data[var], categories, var, allow_missing=False)
        margins.append((var, codes, t.to_numpy(dtype="float64").tolist(),
                        [str(c) for c in categories]))
    base = _weights_array(weights, len(data), data)
    lo, hi = trim
    r = _townhall._rake(margins, len(data), base, max_iterations, tolerance,
                        0.0 if lo is None else float(lo), math.inf if hi is None else float(hi),
                        0.0 if total is None else float(total))
    w = pd.Series(np.asarray(r["weights"]), index=data.index, name="weight")
    rows = []
    for (var, _, _, labels), fit in zip(margins, r["margins"]):
        for c, label in enumerate(by_var[var].index):
            rows.append({"variable": var, "category": label,
                         "target": fit["target_share"][c], "achieved": fit["achieved_share"][c],
                         "error": fit["achieved_share"][c] - fit["target_share"][c]})
    margins_frame = pd.DataFrame(rows)
    if not r["converged"]:
        _warn_not_converged(margins_frame, r, tolerance)
    return RakingReport(weights=w, iterations=r["iterations"], converged=r["converged"],
                        max_margin_error=r["max_margin_error"],
                        effective_sample_size=r["effective_sample_size"],
                        design_effect=r["design_effect"], weight_min=r["weight_min"],
                        weight_max=r["weight_max"], trimmed=r["trimmed"],
                        margins=margins_frame)


def _warn_not_converged(margins: pd.DataFrame, r: dict, tolerance: float) -> None:
    unmet = [fit["name"] for fit in r["margins"] if fit["max_error"] > tolerance]
    gaps = margins[margins["variable"].isin(unmet)].copy()
    gaps["gap"] = np.where(gaps["target"] > 0, gaps["error"].abs() / gaps["target"].where(
        gaps["target"] > 0, 1.0), np.where(gaps["error"].abs() > 0, np.inf, 0.0))
    worst = gaps.loc[gaps["gap"].idxmax()] if not gaps.empty else margins.iloc[0]
    gap = float(worst.get("gap", 0.0))
    direction = "short of" if worst["achieved"] < worst["target"] else "over"
    message = (f"raking did not converge in {r['iterations']} iteration"
               f"{'' if r['iterations'] == 1 else 's'} (largest margin error "
               f"{r['max_margin_error']:.3g} > tolerance {tolerance:g}): margin "
               f"{worst['variable']!r} is not met — {worst['category']!r} reaches "
               f"{worst['achieved']:.2%} against a target of {worst['target']:.2%} "
               f"({gap:.0%} {direction} it)")
    if len(unmet) > 1:
        message += f"; other margins not met: {', '.join(repr(u) for u in unmet if u != worst['variable'])}"
    warnings.warn(RakingNotConverged(
        message, margin=str(worst["variable"]), category=worst["category"],
        target=float(worst["target"]), achieved=float(worst["achieved"]), relative_gap=gap,
        max_margin_error=float(r["max_margin_error"]), unmet=unmet), stacklevel=3)


def kish_effective_sample_size(weights: Any) -> float:
    """Kish effective sample size (sum w)^2 / sum w^2."""
    if isinstance(weights, RakingReport):
        weights = weights.weights
    return _townhall.kish_effective_sample_size(
        np.ascontiguousarray(np.asarray(weights, dtype=np.float64)))


def _categories_of(column: pd.Series, categories: list | None) -> list:
    if categories is not None:
        return list(categories)
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.cat.categories)
    return sorted(column.dropna().unique().tolist(), key=str)


def _cells_frame(d: dict, categories: list) -> pd.DataFrame:
    suppressed = np.asarray(d["suppressed"], dtype=bool)
    frame = pd.DataFrame({
        "count": pd.array(d["count"], dtype="Int64"),
        "weighted": np.asarray(d["weighted"], dtype=np.float64),
        "share": np.asarray(d["share"], dtype=np.float64),
        "ci_low": np.asarray(d["ci_low"], dtype=np.float64),
        "ci_high": np.asarray(d["ci_high"], dtype=np.float64),
        "suppressed": suppressed,
    }, index=pd.Index(categories, name="category"))
    # Suppressed cells are blanked: the figures must not leak.
    frame.loc[suppressed, "count"] = pd.NA
    frame.loc[suppressed, ["weighted", "share", "ci_low", "ci_high"]] = np.nan
    if d["total_suppressed"]:
        # A share and its weighted sum would give the hidden total back.
        frame[["share", "ci_low", "ci_high"]] = np.nan
    return frame


def _total(d: dict, key: str) -> Any:
    return None if d["total_suppressed"] else d[key]


_SUPPRESSION_DOC = """
    Small cells: with ``suppress_below=k``, cells with 1 <= count < k are suppressed (primary
    suppression), then further cells are suppressed so that none of them can be worked out from
    what the table shows (secondary suppression): no suppressed count or weighted sum is fixed by
    the visible cells and totals, given that zeros are always shown. The extra cells are the
    smallest that close the gap; a total is suppressed only when no cell will do (its figures
    and the shares of its cells are then blank too). Suppressed cells have every figure blank
    (``count`` <NA>, the rest NaN) and ``suppressed`` True.
"""


def tally(answers: pd.Series, weights: Any = None, *, categories: list | None = None,
          confidence: float = 0.95, method: str = "wilson", suppress_below: int = 0) -> pd.DataFrame:
    """Weighted tally of one question with confidence intervals.

    Returns a DataFrame indexed by category: count (unweighted), weighted, share, ci_low,
    ci_high, suppressed. Intervals use the Kish effective sample size of the respondents who
    answered (``method`` 'wilson', the default, or 'normal'). Missing answers, and values
    outside ``categories`` when it is given, are left out. Categories default to the column's
    categorical order, else the sorted distinct values. ``attrs`` holds n, weighted_n,
    effective_n (None when the total is suppressed), total_suppressed, z, confidence and method.
    """
    answers = pd.Series(answers)
    cats = _categories_of(answers, categories)
    codes = _codes(answers, cats, "answers", allow_missing=True)
    w = _weights_array(weights, len(answers), None)
    d = _townhall._tally(codes, len(cats), w, confidence, method, int(suppress_below))
    frame = _cells_frame(d, cats)
    frame.attrs.update(n=_total(d, "group_count"), weighted_n=_total(d, "group_weighted"),
                       effective_n=_total(d, "effective_n"),
                       total_suppressed=bool(d["total_suppressed"]), z=d["z"],
                       confidence=confidence, method=method)
    return frame


def crosstab(data: pd.DataFrame, row: str, column: str, weights: Any = None, *,
             confidence: float = 0.95, method: str = "wilson",
             suppress_below: int = 0) -> pd.DataFrame:
    """Cross-tabulation of ``column`` (the answer) within groups of ``row``.

    Returns a long DataFrame indexed by (row group, answer category) with count, weighted, share
    (of the group's weighted total), ci_low, ci_high, suppressed, and the group's n and
    effective_n (<NA> when the group's total is suppressed). Intervals use each group's Kish
    effective sample size. Use ``.share.unstack()`` for the familiar wide table.
    ``attrs["answer_totals"]`` is the answer over all groups (the column totals, a frame like
    :func:`tally`'s) and ``attrs["n"]`` the grand total: both count as shown when suppressing.
    """
    group_cats = _categories_of(data[row], None)
    answer_cats = _categories_of(data[column], None)
    g = _codes(data[row], group_cats, row, allow_missing=True)
    c = _codes(data[column], answer_cats, column, allow_missing=True)
    w = _weights_array(weights, len(data), data)
    d = _townhall._crosstab(g, len(group_cats), c, len(answer_cats), w, confidence, method,
                            int(suppress_below))
    parts = []
    for gi, gd in enumerate(d["groups"]):
        part = _cells_frame(gd, answer_cats)
        part.insert(0, row, group_cats[gi])
        part["group_n"] = pd.array([_total(gd, "group_count")] * len(part), dtype="Int64")
        part["group_effective_n"] = np.float64(np.nan if gd["total_suppressed"]
                                               else gd["effective_n"])
        parts.append(part.reset_index().rename(columns={"category": column}))
    out = pd.concat(parts, ignore_index=True).set_index([row, column])
    totals = _cells_frame(d["totals"], answer_cats)
    totals.index.name = column
    out.attrs.update(z=d["z"], confidence=confidence, method=method, answer_totals=totals,
                     n=_total(d["totals"], "group_count"),
                     weighted_n=_total(d["totals"], "group_weighted"))
    return out


tally.__doc__ = (tally.__doc__ or "") + _SUPPRESSION_DOC
crosstab.__doc__ = (crosstab.__doc__ or "") + _SUPPRESSION_DOC


def representativeness(data: pd.DataFrame, targets: Targets, weights: Any = None, *,
                       under_ratio: float = 0.8, min_expected: float = 5) -> pd.DataFrame:
    """How far the sample is from the targets, per variable and category (docs/design.md §2.6).

    targets: as for :func:`rake` (shares or counts; e.g. :func:`townhall.census_targets`).
    Returns a DataFrame indexed by (variable, category): count, sample_share (weighted when
    ``weights`` are given), target_share, expected (n × target share), ratio (sample/target) and
    under_represented (ratio < ``under_ratio`` with expected >= ``min_expected``).
    ``attrs["summary"]`` is a DataFrame per variable: n, dissimilarity (½ Σ|sample − target|),
    chi_square (unweighted counts), degrees_of_freedom, p_value. Missing answers are left out;
    values without a target are an error.
    """
    by_var = _targets_by_variable(targets)
    w = _weights_array(weights, len(data), data)
    parts, summary = [], []
    for var, t in by_var.items():
        if var not in data.columns:
            raise InvalidInput(f"targets name column {var!r} which the data lacks",
                               code="invalid-argument", field=var)
        column = data[var]
        codes = _codes(column, list(t.index), var, allow_missing=True)
        unknown = np.flatnonzero((codes < 0) & column.notna().to_numpy())
        if unknown.size:
            i = int(unknown[0])
            raise InvalidInput(f"{var} row {column.index[i]!r}: value {column.iloc[i]!r} has no "
                               f"target ({unknown.size} such rows)", code="invalid-argument",
                               field=f"{var}[{i}]")
        d = _townhall._representativeness(codes, t.to_numpy(dtype="float64").tolist(), w,
                                          under_ratio, min_expected)
        parts.append(pd.DataFrame({
            "variable": var, "category": list(t.index),
            "count": np.asarray(d["count"], dtype=np.int64),
            "sample_share": d["sample_share"], "target_share": d["target_share"],
            "expected": d["expected"], "ratio": d["ratio"],
            "under_represented": np.asarray(d["under_represented"], dtype=bool)}))
        summary.append({"variable": var, "n": d["n"], "dissimilarity": d["dissimilarity"],
                        "chi_square": d["chi_square"],
                        "degrees_of_freedom": d["degrees_of_freedom"], "p_value": d["p_value"]})
    out = pd.concat(parts, ignore_index=True).set_index(["variable", "category"])
    out.attrs["summary"] = pd.DataFrame(summary).set_index("variable")
    return out


__all__ = ["RakingReport", "rake", "tally", "crosstab", "kish_effective_sample_size",
           "representativeness"]
