"""townhall.open() on a PostgreSQL URL: the same database API as on an SQLite file.

Runs against the throwaway cluster ctest starts (scripts/pg-cluster.sh; its URL in the file named by
TOWNHALL_TEST_PG_URL_FILE, or TOWNHALL_TEST_PG_URL); skipped, saying so, when there is none.
"""

import os
import random
import shutil
import subprocess

import pandas as pd
import pytest

import townhall
from six_questions import QUESTIONS, consultation
from test_database import RESPONSES


def cluster_url():
    url = os.environ.get("TOWNHALL_TEST_PG_URL", "")
    path = os.environ.get("TOWNHALL_TEST_PG_URL_FILE", "")
    if not url and path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            url = f.readline().strip()
    return url


@pytest.fixture
def pg_url():
    cluster = cluster_url()
    if not cluster:
        pytest.skip("no PostgreSQL test cluster (TOWNHALL_TEST_PG_URL_FILE names no file; "
                    "scripts/pg-cluster.sh needs PostgreSQL's server binaries)")
    if shutil.which("psql") is None:
        pytest.skip("no psql to make the test's schema")
    schema = f"py_{os.getpid()}_{random.randrange(10**6)}"
    subprocess.run(["psql", cluster, "-qc", f"CREATE SCHEMA {schema}"], check=True)
    yield f"{cluster}&options=-csearch_path%3D{schema}"
    subprocess.run(["psql", cluster, "-qc", f"DROP SCHEMA {schema} CASCADE"], check=True)


def fill(target):
    with townhall.open(target, writable=True, create=True) as db:
        cid = db.add_consultation(consultation("Library hours", QUESTIONS), "open")
        assert db.submit_responses(cid, RESPONSES) == 4


def test_responses_frame_is_the_same_as_from_sqlite(pg_url, tmp_path):
    fill(pg_url)
    fill(tmp_path / "townhall.db")
    on_pg = townhall.open(pg_url)
    on_file = townhall.open(tmp_path / "townhall.db")
    assert not on_pg.writable and on_pg.schema_version >= 1
    assert "secret" not in on_pg.path
    a, b = on_pg.responses("c-1"), on_file.responses("c-1")
    columns = [c for c in a.columns if c not in ("reference", "submitted_at")]
    pd.testing.assert_frame_equal(a[columns], b[columns])
    assert a["reference"].str.startswith("TH-0001-").iloc[0]
    pd.testing.assert_frame_equal(on_pg.consultations(), on_file.consultations())


def test_read_only_open_refuses_writes_and_unknown_databases(pg_url):
    with pytest.raises(townhall.NotATownhallDatabase):
        townhall.open(pg_url)  # nothing there yet, and a read-only open makes nothing
    fill(pg_url)
    db = townhall.open(pg_url)
    with pytest.raises(townhall.Error):
        db.add_consultation({"title": "Not from a reader"})
