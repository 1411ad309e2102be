"""Responses as a pandas DataFrame, one row per response and one column per question.

The columns are built in C++ (townhall/analysis/response_table.h) and handed over as numpy
arrays (category codes, booleans with masks, ranks) and Arrow string buffers (free text,
references), so no cell becomes a Python object.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

import numpy as np
import pandas as pd

from . import _townhall


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def responses_frame(questions: Sequence[dict] | str, responses: Sequence[dict] | str) -> pd.DataFrame:
    """Responses to one consultation as a DataFrame.

    questions: the consultation's ``questions`` (list of dicts or JSON text: id, type, text,
      options, min/max). responses: list of dicts or JSON text, each with ``answers`` (keyed by
      question id) and optionally ``channel``, ``language`` and ``submitted_at`` (or
      ``created_at``, RFC 3339) — the shape the store and the REST API return.

    Columns: single_choice -> categorical in option order; scale -> ordered categorical of the
    integers min..max; yes_no -> nullable boolean; multiple_choice -> one nullable boolean column
    per option named ``"<id>[<option>]"``; ranking -> one nullable Int64 rank column per option
    (1 = most preferred); free_text -> string. Then channel, language (categorical) and
    submitted_at (datetime64[ns, UTC]). ``attrs["questions"]`` holds each question's metadata.
    Answers that do not fit their question raise townhall.InvalidInput naming
    ``/responses/<i>/answers/<id>``.
    """
    t = _townhall._response_table(_text(questions), _text(responses))
    qs = json.loads(questions) if isinstance(questions, str) else list(questions)
    return frame_from_table(t, qs, reference=False)


def _text_array(buffers: dict, rows: int):
    """A nullable string array over the core's Arrow large_string buffers (no per-cell object)."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is pinned; plain object strings otherwise
        offsets = np.asarray(buffers["offsets"])
        data = bytes(memoryview(buffers["data"]))
        valid = np.unpackbits(np.asarray(buffers["validity"]), bitorder="little")[:rows]
        return pd.array([data[offsets[i]:offsets[i + 1]].decode() if valid[i] else None
                         for i in range(rows)], dtype="string")
    arr = pa.Array.from_buffers(
        pa.large_string(), rows,
        [pa.py_buffer(buffers["validity"]), pa.py_buffer(buffers["offsets"]),
         pa.py_buffer(buffers["data"])],
        null_count=buffers["null_count"])
    return pd.arrays.ArrowStringArray(arr)


def frame_from_table(t: dict, questions: Sequence[dict], reference: bool = True) -> pd.DataFrame:
    """The DataFrame of a response table handed over by the core (see responses_frame)."""
    rows = t["rows"]
    data: dict[str, Any] = {}
    if reference:
        data["reference"] = _text_array(t["references"], rows)
    for c in t["columns"]:
        kind = c["kind"]
        if kind == "categorical":
            cats = c["categories"]
            if c["question_type"] == "scale":
                cats = [int(x) for x in cats]
            data[c["name"]] = pd.Categorical.from_codes(np.asarray(c["codes"]), categories=cats,
                                                        ordered=c["ordered"])
        elif kind == "boolean":
            data[c["name"]] = pd.arrays.BooleanArray(np.asarray(c["values"]).view(bool),
                                                     np.asarray(c["missing"]).view(bool))
        elif kind == "integer":
            data[c["name"]] = pd.arrays.IntegerArray(np.asarray(c["values"]),
                                                     np.asarray(c["missing"]).view(bool))
        else:
            data[c["name"]] = _text_array(c["text"], rows)
    data["channel"] = pd.Categorical.from_codes(np.asarray(t["channel_codes"]),
                                                categories=t["channel_categories"])
    data["language"] = pd.Categorical.from_codes(np.asarray(t["language_codes"]),
                                                 categories=t["language_categories"])
    # INT64_MIN is numpy's NaT, so missing times need no extra pass.
    data["submitted_at"] = pd.DatetimeIndex(
        np.asarray(t["submitted_at_ns"]).view("M8[ns]")).tz_localize("UTC")
    frame = pd.DataFrame(data, index=pd.RangeIndex(rows), copy=False)
    frame.attrs["questions"] = {q["id"]: {k: v for k, v in q.items() if k != "id"}
                                for q in questions}
    return frame


__all__ = ["responses_frame", "frame_from_table"]
