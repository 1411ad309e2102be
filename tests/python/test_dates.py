"""Every function taking a date also takes an ISO 'YYYY-MM-DD' string, and refuses anything else
with townhall.InvalidInput naming the parameter — never a TypeError listing C++ signatures.

The functions are found by introspection (every public callable of the package, its classes'
methods and the compiled module's functions whose signature has a datetime.date parameter), so a
new one without a case below fails the test.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

import townhall
from townhall import _townhall
from townhall._dates import date_parameters
from six_questions import QUESTIONS, consultation

D = dt.date

FP_CSV = ("id,matter,decision_maker,decision_maker_title,decision_maker_members,decision_date,"
          "period_from,period_to,value_pence,value_kind,wards,significant_effects,"
          "treated_as_key,assessment_reasons,notice_published_on,documents,"
          "documents_available_from,other_documents_statement,how_to_request\n"
          'KD-1,Highways contract,Cllr A Patel,Cabinet Member,,2025-07-17,,,12000000,spend,'
          'Abbey;Castle,yes,yes,Spend over £100000,2025-06-19,Cabinet report,'
          '"Town Hall",yes,Email us\n')


def _database(tmp_path_factory):
    path = tmp_path_factory.mktemp("dates") / "t.db"
    return townhall.open(path, writable=True, create=True)


# name -> (function getter, positional args with dates as datetime.date, keyword args).
def _cases(tmp_path_factory):
    db = _database(tmp_path_factory)
    draft = consultation("Dates", QUESTIONS[:1])
    draft.update(opens="2025-09-01", closes="2025-10-26")
    return {
        "is_bank_holiday": (townhall.is_bank_holiday, [D(2025, 12, 25)], {}),
        "is_working_day": (townhall.is_working_day, [D(2025, 12, 24)], {}),
        "clear_days": (townhall.clear_days, [D(2025, 7, 1), D(2025, 7, 30)], {}),
        "latest_publication": (townhall.latest_publication, [D(2025, 7, 30), 5], {}),
        "earliest_event": (townhall.earliest_event, [D(2025, 7, 1), 5], {}),
        "last_working_day_on_or_before": (townhall.last_working_day_on_or_before,
                                          [D(2025, 8, 25)], {}),
        "practical_latest_publication": (townhall.practical_latest_publication,
                                         [D(2025, 7, 30), 5], {}),
        "plan_close": (townhall.plan_close, [D(2025, 12, 1)], {}),
        "check_consultation": (townhall.check_consultation,
                               [{"id": "c1", "title": "Libraries", "opens": "2025-12-01",
                                 "closes": "2025-12-20", "channels": ["online"]}],
                               {"as_of": D(2025, 11, 1)}),
        "check_document": (townhall.check_document, [{"consultations": []}],
                           {"as_of": D(2025, 5, 1)}),
        "check_forward_plan_csv": (townhall.check_forward_plan_csv, [FP_CSV],
                                   {"as_of": D(2025, 6, 1)}),
        "Database.add_consultation": (db.add_consultation, [draft, "scheduled"],
                                      {"as_of": D(2025, 8, 1)}),
    }


def _date_taking_functions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}

    def visit(name, obj):
        if not callable(obj) or isinstance(obj, type):
            return
        try:
            params = date_parameters(obj)
        except ValueError:
            return
        if params:
            found[name] = params

    for name in dir(townhall):
        if name.startswith("_"):
            continue
        obj = getattr(townhall, name)
        if isinstance(obj, type):
            for attr, member in vars(obj).items():
                if not attr.startswith("_"):
                    visit(f"{name}.{attr}", member)
        else:
            visit(name, obj)
    for name in dir(townhall.text):
        if not name.startswith("_"):
            visit(f"text.{name}", getattr(townhall.text, name))
    # The compiled module's public functions are re-exported: each must be the wrapped one.
    for name in dir(_townhall):
        obj = getattr(_townhall, name)
        if not name.startswith("_") and callable(obj) and not isinstance(obj, type):
            try:
                params = date_parameters(obj)
            except ValueError:
                continue
            if params:
                assert getattr(townhall, name) is not obj, f"townhall.{name} is not wrapped"
    return found


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return _cases(tmp_path_factory)


def test_every_date_taking_function_has_a_case(cases):
    found = _date_taking_functions()
    assert len(found) >= 12
    assert set(found) == set(cases), "add a case for each new date-taking function"


def _with(func, args, kwargs, name, value):
    sig = inspect.signature(func)
    bound = sig.bind_partial(*args, **kwargs)
    bound.arguments[name] = value
    return bound.args, bound.kwargs


def _comparable(result):
    if isinstance(result, list):
        return [repr(r) for r in result]
    if hasattr(result, "to_dict"):
        return result.to_dict()
    return repr(result)


def test_iso_strings_give_the_same_answers_as_dates(cases):
    for name, params in _date_taking_functions().items():
        func, args, kwargs = cases[name]
        bound = inspect.signature(func).bind_partial(*args, **kwargs).arguments
        a, k = args, kwargs
        for p in params:
            a, k = _with(func, a, k, p, bound[p].isoformat())
        if name == "Database.add_consultation":
            assert func(*a, **k)  # stores a second consultation, with its own id
            continue
        assert _comparable(func(*a, **k)) == _comparable(func(*args, **kwargs)), name


BAD = [
    ("2025-02-30", "not a real date"),
    ("1/12/2025", "YYYY-MM-DD"),
    ("", "YYYY-MM-DD"),
    (20251201, "'YYYY-MM-DD' string"),
    (dt.datetime(2025, 12, 1, 9, 30), "time of day"),
    (["2025-12-01"], "'YYYY-MM-DD' string"),
]


@pytest.mark.parametrize("bad,says", BAD)
def test_anything_else_is_invalid_input_naming_the_parameter(cases, bad, says):
    for name, params in _date_taking_functions().items():
        func, args, kwargs = cases[name]
        for p in params:
            a, k = _with(func, args, kwargs, p, bad)
            with pytest.raises(townhall.InvalidInput) as e:
                func(*a, **k)
            assert e.value.field == p, (name, p, e.value)
            assert p in str(e.value) and says in str(e.value), (name, str(e.value))
            assert "C++" not in str(e.value) and "incompatible" not in str(e.value)


def test_the_notebook_example():
    plan = townhall.plan_close("2025-12-01")
    assert (plan.opens, plan.close) == (D(2025, 12, 1), townhall.plan_close(D(2025, 12, 1)).close)
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.plan_close("01/12/2025")
    assert e.value.field == "opens"
    assert "'YYYY-MM-DD'" in townhall.plan_close.__doc__
