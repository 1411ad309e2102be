"""Date arguments: a :class:`datetime.date` or an ISO ``YYYY-MM-DD`` string, for every function.

:func:`iso_dates` wraps a function (Python, or compiled with the signature pybind11 writes on
the first line of its docstring) so that each parameter typed as a date also takes a string,
parsed strictly by the core. Anything else — a malformed string, a ``datetime`` whose time of
day would be dropped, a number — raises :class:`townhall.InvalidInput` whose ``field`` names the
parameter, rather than a TypeError listing C++ signatures.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import re
from typing import Any, Callable

from . import _townhall
from .errors import InvalidInput

_DATE_TYPE = re.compile(r"(?<![\w.])(?:datetime|_dt)\.date\b(?!time)")


def date_arg(value: Any, name: str) -> Any:
    """``value`` as a :class:`datetime.date` (None stays None), or InvalidInput naming ``name``."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        raise InvalidInput(f"{name} must be a date, not a datetime (its time of day would be "
                           f"dropped): pass {value.date()!r} or '{value.date().isoformat()}'",
                           code="invalid-argument", field=name)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return _townhall.parse_date(value.strip(), name)
    raise InvalidInput(f"{name} must be a datetime.date or a 'YYYY-MM-DD' string, not "
                       f"{type(value).__name__} {value!r}", code="invalid-argument", field=name)


class _Default:
    """A default value shown as pybind11 wrote it (only displayed, never passed on)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _split_top_level(text: str) -> list[str]:
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:])
    return [p.strip() for p in parts]


def _compiled_signature(func: Callable) -> inspect.Signature:
    """The signature pybind11 writes as the first docstring line: name(a: T, b: U = d) -> R."""
    first = (func.__doc__ or "").splitlines()[0] if func.__doc__ else ""
    m = re.match(r"^\w+\((.*)\)\s*(?:->\s*(.*))?$", first)
    if not m:
        raise ValueError(f"no signature in the docstring of {func!r}")
    params = []
    for part in _split_top_level(m.group(1)):
        decl, _, default = part.partition(" = ")
        name, _, annotation = decl.partition(": ")
        params.append(inspect.Parameter(
            name.strip(), inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=_Default(default) if default else inspect.Parameter.empty,
            annotation=annotation.strip() or inspect.Parameter.empty))
    return inspect.Signature(params, return_annotation=m.group(2) or inspect.Signature.empty)


def signature_of(func: Callable) -> inspect.Signature:
    try:
        return inspect.signature(func)
    except (ValueError, TypeError):
        return _compiled_signature(func)


def date_parameters(func: Callable) -> list[str]:
    """Names of the parameters of ``func`` annotated as dates (optional ones included)."""
    return [p.name for p in signature_of(func).parameters.values()
            if isinstance(p.annotation, str) and _DATE_TYPE.search(p.annotation)
            or p.annotation is datetime.date]


def iso_dates(func: Callable) -> Callable:
    """``func`` with its date parameters also taking 'YYYY-MM-DD' strings (see module doc)."""
    sig = signature_of(func)
    names = date_parameters(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = sig.bind_partial(*args, **kwargs)
        except TypeError:
            return func(*args, **kwargs)  # a wrong number of arguments: the usual message
        for name in names:
            if name in bound.arguments:
                bound.arguments[name] = date_arg(bound.arguments[name], name)
        return func(*bound.args, **bound.kwargs)

    wrapper.__signature__ = sig  # type: ignore[attr-defined]
    wrapper.__doc__ = (func.__doc__ or "").rstrip() + (
        "\n\nDates may be datetime.date or 'YYYY-MM-DD' strings." if names else "")
    return wrapper
