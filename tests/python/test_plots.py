"""plot_answers_by_group and plot_representativeness, read back from the matplotlib figure.

The expected option order, group sizes and weighted n come from the consultation document and the
responses built here, not from the plotting code.
"""

import re

import numpy as np
import pandas as pd
import pytest

import townhall

matplotlib = pytest.importorskip("matplotlib")
import matplotlib.pyplot as plt  # noqa: E402

# The consultation's own order, deliberately not alphabetical.
TENURES = ["Social rented", "Owned", "Private rented", "Shared ownership"]
QUESTIONS = [
    {"id": "tenure", "type": "single_choice", "text": "Do you own or rent your home?",
     "options": TENURES},
    {"id": "support", "type": "scale", "text": "How far do you support the proposal?",
     "min": 1, "max": 5},
    {"id": "days", "type": "scale", "text": "How many days a week do you visit?",
     "min": 1, "max": 4},
    {"id": "travel", "type": "single_choice", "text": "How do you get there?",
     "options": ["Walk", "Bus", "Car"]},
]
# Respondents per tenure; "Shared ownership" is below the threshold of 10.
SIZES = {"Social rented": 90, "Owned": 120, "Private rented": 85, "Shared ownership": 5}
THRESHOLD = 10


def build():
    responses, weights = [], []
    for tenure, n in SIZES.items():
        for i in range(n):
            support = 1 + (i * 7 + len(tenure)) % 5
            if tenure == "Private rented" and support == 1 and i > 20:
                support = 2  # leaves 3 "1"s in this group: a cell below the threshold
            responses.append({"answers": {"tenure": tenure, "support": support,
                                          "days": 1 + i % 4, "travel": ["Walk", "Bus", "Car"][i % 3]},
                              "channel": "online"})
            weights.append(1.5 if i % 2 else 0.5)
    df = townhall.responses_frame(QUESTIONS, responses)
    return df, np.array(weights)


def bar_patches(ax):
    return [p for p in ax.patches if p.get_gid() != "suppressed"]


def test_answers_keep_the_question_order_and_groups_theirs():
    df, w = build()
    fig = townhall.plot_answers_by_group(df, "tenure", "support", w, suppress_below=THRESHOLD)
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:5] == ["1", "2", "3", "4", "5"]
    groups = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert groups == TENURES and groups != sorted(TENURES)
    travel = townhall.plot_answers_by_group(df, "tenure", "travel").axes[0]
    assert [t.get_text() for t in travel.get_legend().get_texts()] == ["Walk", "Bus", "Car"]
    # Plain text columns, with the questions in attrs as a townhall frame carries them.
    plain = pd.DataFrame({"tenure": df["tenure"].astype(str), "travel": df["travel"].astype(str)})
    plain.attrs["questions"] = {q["id"]: q for q in QUESTIONS}
    ax = townhall.plot_answers_by_group(plain, "tenure", "travel").axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Walk", "Bus", "Car"]
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == TENURES
    plt.close("all")


def colormap_index(name, rgba):
    lut = matplotlib.colormaps[name](np.linspace(0, 1, 256))
    d = np.abs(lut - np.asarray(rgba)).sum(axis=1)
    assert d.min() < 1e-9, f"{rgba} is not a colour of {name}"
    return int(d.argmin())


def answer_colour(ax, label):
    handles, labels = ax.get_legend_handles_labels()
    return handles[labels.index(label)].patches[0].get_facecolor()


def test_a_likert_scale_diverges_from_its_midpoint_and_others_are_sequential():
    df, w = build()
    ax = townhall.plot_answers_by_group(df, "tenure", "support", w).axes[0]
    at = [colormap_index("RdBu", answer_colour(ax, str(k))) for k in range(1, 6)]
    assert at == sorted(at) and len(set(at)) == 5
    assert at[2] in (127, 128)  # "3", the middle of the scale, is the colormap's centre
    assert at[1] - at[0] == at[4] - at[3]  # symmetric about it
    four = townhall.plot_answers_by_group(df, "tenure", "days").axes[0]
    at4 = [colormap_index("cividis", answer_colour(four, str(k))) for k in range(1, 5)]
    assert at4 == sorted(at4) and len(set(at4)) == 4
    # Unordered answers: colour-blind-safe Okabe–Ito colours, all different.
    travel = townhall.plot_answers_by_group(df, "tenure", "travel").axes[0]
    okabe_ito = {matplotlib.colors.to_hex(c) for c in
                 ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                  "#000000"]}
    got = {matplotlib.colors.to_hex(answer_colour(travel, a)) for a in ["Walk", "Bus", "Car"]}
    assert len(got) == 3 and got <= okabe_ito
    plt.close("all")


def test_suppressed_groups_say_fewer_than_n_and_show_no_figures():
    df, w = build()
    fig = townhall.plot_answers_by_group(df, "tenure", "support", w, suppress_below=THRESHOLD)
    ax = fig.axes[0]
    # Shared ownership (5 respondents) is hidden, and with the answer totals shown so must be one
    # more group total: both are marked alike, so the small one cannot be told apart.
    ct = townhall.crosstab(df, "tenure", "support", w, suppress_below=THRESHOLD)
    hidden_groups = [g for g in TENURES if pd.isna(ct.loc[g, "group_n"].iloc[0])]
    assert "Shared ownership" in hidden_groups and len(hidden_groups) >= 2
    marks = {TENURES[round(t.get_position()[1])]: t.get_text() for t in ax.texts}
    assert set(marks) == set(hidden_groups)
    assert set(marks.values()) == {f"suppressed: fewer than {THRESHOLD} or would reveal one"}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    for g in hidden_groups:
        row = TENURES.index(g)
        assert labels[row] == g  # no n for a hidden group
        assert all(p.get_width() == 0 for p in ax.patches
                   if abs(p.get_y() + p.get_height() / 2 - row) < 1e-9)
    # Groups whose totals are shown but below the threshold say just that. Two small groups whose
    # hidden cells form a rectangle protect each other, so their totals (4 and 6) stay shown.
    rows = ([("Shared ownership", a) for a in (1, 1, 2, 2)]
            + [("Private rented", a) for a in (1, 1, 1, 2, 2, 2)]
            + [("Owned", 1 + i % 5) for i in range(50)] + [("Social rented", 1 + i % 5) for i in range(50)])
    few = townhall.responses_frame(QUESTIONS[:2], [
        {"answers": {"tenure": t, "support": a}, "channel": "online"} for t, a in rows])
    ct2 = townhall.crosstab(few, "tenure", "support", suppress_below=THRESHOLD)
    assert [ct2.loc[g, "group_n"].iloc[0] for g in ["Shared ownership", "Private rented"]] == [4, 6]
    ax2 = townhall.plot_answers_by_group(few, "tenure", "support", suppress_below=THRESHOLD).axes[0]
    marks2 = {TENURES[round(t.get_position()[1])]: t.get_text() for t in ax2.texts}
    assert marks2 == {"Shared ownership": f"fewer than {THRESHOLD}",
                      "Private rented": f"fewer than {THRESHOLD}"}
    # Cells hidden inside a shown group are one hatched grey segment, and the legend says why.
    sr = TENURES.index("Social rented")
    hidden = [p for p in ax.patches if p.get_gid() == "suppressed"
              and abs(p.get_y() + p.get_height() / 2 - sr) < 1e-9]
    assert len(hidden) == 1 and hidden[0].get_width() > 0 and hidden[0].get_hatch() == "//"
    segments = [p for p in bar_patches(ax) if abs(p.get_y() + p.get_height() / 2 - sr) < 1e-9]
    drawn = [p.get_width() > 0 for p in segments]
    assert drawn == [not h for h in ct.loc["Social rented", "suppressed"]]
    assert hidden[0].get_width() == pytest.approx(1 - sum(p.get_width() for p in segments))
    assert any(f"fewer than {THRESHOLD}" in t.get_text() for t in ax.get_legend().get_texts())
    plt.close("all")


def number_after(label, text):
    m = re.search(re.escape(label) + r" = ([\d,]+(?:\.\d)?)", text)
    assert m, f"no '{label} = …' in {text!r}"
    return float(m.group(1).replace(",", ""))


def test_title_axis_labels_and_weighted_n():
    df, w = build()
    fig = townhall.plot_answers_by_group(df, "tenure", "support", w, suppress_below=THRESHOLD)
    ax = fig.axes[0]
    assert fig._suptitle.get_text() == "How far do you support the proposal?"
    assert "weighted" in ax.get_xlabel() and ax.get_ylabel() == "Do you own or rent your home?"
    assert number_after("weighted n", ax.get_title(loc="left")) == pytest.approx(w.sum(), abs=0.05)
    per_group = pd.Series(w).groupby(df["tenure"].astype(str).to_numpy()).sum()
    ct = townhall.crosstab(df, "tenure", "support", w, suppress_below=THRESHOLD)
    shown = [g for g in TENURES if not pd.isna(ct.loc[g, "group_n"].iloc[0])]
    assert len(shown) >= 2
    for label in ax.get_yticklabels():
        name, _, rest = label.get_text().partition("\n")
        if name in shown:
            assert number_after("n", rest) == pytest.approx(per_group[name], abs=0.05)
        else:
            assert rest == ""
    custom = townhall.plot_answers_by_group(df, "tenure", "support", title="Support by tenure")
    assert custom._suptitle.get_text() == "Support by tenure"
    assert number_after("n", custom.axes[0].get_title(loc="left")) == len(df)
    assert "unweighted" in custom.axes[0].get_xlabel()
    plt.close("all")


def test_bars_are_the_crosstab_shares():
    df, w = build()
    ax = townhall.plot_answers_by_group(df, "tenure", "support", w).axes[0]
    row = TENURES.index("Owned")
    owned = df["tenure"] == "Owned"
    want = pd.Series(w[owned.to_numpy()]).groupby(df.loc[owned, "support"].astype(int).to_numpy()).sum()
    want = want / want.sum()
    got = [p.get_width() for p in bar_patches(ax) if abs(p.get_y() + p.get_height() / 2 - row) < 1e-9]
    assert got == pytest.approx([want.get(k, 0.0) for k in range(1, 6)])
    plt.close("all")


def test_representativeness_plot_has_title_axes_and_n():
    df, _ = build()
    targets = {"tenure": {t: 0.25 for t in TENURES}}
    rep = townhall.representativeness(df, targets)
    fig = townhall.plot_representativeness(rep)
    ax = fig.axes[0]
    assert fig._suptitle.get_text()
    assert ax.get_xlabel() and ax.get_ylabel() == "tenure"
    assert number_after("n", ax.get_title(loc="left")) == sum(SIZES.values())
    plt.close("all")


def test_a_bad_scale_is_refused_by_name():
    df, _ = build()
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.plot_answers_by_group(df, "tenure", "support", scale="rainbow")
    assert e.value.field == "scale"
