"""The demo database, made through Python: the same seeding as ``townhall demo seed``.

:func:`seed` makes (or fills) a Townhall database with consultations in every lifecycle state,
responses in English and Welsh, a Citizens' Panel member and a Forward Plan, all through the core's
lifecycle and charter checks, so the example notebook and your own experiments need nothing but
the installed package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .database import open as _open


@dataclass(frozen=True)
class DemoDatabase:
    """What :func:`seed` made. ``seeded`` is False when the file already held consultations
    (then nothing was changed and there are no tokens)."""

    path: Path
    seeded: bool
    officer_token: str | None
    governance_token: str | None
    consultations: int
    responses: int
    key_decisions: int
    meetings: int


def seed(path: str | os.PathLike[str], *,
         audit_key: str | os.PathLike[str] | None = None) -> DemoDatabase:
    """Seeds the demo data into the database at ``path``, making the file when there is none.

    Six consultations (two open, one scheduled, one closed, one with its outcome published and a
    draft that breaches the minimum consultation period) with 21 responses, a panel member
    (panel.member@example.org), two key decisions and two Cabinet meetings, dated around today. A database that already
    has consultations is left unchanged. The officer's bearer token (for ``townhall serve``'s API)
    is returned once and stored only as a hash. Writes are sealed with ``audit_key`` (default: the
    file beside the database, ``PATH.audit-key``). Raises :class:`townhall.NotATownhallDatabase`
    for a file that is not a Townhall database.
    """
    p = Path(os.fspath(path))
    with _open(p, writable=True, create=True, audit_key=audit_key) as db:
        made = db._handle.seed_demo()
    return DemoDatabase(
        path=p, seeded=made["seeded"],
        officer_token=made["officer_token"] or None,
        governance_token=made["governance_token"] or None,
        consultations=made["consultations"], responses=made["responses"],
        key_decisions=made["key_decisions"], meetings=made["meetings"])


__all__ = ["DemoDatabase", "seed"]
