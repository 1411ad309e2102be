"""Small-cell suppression cannot be undone from what a tally or cross-tabulation shows.

An independent attacker (HiGHS linear programmes, not the library's own network check) reads
only what the published frames show: the visible cells, the visible totals (a tally's n, a
crosstab's group_n, its answer totals and grand total, weighted totals worked out from a visible
share), and that zeros are shown so a suppressed count is at least 1. For every suppressed cell
it minimises and maximises the cell subject to all that, and the test asserts the two differ.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import townhall

highspy = pytest.importorskip("highspy")


def _bounds(n_vars: int, rows: list[tuple[dict[int, float], float]], lower: float,
            target: int) -> tuple[float, float]:
    """min and max of variable `target` with every variable >= lower and each row sum = rhs."""
    out = []
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        inf = h.getInfinity()
        h.addVars(n_vars, np.full(n_vars, lower), np.full(n_vars, inf))
        for coeffs, rhs in rows:
            idx = np.array(list(coeffs.keys()), dtype=np.int32)
            val = np.array(list(coeffs.values()), dtype=np.float64)
            h.addRow(rhs, rhs, len(idx), idx, val)
        cost = np.zeros(n_vars)
        cost[target] = 1.0
        h.changeColsCost(n_vars, np.arange(n_vars, dtype=np.int32), cost)
        h.changeObjectiveSense(sense)
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            out.append(math.inf if sense == highspy.ObjSense.kMaximize else -math.inf)
            continue
        assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
        out.append(h.getInfo().objective_function_value)
    return out[0], out[1]


def _attack(cells: np.ndarray, hidden: np.ndarray, row_totals: list, col_totals: list,
            grand, lower: float) -> list[tuple[int, int, float, float]]:
    """Bounds of every hidden cell of `cells` (rows × columns) given what is shown.

    row_totals / col_totals hold the shown totals (None where hidden or not published), grand
    the shown grand total or None. Returns (row, column, min, max) per hidden cell.
    """
    R, C = cells.shape
    var = {}
    for r in range(R):
        for c in range(C):
            if hidden[r, c]:
                var[(r, c)] = len(var)
    rows = []

    def line(cells_of, total):
        if total is None:
            return
        coeffs = {}
        rhs = float(total)
        for (r, c) in cells_of:
            if hidden[r, c]:
                coeffs[var[(r, c)]] = 1.0
            else:
                rhs -= float(cells[r, c])
        if coeffs:
            rows.append((coeffs, rhs))

    for r in range(R):
        line([(r, c) for c in range(C)], row_totals[r])
    for c in range(C):
        line([(r, c) for r in range(R)], col_totals[c])
    line([(r, c) for r in range(R) for c in range(C)], grand)
    out = []
    for (r, c), i in var.items():
        lo, hi = _bounds(len(var), rows, lower, i)
        out.append((r, c, lo, hi))
    return out


def _assert_safe(bounds, what: str, tol: float):
    for r, c, lo, hi in bounds:
        assert hi - lo > tol, f"{what}: suppressed cell ({r}, {c}) is recoverable as {lo:g}"


def _shown_counts(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return (frame["count"].fillna(0).to_numpy(dtype=np.float64),
            frame["suppressed"].to_numpy(dtype=bool))


def _check_tally(t: pd.DataFrame, what: str):
    counts, hidden = _shown_counts(t)
    if not hidden.any():
        return
    C = len(counts)
    _assert_safe(_attack(counts[None, :], hidden[None, :], [t.attrs["n"]], [None] * C, None,
                         1.0), what + " counts", 0.5)
    weighted = np.nan_to_num(t["weighted"].to_numpy(dtype=np.float64))
    _assert_safe(_attack(weighted[None, :], hidden[None, :], [t.attrs["weighted_n"]],
                         [None] * C, None, 0.0), what + " weighted", 1e-7)


def _group_weighted_total(part: pd.DataFrame):
    """What a reader works out: weighted / share of any visible cell with a share."""
    ok = part[~part["suppressed"] & (part["share"] > 0)]
    return None if ok.empty else float(ok["weighted"].iloc[0] / ok["share"].iloc[0])


def _check_crosstab(ct: pd.DataFrame, row: str, what: str):
    groups = list(dict.fromkeys(ct.index.get_level_values(0)))
    totals = ct.attrs["answer_totals"]
    C = len(totals)
    counts = np.zeros((len(groups), C))
    weighted = np.zeros((len(groups), C))
    hidden = np.zeros((len(groups), C), dtype=bool)
    row_n, row_w = [], []
    for i, g in enumerate(groups):
        part = ct.xs(g, level=0)
        counts[i], hidden[i] = _shown_counts(part)
        weighted[i] = np.nan_to_num(part["weighted"].to_numpy(dtype=np.float64))
        n = part["group_n"].iloc[0]
        row_n.append(None if pd.isna(n) else int(n))
        row_w.append(None if pd.isna(n) else _group_weighted_total(part))
    if not hidden.any():
        return
    col_n = [None if s else int(v) for v, s in zip(totals["count"].fillna(0), totals["suppressed"])]
    col_w = [None if s else float(v) for v, s in zip(totals["weighted"].fillna(0),
                                                     totals["suppressed"])]
    _assert_safe(_attack(counts, hidden, row_n, col_n, ct.attrs["n"], 1.0), what + " counts", 0.5)
    _assert_safe(_attack(weighted, hidden, row_w, col_w, ct.attrs["weighted_n"], 0.0),
                 what + " weighted", 1e-7)


def _respondents(table: np.ndarray, rng, weighted: bool) -> pd.DataFrame:
    rows, cols = [], []
    for r in range(table.shape[0]):
        for c in range(table.shape[1]):
            rows += [f"g{r}"] * int(table[r, c])
            cols += [f"a{c}"] * int(table[r, c])
    df = pd.DataFrame({
        "group": pd.Categorical(rows, categories=[f"g{r}" for r in range(table.shape[0])]),
        "answer": pd.Categorical(cols, categories=[f"a{c}" for c in range(table.shape[1])])})
    df["w"] = rng.uniform(0.3, 3.0, len(df)) if weighted else 1.0
    return df


def _random_table(rng) -> np.ndarray:
    R, C = int(rng.integers(1, 7)), int(rng.integers(2, 6))
    kind = rng.integers(3)
    if kind == 0:
        t = rng.integers(0, 6, (R, C))            # mostly small cells
    elif kind == 1:
        t = rng.poisson(rng.uniform(2, 40), (R, C))
    else:
        t = rng.integers(5, 60, (R, C)) * (rng.random((R, C)) > 0.2)
        t[rng.random((R, C)) < 0.25] = rng.integers(1, 4)
    if t.sum() == 0:
        t[0, 0] = 1
    return t


def test_the_notebooks_crosstab_no_longer_gives_a_cell_back():
    # Shared ownership: 1 supports, 16 do not, group total 17 shown; primary suppression alone
    # hides just the 1, which 17 - 16 gives back.
    table = np.array([[310, 590], [1, 16], [80, 200], [250, 530], [3, 20]])
    df = _respondents(table, np.random.default_rng(1), weighted=False)
    ct = townhall.crosstab(df, "group", "answer", suppress_below=10)
    assert ct.loc[("g1", "a0"), "suppressed"]
    assert ct.loc[("g1", "a1"), "suppressed"], "the 16 must be hidden too"
    assert ct.loc[("g1", "a0"), "group_n"] == 17
    _check_crosstab(ct, "group", "notebook case")
    fit = townhall.crosstab(df, "group", "answer", weights="w", suppress_below=10)
    _check_crosstab(fit, "group", "notebook case, weighted")


@pytest.mark.parametrize("weighted", [False, True])
def test_no_suppressed_cell_can_be_recovered_from_generated_tables(weighted):
    rng = np.random.default_rng(2026 + weighted)
    suppressed_seen = secondary_seen = 0
    for trial in range(90):
        table = _random_table(rng)
        k = int(rng.integers(2, 11))
        df = _respondents(table, rng, weighted)
        w = "w" if weighted else None
        ct = townhall.crosstab(df, "group", "answer", w, suppress_below=k)
        _check_crosstab(ct, "group", f"trial {trial} crosstab k={k}\n{table}")
        t = townhall.tally(df["answer"], df["w"] if weighted else None, suppress_below=k)
        _check_tally(t, f"trial {trial} tally k={k}\n{table.sum(axis=0)}")
        primary = int(((table >= 1) & (table < k)).sum())
        suppressed_seen += primary
        secondary_seen += int(ct["suppressed"].sum()) - primary
        # Small cells are hidden, zeros never are.
        flat = table.reshape(-1)
        hidden = ct["suppressed"].to_numpy()
        assert hidden[(flat >= 1) & (flat < k)].all()
        assert not hidden[flat == 0].any()
    assert suppressed_seen > 100 and secondary_seen > 100  # the generator exercises both


def test_a_lone_small_answer_suppresses_the_tally_total():
    # 3 respondents all giving one answer: the total is the cell, so it goes too.
    t = townhall.tally(pd.Series(["yes"] * 3 + [None] * 4), categories=["yes", "no"],
                       suppress_below=5)
    assert t.attrs["total_suppressed"] and t.attrs["n"] is None
    assert t.loc["yes", "suppressed"] and not t.loc["no", "suppressed"]
    assert t["share"].isna().all()


def test_no_suppression_without_a_threshold_and_secondary_only_when_needed():
    table = np.array([[12, 30], [25, 40]])
    df = _respondents(table, np.random.default_rng(3), weighted=False)
    assert not townhall.crosstab(df, "group", "answer", suppress_below=10)["suppressed"].any()
    t = townhall.tally(pd.Series(["a"] * 4 + ["b"] * 3 + ["c"] * 20), suppress_below=5)
    assert list(t["suppressed"]) == [True, True, False]  # two small cells protect each other
    assert t.attrs["n"] == 27


def test_help_explains_secondary_suppression():
    assert "secondary suppression" in townhall.crosstab.__doc__
    assert "secondary suppression" in townhall.tally.__doc__
