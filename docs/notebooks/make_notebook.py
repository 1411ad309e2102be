"""Writes analysing-a-consultation.ipynb (without outputs) from the cells below.

Run: build/venv/bin/python docs/notebooks/make_notebook.py  — edit here, not in the .ipynb.
tests/python/test_notebook.py executes the notebook headless with nbclient.
"""
from pathlib import Path

import nbformat as nbf
nb = nbf.v4.new_notebook()
md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell
nb.cells = [
md("""# Analysing a consultation

This notebook walks through what an analyst does with a consultation's responses: load them as a
DataFrame, check who answered against the borough's Census 2021 profile, weight the responses,
cross-tabulate with confidence intervals, read the free text, and plot.

*The store (`townhall.open(db).responses(...)`) is not merged yet, so the responses here are
generated in the shape the REST API and the store return, then loaded with
`townhall.responses_frame`, which builds the same typed DataFrame.*"""),
code("""import os
from pathlib import Path

import numpy as np
import pandas as pd
import townhall

census_dir = Path(os.environ.get("TOWNHALL_CENSUS_DIR", "../../../shared/data/census"))"""),
md("## 1. Responses as a DataFrame"),
code("""questions = [
    {"id": "tenure", "type": "single_choice", "text": "Do you own or rent your home?",
     "options": ["Owned", "Shared ownership", "Social rented", "Private rented", "Lives rent free"]},
    {"id": "support", "type": "scale", "text": "How far do you support the proposal?", "min": 1, "max": 5},
    {"id": "use", "type": "multiple_choice", "text": "Which services do you use?",
     "options": ["library", "park", "leisure centre"]},
    {"id": "comments", "type": "free_text", "text": "Anything else?"},
]
rng = np.random.default_rng(42)
tenures = rng.choice(questions[0]["options"], 2000, p=[0.45, 0.01, 0.14, 0.39, 0.01])
responses = []
for i, t in enumerate(tenures):
    support = int(np.clip(rng.normal(3.6 if t == "Owned" else 2.6, 1.1), 1, 5).round())
    answers = {"tenure": str(t), "support": support,
               "use": [s for s in questions[2]["options"] if rng.random() < 0.4] or ["park"]}
    if i % 7 == 0:
        answers["comments"] = "Please keep the library open in the evenings."
    responses.append({"answers": answers, "channel": "online" if i % 4 else "paper",
                      "language": "en", "created_at": "2025-03-04T10:15:00Z"})
df = townhall.responses_frame(questions, responses)
df.head()"""),
md("## 2. Who answered, against the Census"),
code("""targets = townhall.census_targets("tenure", borough="E09000020", data_dir=census_dir)
rep = townhall.representativeness(df, targets)   # the question id matches the Census variable
rep"""),
code("""rep.attrs["summary"]"""),
code("""townhall.plot_representativeness(rep, title="Kensington and Chelsea: tenure");"""),
md("## 3. Weighting (raking to the Census margins)"),
code("""fit = townhall.rake(df, targets, trim=(0.2, 5))
fit"""),
code("""fit.margins"""),
md("## 4. Weighted results with confidence intervals"),
code("""df["supports"] = pd.Categorical(np.where(df["support"].astype(int) >= 4, "support", "not"),
                               categories=["support", "not"])
townhall.tally(df["supports"], fit.weights)"""),
code("""townhall.crosstab(df, "tenure", "supports", fit.weights, suppress_below=10)"""),
code("""townhall.plot_answers_by_group(df, "tenure", "support", fit.weights, suppress_below=10);"""),
md("## 5. Free text"),
code("""df["comments"].dropna().value_counts().head()"""),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nbf.write(nb, Path(__file__).with_name("analysing-a-consultation.ipynb"))
