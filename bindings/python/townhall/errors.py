"""Exceptions raised by townhall: one hierarchy rooted at :class:`Error`.

Every error carries ``code`` (the core's stable code, e.g. ``"invalid-argument"``), ``field``
(the offending field as a JSON pointer or column name, or ``None``) and ``rule`` (a charter rule
id when the error is about one, else ``None``). A step the charter refuses (a :class:`Conflict`
from :meth:`Database.add_consultation`) also carries ``rules``, every breached rule id, and
``findings``, every finding of the checks as the REST API's 409 lists them.
"""

from __future__ import annotations


class Error(Exception):
    """Base class of every townhall error."""

    def __init__(self, message: str, *, code: str = "internal", field: str | None = None,
                 rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field or None
        self.rule = rule or None
        self.rules: list[str] = [rule] if rule else []
        self.findings: list[dict] = []


class InvalidInput(Error, ValueError):
    """A value is malformed or out of range (code ``invalid-argument``)."""


class InvalidJson(InvalidInput):
    """Text that is not JSON (code ``invalid-json``)."""


class SchemaError(InvalidInput):
    """JSON that does not match its schema (code ``schema-violation``)."""


class InvalidCsv(InvalidInput):
    """CSV with missing columns or bad rows (code ``invalid-csv``)."""


class NotFound(Error, LookupError):
    """An unknown id (code ``not-found``)."""


class Conflict(Error):
    """The operation clashes with the current state (code ``conflict``)."""


class Infeasible(Error):
    """Constraints that cannot all hold, e.g. a raking target with no respondents."""


class IoError(Error, OSError):
    """File or database trouble (code ``io``)."""


class StorageFull(IoError):
    """The disk holding the database is full (code ``storage-full``): nothing was stored; free
    space and try again."""


class InternalError(Error):
    """A bug in townhall (code ``internal``)."""


class DatabaseNotFound(NotFound, FileNotFoundError):
    """townhall.open() was given a path with no file (``field`` is ``"path"``)."""


class SchemaTooNew(Conflict):
    """The database was written by a newer Townhall (a schema version this one does not know)."""


class NotATownhallDatabase(InvalidInput):
    """The file is not a Townhall database (not SQLite, or SQLite without Townhall's tables)."""


class RakingNotConverged(RuntimeWarning):
    """:func:`townhall.rake` stopped before every margin met its targets (often because trimming
    bounds the weights). The weights are still returned; the warning names the margin furthest
    from its targets: ``margin``, ``category``, ``target`` and ``achieved`` shares,
    ``relative_gap`` (|achieved - target| / target) and ``max_margin_error``."""

    def __init__(self, message: str, *, margin: str, category, target: float, achieved: float,
                 relative_gap: float, max_margin_error: float, unmet: list[str]) -> None:
        super().__init__(message)
        self.margin = margin
        self.category = category
        self.target = target
        self.achieved = achieved
        self.relative_gap = relative_gap
        self.max_margin_error = max_margin_error
        self.unmet = unmet


_BY_CODE: dict[str, type[Error]] = {
    "invalid-argument": InvalidInput,
    "invalid-json": InvalidJson,
    "schema-violation": SchemaError,
    "invalid-csv": InvalidCsv,
    "not-found": NotFound,
    "conflict": Conflict,
    "infeasible": Infeasible,
    "io": IoError,
    "storage-full": StorageFull,
    "internal": InternalError,
}


def class_for_code(code: str) -> type[Error]:
    """The exception class for a core error code (used by the compiled module)."""
    return _BY_CODE.get(code, InternalError)


__all__ = ["Error", "InvalidInput", "InvalidJson", "SchemaError", "InvalidCsv", "NotFound",
           "Conflict", "Infeasible", "IoError", "StorageFull", "InternalError", "DatabaseNotFound", "SchemaTooNew",
           "NotATownhallDatabase", "RakingNotConverged", "class_for_code"]
