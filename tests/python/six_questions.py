"""The six-question consultation (one question of each type) shared by the response-table tests."""

QUESTIONS = [
    {"id": "q1", "type": "single_choice", "text": "Which option?", "options": ["A", "B", "C"]},
    {"id": "q2", "type": "scale", "text": "How much do you agree?", "min": 1, "max": 5},
    {"id": "q3", "type": "multiple_choice", "text": "Which do you use?",
     "options": ["library", "park", "pool"]},
    {"id": "q4", "type": "yes_no", "text": "Do you live here?"},
    {"id": "q5", "type": "ranking", "text": "Rank these", "options": ["x", "y", "z"]},
    {"id": "q6", "type": "free_text", "text": "Anything else?"},
]


def consultation(title, questions):
    """A consultation document the charter lets open (dates, proposal, reasons and the options
    considered, G2): Database.add_consultation runs the same checks as the REST API."""
    return {"title": title, "questions": questions, "opens": "2026-03-02", "closes": "2026-04-26",
            "proposal": "Change the opening hours.", "reasons": "Fewer people visit in the morning.",
            "options_considered": [{"option": "Later opening"},
                                   {"option": "No change", "rejected": True,
                                    "reason": "Costs too much."}]}
