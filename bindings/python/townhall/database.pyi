# Type stubs for townhall.database (townhall.open and townhall.Database).
import os
from typing import Any, Iterable, Mapping

import pandas as pd

class Database:
    """A Townhall database opened with townhall.open (read-only unless writable=True)."""
    @property
    def path(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def writable(self) -> bool: ...
    def consultations(self) -> pd.DataFrame:
        """id, status, title, opens, closes, responses — one row per consultation."""
    def questions(self, consultation_id: str) -> list[dict[str, Any]]: ...
    def responses(self, consultation_id: str) -> pd.DataFrame:
        """One row per response, one column per question (typed), plus reference, channel,
        language and submitted_at; question metadata in attrs["questions"]."""
    def add_consultation(self, document: Mapping[str, Any], status: str = ...) -> str: ...
    def submit_responses(self, consultation_id: str,
                         responses: Iterable[Mapping[str, Any]]) -> int: ...
    def close(self) -> None: ...
    def __enter__(self) -> Database: ...
    def __exit__(self, *exc: object) -> None: ...

def open(path: str | os.PathLike[str], writable: bool = ..., create: bool = ...,
         audit_key: str | os.PathLike[str] | None = ...) -> Database:
    """Opens a Townhall database (read-only SQLite URI unless writable)."""
