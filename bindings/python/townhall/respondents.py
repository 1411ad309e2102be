"""Possible duplicate respondents: the same person answering twice, e.g. online and on paper.

Nothing is removed or merged: the answers are flagged, with the reason, for an officer to decide.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .errors import InvalidInput
from . import text as _text


def _column(data: pd.DataFrame, name: str | None, what: str) -> pd.Series | None:
    if name is None:
        return None
    if name not in data.columns:
        raise InvalidInput(f"no {what} column {name!r}", code="invalid-argument", field=what)
    return data[name]


def _postcode_key(postcodes: pd.Series) -> pd.Series:
    """'sw1a 1aa', 'SW1A1AA' and ' Sw1A  1Aa ' are one postcode; blanks are none."""
    key = postcodes.astype("string").str.upper().str.replace(r"\s+", "", regex=True)
    return key.where(key.str.len() > 0)


def duplicate_respondents(data: pd.DataFrame, *, person: str | None = None,
                          postcode: str | None = None, text: str | None = None,
                          time: str | None = "submitted_at", channel: str | None = "channel",
                          within: Any = "3D", threshold: float = 0.5,
                          lang: str | pd.Series = "und") -> pd.DataFrame:
    """Flags answers that may come from one respondent answering more than once.

    Two answers are flagged together when they have the same ``person`` id (e.g. a reference
    the council issued, when the data has one), or the same ``postcode`` (spaces and case
    ignored) *and* near-identical ``text`` (the similarity :func:`townhall.text.campaigns`
    uses, at ``threshold``) *and* were submitted within ``within`` of each other (a pandas
    Timedelta or string such as "3D"; the ``time`` column). Flags chain: answers linked to a
    common answer form one group.

    Returns one row per group, largest first: size, reasons ("same person", "same postcode and
    text"), members (index labels), channels (distinct, in order of the members), first and last
    submission time. ``attrs["flags"]`` is a Series aligned with ``data``: each answer's group
    number, <NA> for none. Nothing is removed or merged; the data is left as it is.
    """
    if not isinstance(data, pd.DataFrame):
        raise InvalidInput("data must be a pandas DataFrame", code="invalid-argument",
                           field="data")
    if person is None and (postcode is None or text is None):
        raise InvalidInput("give person, or postcode and text (or all three)",
                           code="invalid-argument", field="person")
    people = _column(data, person, "person")
    codes = _column(data, postcode, "postcode")
    texts = _column(data, text, "text")
    times = _column(data, time, "time")
    channels = _column(data, channel, "channel")
    try:
        window = pd.Timedelta(within)
    except (TypeError, ValueError) as e:
        raise InvalidInput(f"within must be a time span such as '3D' ({e})",
                           code="invalid-argument", field="within") from e

    n = len(data)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(positions: np.ndarray, reason: str) -> None:
        first = int(positions[0])
        for p in positions[1:]:
            a, b = find(first), find(int(p))
            if a != b:
                parent[b] = a
        for p in positions:
            row_reasons[int(p)].add(reason)

    row_reasons: list[set[str]] = [set() for _ in range(n)]
    if people is not None:
        ids = people.astype("string")
        ok = ids.notna() & (ids.str.strip().str.len() > 0)
        for _, pos in pd.Series(np.arange(n))[ok.to_numpy()].groupby(
                ids[ok].str.strip().to_numpy()).groups.items():
            if len(pos) > 1:
                link(np.asarray(pos), "same person")
    if codes is not None and texts is not None:
        similar = _text.campaigns(texts.reset_index(drop=True), lang, threshold=threshold)
        groups = similar.attrs["assignments"]
        key = _postcode_key(codes).reset_index(drop=True)
        ok = (key.notna() & groups.notna()).to_numpy()
        stamp = (pd.to_datetime(times.reset_index(drop=True), utc=True) if times is not None
                 else None)
        frame = pd.DataFrame({"key": key[ok], "group": groups[ok].astype("int64"),
                              "pos": np.flatnonzero(ok)})
        if stamp is not None:
            frame["t"] = stamp[ok]
        for _, part in frame.groupby(["key", "group"], sort=False):
            if len(part) < 2:
                continue
            if stamp is None:
                link(part["pos"].to_numpy(), "same postcode and text")
                continue
            part = part.sort_values("t")
            gaps = part["t"].diff().to_numpy()
            # Runs of answers each within `within` of the one before.
            run = np.concatenate([[0], np.cumsum(~(gaps[1:] <= window.to_timedelta64()))])
            for r in np.unique(run):
                pos = part["pos"].to_numpy()[run == r]
                if len(pos) > 1:
                    link(pos, "same postcode and text")

    roots = np.array([find(i) for i in range(n)])
    sizes = np.bincount(roots, minlength=n)
    flagged = np.flatnonzero(sizes[roots] > 1)
    members_of: dict[int, list[int]] = {}
    for i in flagged:
        members_of.setdefault(int(roots[i]), []).append(int(i))
    ordered = sorted(members_of.values(), key=lambda m: (-len(m), m[0]))
    labels = data.index
    rows = []
    flags = pd.Series(pd.array([pd.NA] * n, dtype="Int64"), index=labels, name="duplicate_group")
    for g, members in enumerate(ordered):
        flags.iloc[members] = g
        why = sorted(set().union(*(row_reasons[m] for m in members)))
        row = {"size": len(members), "reasons": why, "members": labels[members].tolist()}
        if channels is not None:
            row["channels"] = list(dict.fromkeys(channels.iloc[members].astype(str).tolist()))
        if times is not None:
            t = pd.to_datetime(times.iloc[members], utc=True)
            row["first_submitted"] = t.min()
            row["last_submitted"] = t.max()
        rows.append(row)
    columns = ["size", "reasons", "members"] + (["channels"] if channels is not None else []) + \
        (["first_submitted", "last_submitted"] if times is not None else [])
    out = pd.DataFrame(rows, columns=columns, index=pd.RangeIndex(len(rows), name="group"))
    out.attrs["flags"] = flags
    return out


__all__ = ["duplicate_respondents"]
