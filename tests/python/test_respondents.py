"""townhall.duplicate_respondents: the same person answering twice is flagged, never removed."""

import numpy as np
import pandas as pd
import pytest

import townhall

TEXTS = [
    "The library should open on Sunday afternoons for families who work all week.",
    "Please keep the swimming pool open in the summer holidays for the children.",
    "Cycle lanes on the high street would make the town centre safer for everyone.",
    "More bins and benches in Victoria Park, and fix the lights by the pond.",
    "The bus from the estate to the hospital stops too early in the evening.",
]


def _frame():
    rng = np.random.default_rng(3)
    rows = []
    t0 = pd.Timestamp("2026-03-02 09:00", tz="UTC")
    # 40 unrelated respondents: own postcode, own person id, own generated text.
    words = ["road", "park", "council", "tax", "bins", "school", "bus", "library", "noise",
             "trees", "parking", "market", "housing", "rent", "youth", "club", "lights"]
    for i in range(40):
        rows.append({"person": f"P{i:03d}", "postcode": f"AB{i % 9 + 1} {i % 7 + 1}CD",
                     "why": " ".join(rng.choice(words, 12)), "channel": "online",
                     "submitted_at": t0 + pd.Timedelta(hours=int(rng.integers(0, 900)))})
    # Same person id, online then on paper (text differs): flagged.
    rows.append({**rows[5], "channel": "paper", "why": "Paper form: " + TEXTS[0],
                 "submitted_at": rows[5]["submitted_at"] + pd.Timedelta(days=20)})
    # Same postcode written differently, lightly edited text, a day apart, no person id: flagged.
    rows.append({"person": None, "postcode": "sw1a 1aa", "why": TEXTS[1], "channel": "online",
                 "submitted_at": t0})
    rows.append({"person": None, "postcode": "SW1A1AA", "why": TEXTS[1].upper() + "!!",
                 "channel": "paper", "submitted_at": t0 + pd.Timedelta(days=1)})
    # Same postcode and text but five weeks apart: not flagged.
    rows.append({"person": None, "postcode": "E1 6AN", "why": TEXTS[2], "channel": "online",
                 "submitted_at": t0})
    rows.append({"person": None, "postcode": "E1 6AN", "why": TEXTS[2], "channel": "paper",
                 "submitted_at": t0 + pd.Timedelta(days=35)})
    # Same postcode, close in time, different text (two people in one household): not flagged.
    rows.append({"person": None, "postcode": "N1 9GU", "why": TEXTS[3], "channel": "online",
                 "submitted_at": t0})
    rows.append({"person": None, "postcode": "N1 9GU", "why": TEXTS[4], "channel": "online",
                 "submitted_at": t0 + pd.Timedelta(hours=2)})
    # Same text, close in time, different postcodes (a campaign, not one person): not flagged.
    rows.append({"person": None, "postcode": "M1 1AE", "why": TEXTS[4], "channel": "paper",
                 "submitted_at": t0 + pd.Timedelta(hours=1)})
    df = pd.DataFrame(rows)
    df.index = [f"R{i}" for i in range(len(df))]
    return df


def test_flags_same_person_and_same_postcode_text_and_time_only():
    df = _frame()
    before = df.copy()
    found = townhall.duplicate_respondents(df, person="person", postcode="postcode", text="why")
    groups = {tuple(m): r for m, r in zip(found["members"], found["reasons"])}
    assert groups == {("R5", "R40"): ["same person"],
                      ("R41", "R42"): ["same postcode and text"]}
    row = found.set_index(found["members"].map(tuple)).loc[[("R41", "R42")]].iloc[0]
    assert row["channels"] == ["online", "paper"] and row["size"] == 2
    assert row["last_submitted"] - row["first_submitted"] == pd.Timedelta(days=1)
    flags = found.attrs["flags"]
    assert list(flags.index) == list(df.index)
    assert flags.notna().sum() == 4
    pd.testing.assert_frame_equal(df, before)  # nothing removed or changed


def test_the_window_and_the_rules_can_be_chosen():
    df = _frame()
    wide = townhall.duplicate_respondents(df, postcode="postcode", text="why", within="40D")
    assert ("R43", "R44") in set(map(tuple, wide["members"]))
    only_people = townhall.duplicate_respondents(df, person="person")
    assert list(map(tuple, only_people["members"])) == [("R5", "R40")]


def test_bad_arguments_name_the_field():
    df = _frame()
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.duplicate_respondents(df, postcode="postcode")
    assert e.value.field == "person"
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.duplicate_respondents(df, person="nobody")
    assert e.value.field == "person"
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.duplicate_respondents(df, postcode="postcode", text="why", within="soon")
    assert e.value.field == "within"
