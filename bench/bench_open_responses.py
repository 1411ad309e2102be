#!/usr/bin/env python3
"""Benchmark: townhall.open(db).responses(c) against pandas.read_sql + the analyst's pivot.

Generates a Townhall database of N (default 1,000,000) responses to a 10-question consultation
(4 single choice, 2 scales, 1 yes/no, 1 multiple choice of 6 options, 1 ranking of 4, 1 free text)
through the store's batched submit (townhall.open(..., writable=True).submit_responses: answers
checked against the questions, references and indexes written as the REST API would). Then, in
this one run, each contender loads the same consultation in its own subprocess (so peak memory,
ru_maxrss, is its own):
  * townhall: townhall.open(db).responses("c-1") — rows streamed from SQLite into typed columns
    in C++ (flat answers parser), handed to pandas as numpy/Arrow buffers;
  * pandas:   pd.read_sql of the same rows, json.loads + pd.json_normalize of the answers, then
    categoricals per question, one boolean column per multiple-choice option, rank columns,
    string free text, categorical channel/language and UTC times — the DataFrame townhall gives.
Both children report a checksum of the frame; the parent checks they agree, then prints times,
the ratio (target: townhall >= 5x faster) and peak memory (target: townhall <= pandas).

Run: PYTHONPATH=build/bindings/python build/venv/bin/python bench/bench_open_responses.py [rows]
Set TOWNHALL_BENCH_DB=path to keep (and reuse) the generated database.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

from _common import OPTS, QUESTIONS, RANK, SERVICES

CHANNELS = ["online", "paper", "phone", "face_to_face", "event"]
COMMENTS = ["More buses on the 9, please", "Keep the library open late", "Mwy o fysiau",
            "Too expensive", "حافلات أكثر"]


def generate(path, n):
    import townhall
    rng = np.random.default_rng(11)
    t0 = time.perf_counter()
    with townhall.open(path, writable=True, create=True) as db:
        cid = db.add_consultation({
            "title": "Benchmark", "questions": QUESTIONS, "opens": "2026-03-02", "closes": "2026-04-26",
            "proposal": "p", "reasons": "r",
            "options_considered": [{"option": "a"}, {"option": "b", "rejected": True, "reason": "c"}]}, "open")
        step = 50_000
        for start in range(0, n, step):
            m = min(step, n - start)
            sc = rng.integers(0, 5, (m, 4))
            sl = rng.integers(1, 6, (m, 2))
            yn = rng.integers(0, 3, m)          # 2 = not answered
            mc = rng.random((m, 6)) < 0.3
            ch = rng.choice(5, m, p=[0.7, 0.15, 0.1, 0.03, 0.02])
            batch = []
            for i in range(m):
                a = {f"sc{k}": OPTS[sc[i, k]] for k in range(4)}
                a.update({f"sl{k}": int(sl[i, k]) for k in range(2)})
                if yn[i] < 2:
                    a["yn"] = bool(yn[i])
                chosen = [s for s, pick in zip(SERVICES, mc[i]) if pick]
                if chosen:
                    a["mc"] = chosen
                r = (start + i) % 4
                a["rk"] = RANK[r:] + RANK[:r]
                if (start + i) % 5 == 0:
                    a["ft"] = COMMENTS[(start + i) // 5 % len(COMMENTS)]
                batch.append({"answers": a, "channel": CHANNELS[ch[i]],
                              "language": "cy" if (start + i) % 10 == 0 else "en-GB"})
            db.submit_responses(cid, batch)
    return cid, time.perf_counter() - t0


def checksum(df):
    """Figures both frames must agree on."""
    import pandas as pd
    out = {"rows": len(df)}
    for c in ["sc0", "sc3", "sl1", "channel", "language"]:
        counts = df[c].cat.codes.value_counts().sort_index()  # code -1 = missing
        out[c] = [[int(k), int(v)] for k, v in counts.items()]
        out[c + "_categories"] = [str(x) for x in df[c].cat.categories]
    for c in ["yn", "mc[pool]", "mc[allotment]"]:
        out[c] = [int(df[c].sum()), int(df[c].isna().sum())]
    out["rk[schools]"] = int(df["rk[schools]"].sum())
    out["ft"] = [int(df["ft"].notna().sum()), int(df["ft"].str.len().sum())]
    out["submitted_at"] = str(df["submitted_at"].min())
    out["dtypes"] = {c: str(df[c].dtype) for c in ["sc0", "sl0", "yn", "mc[gym]", "rk[parks]",
                                                      "submitted_at"]}
    assert isinstance(df["ft"].dtype, pd.StringDtype)
    return out


def load_townhall(db, cid):
    import townhall
    return townhall.open(db).responses(cid)


def load_pandas(db, cid):
    import sqlite3

    import pandas as pd
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    raw = pd.read_sql("SELECT reference, channel, language, created_at, answers FROM responses "
                      "WHERE consultation_id = ? ORDER BY id", con, params=(cid,))
    con.close()
    flat = pd.json_normalize(raw.pop("answers").map(json.loads).tolist())
    df = pd.DataFrame({"reference": raw["reference"].astype("string")})
    for k in range(4):
        df[f"sc{k}"] = pd.Categorical(flat[f"sc{k}"], categories=OPTS)
    for k in range(2):
        df[f"sl{k}"] = pd.Categorical(flat[f"sl{k}"], categories=[1, 2, 3, 4, 5], ordered=True)
    df["yn"] = flat["yn"].astype("boolean")
    mc = flat["mc"]
    answered = mc.notna()
    dummies = mc.explode().str.get_dummies().groupby(level=0).max()
    for s in SERVICES:
        col = (dummies[s].reindex(flat.index, fill_value=0).astype("boolean") if s in dummies
               else pd.Series(False, index=flat.index, dtype="boolean"))
        df[f"mc[{s}]"] = col.where(answered, pd.NA)
    ranks = flat["rk"].explode()
    pos = ranks.groupby(level=0).cumcount() + 1
    for o in RANK:
        df[f"rk[{o}]"] = pos[ranks == o].reindex(flat.index).astype("Int64")
    df["ft"] = flat["ft"].astype("string")
    df["channel"] = pd.Categorical(raw["channel"], categories=CHANNELS)
    df["language"] = pd.Categorical(raw["language"], categories=list(dict.fromkeys(raw["language"])))
    df["submitted_at"] = pd.to_datetime(raw["created_at"], utc=True).astype("datetime64[ns, UTC]")
    return df


def peak_rss_kib():
    """This process's peak resident set (VmHWM). Not ru_maxrss: Linux carries the parent's
    maximum across fork and exec into it, and the parent generated the database."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(which, db, cid):
    import pandas  # noqa: F401 - both contenders pay for importing pandas before the clock
    import townhall  # noqa: F401
    base = peak_rss_kib()
    c0, t0 = cpu_seconds(), time.perf_counter()
    df = (load_townhall if which == "townhall" else load_pandas)(db, cid)
    seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    peak = peak_rss_kib()
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kib": peak, "base_kib": base,
                      "checksum": checksum(df)}))


def run_child(which, db, cid):
    out = subprocess.run([sys.executable, __file__, "--child", which, db, cid], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    keep = os.environ.get("TOWNHALL_BENCH_DB")
    tmp = None
    if keep:
        db = keep
    else:
        tmp = tempfile.TemporaryDirectory()
        db = os.path.join(tmp.name, "bench.db")
    if not os.path.exists(db):
        cid, gen = generate(db, n)
        print(f"generated {n:,} responses through the store's batched submit in {gen:.1f} s "
              f"({os.path.getsize(db) / 1e6:.0f} MB)")
    else:
        cid = "c-1"
        print(f"reusing {db}")
    th = run_child("townhall", db, cid)
    pdr = run_child("pandas", db, cid)
    if th["checksum"] != pdr["checksum"]:
        for k in th["checksum"]:
            if th["checksum"][k] != pdr["checksum"].get(k):
                print(f"  disagree on {k}: {th['checksum'][k]} vs {pdr['checksum'].get(k)}")
        raise SystemExit("townhall and pandas frames disagree")
    rows = th["checksum"]["rows"]
    ratio = pdr["seconds"] / th["seconds"]
    mib = lambda kib: kib / 1024  # noqa: E731
    print(f"{rows:,} responses x 10 questions (25 columns) from SQLite, each in its own process")
    print(f"  townhall.open(db).responses(c):      {th['seconds']:7.3f} s (CPU {th['cpu']:6.2f} s)"
          f"   peak RSS {mib(th['peak_kib']):6.0f} MiB (after imports {mib(th['base_kib']):4.0f})")
    print(f"  pd.read_sql + json_normalize + pivot: {pdr['seconds']:7.3f} s (CPU {pdr['cpu']:6.2f} s)"
          f"   peak RSS {mib(pdr['peak_kib']):6.0f} MiB (after imports {mib(pdr['base_kib']):4.0f})")
    print(f"  ratio {ratio:5.1f}x faster in wall time, {pdr['cpu'] / th['cpu']:5.1f}x in CPU time "
          f"(target >= 5x: {'met' if ratio >= 5 else 'MISSED'}); "
          f"peak memory {th['peak_kib'] / pdr['peak_kib']:.2f}x of pandas "
          f"(target <= 1: {'met' if th['peak_kib'] <= pdr['peak_kib'] else 'MISSED'})")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
