"""townhall — UK councils' public participation: charter rules, calendar and response analysis.

The compiled core (``townhall._townhall``, libtownhall via pybind11) does the work; this package
adds Python conveniences: dicts and JSON files in, pandas DataFrames out.

Dates are :class:`datetime.date`; every parameter taking one also takes an ISO ``YYYY-MM-DD``
string (anything else raises :class:`InvalidInput` naming the parameter). Errors are :class:`townhall.Error` subclasses carrying
``.code``, ``.field`` and ``.rule``.
"""

from __future__ import annotations

import builtins as _builtins
import datetime as _dt
import json as _json
import os as _os
from typing import Any, Iterable, Mapping

from . import _townhall
from ._townhall import (BankHoliday, ClosePlan, ComplianceReport, Consultation, Finding,
                        Policy, Rule, bank_holidays, clear_days, earliest_event,
                        is_bank_holiday, is_working_day, last_working_day_on_or_before,
                        latest_publication, parse_date, practical_latest_publication, rule, rules,
                        today_in_london)
from .errors import (Conflict, DatabaseNotFound, Error, Infeasible, InternalError, InvalidCsv,
                     InvalidInput, InvalidJson, IoError, NotATownhallDatabase, NotFound,
                     RakingNotConverged, SchemaError, SchemaTooNew, StorageFull)
from .analysis import (RakingReport, crosstab, kish_effective_sample_size, rake,
                       representativeness, tally)
from .plots import plot_answers_by_group, plot_representativeness
from .census import census_targets
from .responses import responses_frame
from .respondents import duplicate_respondents
# townhall.open is left out of __all__ so `from townhall import *` keeps the builtin open.
from .database import Database, open
from . import demo, text
from ._dates import iso_dates as _iso_dates

# Every date parameter also takes 'YYYY-MM-DD' text (townhall/_dates.py).
is_bank_holiday = _iso_dates(is_bank_holiday)
is_working_day = _iso_dates(is_working_day)
clear_days = _iso_dates(clear_days)
latest_publication = _iso_dates(latest_publication)
earliest_event = _iso_dates(earliest_event)
last_working_day_on_or_before = _iso_dates(last_working_day_on_or_before)
practical_latest_publication = _iso_dates(practical_latest_publication)

__version__ = "0.1.0"

# ---- policy and consultations: dict / JSON text / file constructors --------------------------


def _policy_from_dict(cls, data: Mapping[str, Any]) -> Policy:
    """A policy from a dict shaped like charter-policy.schema.json (omitted keys: defaults)."""
    return Policy._from_json_text(_json.dumps(data))


def _policy_from_json(cls, text: str) -> Policy:
    """A policy from JSON text (charter-policy.schema.json)."""
    return Policy._from_json_text(text)


def _policy_from_file(cls, path: str | _os.PathLike[str]) -> Policy:
    """A policy from a JSON file (charter-policy.schema.json)."""
    try:
        with _builtins.open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise IoError(f"cannot read policy file {path}: {e.strerror}", code="io",
                      field=str(path)) from e
    return Policy._from_json_text(text)


def _policy_to_dict(self: Policy) -> dict[str, Any]:
    """The policy as a dict (charter-policy.schema.json), every setting spelled out."""
    return _json.loads(self._to_json_text())


Policy.from_dict = classmethod(_policy_from_dict)  # type: ignore[attr-defined]
Policy.from_json = classmethod(_policy_from_json)  # type: ignore[attr-defined]
Policy.from_file = classmethod(_policy_from_file)  # type: ignore[attr-defined]
Policy.to_dict = _policy_to_dict  # type: ignore[attr-defined]


def _consultation_from_dict(cls, data: Mapping[str, Any]) -> Consultation:
    """A consultation from a dict shaped like consultation.schema.json (dates as YYYY-MM-DD)."""
    return Consultation._from_json_text(_json.dumps(data, default=_json_default))


def _consultation_to_dict(self: Consultation) -> dict[str, Any]:
    return _json.loads(self._to_json_text())


Consultation.from_dict = classmethod(_consultation_from_dict)  # type: ignore[attr-defined]
Consultation.to_dict = _consultation_to_dict  # type: ignore[attr-defined]


def _json_default(value: Any) -> Any:
    # datetime.date values in dicts become YYYY-MM-DD, as the schemas expect.
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _finding_to_dict(self: Finding) -> dict[str, Any]:
    return _json.loads(self._to_json_text())


Finding.to_dict = _finding_to_dict  # type: ignore[attr-defined]


def _report_to_dict(self: ComplianceReport) -> dict[str, Any]:
    return _json.loads(self._to_json_text())


def _report_findings_frame(self: ComplianceReport):
    """The report's findings as a DataFrame (see :func:`findings_frame`)."""
    return findings_frame(self.findings)


ComplianceReport.to_dict = _report_to_dict  # type: ignore[attr-defined]
ComplianceReport.findings_frame = _report_findings_frame  # type: ignore[attr-defined]


def _policy_or_default(policy: Policy | Mapping[str, Any] | None) -> Policy:
    if policy is None:
        return Policy()
    if isinstance(policy, Policy):
        return policy
    return Policy.from_dict(policy)  # type: ignore[attr-defined]


# ---- calendar -------------------------------------------------------------------------------


def bank_holidays_frame(from_year: int, to_year: int | None = None,
                        region: str = "england-and-wales"):
    """Bank holidays as a DataFrame: columns date (datetime.date), name, substitute, provisional."""
    import pandas as pd

    hs = bank_holidays(from_year, to_year, region)
    return pd.DataFrame({
        "date": pd.Series([h.date for h in hs], dtype="object"),
        "name": pd.Series([h.name for h in hs], dtype="str"),
        "substitute": pd.Series([h.substitute for h in hs], dtype="bool"),
        "provisional": pd.Series([h.provisional for h in hs], dtype="bool"),
    })


# ---- consultations and compliance ----------------------------------------------------------


@_iso_dates
def plan_close(opens: _dt.date, weeks: int | None = None,
               policy: Policy | Mapping[str, Any] | None = None) -> ClosePlan:
    """The close date a consultation opening on ``opens`` needs (C-MIN with the C-EXT extension).

    ``weeks`` defaults to the policy's big-decision weeks (6 under the charter).
    """
    return _townhall.plan_close(opens, weeks, _policy_or_default(policy))


def _iso_or_fail(value: Any) -> str:
    """Dates inside a document given as a dict are written as the API writes them."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


@_iso_dates
def check_consultation(consultation: Consultation | Mapping[str, Any],
                       policy: Policy | Mapping[str, Any] | None = None,
                       as_of: _dt.date | None = None,
                       translations: Mapping[str, Mapping[str, Any]] | None = None) -> list[Finding]:
    """Every charter finding for one consultation: the same rules, in the same order, as
    ``townhall check``, ``GET /api/v1/consultations/{id}/findings`` and every lifecycle step.

    ``consultation`` is a dict shaped as the API returns a consultation (``id``, dates, text,
    ``languages`` it promises, questions, …) or a :class:`Consultation`. The consultation rules
    (C-*, G*, VAR) run on either; LANG (every promised language complete) and READ (plain language)
    read the text and the promised languages, which only the dict carries. ``translations`` maps a
    language tag to its translation document (as ``PUT …/translations/{lang}`` takes it).
    ``as_of`` (default: today in Europe/London) decides "due by" versus "overdue".
    """
    if isinstance(consultation, Consultation):
        consultation = _json.loads(consultation._to_json_text())
    return _townhall._consultation_findings(_json.dumps(dict(consultation), default=_iso_or_fail),
                                            _json.dumps(dict(translations or {}), default=_iso_or_fail),
                                            _policy_or_default(policy),
                                            as_of if as_of is not None else today_in_london())


@_iso_dates
def check_document(document: Mapping[str, Any] | str,
                   policy: Policy | Mapping[str, Any] | None = None,
                   as_of: _dt.date | None = None) -> ComplianceReport:
    """Checks a check file (check-input.schema.json) given as a dict or JSON text.

    The same check as ``townhall check`` and the server. ``as_of`` overrides the document's own.
    """
    text = document if isinstance(document, str) else _json.dumps(document, default=_json_default)
    return _townhall._check_document_text(text, _policy_or_default(policy), as_of)


@_iso_dates
def check_forward_plan_csv(csv: str | _os.PathLike[str],
                           policy: Policy | Mapping[str, Any] | None = None,
                           as_of: _dt.date | None = None) -> ComplianceReport:
    """Checks a Forward Plan kept as CSV (docs/forward-plan-csv.md): the CSV text itself, or a
    path to the file. Same rules and report as :func:`check_document`."""
    if isinstance(csv, str) and "\n" in csv:
        text = csv
    else:
        try:
            with _builtins.open(csv, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise IoError(f"cannot read {csv}: {e.strerror}", code="io", field=str(csv)) from e
    return _townhall._check_forward_plan_csv(text, _policy_or_default(policy), as_of)


def readability(text: str, lang: str = "en-GB") -> dict[str, Any]:
    """Readability of a text (the core's report, as ``townhall readability`` prints it):
    sentences, words, long words, LIX for any language; Flesch reading ease, Flesch–Kincaid grade
    and reading age for English; the longest sentences and the GOV.UK guidance the text misses."""
    return _json.loads(_townhall._readability_json_text(text, lang))


_FINDING_COLUMNS = ["rule", "severity", "subject_kind", "subject_id", "message", "citation"]


def findings_frame(findings: Iterable[Finding]):
    """Findings as a DataFrame: rule, severity (ordered categorical breach > warning > info),
    subject_kind, subject_id, message, citation, then one column per computed date
    (datetime.date, None when absent) and per figure (nullable Int64)."""
    import pandas as pd

    findings = list(findings)
    data: dict[str, Any] = {c: [getattr(f, c) for f in findings] for c in _FINDING_COLUMNS}
    date_keys = sorted({k for f in findings for k in f.dates})
    figure_keys = sorted({k for f in findings for k in f.figures} - set(date_keys))
    frame = pd.DataFrame({c: pd.Series(data[c], dtype="str") for c in _FINDING_COLUMNS})
    frame["severity"] = pd.Categorical(data["severity"], categories=["breach", "warning", "info"],
                                       ordered=True)
    for k in date_keys:
        frame[k] = pd.Series([f.dates.get(k) for f in findings], dtype="object")
    for k in figure_keys:
        frame[k] = pd.array([f.figures.get(k) for f in findings], dtype="Int64")
    return frame


__all__ = [
    "BankHoliday", "ClosePlan", "ComplianceReport", "Consultation", "Finding", "Policy", "Rule",
    "RakingReport",
    "Error", "InvalidInput", "InvalidJson", "SchemaError", "InvalidCsv", "NotFound", "Conflict",
    "Infeasible", "IoError", "StorageFull", "InternalError", "DatabaseNotFound", "SchemaTooNew",
    "NotATownhallDatabase", "RakingNotConverged", "Database", "demo", "text",
    "bank_holidays", "bank_holidays_frame", "clear_days", "earliest_event", "is_bank_holiday",
    "is_working_day", "last_working_day_on_or_before", "latest_publication", "parse_date",
    "practical_latest_publication", "rule", "rules", "today_in_london",
    "plan_close", "check_consultation", "check_document", "check_forward_plan_csv",
    "findings_frame", "readability",
    "rake", "tally", "crosstab", "duplicate_respondents", "kish_effective_sample_size", "census_targets",
    "responses_frame", "representativeness", "plot_representativeness",
    "plot_answers_by_group",
]
