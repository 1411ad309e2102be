"""Free text: words, sentences, term frequencies, KWIC and codebook tagging, worked by hand in
English, Welsh and Arabic."""

import pandas as pd
import pytest

import townhall
from townhall import text

EN = pd.Series(["The bus is late. The BUS is always late!", "More buses, please.", None,
                "Face-to-face meetings on the bus"], index=[10, 11, 12, 13])


def test_words_and_sentences():
    w = text.words(EN)
    first = w[w["response"] == 10]
    assert first["word"].tolist() == ["The", "bus", "is", "late", "The", "BUS", "is", "always",
                                      "late"]
    assert first["term"].tolist() == ["the", "bus", "is", "late", "the", "bus", "is", "always",
                                      "late"]
    assert first["position"].tolist() == list(range(9))
    # A hyphenated compound is one word; the missing text has none.
    assert w[w["response"] == 13]["word"].tolist() == ["Face-to-face", "meetings", "on", "the", "bus"]
    assert 12 not in set(w["response"])
    s = text.sentences(EN)
    assert s["response"].tolist() == [10, 10, 11, 13]
    assert s["sentence"].tolist() == ["The bus is late.", "The BUS is always late!",
                                      "More buses, please.", "Face-to-face meetings on the bus"]


def test_term_frequencies_by_hand():
    t = text.term_frequencies(EN)
    # the ×3 (twice in 10, once in 13), bus ×3, is ×2, late ×2, then the ones, by term.
    assert t["term"].tolist() == ["bus", "the", "is", "late", "always", "buses", "face-to-face",
                                  "meetings", "more", "on", "please"]
    assert t["count"].tolist() == [3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert t["responses"].tolist() == [2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    assert t["share"].iloc[0] == pytest.approx(2 / 3)  # 3 texts given, 2 mention "bus"
    s = text.term_frequencies(EN, stop_words=True)
    assert s["term"].tolist() == ["bus", "late", "always", "buses", "face-to-face", "meetings",
                                  "please"]
    e = text.term_frequencies(EN, stop_words=True, extra_stop_words=["PLEASE"], min_letters=5)
    assert e["term"].tolist() == ["always", "buses", "face-to-face", "meetings"]
    assert text.term_frequencies(EN, top=2)["term"].tolist() == ["bus", "the"]


def test_keyword_in_context():
    k = text.keyword_in_context(EN, "bus", context=2)
    assert k["response"].tolist() == [10, 10, 13]
    assert k["left"].tolist() == ["The", "late. The", "on the"]
    assert k["match"].tolist() == ["bus", "BUS", "bus"]
    assert k["right"].tolist() == ["is late", "is always", ""]
    assert k["offset"].tolist() == [4, 21, 29]
    p = text.keyword_in_context(EN, "bus*", context=1)
    assert p["match"].tolist() == ["bus", "BUS", "buses", "bus"]
    assert p.loc[2, "left"] == "More" and p.loc[2, "right"] == ", please"
    phrase = text.keyword_in_context(EN, "ALWAYS  late", context=0)
    assert phrase["match"].tolist() == ["always late"] and phrase["left"].tolist() == [""]
    with pytest.raises(townhall.InvalidInput):
        text.keyword_in_context(EN, "...")


def test_codebook_tagging():
    book = {"transport": ["bus*", "train"], "meetings": ["face-to-face", "public meeting"],
            "reliability": ["always late"], "zebras": ["zebra"]}
    tags = text.tag_themes(EN, book)
    assert list(tags.columns) == list(book) and list(tags.index) == [10, 11, 12, 13]
    assert tags["transport"].tolist() == [True, True, False, True]
    assert tags["meetings"].tolist() == [False, False, False, True]
    assert tags["reliability"].tolist() == [True, False, False, False]
    assert not tags["zebras"].any()
    assert tags.sum(axis=1).tolist() == [2, 1, 0, 2]  # several themes per response
    m = tags.attrs["matches"]
    assert m[m["theme"] == "transport"]["matched"].tolist() == ["bus", "BUS", "buses", "bus"]
    assert m[m["theme"] == "reliability"]["keyword"].tolist() == ["always late"]
    with pytest.raises(townhall.InvalidInput):
        text.tag_themes(EN, {"empty": []})


def test_welsh():
    cy = pd.Series(["Mae'r bws yn hwyr. Mae'r BWS bob amser yn hwyr!", "Dim bws heddiw"])
    # "Mae'r" is one word (the apostrophe joins letters); "yn" is a Welsh stop word.
    t = text.term_frequencies(cy, lang="cy", stop_words=True)
    assert t["term"].tolist() == ["bws", "hwyr", "mae'r", "amser", "bob", "dim", "heddiw"]
    assert t["count"].tolist() == [3, 2, 2, 1, 1, 1, 1]
    assert text.sentences(cy, lang="cy")["sentence"].tolist() == [
        "Mae'r bws yn hwyr.", "Mae'r BWS bob amser yn hwyr!", "Dim bws heddiw"]
    assert text.fold("DŴR") == "dŵr"
    tags = text.tag_themes(cy, {"trafnidiaeth": ["bws"], "amser": ["bob amser"]}, lang="cy")
    assert tags["trafnidiaeth"].tolist() == [True, True]
    assert tags["amser"].tolist() == [True, False]


def test_arabic():
    presentation = "\ufe8d\ufedf\ufea4\ufe8e\ufed3\ufee0\ufe94"  # الحافلة in presentation forms
    ar = pd.Series(["الحافلة متأخرة", "الحافلة في المحطة", presentation])
    t = text.term_frequencies(ar, lang="ar")
    # NFKC folds the presentation forms to the letters: الحافلة three times.
    assert t["term"].tolist()[0] == "الحافلة" and t["count"].tolist()[0] == 3
    assert t["responses"].tolist()[0] == 3
    s = text.term_frequencies(ar, lang="ar", stop_words=True)
    assert s["term"].tolist() == ["الحافلة", "المحطة", "متأخرة"]  # في is a stop word
    k = text.keyword_in_context(ar, "الحافلة", lang="ar", context=1)
    assert k["response"].tolist() == [0, 1, 2]
    assert k["right"].tolist() == ["متأخرة", "في", ""]
    assert k["match"].tolist()[2] == presentation  # shown as written
    tags = text.tag_themes(ar, {"نقل": ["الحافلة"], "محطة": ["المحطة"]}, lang="ar")
    assert tags["نقل"].tolist() == [True, True, True]
    assert tags["محطة"].tolist() == [False, True, False]


def test_language_per_response():
    texts = pd.Series(["the bus yn", "the bws yn"])
    langs = pd.Series(["en", "cy"])
    # English stop words leave "yn"; Welsh ones leave "the".
    t = text.term_frequencies(texts, lang=langs, stop_words=True)
    assert t["term"].tolist() == ["bus", "bws", "the", "yn"]
    assert t["count"].tolist() == [1, 1, 1, 1]
    w = text.words(texts, lang=langs)
    assert w["response"].tolist() == [0, 0, 0, 1, 1, 1]


def test_stop_word_lists():
    assert "the" in text.stop_words("en-GB") and "yn" in text.stop_words("cy")
    assert "في" in text.stop_words("ar") and text.stop_words("pl") == []
