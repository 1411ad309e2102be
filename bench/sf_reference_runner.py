#!/usr/bin/env python3
"""Runs the Sortition Foundation's own library (sortition-algorithms, PyPI, GPL-3.0) on one
instance, for comparison in bench/selection.sh. Only its public API is called; none of its code
is copied here.

Its LEXIMIN needs Gurobi, which is not available; with the `highspy` backend the strongest
algorithm it offers is MAXIMIN, whose minimum selection probability is, by definition, the same
number as LEXIMIN's minimum (LEXIMIN's first level). We time that and report its minimum.

usage: sf_reference_runner.py QUOTAS.csv POOL.csv K [ID_COLUMN] [HOUSEHOLD_COLUMNS]
HOUSEHOLD_COLUMNS (comma-separated, e.g. address_line_1,postcode) turns on the library's own
one-per-address check, as `townhall panel select --household-columns` does.
prints one JSON object: {"algorithm", "seconds", "min_probability", "n"}
"""
import csv
import json
import sys
import time

from sortition_algorithms import Settings
from sortition_algorithms.committee_generation import find_distribution_maximin
from sortition_algorithms.features import read_in_features
from sortition_algorithms.people import read_in_people


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if any(c.strip() for c in r)]


def main():
    quotas, pool, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
    id_column = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else ""
    households = [c for c in sys.argv[5].split(",") if c] if len(sys.argv) > 5 else []

    # Quotas in the library's own layout: feature,value,min,max.
    qhead, qrows = read_csv(quotas)
    lower = [h.lower() for h in qhead]
    if "category" in lower:
        cat = lower.index("category")
        val = next(lower.index(n) for n in ("feature", "name", "value") if n in lower)
    else:
        cat, val = lower.index("feature"), lower.index("value")
    mn, mx = lower.index("min"), lower.index("max")
    fhead = ["feature", "value", "min", "max"]
    fbody = [{"feature": r[cat].strip(), "value": r[val].strip(), "min": r[mn].strip(), "max": r[mx].strip()}
             for r in qrows]
    features, _, _ = read_in_features(fhead, fbody, k)

    # Pool; a row-index id when the file has none.
    phead, prows = read_csv(pool)
    if not id_column:
        id_column = "th_row_id"
        phead = [id_column] + phead
        prows = [[str(i)] + r for i, r in enumerate(prows)]
    body = [{h: c.strip() for h, c in zip(phead, r)} for r in prows]
    settings = Settings(id_column=id_column, columns_to_keep=[], check_same_address=bool(households),
                        check_same_address_columns=households)
    people, _ = read_in_people(phead, body, features, settings)

    start, cpu_start = time.perf_counter(), time.process_time()
    committees, probabilities, _ = find_distribution_maximin(features, people, k, households, "highspy")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start

    marginal = {row[phead.index(id_column)].strip(): 0.0 for row in prows}
    for committee, p in zip(committees, probabilities):
        for person in committee:
            marginal[person] += p
    print(json.dumps({"algorithm": "maximin (highspy)", "seconds": seconds, "cpu_seconds": cpu,
                      "min_probability": min(marginal.values()), "n": len(marginal)}))


if __name__ == "__main__":
    main()
