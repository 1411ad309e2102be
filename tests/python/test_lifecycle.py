"""Database.add_consultation moves a consultation through the lifecycle with the charter checks
the REST API runs: a breach is refused from Python exactly as POST …/transitions refuses it."""

import datetime

import pytest

import townhall

# Opens Mon 2 Mar 2026 and closes Sun 5 Apr 2026: 35 days, five weeks, for a big decision. C-MIN
# (docs/design.md §2.3) asks six weeks: the earliest close is 2 Mar + 42 days − 1 = Sun 12 Apr 2026.
# No holiday window (24 Dec–New Year, August) is near, so C-EXT adds nothing; proposal, reasons
# and a rejected alternative satisfy G2; a paper channel satisfies VAR.
FIVE_WEEKS = {
    "title": "Library opening hours", "big_decision": True,
    "opens": "2026-03-02", "closes": "2026-04-05",
    "summary": "We want to change library opening hours.",
    "proposal": "Open on Saturday afternoons.", "reasons": "Money is short.",
    "options_considered": [{"option": "Keep the hours"},
                           {"option": "Close on Mondays", "rejected": True,
                            "reason": "Fewer people could visit."}],
    "channels": ["online", "paper"],
}
AS_OF = datetime.date(2026, 2, 1)
# The detail of the API's 409 charter-breach problem for the same consultation
# (tests/server/api_test.cpp, PythonAndApiRefuseTheSameFiveWeekConsultation).
API_DETAIL = 'Breaches: ["C-MIN"]. Fix them, or ask another officer to approve an exception.'


def test_a_five_week_big_consultation_is_refused_at_scheduling_as_over_http(tmp_path):
    with townhall.open(tmp_path / "t.db", writable=True, create=True) as db:
        with pytest.raises(townhall.Conflict) as e:
            db.add_consultation(FIVE_WEEKS, status="scheduled", as_of=AS_OF)
        assert e.value.code == "conflict"
        assert e.value.rule == "C-MIN"
        assert e.value.rules == ["C-MIN"]
        assert str(e.value) == API_DETAIL
        c_min = [f for f in e.value.findings if f["rule"] == "C-MIN"]
        assert len(c_min) == 1 and c_min[0]["severity"] == "breach"
        assert c_min[0]["dates"]["required_close"] == "2026-04-12"
        assert c_min[0]["figures"]["length_days"] == 35
        # Refused before anything was stored.
        assert db.consultations().empty


def test_six_weeks_is_scheduled_and_audited_as_python(tmp_path):
    six_weeks = dict(FIVE_WEEKS, closes="2026-04-12")
    path = tmp_path / "t.db"
    with townhall.open(path, writable=True, create=True) as db:
        cid = db.add_consultation(six_weeks, status="scheduled", as_of=AS_OF)
        assert db.consultations()["status"].tolist() == ["scheduled"]
    import sqlite3
    rows = sqlite3.connect(path).execute(
        "SELECT actor, action FROM audit_log WHERE subject_id = ? ORDER BY seq", (cid,)).fetchall()
    assert rows == [("python", "consultation.create"), ("python", "consultation.transition")]


def test_a_policy_of_five_weeks_lets_it_through(tmp_path):
    policy = townhall.Policy.from_dict({"consultation": {"big_decision_weeks": 5}})
    with townhall.open(tmp_path / "t.db", writable=True, create=True) as db:
        db.add_consultation(FIVE_WEEKS, status="open", policy=policy, as_of=AS_OF)
        assert db.consultations()["status"].tolist() == ["open"]


def test_bad_status_and_missing_dates_name_the_field(tmp_path):
    with townhall.open(tmp_path / "t.db", writable=True, create=True) as db:
        with pytest.raises(townhall.InvalidInput) as e:
            db.add_consultation(FIVE_WEEKS, status="opened")
        assert e.value.field == "status"
        undated = {k: v for k, v in FIVE_WEEKS.items() if k != "closes"}
        with pytest.raises(townhall.InvalidInput) as e:
            db.add_consultation(undated, status="scheduled", as_of=AS_OF)
        assert e.value.field == "/closes"
        with pytest.raises(townhall.SchemaError) as e:
            db.add_consultation(dict(FIVE_WEEKS, colour="red"), as_of=AS_OF)
        assert db.consultations().empty
