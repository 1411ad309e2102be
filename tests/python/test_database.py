"""townhall.open(...).responses(): a database read for analysis, with hand-worked expectations."""

import sqlite3

import numpy as np
import pandas as pd
import pytest

import townhall
from six_questions import QUESTIONS


RESPONSES = [
    {"answers": {"q1": "B", "q2": 4, "q3": ["park", "library"], "q4": True, "q5": ["z", "x"],
                 "q6": "Mwy o fysiau, os gwelwch yn dda"}, "channel": "online", "language": "cy"},
    {"answers": {"q1": "C", "q4": False, "q6": "Quote \"this\" — and ünïcödé ✓"},
     "channel": "paper", "language": "en-GB"},
    {"answers": {"q2": 1, "q3": ["pool"], "q6": "حافلات أكثر من فضلك"}, "channel": "phone",
     "language": "ar"},
    {"answers": {}},
]


@pytest.fixture
def db_path(tmp_path):
    path = tmp_path / "townhall.db"
    with townhall.open(path, writable=True, create=True) as db:
        cid = db.add_consultation({"title": "Library hours", "questions": QUESTIONS}, "open")
        assert cid == "c-1"
        assert db.submit_responses(cid, RESPONSES) == 4
        db.add_consultation({"title": "A draft"})
    return path


def test_responses_frame_from_the_database(db_path):
    db = townhall.open(db_path)
    assert not db.writable and db.schema_version >= 4
    f = db.responses("c-1")
    assert list(f.columns) == ["reference", "q1", "q2", "q3[library]", "q3[park]", "q3[pool]",
                               "q4", "q5[x]", "q5[y]", "q5[z]", "q6", "channel", "language",
                               "submitted_at"]
    assert len(f) == 4
    # q1: categorical in option order, B and C given, two missing.
    assert list(f["q1"].cat.categories) == ["A", "B", "C"] and not f["q1"].cat.ordered
    assert f["q1"].cat.codes.tolist() == [1, 2, -1, -1]
    # q2: an ordered scale 1..5; 4 and 1 given.
    assert f["q2"].cat.ordered and list(f["q2"].cat.categories) == [1, 2, 3, 4, 5]
    assert f["q2"].cat.codes.tolist() == [3, -1, 0, -1]
    # q3: one boolean column per option; unanswered rows are missing, not False.
    assert f["q3[library]"].dtype == "boolean"
    assert f["q3[library]"].tolist() == [True, pd.NA, False, pd.NA]
    assert f["q3[park]"].tolist() == [True, pd.NA, False, pd.NA]
    assert f["q3[pool]"].tolist() == [False, pd.NA, True, pd.NA]
    assert f["q4"].tolist() == [True, False, pd.NA, pd.NA]
    # q5: z ranked first, x second, y not ranked.
    assert f["q5[z]"].tolist() == [1, pd.NA, pd.NA, pd.NA]
    assert f["q5[x]"].tolist() == [2, pd.NA, pd.NA, pd.NA]
    assert f["q5[y]"].isna().all() and f["q5[x]"].dtype == "Int64"
    # Free text: Arrow-backed strings, any script, escapes decoded.
    assert isinstance(f["q6"].dtype, pd.StringDtype) and f["q6"].dtype.storage == "pyarrow"
    assert f["q6"].tolist() == ["Mwy o fysiau, os gwelwch yn dda",
                                "Quote \"this\" — and ünïcödé ✓", "حافلات أكثر من فضلك", pd.NA]
    assert f["channel"].tolist() == ["online", "paper", "phone", "online"]  # online by default
    assert f["language"].tolist() == ["cy", "en-GB", "ar", "en-GB"]
    assert str(f["submitted_at"].dtype) == "datetime64[ns, UTC]" and f["submitted_at"].notna().all()
    assert f.attrs["questions"]["q2"] == {"type": "scale", "text": "How much do you agree?",
                                          "min": 1, "max": 5}
    assert f.attrs["consultation"] == "c-1"


def test_references_and_times_match_the_stored_rows(db_path):
    f = townhall.open(db_path).responses("c-1")
    con = sqlite3.connect(db_path)
    rows = con.execute("SELECT reference, created_at FROM responses ORDER BY id").fetchall()
    assert f["reference"].tolist() == [r for r, _ in rows]
    assert all(r.startswith("TH-") for r in f["reference"])
    assert f["submitted_at"].tolist() == [pd.Timestamp(t) for _, t in rows]


def test_same_frame_as_from_json(db_path):
    # The SQLite path (flat answers parser) and the JSON path (nlohmann) give the same frame.
    f = townhall.open(db_path).responses("c-1").drop(columns=["reference", "submitted_at"])
    g = townhall.responses_frame(QUESTIONS, [dict(r, channel=r.get("channel", "online"),
                                                  language=r.get("language", "en-GB"))
                                             for r in RESPONSES]).drop(columns=["submitted_at"])
    pd.testing.assert_frame_equal(f, g, check_dtype=False, check_categorical=True)


def test_consultations(db_path):
    c = townhall.open(db_path).consultations()
    assert c["id"].tolist() == ["c-1", "c-2"]
    assert c["status"].tolist() == ["open", "draft"] and c["status"].cat.ordered
    assert c["title"].tolist() == ["Library hours", "A draft"]
    assert c["responses"].tolist() == [4, 0]
    assert c["opens"].isna().all()


def test_empty_consultation(db_path):
    f = townhall.open(db_path).responses("c-2")
    assert len(f) == 0 and list(f.columns) == ["reference", "channel", "language", "submitted_at"]


def test_read_only_by_default(db_path):
    db = townhall.open(db_path)
    with pytest.raises(townhall.Conflict) as e:
        db.submit_responses("c-1", [{"answers": {}}])
    assert e.value.field == "writable"


def test_errors(tmp_path, db_path):
    with pytest.raises(townhall.DatabaseNotFound) as e:
        townhall.open(tmp_path / "missing.db")
    assert isinstance(e.value, townhall.NotFound) and e.value.field == "path"
    assert not (tmp_path / "missing.db").exists()  # nothing created
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all, just some text" * 100)
    with pytest.raises(townhall.NotATownhallDatabase):
        townhall.open(junk)
    with pytest.raises(townhall.NotATownhallDatabase):  # not even when writable
        townhall.open(junk, writable=True)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(townhall.NotATownhallDatabase) as e:
        townhall.open(other)
    assert "not a Townhall database" in str(e.value)
    newer = tmp_path / "newer.db"
    newer.write_bytes(db_path.read_bytes())
    con = sqlite3.connect(newer)
    con.execute("UPDATE schema_version SET version = 999")
    con.commit()
    con.close()
    with pytest.raises(townhall.SchemaTooNew) as e:
        townhall.open(newer)
    assert "999" in str(e.value)
    with pytest.raises(townhall.NotFound):
        townhall.open(db_path).responses("c-99")
    with pytest.raises(townhall.InvalidInput):
        townhall.open(tmp_path / "x.db", create=True)


def test_bad_answers_are_refused_before_storing(db_path):
    with townhall.open(db_path, writable=True) as db:
        with pytest.raises(townhall.InvalidInput) as e:
            db.submit_responses("c-1", [{"answers": {"q1": "A"}}, {"answers": {"q1": "D"}}])
        assert e.value.field == "/responses/1/answers/q1"
    assert townhall.open(db_path).consultations()["responses"].tolist() == [4, 0]


def test_older_schema_reads_language_as_en_gb(db_path):
    # A file from before migration 4 (no language column): its responses are en-GB.
    con = sqlite3.connect(db_path)
    con.execute("ALTER TABLE responses DROP COLUMN language")
    con.execute("UPDATE schema_version SET version = 3")
    con.commit()
    con.close()
    f = townhall.open(db_path).responses("c-1")
    assert f["language"].tolist() == ["en-GB"] * 4


def test_a_thousand_rows_agree_with_sqlite(tmp_path):
    rng = np.random.default_rng(5)
    path = tmp_path / "many.db"
    opts = ["A", "B", "C"]
    with townhall.open(path, writable=True, create=True) as db:
        cid = db.add_consultation({"title": "Many", "questions": QUESTIONS[:2]}, "open")
        picks = rng.integers(0, 3, 1000)
        db.submit_responses(cid, [{"answers": {"q1": opts[p], "q2": int(p) + 1}} for p in picks])
    f = townhall.open(path).responses(cid)
    assert f["q1"].cat.codes.tolist() == picks.tolist()
    assert f["q2"].astype(int).tolist() == (picks + 1).tolist()
    counts = townhall.tally(f["q1"])["count"].tolist()
    assert counts == [int((picks == k).sum()) for k in range(3)]


def test_star_import_keeps_the_builtin_open():
    ns: dict = {}
    exec("from townhall import *", ns)
    assert "open" not in ns and "Database" in ns and callable(townhall.open)


def test_reading_never_creates_nor_changes_a_file(tmp_path, db_path):
    # A read-only open leaves the directory as it found it: no database for a mistyped path,
    # and no -wal or -shm file beside one it read.
    before = sorted(p.name for p in tmp_path.iterdir())
    data = db_path.read_bytes()
    with pytest.raises(townhall.DatabaseNotFound):
        townhall.open(tmp_path / "typo.db")
    db = townhall.open(db_path)
    assert db.consultations()["responses"].tolist() == [4, 0]
    db.close()
    del db
    import gc
    gc.collect()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert db_path.read_bytes() == data


def test_writing_refuses_what_is_not_a_townhall_database(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(townhall.NotATownhallDatabase) as e:
        townhall.open(empty, writable=True)
    assert "is empty" in str(e.value) and e.value.field == "path"
    assert empty.read_bytes() == b""
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE recipes(name)").connection.commit()
    data = other.read_bytes()
    with pytest.raises(townhall.NotATownhallDatabase) as e:
        townhall.open(other, writable=True, create=True)
    assert "not a Townhall one" in str(e.value)
    assert other.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "other.db"]
    # Asked to create, an empty file becomes a database.
    with townhall.open(empty, writable=True, create=True) as db:
        assert db.consultations().empty


def test_writes_are_sealed_with_the_audit_key_given(tmp_path):
    path, key = tmp_path / "t.db", tmp_path / "keys" / "audit.key"
    key.parent.mkdir()
    with townhall.open(path, writable=True, create=True, audit_key=key) as db:
        db.add_consultation({"title": "Sealed", "questions": QUESTIONS[:1]}, "open")
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600
    assert not (tmp_path / "t.db.audit-key").exists()
    con = sqlite3.connect(path)
    seals = [s for (s,) in con.execute("SELECT seal FROM audit_log ORDER BY seq")]
    assert seals and all(s and len(s) == 64 for s in seals)
    (sealed_from,) = con.execute("SELECT sealed_from FROM audit_sealing").fetchone()
    assert sealed_from == 1
