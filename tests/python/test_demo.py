"""townhall.demo.seed: the demo database made through Python, as `townhall demo seed` makes it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import townhall

# What the demo holds, from its description (townhall/demo/demo.h): title -> (status, responses).
EXPECTED = {
    "Saturday opening at Abbey Road library": ("open", 12),
    "New cycle lanes on the High Street": ("scheduled", 0),
    "Garden waste collections": ("closed", 5),
    "Park opening hours": ("outcome_published", 4),
    "Closing the Market Street car park": ("draft", 0),
    "A greener High Street": ("open", 0),
}


def summary(path):
    with townhall.open(path) as db:
        c = db.consultations()
        return {t: (str(s), int(n)) for t, s, n in zip(c["title"], c["status"], c["responses"])}


def test_seed_makes_the_demo_database(tmp_path):
    made = townhall.demo.seed(tmp_path / "demo.db")
    assert made.seeded and made.path == tmp_path / "demo.db"
    assert (made.consultations, made.responses, made.key_decisions, made.meetings) == (6, 21, 2, 2)
    assert made.officer_token and made.governance_token
    assert made.officer_token != made.governance_token
    assert summary(made.path) == EXPECTED
    with townhall.open(made.path) as db:
        cid = db.consultations().query("title == 'Saturday opening at Abbey Road library'")["id"].iloc[0]
        r = db.responses(cid)
    assert {str(k): int(v) for k, v in r["language"].value_counts().items()} == {"cy": 4, "en-GB": 8}
    # Seeding again changes nothing and hands out no token.
    again = townhall.demo.seed(made.path)
    assert not again.seeded and again.officer_token is None and again.consultations == 0
    assert summary(made.path) == EXPECTED


def test_seed_refuses_a_file_that_is_not_a_townhall_database(tmp_path):
    other = tmp_path / "notes.db"
    other.write_bytes(b"not a database at all")
    with pytest.raises(townhall.NotATownhallDatabase):
        townhall.demo.seed(other)
    assert other.read_bytes() == b"not a database at all"


def test_the_cli_seeds_the_same_demo(tmp_path):
    cli = os.environ.get("TOWNHALL_CLI") or shutil.which("townhall")
    if not cli or not Path(cli).exists():
        pytest.skip("the townhall CLI is not built (TOWNHALL_CLI)")
    out = subprocess.run([cli, "demo", "seed", "--db", str(tmp_path / "cli.db")], check=True,
                         capture_output=True, text=True)
    assert len(out.stdout.strip()) > 20  # the officer token
    assert summary(tmp_path / "cli.db") == summary(townhall.demo.seed(tmp_path / "py.db").path)
