"""Pieces the Python benchmarks share (not itself a benchmark: bench/run.sh runs bench_*.py).

The 10-question consultation the response benchmarks load (4 single choice, 2 scales, 1 yes/no,
1 multiple choice of 6 options, 1 ranking of 4, 1 free text), and best-of-n wall-clock timing.
"""

import time

OPTS = ["Strongly agree", "Agree", "Neither", "Disagree", "Strongly disagree"]
SERVICES = ["library", "park", "pool", "gym", "museum", "allotment"]
RANK = ["housing", "transport", "schools", "parks"]
QUESTIONS = (
    [{"id": f"sc{i}", "type": "single_choice", "text": f"Q{i}", "options": OPTS} for i in range(4)]
    + [{"id": f"sl{i}", "type": "scale", "text": f"S{i}", "min": 1, "max": 5} for i in range(2)]
    + [{"id": "yn", "type": "yes_no", "text": "Resident?"},
       {"id": "mc", "type": "multiple_choice", "text": "Use?", "options": SERVICES},
       {"id": "rk", "type": "ranking", "text": "Rank", "options": RANK},
       {"id": "ft", "type": "free_text", "text": "Comments"}])


def best_of(fn, repeats):
    """Runs fn `repeats` times; returns (fastest wall seconds, the last result)."""
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out
