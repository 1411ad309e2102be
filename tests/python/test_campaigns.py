"""townhall.text.campaigns: near-identical answers grouped, against a corpus with known campaign
templates (tests/python/campaign_corpus.py)."""

import numpy as np
import pandas as pd
import pytest

import townhall
from townhall import text
from campaign_corpus import corpus, pairwise_scores, text_scores


def _assigned(frame):
    return frame.attrs["assignments"].fillna(-1).to_numpy(dtype=np.int64)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_precision_and_recall_against_known_templates(seed):
    texts, truth = corpus(20_000, seed=seed)
    found = text.campaigns(pd.Series(texts))
    p, r = pairwise_scores(truth, _assigned(found))
    tp, tr = text_scores(truth, _assigned(found))
    assert p >= 0.95 and r >= 0.95, (p, r)
    assert tp >= 0.95 and tr >= 0.95, (tp, tr)
    # Every template is found as a group of its own.
    majority = {g: np.bincount(truth[_assigned(found) == g] + 1).argmax() - 1
                for g in range(len(found))}
    assert set(truth[truth >= 0]) <= set(majority.values())


def test_the_scores_can_fail():
    # The measures are not vacuous: everything in one group, or nothing grouped, scores badly.
    texts, truth = corpus(2_000, seed=4)
    assert pairwise_scores(truth, np.zeros(len(truth), dtype=np.int64))[0] < 0.5
    assert text_scores(truth, np.full(len(truth), -1))[1] == 0.0
    loose = text.campaigns(pd.Series(texts), threshold=0.02, shingle_words=1)
    assert text_scores(truth, _assigned(loose))[0] < 0.95


def test_minhash_finds_what_comparing_every_pair_finds():
    texts, truth = corpus(2_000, seed=5)
    s = pd.Series(texts)
    exact = text.campaigns(s, method="all-pairs")
    fast = text.campaigns(s)
    p, r = pairwise_scores(_assigned(exact), _assigned(fast))
    assert p >= 0.99 and r >= 0.98
    assert exact.attrs["candidate_pairs"] == 2_000 * 1_999 // 2
    assert fast.attrs["candidate_pairs"] < exact.attrs["candidate_pairs"] / 100


def test_light_edits_case_and_punctuation_are_the_same_campaign():
    base = ("We oppose the closure of Hilltop Library because it is the only quiet place to "
            "study for many children on the estate, and the bus to the town centre is too "
            "expensive for families.")
    variants = [
        base,
        base.upper(),
        base.replace(",", "").replace(".", "!!"),
        base.replace("many children", "many young children"),    # a word inserted
        base.replace("the only quiet", "the quiet"),              # a word deleted
        "  " + base.lower().replace(" ", "   ") + "  ",
        base.replace("Library", "ＬＩＢＲＡＲＹ"),                # fullwidth letters fold too
    ]
    others = ["The park needs more bins.", "Please fix the potholes on Mill Road.", None, "",
              "!!!"]
    s = pd.Series(variants + others, index=[f"r{i}" for i in range(len(variants) + len(others))])
    found = text.campaigns(s)
    assert len(found) == 1
    row = found.iloc[0]
    assert row["size"] == len(variants)
    assert row["members"] == [f"r{i}" for i in range(len(variants))]
    assert row["template"] == base and row["template_response"] == "r0"
    assert row["share"] == pytest.approx(len(variants) / len(s))
    assert 0.5 < row["mean_similarity"] <= 1
    a = found.attrs["assignments"]
    assert list(a.index) == list(s.index)
    assert a.iloc[:len(variants)].eq(0).all() and a.iloc[len(variants):].isna().all()
    # The answers themselves are left as they were.
    assert s.iloc[1] == base.upper()


def test_languages_and_options():
    welsh = "Rydym yn gwrthwynebu cau'r llyfrgell oherwydd ei bod yn bwysig i'r plant."
    s = pd.Series([welsh, welsh.upper(), "Something else entirely here today", welsh + "!"])
    found = text.campaigns(s, lang=pd.Series(["cy", "cy", "en", "cy"]))
    assert found["size"].tolist() == [3]
    assert text.campaigns(s, min_size=4).empty
    with pytest.raises(townhall.InvalidInput) as e:
        text.campaigns(s, threshold=0)
    assert e.value.field == "threshold"
    with pytest.raises(townhall.InvalidInput) as e:
        text.campaigns(s, shingle_words=0)
    assert e.value.field == "shingle_words"
    with pytest.raises(townhall.InvalidInput) as e:
        text.campaigns(s, method="fuzzy")
    assert e.value.field == "method"
    assert text.campaigns(pd.Series([], dtype=object)).empty


def test_help_describes_it():
    doc = text.campaigns.__doc__
    assert "MinHash" in doc and "template" in doc and "assignments" in doc
