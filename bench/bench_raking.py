#!/usr/bin/env python3
"""Benchmark: raking 1,000,000 respondents to 4 margins (target: under 1 second).

Times townhall.rake (C++ core; includes turning the DataFrame's categorical columns into codes)
against two baselines in the same run, with the same data, targets and stopping rule
(max |achieved share - target share| <= 1e-6, at most 100 cycles):
  * numpy IPF: np.bincount per margin, weights *= factor[codes] (a careful analyst's version);
  * pandas IPF: groupby(...).transform("sum") per margin (the straightforward version).
Checks the three agree, then prints the figures and ratios.

Run: PYTHONPATH=build/bindings/python build/venv/bin/python bench/bench_raking.py [rows]
"""

import sys

import numpy as np
import pandas as pd

import townhall
from _common import best_of

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
TOL = 1e-6
MAX_IT = 100


def make_data(n):
    rng = np.random.default_rng(2024)
    cols = {
        "tenure": (["owned", "shared", "social", "private", "rent_free"],
                   [0.45, 0.02, 0.18, 0.34, 0.01]),
        "ethnicity": (["asian", "black", "mixed", "white", "other"],
                      [0.08, 0.05, 0.05, 0.75, 0.07]),
        "age": (["16-24", "25-34", "35-49", "50-64", "65-74", "75+"],
                [0.06, 0.12, 0.25, 0.28, 0.18, 0.11]),
        "sex": (["female", "male"], [0.56, 0.44]),
    }
    # Correlated answers (as in real samples, where tenure, age and ethnicity go together): each
    # variable thresholds 0.6·u + 0.8·e_k of a shared normal u, at its sample proportions.
    u = rng.standard_normal(n)
    data = {}
    for k, (c, p) in cols.items():
        z = 0.6 * u + 0.8 * rng.standard_normal(n)
        cuts = np.quantile(z, np.cumsum(p)[:-1])
        data[k] = pd.Categorical.from_codes(np.searchsorted(cuts, z).astype(np.int8),
                                            categories=c)
    df = pd.DataFrame(data)
    targets = {
        "tenure": dict(zip(cols["tenure"][0], [0.32, 0.01, 0.27, 0.38, 0.02])),
        "ethnicity": dict(zip(cols["ethnicity"][0], [0.12, 0.08, 0.07, 0.63, 0.10])),
        "age": dict(zip(cols["age"][0], [0.12, 0.22, 0.25, 0.20, 0.12, 0.09])),
        "sex": {"female": 0.52, "male": 0.48},
    }
    return df, targets


def numpy_ipf(df, targets):
    codes = [df[v].cat.codes.to_numpy() for v in targets]
    shares = [np.array(list(t.values())) for t in targets.values()]
    n = len(df)
    w = np.ones(n)
    for it in range(1, MAX_IT + 1):
        for c, t in zip(codes, shares):
            s = np.bincount(c, weights=w, minlength=len(t))
            w *= (t * n / s)[c]
        err = max(np.abs(np.bincount(c, weights=w, minlength=len(t)) / w.sum() - t).max()
                  for c, t in zip(codes, shares))
        if err <= TOL:
            break
    return w, it


def pandas_ipf(df, targets):
    d = df.copy()
    d["w"] = 1.0
    n = len(d)
    for it in range(1, MAX_IT + 1):
        for v, t in targets.items():
            tgt = d[v].map(pd.Series(t)).astype(float) * n
            d["w"] = d["w"] * tgt / d.groupby(v, observed=True)["w"].transform("sum")
        err = 0.0
        for v, t in targets.items():
            got = d.groupby(v, observed=True)["w"].sum() / d["w"].sum()
            err = max(err, (got - pd.Series(t)).abs().max())
        if err <= TOL:
            break
    return d["w"].to_numpy(), it


def main():
    df, targets = make_data(N)
    t_th, rep = best_of(lambda: townhall.rake(df, targets, tolerance=TOL,
                                              max_iterations=MAX_IT), 3)
    t_np, (w_np, it_np) = best_of(lambda: numpy_ipf(df, targets), 2)
    t_pd, (w_pd, it_pd) = best_of(lambda: pandas_ipf(df, targets), 1)
    w = rep.weights.to_numpy()
    assert rep.converged, rep
    assert np.allclose(w, w_np, rtol=1e-4) and np.allclose(w, w_pd, rtol=1e-4), \
        "implementations disagree"
    print(f"raking {N:,} rows to 4 margins (tolerance {TOL:g})")
    print(f"  townhall.rake (C++ core):  {t_th:8.3f} s   {rep.iterations} cycles, "
          f"n_eff {rep.effective_sample_size:,.0f}   target < 1 s: "
          f"{'met' if t_th < 1.0 else 'MISSED'}")
    print(f"  numpy bincount IPF:        {t_np:8.3f} s   {it_np} cycles   "
          f"ratio {t_np / t_th:5.1f}x slower than townhall")
    print(f"  pandas groupby IPF:        {t_pd:8.3f} s   {it_pd} cycles   "
          f"ratio {t_pd / t_th:5.1f}x slower than townhall")


if __name__ == "__main__":
    main()
