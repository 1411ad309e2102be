"""A generated consultation's free text with known campaigns (tests and bench/bench_campaigns.py).

Campaign templates are copied with light edits — a word inserted or deleted, changes of case and
punctuation — and mixed with unrelated answers drawn from the same vocabulary (a Zipf-like word
distribution, so unrelated answers share common words as real ones do).
"""

from __future__ import annotations

import numpy as np

_SYLLABLES = ["ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "wy", "str", "ch", "an",
              "el", "or", "ing", "ed", "ly", "th", "pr"]
_COMMON = ["the", "a", "to", "and", "of", "in", "is", "it", "we", "our", "this", "that", "for",
           "not", "be", "on", "with", "are", "council", "library", "road", "park", "please",
           "would", "should", "more", "people", "town", "local", "bus"]


def vocabulary(rng: np.random.Generator, size: int = 4000) -> list[str]:
    words = set(_COMMON)
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES, int(rng.integers(1, 4)))))
    return list(_COMMON) + sorted(words - set(_COMMON))


class _Words:
    """Words drawn from the vocabulary in bulk (one numpy draw, sliced), for speed at 1M texts."""

    def __init__(self, rng, vocab, probs, pool: int) -> None:
        self.vocab = np.asarray(vocab, dtype=object)
        self.pool = rng.choice(len(vocab), pool, p=probs)
        self.at = 0

    def take(self, n: int) -> list[str]:
        if self.at + n > len(self.pool):
            self.at = 0
        out = self.vocab[self.pool[self.at:self.at + n]].tolist()
        self.at += n
        return out


def _render(words: list[str], rng, punctuate: bool) -> str:
    if punctuate:
        marks = rng.random(len(words)) < 0.08
        words = [w + ("," if m else "") for w, m in zip(words, marks)]
    text = " ".join(words)
    return text[:1].upper() + text[1:] + ("." if punctuate else "")


def _edit(words: list[str], rng, draw: _Words) -> list[str]:
    words = list(words)
    n_edits = int(rng.integers(0, 2 + len(words) // 12))
    for _ in range(n_edits):
        op = rng.integers(3)
        i = int(rng.integers(0, len(words)))
        if op == 0:
            words.insert(i, draw.take(1)[0])
        elif op == 1 and len(words) > 5:
            del words[i]
        else:
            words[i] = words[i].upper() if rng.random() < 0.5 else words[i].capitalize()
    if rng.random() < 0.3:
        words = [w.upper() for w in words]
    return words


def corpus(n_texts: int, seed: int = 0, campaign_share: float = 0.4, n_templates: int = 40):
    """(texts, truth): truth[i] is the template number of text i, or -1 for an unrelated one."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng)
    ranks = np.arange(1, len(vocab) + 1, dtype=np.float64)
    probs = 1.0 / ranks ** 1.05
    probs /= probs.sum()
    draw = _Words(rng, vocab, probs, min(40_000_000, 40 * n_texts + 10_000))
    templates = [draw.take(int(rng.integers(10, 70))) for _ in range(n_templates)]
    # Campaigns share boilerplate, as real ones do: a third open with the same words.
    opening = "i object to this proposal because".split()
    for t in range(0, n_templates, 3):
        templates[t] = opening + templates[t]
    weights = rng.pareto(1.2, n_templates) + 1
    weights /= weights.sum()
    is_campaign = rng.random(n_texts) < campaign_share
    template_of = rng.choice(n_templates, n_texts, p=weights)
    edited = rng.random(n_texts) < 0.7
    punctuated = rng.random(n_texts) < 0.5
    lengths = rng.integers(5, 60, n_texts)
    texts = []
    for i in range(n_texts):
        if is_campaign[i]:
            t = templates[template_of[i]]
            words = _edit(t, rng, draw) if edited[i] else t
        else:
            words = draw.take(int(lengths[i]))
        texts.append(_render(words, rng, bool(punctuated[i])))
    truth = np.where(is_campaign, template_of, -1)
    return texts, truth


def pairwise_scores(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """Pairwise precision and recall: of the pairs put in one group, how many share a template;
    of the pairs sharing a template, how many were put in one group. Unrelated texts (-1) and
    ungrouped ones (-1) are in no pair."""
    def pairs(counts):
        return float((counts * (counts - 1) // 2).sum())

    t = truth.astype(np.int64)
    p = predicted.astype(np.int64)
    both = (t >= 0) & (p >= 0)
    joint = np.unique(np.stack([t[both], p[both]]), axis=1, return_counts=True)[1]
    tp = pairs(joint)
    predicted_pairs = pairs(np.unique(p[p >= 0], return_counts=True)[1])
    true_pairs = pairs(np.unique(t[t >= 0], return_counts=True)[1])
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    return precision, recall


def text_scores(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    """Per-answer precision and recall. Each found group stands for the template most of its
    members share. Precision: of the answers put in a group, the share whose template is the
    group's (an unrelated answer in a group counts against). Recall: of the campaign answers,
    the share found in their template's largest group."""
    t = truth.astype(np.int64)
    p = predicted.astype(np.int64)
    grouped = p >= 0
    majority = {}
    for g in np.unique(p[grouped]):
        members = t[p == g]
        values, counts = np.unique(members, return_counts=True)
        majority[g] = values[np.argmax(counts)]
    right = np.array([majority[g] == tt and tt >= 0 for g, tt in zip(p[grouped], t[grouped])])
    precision = float(right.mean()) if right.size else 1.0
    found = 0
    for template in np.unique(t[t >= 0]):
        in_groups = p[(t == template) & grouped]
        mine = [g for g in np.unique(in_groups) if majority[g] == template]
        if mine:
            found += max(int((in_groups == g).sum()) for g in mine)
    total = int((t >= 0).sum())
    return precision, (found / total if total else 1.0)
