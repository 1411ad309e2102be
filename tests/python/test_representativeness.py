"""Representativeness report and plots, against hand-computed values."""

import math

import numpy as np
import pandas as pd
import pytest

import townhall
from townhall import _townhall


def sample():
    # 100 respondents: owned 30, social 10, private 60 (and 5 with no answer).
    return pd.DataFrame({"tenure": ["owned"] * 30 + ["social"] * 10 + ["private"] * 60 + [None] * 5})


TARGETS = {"tenure": {"owned": 0.3, "social": 0.3, "private": 0.4}}


def test_report_by_hand():
    # expected = 100 × target = 30, 30, 40; ratios 1.0, 1/3, 1.5; social is under-represented.
    # dissimilarity = ½(|.3−.3| + |.1−.3| + |.6−.4|) = 0.2
    # chi-square = 0 + (10−30)²/30 + (60−40)²/40 = 13.3333 + 10 = 23.3333 on 2 df;
    # for 2 df the upper tail is exp(−x/2) = exp(−11.6667) = 8.5718e-6.
    r = townhall.representativeness(sample(), TARGETS)
    t = r.loc["tenure"]
    assert t["count"].tolist() == [30, 10, 60]
    assert t["expected"].tolist() == pytest.approx([30, 30, 40])
    assert t["ratio"].tolist() == pytest.approx([1.0, 1 / 3, 1.5])
    assert t["under_represented"].tolist() == [False, True, False]
    s = r.attrs["summary"].loc["tenure"]
    assert s["n"] == 100
    assert s["dissimilarity"] == pytest.approx(0.2)
    assert s["chi_square"] == pytest.approx(70 / 3)
    assert s["degrees_of_freedom"] == 2
    assert s["p_value"] == pytest.approx(math.exp(-35 / 3), rel=1e-9)


def test_weights_change_shares_not_chi_square():
    df = sample()
    w = np.where(df["tenure"] == "social", 3.0, 1.0)
    r = townhall.representativeness(df, TARGETS, weights=w)
    # Weighted: owned 30, social 30, private 60 of 120 (+5 missing rows left out).
    assert r.loc[("tenure", "social"), "sample_share"] == pytest.approx(30 / 120)
    assert r.attrs["summary"].loc["tenure", "chi_square"] == pytest.approx(70 / 3)


def test_small_expected_not_flagged_and_unknown_values():
    df = pd.DataFrame({"x": ["a"] * 99 + ["b"]})
    r = townhall.representativeness(df, {"x": {"a": 0.97, "b": 0.03}})
    # b: ratio 0.01/0.03 = 0.33 but expected 3 < 5 -> not flagged.
    assert not r.loc[("x", "b"), "under_represented"]
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.representativeness(pd.DataFrame({"x": ["a", "zz"]}), {"x": {"a": 1.0}})
    assert e.value.field == "x[1]"


def test_chi_square_tail_known_values():
    assert _townhall.chi_square_upper_tail(3.841458820694124, 1) == pytest.approx(0.05, abs=1e-12)
    assert _townhall.chi_square_upper_tail(11.070497693516351, 5) == pytest.approx(0.05, abs=1e-12)
    assert _townhall.chi_square_upper_tail(0.0, 3) == 1.0


def test_plots_return_figures():
    import matplotlib.figure

    df = sample().dropna()
    rep = townhall.representativeness(df, TARGETS)
    fig = townhall.plot_representativeness(rep, title="Tenure")
    assert isinstance(fig, matplotlib.figure.Figure) and len(fig.axes) == 1
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["owned", "social ▼", "private"]
    df["q1"] = ["yes", "no"] * 50
    fig2 = townhall.plot_answers_by_group(df, "tenure", "q1")
    assert len(fig2.axes) == 1
    import matplotlib.pyplot as plt
    plt.close("all")
