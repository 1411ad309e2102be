"""Free text in any language: words, sentences, term frequencies, keyword in context and codebook
tagging (townhall/analysis/free_text.h, ICU segmentation and NFKC_Casefold in C++).

Every function takes a pandas Series of text (missing values have no words) and a language: a
BCP 47 tag, or a Series of tags aligned with the texts (e.g. a responses frame's ``language``
column) so each response is segmented by the rules of the language it was written in. Results
refer to responses by the Series' index labels.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

from . import _townhall

__all__ = ["words", "sentences", "term_frequencies", "keyword_in_context", "tag_themes",
           "campaigns", "fold", "stop_words"]


def fold(text: str) -> str:
    """The NFKC_Casefold form of a text: how terms and keywords are compared."""
    return _townhall.fold_term(text)


def stop_words(lang: str) -> list[str]:
    """Built-in stop words (folded) for English (en), Welsh (cy) and Arabic (ar); [] otherwise."""
    return _townhall.stop_words(lang)


def _texts(series: pd.Series | Iterable[str | None]) -> pd.Series:
    s = series if isinstance(series, pd.Series) else pd.Series(list(series))
    return s


def _groups(texts: pd.Series, lang: str | pd.Series):
    """(language, positions) pairs: one per language present (positions into texts)."""
    if isinstance(lang, str):
        return [(lang, np.arange(len(texts)))]
    if isinstance(lang, pd.Series) and lang.index.equals(texts.index):
        tags = lang.astype(object)
    elif isinstance(lang, pd.Series) and texts.index.is_unique and lang.index.is_unique:
        tags = lang.reindex(texts.index).astype(object)
    else:
        tags = pd.Series(list(lang), index=texts.index, dtype=object)
    tags = tags.where(tags.notna(), "und")
    out = []
    for tag, idx in pd.Series(np.arange(len(texts))).groupby(tags.to_numpy()).groups.items():
        out.append((str(tag), np.asarray(sorted(idx))))
    return out


def _groups_tags(texts: pd.Series, lang: pd.Series) -> list[str]:
    """Per-text language tags (lang aligned with texts as _groups does)."""
    tags = ["und"] * len(texts)
    for tag, positions in _groups(texts, lang):
        for p in positions:
            tags[p] = tag
    return tags


def _values(texts: pd.Series, positions: np.ndarray) -> list[str | None]:
    vals = texts.iloc[positions]
    return [None if (v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))) else str(v)
            for v in vals.tolist()]


def _run(texts: pd.Series, lang: str | pd.Series, call) -> pd.DataFrame:
    """Calls call(list_of_texts, tag) per language group; maps rows back to index labels."""
    frames = []
    for tag, positions in _groups(texts, lang):
        d = call(_values(texts, positions), tag)
        rows = positions[np.asarray(d.pop("row"), dtype=np.int64)] if len(positions) else \
            np.asarray(d.pop("row"), dtype=np.int64)
        f = pd.DataFrame({k: (np.asarray(v) if not isinstance(v, list) else v)
                          for k, v in d.items()})
        f.insert(0, "_pos", rows)
        frames.append(f)
    f = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({"_pos": []})
    sort = ["_pos"] + [c for c in ("position", "offset") if c in f.columns]
    f = f.sort_values(sort, kind="stable").reset_index(drop=True)
    f.insert(0, "response", texts.index.to_numpy()[f.pop("_pos").to_numpy(dtype=np.int64)])
    return f


def words(texts: pd.Series, lang: str | pd.Series = "en-GB") -> pd.DataFrame:
    """Every word of every text: response (index label), position (from 0), word (as written)
    and term (folded). Punctuation and spaces are not words; "face-to-face" is one."""
    t = _texts(texts)
    f = _run(t, lang, lambda v, tag: _townhall._words(v, tag))
    for c in ("word", "term"):
        f[c] = f[c].astype("string") if len(f) else pd.Series([], dtype="string")
    return f


def sentences(texts: pd.Series, lang: str | pd.Series = "en-GB") -> pd.DataFrame:
    """Every sentence (with at least one word) of every text: response, position, sentence."""
    t = _texts(texts)
    f = _run(t, lang, lambda v, tag: _townhall._sentences(v, tag))
    f["sentence"] = f["sentence"].astype("string") if len(f) else pd.Series([], dtype="string")
    return f


def term_frequencies(texts: pd.Series, lang: str | pd.Series = "en-GB",
                     stop_words: bool = False, extra_stop_words: Iterable[str] = (),
                     min_letters: int = 1, top: int | None = None) -> pd.DataFrame:
    """Terms (folded words) by how often they occur: term, count (occurrences), responses
    (texts containing the term) and share (responses / non-missing texts). Sorted by count
    (descending), then term.

    ``stop_words=True`` drops the built-in list of each text's language (en, cy, ar);
    ``extra_stop_words`` drops those words (folded) too, in any language. ``min_letters`` drops
    shorter words (in characters); ``top`` keeps the first n rows.
    """
    t = _texts(texts)
    builtin = bool(stop_words)
    extra = [str(w) for w in extra_stop_words]
    parts = []
    for tag, positions in _groups(t, lang):
        d = _townhall._term_frequencies(_values(t, positions), tag, builtin, extra, min_letters)
        parts.append(pd.DataFrame({"term": d["term"], "count": np.asarray(d["count"]),
                                   "responses": np.asarray(d["responses"])}))
    f = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        {"term": [], "count": [], "responses": []})
    if len(parts) > 1:  # the same term in several languages: one row
        f = f.groupby("term", as_index=False, sort=False)[["count", "responses"]].sum()
    f = f.astype({"count": "int64", "responses": "int64"})
    f = f.sort_values(["count", "term"], ascending=[False, True], kind="stable")
    answered = int(t.notna().sum())
    f["share"] = f["responses"] / answered if answered else np.nan
    f["term"] = f["term"].astype("string")
    f = f.reset_index(drop=True)
    return f.head(top) if top is not None else f


def keyword_in_context(texts: pd.Series, keyword: str, lang: str | pd.Series = "en-GB",
                       context: int = 5) -> pd.DataFrame:
    """Keyword in context (KWIC): every occurrence of a word or phrase (folded, so any case;
    a trailing ``*`` matches word starts) with up to ``context`` words either side as written.
    Columns: response, offset (byte offset of the match in its text), left, match, right."""
    if context < 0:
        from .errors import InvalidInput
        raise InvalidInput("context must not be negative", code="invalid-argument",
                           field="context")
    t = _texts(texts)
    f = _run(t, lang, lambda v, tag: _townhall._keyword_in_context(v, keyword, tag, context))
    for c in ("left", "match", "right"):
        f[c] = f[c].astype("string") if len(f) else pd.Series([], dtype="string")
    return f


def tag_themes(texts: pd.Series, codebook: Mapping[str, Iterable[str]],
               lang: str | pd.Series = "en-GB") -> pd.DataFrame:
    """Applies an analyst's codebook (theme → keywords or phrases) to each text.

    Returns a DataFrame indexed like ``texts`` with one boolean column per theme (in codebook
    order): True where any of the theme's keywords occurs; a text may have several themes, and a
    missing text has none. Matching folds case and compatibility forms (NFKC_Casefold), phrases
    match consecutive words, and a trailing ``*`` matches word starts ("bus*" → "buses").
    ``attrs["matches"]`` lists every match: response, theme, keyword, matched (as written).
    """
    t = _texts(texts)
    names = list(codebook)
    book = [(str(n), [str(k) for k in codebook[n]]) for n in names]
    # Positions rather than labels, so a repeated index label is no trouble.
    if isinstance(lang, pd.Series):
        lang = pd.Series(list(_groups_tags(t, lang)))
    f = _run(t.reset_index(drop=True), lang, lambda v, tag: _townhall._tag_themes(v, book, tag))
    values = np.zeros((len(t), len(names)), dtype=bool)
    if len(f):
        values[f["response"].to_numpy(dtype=np.int64), f["theme"].to_numpy(dtype=np.int64)] = True
    out = pd.DataFrame(values, index=t.index, columns=names)
    matches = pd.DataFrame({
        "response": t.index.to_numpy()[f["response"].to_numpy(dtype=np.int64)] if len(f) else [],
        "theme": [names[i] for i in f["theme"]] if len(f) else [],
        "keyword": [book[th][1][k] for th, k in zip(f["theme"], f["keyword"])] if len(f) else [],
        "matched": f["matched"].astype("string") if len(f) else pd.Series([], dtype="string"),
    })
    out.attrs["matches"] = matches
    return out


def campaigns(texts: pd.Series | Iterable[str | None], lang: str | pd.Series = "und", *,
              threshold: float = 0.5, shingle_words: int = 3, min_size: int = 2,
              bands: int = 24, rows: int = 3, method: str = "minhash",
              threads: int | None = None) -> pd.DataFrame:
    """Groups of near-identical answers, as organised campaigns produce (townhall/analysis/
    campaigns.h, in C++).

    Texts are folded (NFKC_Casefold) and split into words by ICU for their language, so case,
    punctuation and spacing do not matter. Two answers are near-duplicates when the Jaccard
    similarity of their sets of ``shingle_words``-word runs is at least ``threshold``; MinHash
    with ``bands`` x ``rows`` locality-sensitive hashing finds the candidate pairs, each checked
    exactly, and a group is a chain of near-duplicate pairs. ``method="all-pairs"`` checks every
    pair instead (slow; for comparison). Nothing is removed or merged: the answers stay as they
    are, and an analyst decides how to count and report the campaign.

    Returns one row per group of at least ``min_size`` answers, largest first, indexed by
    ``campaign`` (0, 1, ...): size, share (of all texts), template (the group's most common
    text, or its most typical when all differ), template_response (its index label),
    mean_similarity (of members to the template) and members (index labels).
    ``attrs["assignments"]`` is a Series aligned with ``texts``: each answer's campaign, <NA>
    for none. ``attrs`` also holds distinct_texts and candidate_pairs (work done).
    """
    s = _texts(texts)
    if isinstance(lang, str):
        langs = [lang]
    else:
        langs = _groups_tags(s, lang)
    d = _townhall._campaigns(_values(s, np.arange(len(s))), langs, int(shingle_words),
                             float(threshold), int(bands), int(rows), int(min_size),
                             0 if threads is None else int(threads), method)
    labels = s.index
    offsets = np.asarray(d["member_offsets"], dtype=np.int64)
    members = np.asarray(d["members"], dtype=np.int64)
    template_row = np.asarray(d["template_row"], dtype=np.int64)
    size = np.asarray(d["size"], dtype=np.int64)
    template_text = s.iloc[template_row] if len(template_row) else pd.Series([], dtype=object)
    out = pd.DataFrame({
        "size": size,
        "share": size / max(len(s), 1),
        "template": pd.array([str(v) for v in template_text.tolist()], dtype="string"),
        "template_response": labels[template_row].tolist(),
        "mean_similarity": np.asarray(d["mean_similarity"], dtype=np.float64),
        "members": [labels[members[offsets[g]:offsets[g + 1]]].tolist()
                    for g in range(len(size))],
    }, index=pd.RangeIndex(len(size), name="campaign"))
    group_of = np.asarray(d["group_of"], dtype=np.int64)
    assignments = pd.Series(pd.array(np.where(group_of >= 0, group_of, 0), dtype="Int64"),
                            index=labels, name="campaign")
    assignments[group_of < 0] = pd.NA
    out.attrs.update(assignments=assignments, distinct_texts=d["distinct_texts"],
                     candidate_pairs=d["candidate_pairs"], threshold=threshold,
                     shingle_words=shingle_words, method=method)
    return out
