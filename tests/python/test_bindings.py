"""Bindings of the core: dates, calendar, policy, consultations, compliance, error mapping.

Expected values come from published calendars (GOV.UK bank holidays), the charter text in
docs/design.md §2 and hand counting of days, not from the code's output.
"""

import datetime as dt
import inspect
import json

import pandas as pd
import pytest

import townhall
from townhall import _townhall

D = dt.date


# ---- dates and calendar -----------------------------------------------------------------------

def test_bank_holidays_england_2025_are_dates_in_order():
    # GOV.UK: England and Wales bank holidays 2025.
    expected = [D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
                D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)]
    hs = townhall.bank_holidays(2025)
    assert [h.date for h in hs] == expected
    assert all(type(h.date) is dt.date for h in hs)
    assert hs[1].name == "Good Friday"


def test_scotland_2025_st_andrews_day_substitute():
    # St Andrew's Day, Sunday 30 November 2025, is observed on Monday 1 December.
    hs = townhall.bank_holidays(2025, region="scotland")
    by_date = {h.date: h for h in hs}
    assert D(2025, 1, 2) in by_date and D(2025, 8, 4) in by_date
    assert by_date[D(2025, 12, 1)].substitute
    assert D(2025, 8, 25) not in by_date


def test_2020_early_may_moved_to_ve_day():
    dates = [h.date for h in townhall.bank_holidays(2020)]
    assert D(2020, 5, 8) in dates and D(2020, 5, 4) not in dates


def test_bank_holidays_frame():
    f = townhall.bank_holidays_frame(2024, 2025)
    assert list(f.columns) == ["date", "name", "substitute", "provisional"]
    assert len(f) == 16
    assert f["date"].iloc[0] == D(2024, 1, 1)
    assert f["substitute"].dtype == bool


def test_clear_days_calendar_mode():
    # Published Tue 1 July, meeting Wed 30 July 2025: days 2..29 July are clear = 28.
    assert townhall.clear_days(D(2025, 7, 1), D(2025, 7, 30)) == 28
    assert townhall.latest_publication(D(2025, 7, 30), 28) == D(2025, 7, 1)
    assert townhall.earliest_event(D(2025, 7, 1), 28) == D(2025, 7, 30)
    assert townhall.clear_days(D(2025, 7, 1), D(2025, 7, 2)) == 0


def test_clear_days_working_mode_skips_bank_holiday():
    # Published Fri 22 Aug 2025; Mon 25 Aug is a bank holiday; clear working days are
    # Tue 26, Wed 27, Thu 28, Fri 29 Aug and Mon 1 Sep = 5, so the first event day is Tue 2 Sep.
    assert townhall.earliest_event(D(2025, 8, 22), 5, mode="working") == D(2025, 9, 2)
    assert townhall.clear_days(D(2025, 8, 22), D(2025, 9, 2), mode="working") == 5
    assert townhall.clear_days(D(2025, 8, 22), D(2025, 9, 1), mode="working") == 4
    assert townhall.is_bank_holiday(D(2025, 8, 25))
    assert not townhall.is_working_day(D(2025, 8, 25))
    assert townhall.is_working_day(D(2025, 8, 26))


def test_practical_latest_publication_moves_back_to_working_day():
    # Event Mon 30 June 2025, 28 clear days: legal latest is Sun 1 June (30 − 29 days);
    # the practical latest is Fri 30 May.
    assert townhall.latest_publication(D(2025, 6, 30), 28) == D(2025, 6, 1)
    assert townhall.practical_latest_publication(D(2025, 6, 30), 28) == D(2025, 5, 30)
    # Event Tue 23 Sep 2025: legal latest Mon 25 Aug (bank holiday) -> Fri 22 Aug.
    assert townhall.practical_latest_publication(D(2025, 9, 23), 28) == D(2025, 8, 22)
    assert townhall.last_working_day_on_or_before(D(2025, 8, 25)) == D(2025, 8, 22)


def test_dates_reject_datetime_and_take_iso_strings():
    # A datetime's time of day would be dropped: refused, naming the parameter
    # (tests/python/test_dates.py covers every date-taking function).
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.clear_days(dt.datetime(2025, 7, 1, 12, 0), D(2025, 7, 30))
    assert e.value.field == "published"
    assert townhall.clear_days("2025-07-01", D(2025, 7, 30)) == 28


def test_parse_date():
    assert townhall.parse_date("2024-02-29") == D(2024, 2, 29)
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.parse_date("2025-02-29", field="/opens")
    assert e.value.code == "invalid-argument"
    assert e.value.field == "/opens"
    assert isinstance(e.value, ValueError)


def test_bad_region_and_mode_name_the_field():
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.bank_holidays(2025, region="wales-only")
    assert e.value.field == "region"
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.clear_days(D(2025, 1, 1), D(2025, 2, 1), mode="fortnights")
    assert e.value.field == "mode"
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.bank_holidays(1950)
    assert e.value.code == "invalid-argument"


# ---- errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("code,cls,builtin", [
    ("invalid-argument", townhall.InvalidInput, ValueError),
    ("invalid-json", townhall.InvalidJson, ValueError),
    ("schema-violation", townhall.SchemaError, ValueError),
    ("invalid-csv", townhall.InvalidCsv, ValueError),
    ("not-found", townhall.NotFound, LookupError),
    ("conflict", townhall.Conflict, Exception),
    ("infeasible", townhall.Infeasible, Exception),
    ("io", townhall.IoError, OSError),
    ("storage-full", townhall.StorageFull, OSError),
    ("internal", townhall.InternalError, Exception),
])
def test_every_core_error_code_maps_to_its_class(code, cls, builtin):
    with pytest.raises(cls) as e:
        _townhall._raise_error(code, "/a/b", "went wrong", "KD-2")
    err = e.value
    assert isinstance(err, townhall.Error) and isinstance(err, builtin)
    assert (err.code, err.field, err.rule) == (code, "/a/b", "KD-2")
    assert str(err) == "/a/b: went wrong"


def test_unknown_rule_is_not_found_with_rule():
    with pytest.raises(townhall.NotFound) as e:
        townhall.rule("KD-99")
    assert e.value.rule == "KD-99"
    r = townhall.rule("KD-2")
    assert r.id == "KD-2" and r.default_severity == "breach"
    assert [x.id for x in townhall.rules()][:2] == ["C-MIN", "C-EXT"]


# ---- policy -----------------------------------------------------------------------------------

def test_policy_defaults_and_dict():
    p = townhall.Policy()
    assert p.big_decision_weeks == 6 and p.region == "england-and-wales"
    p8 = townhall.Policy.from_dict({"consultation": {"big_decision_weeks": 8},
                                    "severities": {"VAR": "info"}})
    assert p8.big_decision_weeks == 8
    assert p8.severity_of("VAR") == "info"
    assert p8.to_dict()["consultation"]["big_decision_weeks"] == 8
    with pytest.raises(townhall.NotFound):
        p8.severity_of("NOPE")


def test_policy_from_json_and_file(tmp_path):
    text = json.dumps({"region": "scotland"})
    assert townhall.Policy.from_json(text).region == "scotland"
    path = tmp_path / "policy.json"
    path.write_text(text)
    assert townhall.Policy.from_file(path).region == "scotland"
    with pytest.raises(townhall.IoError):
        townhall.Policy.from_file(tmp_path / "missing.json")
    with pytest.raises(townhall.InvalidJson):
        townhall.Policy.from_json("{not json")
    with pytest.raises(townhall.SchemaError) as e:
        townhall.Policy.from_dict({"consultation": {"big_decision_weeks": "six"}})
    assert e.value.field == "/consultation/big_decision_weeks"


# ---- consultations ----------------------------------------------------------------------------

def test_plan_close_design_example():
    # docs/design.md §2.3: six weeks opening Mon 1 Dec 2025 would close Sun 11 Jan 2026; 9 holiday
    # days inside (24 Dec – 1 Jan) -> closes Sun 25 Jan 2026 (56 days).
    plan = townhall.plan_close(D(2025, 12, 1))
    assert plan.base_close == D(2026, 1, 11)
    assert plan.close == D(2026, 1, 25)
    assert plan.holiday_days == 9 and plan.length_days == 56 and plan.extended


def test_plan_close_with_policy_weeks():
    # Eight weeks from Mon 3 Mar 2025: 56 days inclusive -> Sun 27 Apr, no holiday window.
    p = {"consultation": {"big_decision_weeks": 8}}
    plan = townhall.plan_close(D(2025, 3, 3), policy=p)
    assert (plan.base_days, plan.close, plan.extended) == (56, D(2025, 4, 27), False)
    assert townhall.plan_close(D(2025, 3, 3), weeks=6).close == D(2025, 4, 13)


def test_consultation_from_dict():
    c = townhall.Consultation.from_dict({"id": "c1", "title": "Libraries", "opens": D(2025, 3, 3),
                                         "channels": ["online", "paper"]})
    assert c.opens == D(2025, 3, 3) and c.closes is None
    assert c.channels == ["online", "paper"]
    assert c.to_dict()["opens"] == "2025-03-03"
    with pytest.raises(townhall.SchemaError) as e:
        townhall.Consultation.from_dict({"id": "c1", "title": "T", "channels": ["pigeon"]})
    assert e.value.field.startswith("/channels")


def test_check_consultation_short_big_decision():
    # Big decision open 1–20 Dec 2025 (20 days): C-MIN needs 42 days -> breach;
    # online only -> VAR warning.
    fs = townhall.check_consultation(
        {"id": "c1", "title": "Libraries", "big_decision": True, "opens": "2025-12-01",
         "closes": "2025-12-20", "channels": ["online"]},
        as_of=D(2025, 11, 1))
    by_rule = {f.rule: f for f in fs}
    cmin = by_rule["C-MIN"]
    assert cmin.severity == "breach"
    assert cmin.figures["length_days"] == 20 and cmin.figures["required_days"] == 42
    assert cmin.dates["opens"] == D(2025, 12, 1)
    assert by_rule["VAR"].severity == "warning"
    assert all(f.subject_id == "c1" and f.subject_kind == "consultation" for f in fs)


def test_check_document_and_findings_frame():
    doc = {"as_of": "2025-11-01", "consultations": [
        {"id": "ok", "title": "Parks", "big_decision": True, "opens": "2025-03-03",
         "closes": "2025-04-13", "proposal": "p", "reasons": "r",
         "options_considered": [{"option": "do nothing", "rejected": True, "reason": "costly"}],
         "channels": ["online", "paper"]},
        {"id": "short", "title": "Bins", "big_decision": True, "opens": "2025-03-03",
         "closes": "2025-03-20", "channels": ["online"]}]}
    report = townhall.check_document(doc)
    assert report.as_of == D(2025, 11, 1)
    assert report.consultations_checked == 2 and report.has_breach
    breaches = [f for f in report.findings if f.severity == "breach"]
    assert {f.subject_id for f in breaches if f.rule == "C-MIN"} == {"short"}
    frame = report.findings_frame()
    assert list(frame.columns[:6]) == ["rule", "severity", "subject_kind", "subject_id",
                                       "message", "citation"]
    assert len(frame) == len(report.findings)
    assert list(frame["severity"].cat.categories) == ["breach", "warning", "info"]
    row = frame[(frame.rule == "C-MIN") & (frame.subject_id == "short")].iloc[0]
    assert row["length_days"] == 18 and row["opens"] == D(2025, 3, 3)
    assert frame["length_days"].dtype == "Int64"
    # as_of argument overrides the document's
    assert townhall.check_document(doc, as_of=D(2025, 5, 1)).as_of == D(2025, 5, 1)
    assert report.to_dict()["checked"]["consultations"] == 2


def test_check_document_bad_input_names_field_and_reports_nothing():
    doc = {"consultations": [{"id": "a", "title": "A"}, {"id": "b", "title": "B",
                                                         "opens": "2025-13-01"}]}
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.check_document(doc)
    assert e.value.field == "/consultations/1/opens"
    doc["consultations"][1] = {"id": "b", "title": "B", "colour": "red"}
    with pytest.raises(townhall.SchemaError) as e:
        townhall.check_document(doc)
    assert e.value.field.startswith("/consultations/1")
    with pytest.raises(townhall.InvalidJson):
        townhall.check_document("{")


def test_hostile_json_text_is_refused_not_crashed_on():
    # 50,000 nested arrays (100 KB): refused at parse time, before anything recursive sees them.
    deep = '{"consultations": [{"id": "a", "title": ' + "[" * 50000 + "]" * 50000 + "}]}"
    with pytest.raises(townhall.InvalidJson) as e:
        townhall.check_document(deep)
    assert "more than 64 levels deep" in str(e.value)
    with pytest.raises(townhall.InvalidJson):
        townhall.Policy.from_json('{"holiday_windows": ' + "[" * 50000 + "]" * 50000 + "}")
    # A number past a double's range, named by its place.
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.check_document('{"consultations": [{"id": "a", "title": "A", "weeks": 1e400}]}')
    assert e.value.field == "/consultations/0/weeks"
    # NUL and other control characters in text; a byte-order mark.
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.check_document({"consultations": [{"id": "a", "title": "A\u0000B"}]})
    assert e.value.field == "/consultations/0/title"
    with pytest.raises(townhall.InvalidJson):
        townhall.check_document('\ufeff{"consultations": []}')


# ---- help() and stubs ------------------------------------------------------------------------

def test_docstrings_and_signatures_for_help():
    assert "Clear days strictly between" in _townhall.clear_days.__doc__
    assert "published" in _townhall.clear_days.__doc__
    for name in ["plan_close", "check_document", "rake", "tally", "crosstab", "census_targets",
                 "findings_frame", "check_consultation"]:
        assert inspect.getdoc(getattr(townhall, name)), name
    assert "datetime.date" in _townhall.latest_publication.__doc__


def test_type_stubs_ship_with_the_package():
    from pathlib import Path
    pkg = Path(townhall.__file__).parent
    assert (pkg / "py.typed").exists()
    stub = (pkg / "__init__.pyi").read_text()
    for name in ["def rake(", "def plan_close(", "class Policy", "def census_targets("]:
        assert name in stub


# ---- Forward Plan CSV and readability ---------------------------------------------------------

FP_HEADER = ("id,matter,decision_maker,decision_maker_title,decision_maker_members,decision_date,"
             "period_from,period_to,value_pence,value_kind,wards,significant_effects,"
             "treated_as_key,assessment_reasons,notice_published_on,documents,"
             "documents_available_from,other_documents_statement,how_to_request")


def test_forward_plan_csv_kd2_by_hand(tmp_path):
    # Decision Thu 17 July 2025, notice Thu 19 June: clear days 20–30 June (11) and 1–16 July
    # (16) = 27 < 28, so KD-2 is breached; the latest notice day was Wed 18 June.
    row = ('KD-1,Highways contract,Cllr A Patel,Cabinet Member,,2025-07-17,,,12000000,spend,'
           'Abbey;Castle,yes,yes,Spend over £100000,2025-06-19,Cabinet report,'
           '"Town Hall",yes,Email us')
    text = FP_HEADER + "\n" + row + "\n"
    report = townhall.check_forward_plan_csv(text, as_of=D(2025, 6, 1))
    kd2 = [f for f in report.findings if f.rule == "KD-2"]
    assert len(kd2) == 1 and kd2[0].severity == "breach" and kd2[0].subject_id == "KD-1"
    assert kd2[0].figures["clear_days"] == 27
    assert kd2[0].dates["required_by"] == D(2025, 6, 18)
    assert report.key_decisions_checked == 1
    path = tmp_path / "plan.csv"
    path.write_text(text, encoding="utf-8")
    assert len(townhall.check_forward_plan_csv(path, as_of=D(2025, 6, 1)).findings) == \
        len(report.findings)
    with pytest.raises(townhall.IoError):
        townhall.check_forward_plan_csv(tmp_path / "missing.csv")


def test_readability_by_hand():
    # 2 sentences, 9 words, no word over 6 letters: LIX = 9/2 + 100·0/9 = 4.5.
    # Syllables: 8 one-syllable words + "hap-py" = 10;
    # Flesch = 206.835 − 1.015·4.5 − 84.6·10/9 = 108.27.
    r = townhall.readability("The cat sat on the mat. It was happy.")
    assert (r["sentences"], r["words"], r["long_words"]) == (2, 9, 0)
    assert r["lix"] == pytest.approx(4.5)
    assert r["flesch_reading_ease"] == pytest.approx(108.27, abs=0.01)
    with pytest.raises(townhall.InvalidInput):
        townhall.readability("   ")


# ---- check_consultation runs LANG and READ like the API --------------------------------------

def _library_consultation(**changes):
    # Big decision open six weeks (Mon 3 Mar – Sun 13 Apr 2025, 42 days), reasons and a rejected
    # option given, a paper channel: nothing in C-*, G* or VAR to find (docs/design.md §2.3).
    doc = {"id": "library-hours", "title": "Library opening hours",
           "summary": "We want to change when libraries open.", "big_decision": True,
           "opens": "2025-03-03", "closes": "2025-04-13",
           "proposal": "Open libraries at 10am on weekdays.", "reasons": "Few people visit before 10am.",
           "options_considered": [{"option": "Close one day a week", "rejected": True,
                                   "reason": "Weekday access matters most."}],
           "channels": ["online", "paper"], "decision_date": "2025-05-20"}
    doc.update(changes)
    return doc


def test_check_consultation_finds_a_promised_language_missing():
    # Welsh is promised and no Welsh translation exists: LANG is a breach before it opens (§2.3).
    fs = townhall.check_consultation(_library_consultation(languages=["en-GB", "cy"]), as_of=D(2025, 2, 1))
    lang = [f for f in fs if f.rule == "LANG"]
    assert [f.severity for f in lang] == ["breach"]
    assert not [f for f in fs if f.severity == "breach" and f.rule != "LANG"]


def test_check_consultation_accepts_a_complete_translation():
    welsh = {"title": "Oriau agor y llyfrgell", "summary": "Rydym am newid pryd mae llyfrgelloedd yn agor.",
             "proposal": "Agor llyfrgelloedd am 10yb ar ddyddiau'r wythnos.",
             "reasons": "Ychydig o bobl sy'n ymweld cyn 10yb.",
             "options_considered": [{"option": "Cau un diwrnod yr wythnos",
                                     "reason": "Mae mynediad yn ystod yr wythnos yn bwysicaf."}]}
    fs = townhall.check_consultation(_library_consultation(languages=["en-GB", "cy"]), as_of=D(2025, 2, 1),
                                     translations={"cy": welsh})
    assert [f.severity for f in fs if f.rule == "LANG"] == ["info"]


def test_check_consultation_reads_the_text_for_plain_language():
    # One sentence of 40 words: over the charter's 25-word sentence target, so READ warns (§2.3).
    long = ("We propose that every library in the borough opens at ten in the morning instead of nine on "
            "each weekday and stays open until eight in the evening so that people who work during the "
            "day can visit after work.")
    fs = townhall.check_consultation(_library_consultation(proposal=long), as_of=D(2025, 2, 1))
    assert "warning" in [f.severity for f in fs if f.rule == "READ"]


def test_policy_names_the_nation_and_whether_the_regulations_apply():
    # SI 2012/2089 applies to English councils only (the charter's jurisdictions).
    p = townhall.Policy()
    assert p.nation == "england" and p.regulations_apply
    scot = townhall.Policy.from_json(json.dumps({"region": "scotland"}))
    assert scot.nation == "scotland" and not scot.regulations_apply
    wales = townhall.Policy.from_json(json.dumps({"nation": "wales"}))
    assert wales.nation == "wales" and wales.region == "england-and-wales" and not wales.regulations_apply


def test_dates_outside_the_supported_years_are_refused_naming_the_argument():
    # Bank holidays are known only from 1978 to 2100: nothing is counted outside them.
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.is_bank_holiday(dt.date(1950, 12, 25))
    assert e.value.field == "date"
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.latest_publication(dt.date(1978, 1, 3), 5, mode="working")
    assert e.value.field == "event"
    # Scotland's one-off bank holiday of Monday 15 June 2026.
    assert townhall.is_bank_holiday(dt.date(2026, 6, 15), region="scotland")
    assert not townhall.is_bank_holiday(dt.date(2026, 6, 15))

