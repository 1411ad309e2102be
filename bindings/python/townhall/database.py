"""townhall.open(): a Townhall database read for analysis, responses as DataFrames.

The compiled core reads the SQLite file on its own connection (read-only unless asked) and
streams each consultation's responses into typed columns (townhall/store/analysis_reader.h),
with the GIL released; :meth:`Database.responses` wraps them as a DataFrame without a Python
object per cell.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any, Iterable, Mapping

import pandas as pd

from . import _townhall
from .errors import (Conflict, DatabaseNotFound, InvalidInput, NotATownhallDatabase, NotFound,
                     SchemaTooNew)
from ._dates import iso_dates
from .responses import frame_from_table

_CHUNK = 20_000  # responses per JSON text handed to the core when submitting


class Database:
    """A Townhall database opened with :func:`townhall.open`.

    Read-only unless opened with ``writable=True``. Use as a context manager or call
    :meth:`close`; every method raises :class:`townhall.Error` subclasses.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle

    # ---- reading ----------------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The database file."""
        return self._handle.path

    @property
    def schema_version(self) -> int:
        """The file's schema version (older files are read as they are)."""
        return self._handle.schema_version

    @property
    def writable(self) -> bool:
        """Whether the database was opened for writing."""
        return self._handle.writable

    @property
    def _handle(self) -> Any:
        if self._h is None:
            raise Conflict("the database is closed", code="conflict")
        return self._h

    def consultations(self) -> pd.DataFrame:
        """Every consultation, in the order created: id, status, title, opens and closes
        (``datetime64[ns]`` dates, NaT when unset) and responses (count)."""
        rows = self._handle.consultations()
        frame = pd.DataFrame(rows, columns=["id", "status", "title", "opens", "closes",
                                            "responses"])
        for c in ("id", "title"):
            frame[c] = frame[c].astype("string")
        frame["status"] = pd.Categorical(frame["status"], ordered=True, categories=[
            "draft", "scheduled", "open", "closed", "outcome_published"])
        for c in ("opens", "closes"):
            frame[c] = pd.to_datetime(frame[c].replace("", None), format="%Y-%m-%d")
        frame["responses"] = frame["responses"].astype("int64")
        return frame

    def questions(self, consultation_id: str) -> list[dict[str, Any]]:
        """The consultation's questions (its document's ``questions``)."""
        return json.loads(self._handle.questions_json(consultation_id))

    def responses(self, consultation_id: str) -> pd.DataFrame:
        """The consultation's responses as a DataFrame, one row per response in the order stored.

        Columns: ``reference`` (string), then one per question — single_choice: categorical in
        option order; scale: ordered categorical of min..max; yes_no: nullable boolean;
        multiple_choice: one nullable boolean column per option, ``"<id>[<option>]"``; ranking:
        one nullable Int64 rank column per option (1 = most preferred); free_text: string — then
        channel and language (categorical) and submitted_at (``datetime64[ns, UTC]``).
        ``attrs["questions"]`` holds each question's metadata, ``attrs["consultation"]`` its id.
        Text columns are Arrow-backed strings. Raises :class:`townhall.NotFound` for an unknown
        consultation.
        """
        t = self._handle.response_table(consultation_id)
        frame = frame_from_table(t, self.questions(consultation_id))
        frame.attrs["consultation"] = consultation_id
        return frame

    # ---- writing (writable=True) -------------------------------------------------------------

    @iso_dates
    def add_consultation(self, document: Mapping[str, Any], status: str = "draft", *,
                         policy: Any = None, as_of: datetime.date | None = None) -> str:
        """Stores a consultation document (consultation-draft.schema.json) and moves it through
        the lifecycle to ``status`` (draft, scheduled, open, closed or outcome_published is
        refused: it needs an outcome); returns its id.

        Each step runs the charter checks the REST API runs (against ``policy``, a
        :class:`townhall.Policy`, default the charter's; as of ``as_of``, default today in
        London) and is audited with actor ``python``. A breach raises :class:`townhall.Conflict`
        with the API's message, ``rule``/``rules`` and ``findings``, and nothing is stored.
        """
        return self._handle.add_consultation(json.dumps(document), status,
                                             policy if policy is not None else _townhall.Policy(),
                                             as_of)

    def submit_responses(self, consultation_id: str,
                         responses: Iterable[Mapping[str, Any]]) -> int:
        """Stores responses to an open consultation through the store's batched submit; each is
        ``{"answers": {...}, "channel": ..., "language": ...}`` (channel defaults to online,
        language to en-GB). Answers are checked against the questions, as the REST API does,
        before a chunk is stored. Returns how many were stored.
        """
        stored = 0
        chunk: list[Mapping[str, Any]] = []
        for r in responses:
            chunk.append(r)
            if len(chunk) == _CHUNK:
                stored += self._handle.submit_responses(consultation_id, json.dumps(chunk))
                chunk = []
        if chunk:
            stored += self._handle.submit_responses(consultation_id, json.dumps(chunk))
        return stored

    # ---- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        """Closes the database (idempotent)."""
        self._h = None

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        if self._h is None:
            return "Database(closed)"
        mode = "writable" if self.writable else "read-only"
        return f"Database({self.path!r}, schema {self.schema_version}, {mode})"


def open(path: str | os.PathLike[str], writable: bool = False,  # noqa: A001 - townhall.open
         create: bool = False, audit_key: str | os.PathLike[str] | None = None) -> Database:
    """Opens a Townhall database file (or a PostgreSQL database, given its ``postgresql://`` URL)
    for analysis.

    Read-only (every write refused) unless ``writable``; ``create`` (with ``writable``)
    makes a new database when the file does not exist. A read-only open never creates nor
    changes a file. Writes are recorded in the audit log, sealed with the audit key
    ``audit_key`` (default: the file beside the database, ``PATH.audit-key``, made on first use
    when the log has never been sealed). Raises
    :class:`townhall.DatabaseNotFound` for a missing file, :class:`townhall.SchemaTooNew` for a
    file written by a newer Townhall and :class:`townhall.NotATownhallDatabase` for any other
    file; a writable open upgrades an older schema in place.
    """
    if create and not writable:
        raise InvalidInput("create=True needs writable=True", code="invalid-argument",
                           field="create")
    p = os.fspath(path)
    key = None if audit_key is None else os.fspath(audit_key)
    try:
        handle = _townhall._open_database(p, writable, create, key)
    except NotFound as e:
        raise DatabaseNotFound(e.message, code=e.code, field=e.field) from None
    except Conflict as e:
        raise SchemaTooNew(e.message, code=e.code, field=e.field) from None
    except InvalidInput as e:
        raise NotATownhallDatabase(e.message, code=e.code, field=e.field) from None
    return Database(handle)


__all__ = ["Database", "open"]
