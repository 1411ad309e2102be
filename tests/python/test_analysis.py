"""Raking, tallies and cross-tabulations against values worked by hand."""

import math

import numpy as np
import pandas as pd
import pytest

import townhall

Z95 = 1.959963984540054  # standard normal 97.5% quantile


def small_sample():
    # Five respondents: sex × age counts M-young 2, M-old 1, F-young 1, F-old 1.
    return pd.DataFrame({"sex": ["M", "M", "M", "F", "F"],
                         "age": ["young", "young", "old", "young", "old"]})


TARGETS = {"sex": {"M": 0.5, "F": 0.5}, "age": {"young": 0.5, "old": 0.5}}


def test_raking_first_cycle_by_hand():
    # Total 5, so each margin wants 2.5 per category.
    # Sex step: M rows sum 3 -> factor 2.5/3 = 0.833333; F rows sum 2 -> factor 1.25.
    #   weights: M-young 0.833333 (x2), M-old 0.833333, F-young 1.25, F-old 1.25
    # Age step: young sum 2*0.833333 + 1.25 = 2.916667 -> factor 2.5/2.916667 = 0.857143;
    #           old sum 0.833333 + 1.25 = 2.083333 -> factor 2.5/2.083333 = 1.2.
    #   weights: M-young 0.714286, M-old 1.0, F-young 1.071429, F-old 1.5
    # Sex margin is now M = 2*0.714286 + 1 = 2.428571 (share 0.485714), off by 0.014286.
    with pytest.warns(townhall.RakingNotConverged, match="'sex'"):
        r = townhall.rake(small_sample(), TARGETS, max_iterations=1)
    assert r.iterations == 1 and not r.converged
    np.testing.assert_allclose(r.weights.to_numpy(),
                               [5 / 7, 5 / 7, 1.0, 15 / 14, 1.5], rtol=1e-12)
    assert r.max_margin_error == pytest.approx(0.5 - 17 / 35, abs=1e-12)


def test_raking_converges_to_hand_solution():
    # IPF keeps the sample's odds ratio (2*1)/(1*1) = 2 while meeting the margins. With all
    # margins 2.5 the fitted cell totals are a (M-young), 2.5-a, 2.5-a, a (F-old) with
    # a^2/(2.5-a)^2 = 2  ->  a = 2.5*sqrt2/(1+sqrt2) = 1.4644661.
    # Per respondent: M-young a/2 = 0.7322330 each, M-old 2.5-a = 1.0355339,
    # F-young 1.0355339, F-old a = 1.4644661.
    a = 2.5 * math.sqrt(2) / (1 + math.sqrt(2))
    r = townhall.rake(small_sample(), TARGETS, tolerance=1e-12, max_iterations=1000)
    assert r.converged and r.iterations > 1
    np.testing.assert_allclose(r.weights.to_numpy(), [a / 2, a / 2, 2.5 - a, 2.5 - a, a],
                               rtol=1e-9)
    assert r.weights.sum() == pytest.approx(5.0)
    # Kish: (sum w)^2 / sum w^2 computed from the hand weights.
    w = np.array([a / 2, a / 2, 2.5 - a, 2.5 - a, a])
    assert r.effective_sample_size == pytest.approx(w.sum() ** 2 / (w ** 2).sum(), rel=1e-9)
    assert r.design_effect == pytest.approx(5 / r.effective_sample_size)
    m = r.margins.set_index(["variable", "category"])
    assert m.loc[("sex", "M"), "achieved"] == pytest.approx(0.5, abs=1e-12)
    assert r.weights.index.equals(small_sample().index) and r.weights.name == "weight"


def test_raking_counts_equal_shares_and_total():
    counts = {"sex": {"M": 500, "F": 500}, "age": {"young": 300, "old": 300}}
    r1 = townhall.rake(small_sample(), counts, tolerance=1e-12, max_iterations=1000)
    r2 = townhall.rake(small_sample(), TARGETS, tolerance=1e-12, max_iterations=1000, total=1000)
    np.testing.assert_allclose(r1.weights.to_numpy() * 200, r2.weights.to_numpy(), rtol=1e-9)
    assert r2.weights.sum() == pytest.approx(1000)


def test_raking_long_targets_frame_and_base_weights():
    targets = pd.DataFrame({"variable": ["sex", "sex"], "category": ["M", "F"],
                            "share": [0.25, 0.75]})
    df = small_sample()
    # One margin converges in one step: M rows share 0.25 of total 5 -> 1.25/3 each, with base
    # weights (all 2) the total is 10 -> M rows 2.5/3 each, F rows 3.75 each.
    r = townhall.rake(df, targets, weights=np.full(5, 2.0))
    assert r.converged and r.iterations == 1
    np.testing.assert_allclose(r.weights.to_numpy(), [2.5 / 3] * 3 + [3.75] * 2)


def test_raking_trimming_keeps_bounds():
    rng = np.random.default_rng(7)
    n = 2000
    df = pd.DataFrame({"x": rng.choice(["a", "b", "c"], n, p=[0.8, 0.15, 0.05]),
                       "y": rng.choice(["p", "q"], n, p=[0.9, 0.1])})
    t = {"x": {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, "y": {"p": 0.5, "q": 0.5}}
    free = townhall.rake(df, t)
    assert free.converged and free.weight_max > 3
    with pytest.warns(townhall.RakingNotConverged):
        trimmed = townhall.rake(df, t, trim=(0.5, 3.0))
    mean = trimmed.weights.mean()
    assert mean == pytest.approx(1.0)  # the total (n) is kept while trimming
    assert trimmed.weights.max() <= 3.0 * mean * (1 + 1e-9)
    assert trimmed.weights.min() >= 0.5 * mean * (1 - 1e-9)
    assert trimmed.trimmed > 0
    assert not trimmed.converged and trimmed.max_margin_error > 1e-3
    assert trimmed.effective_sample_size > free.effective_sample_size


def test_raking_errors():
    df = small_sample()
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.rake(df, {"sex": {"M": 0.5}})  # F rows have no target
    assert e.value.field == "sex[3]" and "'F' has no target" in str(e.value)
    with pytest.raises(townhall.Infeasible) as e:
        townhall.rake(df, {"sex": {"M": 0.4, "F": 0.4, "X": 0.2}})
    assert e.value.field == "sex/'X'"
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.rake(df, {"tenure": {"owned": 1.0}})
    assert e.value.field == "tenure"
    with pytest.raises(townhall.InvalidInput):
        townhall.rake(df, {"sex": {"M": -1, "F": 2}})
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.rake(df, TARGETS, trim=(2.0, None))
    assert e.value.field == "trim_min"


def test_tally_weighted_wilson_interval_by_hand():
    # answers yes, no, yes, no with weights 3, 1, 1, 1:
    #   sum w = 6, sum w^2 = 12, n_eff = 36/12 = 3, p(yes) = 4/6 = 2/3.
    # Wilson with n = n_eff = 3, z = 1.959964: z^2/n = 1.280486, denominator 2.280486,
    #   centre = (0.666667 + 3.841459/6) / 2.280486 = 1.306910 / 2.280486 = 0.573084,
    #   half = (1.959964/2.280486) * sqrt(0.074074 + 3.841459/36)
    #        = 0.859452 * sqrt(0.180781) = 0.859452 * 0.425184 = 0.365425
    #   -> [0.207660, 0.938509].
    answers = pd.Series(["yes", "no", "yes", "no"], dtype=pd.CategoricalDtype(["yes", "no"]))
    t = townhall.tally(answers, [3, 1, 1, 1])
    assert list(t.index) == ["yes", "no"]
    assert t.attrs["effective_n"] == pytest.approx(3.0)
    assert t.attrs["z"] == pytest.approx(Z95, abs=1e-12)
    assert t.loc["yes", "count"] == 2 and t.loc["yes", "weighted"] == 4
    assert t.loc["yes", "share"] == pytest.approx(2 / 3)
    assert t.loc["yes", "ci_low"] == pytest.approx(0.207660, abs=2e-6)
    assert t.loc["yes", "ci_high"] == pytest.approx(0.938509, abs=2e-6)
    # Normal interval: 2/3 ± 1.959964 * sqrt(0.074074) = 0.666667 ± 1.959964 * 0.272166
    #   = 0.666667 ± 0.533435 -> [0.133232, 1 (capped from 1.2001)].
    tn = townhall.tally(answers, [3, 1, 1, 1], method="normal")
    assert tn.loc["yes", "ci_low"] == pytest.approx(0.133232, abs=2e-6)
    assert tn.loc["yes", "ci_high"] == 1.0


def test_tally_missing_unweighted_and_confidence():
    answers = pd.Series(["a", None, "b", "a", "a"])
    t = townhall.tally(answers, confidence=0.9)
    assert t.attrs["n"] == 4 and t.attrs["effective_n"] == pytest.approx(4)
    assert t.loc["a", "share"] == pytest.approx(0.75)
    assert t.attrs["z"] == pytest.approx(1.6448536269514722, abs=1e-12)
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.tally(answers, confidence=1.5)
    assert e.value.field == "confidence"
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.tally(answers, method="bayes")
    assert e.value.field == "method"


def test_crosstab_group_intervals_and_suppression():
    # Group A: answers yes(w=2), yes(w=2), no(w=1), no(w=1), no(w=1), yes(w=2)
    #   sum w = 9, sum w^2 = 15, n_eff = 81/15 = 5.4, share yes = 6/9.
    # Group B: yes, no (weights 1, 1): counts 1 and 1, suppressed when suppress_below=3.
    df = pd.DataFrame({"ward": ["A"] * 6 + ["B"] * 2,
                       "answer": ["yes", "yes", "no", "no", "no", "yes", "yes", "no"],
                       "w": [2, 2, 1, 1, 1, 2, 1, 1]})
    ct = townhall.crosstab(df, "ward", "answer", weights="w")
    a_yes = ct.loc[("A", "yes")]
    p, n = 6 / 9, 81 / 15
    z2 = Z95 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    assert a_yes["group_effective_n"] == pytest.approx(5.4)
    assert a_yes["share"] == pytest.approx(p)
    assert a_yes["ci_low"] == pytest.approx(centre - half, abs=1e-12)
    assert a_yes["ci_high"] == pytest.approx(centre + half, abs=1e-12)
    assert a_yes["count"] == 3 and not a_yes["suppressed"]
    assert ct["share"].unstack().shape == (2, 2)
    # B's two 1s are suppressed; being 1 + 1 = 2 they would be known from B's total, so that is
    # suppressed as well (tests/python/test_suppression.py covers the secondary suppression).
    ct = townhall.crosstab(df, "ward", "answer", weights="w", suppress_below=3)
    b_yes = ct.loc[("B", "yes")]
    assert b_yes["suppressed"] and pd.isna(b_yes["count"]) and math.isnan(b_yes["share"])
    assert ct.loc[("B", "no"), "suppressed"] and pd.isna(b_yes["group_n"])


def test_kish():
    assert townhall.kish_effective_sample_size([3, 1, 1, 1]) == pytest.approx(3.0)
    assert townhall.kish_effective_sample_size(np.ones(10)) == pytest.approx(10.0)


def test_rake_large_frame_from_categoricals():
    rng = np.random.default_rng(1)
    n = 100_000
    df = pd.DataFrame({
        "tenure": pd.Categorical(rng.choice(["owned", "social", "private"], n, p=[.5, .2, .3])),
        "age": pd.Categorical(rng.choice(["16-34", "35-64", "65+"], n, p=[.2, .5, .3]))})
    t = {"tenure": {"owned": .32, "social": .28, "private": .40},
         "age": {"16-34": .35, "35-64": .45, "65+": .20}}
    r = townhall.rake(df, t)
    assert r.converged
    tab = townhall.tally(df["tenure"], r.weights)
    assert tab.loc["social", "share"] == pytest.approx(0.28, abs=1e-6)


def test_raking_releases_the_gil():
    # While the core rakes in a worker thread, the main thread keeps running Python. If the GIL
    # were held, the main thread would stall for the whole C++ call (one gap ≈ its duration).
    import threading
    import time
    from townhall import _townhall

    rng = np.random.default_rng(5)
    n = 300_000
    margins = [(f"v{k}", rng.integers(0, 4, n).astype(np.int32), [0.1, 0.2, 0.3, 0.4],
                ["a", "b", "c", "d"]) for k in range(4)]
    done = {}

    def work():
        t0 = time.perf_counter()
        done["result"] = _townhall._rake(margins, n, None, 30, 1e-300)
        done["span"] = (t0, time.perf_counter())

    th = threading.Thread(target=work)
    ticks = []
    th.start()
    while th.is_alive():
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    th.join()
    t0, t1 = done["span"]
    inside = [t for t in ticks if t0 <= t <= t1]
    gaps = np.diff([t0] + inside + [t1])
    assert done["result"]["iterations"] == 30
    assert t1 - t0 > 0.05, "the call was too quick to tell"
    assert gaps.max() < 0.5 * (t1 - t0)


def _hard_to_rake():
    # 98 owners, 2 renters; the target wants 30% renters, which needs renter weights ~20x the
    # mean: trimming at 5x cannot get there.
    df = pd.DataFrame({"tenure": ["own"] * 98 + ["rent"] * 2,
                       "age": (["young", "old"] * 50)})
    targets = {"tenure": {"own": 0.7, "rent": 0.3}, "age": {"young": 0.5, "old": 0.5}}
    return df, targets


def test_raking_that_does_not_converge_warns_naming_the_margin_and_the_gap():
    df, targets = _hard_to_rake()
    with pytest.warns(townhall.RakingNotConverged) as record:
        fit = townhall.rake(df, targets, trim=(0.2, 5))
    assert not fit.converged
    w = record[0].message
    assert isinstance(w, RuntimeWarning)
    assert w.margin == "tenure" and w.unmet == ["tenure"]
    achieved = fit.margins.set_index(["variable", "category"]).loc[("tenure", w.category)]
    assert w.relative_gap == pytest.approx(abs(achieved["achieved"] - achieved["target"])
                                           / achieved["target"])
    assert w.relative_gap > 0.1
    text = str(w)
    assert "'tenure'" in text and f"{w.relative_gap:.0%}" in text and "did not converge" in text
    assert record[0].filename == __file__  # points at the caller's line, not the library


def test_raking_that_converges_does_not_warn():
    df, targets = _hard_to_rake()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = townhall.rake(df, targets)  # no trimming: reachable
    assert fit.converged
