#!/usr/bin/env python3
"""Benchmark: responses (JSON, as the REST API or a store export gives them) to a typed DataFrame.

N responses to a 10-question consultation (4 single choice, 2 scales, 1 yes/no, 1 multiple
choice with 6 options, 1 ranking of 4, 1 free text). Times townhall.responses_frame (JSON parsed
and columns built in C++, handed over as numpy arrays) against what an analyst would write with
pandas: json.loads, pd.json_normalize, then categorical/boolean conversion per question and
one indicator column per multiple-choice option. Checks both agree, prints figures and ratio.

Not the SQLite benchmark (bench_open_responses.py: townhall.open(db).responses(...) needs the store): this is
the same column building fed from JSON text.

Run: PYTHONPATH=build/bindings/python build/venv/bin/python bench/bench_responses.py [rows]
"""

import json
import sys

import numpy as np
import pandas as pd

import townhall
from _common import OPTS, QUESTIONS, RANK, SERVICES, best_of

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def make_responses(n):
    rng = np.random.default_rng(11)
    sc = rng.integers(0, 5, (n, 4))
    sl = rng.integers(1, 6, (n, 2))
    yn = rng.integers(0, 2, n)
    mc = rng.random((n, 6)) < 0.3
    out = []
    for i in range(n):
        a = {f"sc{k}": OPTS[sc[i, k]] for k in range(4)}
        a.update({f"sl{k}": int(sl[i, k]) for k in range(2)})
        a["yn"] = bool(yn[i])
        chosen = [s for s, m in zip(SERVICES, mc[i]) if m]
        if chosen:
            a["mc"] = chosen
        a["rk"] = RANK[i % 4:] + RANK[:i % 4]
        if i % 5 == 0:
            a["ft"] = "More buses on the 9, please"
        out.append({"answers": a, "channel": "online" if i % 3 else "paper",
                    "created_at": "2025-03-04T10:15:00Z"})
    return json.dumps(out)


def pandas_way(text):
    rows = json.loads(text)
    flat = pd.json_normalize(rows)
    df = pd.DataFrame(index=flat.index)
    for k in range(4):
        df[f"sc{k}"] = pd.Categorical(flat[f"answers.sc{k}"], categories=OPTS)
    for k in range(2):
        df[f"sl{k}"] = pd.Categorical(flat[f"answers.sl{k}"], categories=[1, 2, 3, 4, 5],
                                      ordered=True)
    df["yn"] = flat["answers.yn"].astype("boolean")
    mc = flat["answers.mc"]
    answered = mc.notna()
    dummies = mc.explode().str.get_dummies().groupby(level=0).max()
    for s in SERVICES:
        col = dummies[s].reindex(flat.index).astype("boolean") if s in dummies else \
            pd.Series(False, index=flat.index, dtype="boolean")
        df[f"mc[{s}]"] = col.where(answered, pd.NA)
    ranks = flat["answers.rk"].apply(lambda r: {o: i + 1 for i, o in enumerate(r)})
    for o in RANK:
        df[f"rk[{o}]"] = ranks.map(lambda d: d.get(o)).astype("Int64")
    df["ft"] = flat["answers.ft"].astype("string") if "answers.ft" in flat else pd.NA
    df["channel"] = pd.Categorical(flat["channel"],
                                   categories=["online", "paper", "phone", "face_to_face", "event"])
    df["submitted_at"] = pd.to_datetime(flat["created_at"], utc=True)
    return df


def main():
    text = make_responses(N)
    t_th, f = best_of(lambda: townhall.responses_frame(QUESTIONS, text), 3)
    t_pd, g = best_of(lambda: pandas_way(text), 1)
    for c in ["sc0", "sl1", "yn", "mc[pool]", "rk[schools]", "channel"]:
        assert f[c].astype(object).fillna(-1).equals(g[c].astype(object).fillna(-1)), c
    print(f"{N:,} responses x 10 questions from JSON text ({len(text) / 1e6:.0f} MB)")
    print(f"  townhall.responses_frame:        {t_th:7.3f} s")
    print(f"  json + json_normalize + pandas:  {t_pd:7.3f} s   ratio {t_pd / t_th:5.1f}x slower")


if __name__ == "__main__":
    main()
