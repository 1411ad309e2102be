#!/usr/bin/env python3
"""Benchmark: townhall.open(db).responses(c) against pandas.read_sql + the analyst's pivot.

A Townhall database of N (default 10,000,000) responses to a 10-question consultation (4 single
choice, 2 scales, 1 yes/no, 1 multiple choice of 6 options, 1 ranking of 4, 1 free text; 25
columns). The first 1,000,000 are written through the store's batched submit
(townhall.open(..., writable=True).submit_responses: answers checked against the questions,
references and indexes written as the REST API would); beyond a million, the rows are those
answers again, copied in SQL with fresh ids and references (the checked submit would take about
ten minutes per million here). Both files are kept under build/bench-data/ and reused.

Each measurement runs in a fresh subprocess, so its time and peak memory (VmHWM) are its own:
  * townhall: townhall.open(db).responses("c-1") — rows streamed from SQLite into typed columns
    in C++ (flat answers parser), handed to pandas as numpy/Arrow buffers without copies;
  * pandas:   pd.read_sql of the same rows, json.loads + pd.json_normalize of the answers, then
    categoricals per question, one boolean column per multiple-choice option, rank columns,
    string free text, categorical channel/language and UTC times — the DataFrame townhall gives.
pandas takes 50–100 s and 2.6 GB per million rows here, so above a million it is run on the
first million (its time per row is linear; the output says so) and the ratio is of time per row;
townhall is also timed on that same million. The children report a checksum of their frame and
the parent checks townhall's and pandas' agree on the same rows. Targets: townhall >= 20x faster,
and its peak memory (above what the interpreter and imports hold) <= 2x the DataFrame's own size
(df.memory_usage(deep=True)).

Run: PYTHONPATH=build/bindings/python build/venv/bin/python bench/bench_open_responses.py [rows]
TOWNHALL_BENCH_DIR overrides where the databases are kept.
"""

import json
import os
import resource
import subprocess
import sys
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
                      "frame_bytes": int(df.memory_usage(deep=True).sum()),
                      "checksum": checksum(df)}))


def run_child(which, db, cid):
    out = subprocess.run([sys.executable, __file__, "--child", which, db, cid], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


BASE_ROWS = 1_000_000


def database(n):
    """The cached database of n responses (made on first use), and the consultation id."""
    here = os.path.dirname(os.path.abspath(__file__))
    folder = os.environ.get("TOWNHALL_BENCH_DIR") or os.path.join(here, "..", "build", "bench-data")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"responses-{n}.db")
    if os.path.exists(path):
        return path, "c-1"
    base = min(n, BASE_ROWS)
    base_path = os.path.join(folder, f"responses-{base}.db")
    if not os.path.exists(base_path):
        cid, gen = generate(base_path + ".tmp", base)
        checkpoint(base_path + ".tmp")
        os.replace(base_path + ".tmp", base_path)
        print(f"generated {base:,} responses through the store's batched submit in {gen:.1f} s "
              f"({os.path.getsize(base_path) / 1e6:.0f} MB)")
    if n == base:
        return path, "c-1"
    import shutil
    import sqlite3
    t0 = time.perf_counter()
    shutil.copyfile(base_path, path + ".tmp")
    con = sqlite3.connect(path + ".tmp")
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    copies = -(-n // base) - 1
    for k in range(1, copies + 1):
        m = min(base, n - k * base)
        con.execute("INSERT INTO responses(reference, consultation_id, channel, answers, created_at, "
                    "language) SELECT reference || '-' || ?, consultation_id, channel, answers, "
                    "created_at, language FROM responses WHERE id <= ? ORDER BY id", (k, m))
        con.commit()
    con.close()
    os.replace(path + ".tmp", path)
    print(f"copied the first {base:,} responses' answers up to {n:,} in "
          f"{time.perf_counter() - t0:.0f} s ({os.path.getsize(path) / 1e6:.0f} MB)")
    return path, "c-1"


def checkpoint(path):
    """Folds the write-ahead log into the file, so every contender reads the same pages."""
    import sqlite3
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()


def warm(path):
    """Reads the file once, so no contender pays for the first read from disk."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    big_db, cid = database(n)
    same_n = min(n, BASE_ROWS)
    small_db, _ = database(same_n)
    mib = lambda kib: kib / 1024  # noqa: E731
    for db in {big_db, small_db}:
        warm(db)
    th = run_child("townhall", big_db, cid)
    th_same = th if big_db == small_db else run_child("townhall", small_db, cid)
    pdr = run_child("pandas", small_db, cid)
    if th_same["checksum"] != pdr["checksum"]:
        for k in th_same["checksum"]:
            if th_same["checksum"][k] != pdr["checksum"].get(k):
                print(f"  disagree on {k}: {th_same['checksum'][k]} vs {pdr['checksum'].get(k)}")
        raise SystemExit("townhall and pandas frames disagree")
    rows = th["checksum"]["rows"]
    assert rows == n and th_same["checksum"]["rows"] == same_n

    def line(name, r):
        return (f"  {name:<44} {r['seconds']:7.2f} s (CPU {r['cpu']:6.2f} s)   peak RSS "
                f"{mib(r['peak_kib']):6.0f} MiB, {mib(r['peak_kib'] - r['base_kib']):6.0f} MiB above "
                f"imports; frame {r['frame_bytes'] / 2**20:6.0f} MiB")

    print(f"responses x 10 questions (25 columns) from SQLite, each in its own process "
          f"({os.cpu_count()} CPUs)")
    print(line(f"townhall, {n:,} rows", th))
    if th_same is not th:
        print(line(f"townhall, {same_n:,} rows", th_same))
    print(line(f"pd.read_sql + json_normalize + pivot, {same_n:,}", pdr))
    if same_n != n:
        print(f"  (pandas on the first {same_n:,} rows only: at {pdr['seconds']:.0f} s and "
              f"{mib(pdr['peak_kib']) / 1024:.1f} GiB for those here, {n:,} would take about "
              f"{pdr['seconds'] * n / same_n / 60:.0f} minutes and {mib(pdr['peak_kib']) / 1024 * n / same_n:.0f} GiB; "
              f"its time per row is linear)")
    per_row = (pdr["seconds"] / same_n) / (th["seconds"] / n)
    same = pdr["seconds"] / th_same["seconds"]
    over = (th["peak_kib"] - th["base_kib"]) * 1024 / th["frame_bytes"]
    print(f"  ratio, time per row ({n:,} townhall against {same_n:,} pandas): {per_row:5.1f}x faster "
          f"(target >= 20x: {'met' if per_row >= 20 else 'MISSED'}); on the same {same_n:,} rows: "
          f"{same:5.1f}x wall, {pdr['cpu'] / th_same['cpu']:5.1f}x CPU")
    print(f"  townhall's peak memory above imports, {n:,} rows: {over:.2f}x the DataFrame "
          f"(target <= 2x: {'met' if over <= 2 else 'MISSED'}); "
          f"{mib(th['peak_kib']) / (th['frame_bytes'] / 2**20):.2f}x counting the interpreter")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
