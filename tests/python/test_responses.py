"""Responses to DataFrame: column types and values for each question type."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import townhall
from six_questions import QUESTIONS


RESPONSES = [
    {"answers": {"q1": "B", "q2": 4, "q3": ["park", "library"], "q4": True, "q5": ["z", "x"],
                 "q6": "Mwy o fysiau, os gwelwch yn dda"},
     "channel": "online", "language": "cy", "created_at": "2025-03-04T10:15:00Z"},
    {"answers": {"q1": "C", "q4": False}, "channel": "paper", "language": "en",
     "created_at": "2025-03-05T09:00:00.5+01:00"},
    {"answers": {}, "channel": "phone"},
]


def test_columns_and_types():
    f = townhall.responses_frame(QUESTIONS, RESPONSES)
    assert list(f.columns) == ["q1", "q2", "q3[library]", "q3[park]", "q3[pool]", "q4",
                               "q5[x]", "q5[y]", "q5[z]", "q6", "channel", "language",
                               "submitted_at"]
    assert len(f) == 3
    assert list(f["q1"].cat.categories) == ["A", "B", "C"] and not f["q1"].cat.ordered
    assert list(f["q1"].astype(object).where(f["q1"].notna(), None)) == ["B", "C", None]
    assert f["q2"].cat.ordered and list(f["q2"].cat.categories) == [1, 2, 3, 4, 5]
    assert f["q2"].iloc[0] == 4 and pd.isna(f["q2"].iloc[1])
    assert f["q3[park]"].dtype == "boolean"
    assert f["q3[library]"].isna().tolist() == [False, True, True]
    assert f["q3[library]"].iloc[0] and not f["q3[pool]"].iloc[0]
    assert f["q3[pool]"].isna().tolist() == [False, True, True]
    assert f["q4"].tolist() == [True, False, pd.NA]
    # Ranking z first, x second; y not ranked.
    assert f["q5[z]"].iloc[0] == 1 and f["q5[x]"].iloc[0] == 2 and pd.isna(f["q5[y]"].iloc[0])
    assert f["q5[x]"].dtype == "Int64"
    assert f["q6"].iloc[0] == "Mwy o fysiau, os gwelwch yn dda" and pd.isna(f["q6"].iloc[1])
    assert f["channel"].tolist() == ["online", "paper", "phone"]
    assert list(f["language"].cat.categories) == ["cy", "en"] and pd.isna(f["language"].iloc[2])
    # 09:00:00.5 at +01:00 is 08:00:00.5 UTC.
    assert f["submitted_at"].iloc[0] == pd.Timestamp("2025-03-04T10:15:00Z")
    assert f["submitted_at"].iloc[1] == pd.Timestamp("2025-03-05T08:00:00.5Z")
    assert pd.isna(f["submitted_at"].iloc[2])
    assert f.attrs["questions"]["q2"]["text"] == "How much do you agree?"


def test_tally_of_a_response_column():
    f = townhall.responses_frame(QUESTIONS, RESPONSES)
    t = townhall.tally(f["q1"])
    assert t["count"].tolist() == [0, 1, 1]  # option order kept, A has none
    assert t.attrs["n"] == 2


@pytest.mark.parametrize("answers,field", [
    ({"q1": "D"}, "/responses/0/answers/q1"),
    ({"q2": 9}, "/responses/0/answers/q2"),
    ({"q3": ["park", "gym"]}, "/responses/0/answers/q3/1"),
    ({"q4": "yes"}, "/responses/0/answers/q4"),
    ({"q5": ["x", "x"]}, "/responses/0/answers/q5/1"),
])
def test_bad_answers_name_the_field(answers, field):
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.responses_frame(QUESTIONS, [{"answers": answers}])
    assert e.value.field == field


def test_bad_time_and_json():
    with pytest.raises(townhall.InvalidInput) as e:
        townhall.responses_frame(QUESTIONS, [{"answers": {}, "created_at": "yesterday"}])
    assert e.value.field == "/responses/0/submitted_at"
    with pytest.raises(townhall.InvalidJson):
        townhall.responses_frame("[", [])
