#!/usr/bin/env python3
"""Benchmark: campaign detection (townhall.text.campaigns) on N (default 1,000,000) free-text
answers, against the naive method in the same run.

The corpus (tests/python/campaign_corpus.py) has 40 campaign templates copied with light edits
(words inserted or deleted, case, punctuation; a third share an opening) for 40% of the answers,
the rest unrelated answers of 5–60 words from the same Zipf-like vocabulary. Printed:
  * townhall MinHash/LSH on all N answers: wall seconds (target: under 30 s), groups found,
    pairwise and per-answer precision and recall against the known templates;
  * the naive method — every pair's exact Jaccard similarity, method="all-pairs", same
    shingles and threshold — on the first M (default 5,000) answers, against MinHash/LSH on
    the same M answers: both times, the ratio, and how many of the exact method's pairs the
    LSH finds (it is probabilistic);
  * the naive method's time extrapolated to N (quadratic), and the ratio to MinHash/LSH at N.

Run: PYTHONPATH=build/bindings/python build/venv/bin/python bench/bench_campaigns.py [N] [M]
"""

import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "python"))
from campaign_corpus import corpus, pairwise_scores, text_scores  # noqa: E402

from townhall import text  # noqa: E402


def groups_of(frame: pd.DataFrame) -> np.ndarray:
    return frame.attrs["assignments"].fillna(-1).to_numpy(dtype=np.int64)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000
    t0 = time.perf_counter()
    texts, truth = corpus(n, seed=7)
    series = pd.Series(texts)
    print(f"corpus: {n:,} answers generated in {time.perf_counter() - t0:.1f} s "
          f"({int((truth >= 0).sum()):,} from {len(set(truth[truth >= 0]))} campaigns)")

    t0 = time.perf_counter()
    found = text.campaigns(series)
    fast_n = time.perf_counter() - t0
    p, r = pairwise_scores(truth, groups_of(found))
    tp, tr = text_scores(truth, groups_of(found))
    print(f"townhall minhash/lsh, {n:,} answers: {fast_n:.2f} s wall "
          f"({'under' if fast_n < 30 else 'OVER'} the 30 s target); {len(found)} groups, "
          f"{found.attrs['distinct_texts']:,} distinct texts, "
          f"{found.attrs['candidate_pairs']:,} pairs checked exactly")
    print(f"  pairwise precision {p:.4f} recall {r:.4f}; per-answer precision {tp:.4f} "
          f"recall {tr:.4f}")

    sub = series.iloc[:m].reset_index(drop=True)
    t0 = time.perf_counter()
    naive = text.campaigns(sub, method="all-pairs", threads=1)
    naive_m = time.perf_counter() - t0
    t0 = time.perf_counter()
    fast = text.campaigns(sub, threads=1)
    fast_m = time.perf_counter() - t0
    agree_p, agree_r = pairwise_scores(groups_of(naive), groups_of(fast))
    print(f"{m:,} answers, one thread each: all-pairs {naive_m:.2f} s "
          f"({naive.attrs['candidate_pairs']:,} pairs), minhash/lsh {fast_m:.3f} s, "
          f"ratio {naive_m / fast_m:.0f}x; minhash/lsh keeps {agree_r:.2%} of the pairs "
          f"all-pairs groups (and adds {1 - agree_p:.2%} others)")
    extrapolated = naive_m * (n / m) ** 2
    print(f"all-pairs extrapolated to {n:,} answers: {extrapolated / 3600:.1f} h "
          f"(ratio to minhash/lsh {extrapolated / fast_n:,.0f}x)")


if __name__ == "__main__":
    main()
