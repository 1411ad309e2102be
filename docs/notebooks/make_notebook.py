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

This notebook walks through what an analyst does with a consultation's responses: open the
council's Townhall database, load a consultation's responses as a DataFrame, read the free text,
check who answered against the borough's Census 2021 profile, weight the responses,
cross-tabulate with confidence intervals, and plot.

It makes its own demo database in a temporary folder with `townhall.demo.seed` (the same
consultations, responses, panel member and Forward Plan as `townhall demo seed --db demo.db`),
so it runs from any folder with nothing but the installed package."""),
code("""import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import townhall
from townhall import text

demo = townhall.demo.seed(Path(tempfile.mkdtemp()) / "demo.db")
demo_db = demo.path
print(f"{demo.consultations} consultations, {demo.responses} responses in {demo_db.name}")"""),
md("## 1. The database and its consultations\n\n`townhall.open` opens the file read-only."),
code("""db = townhall.open(demo_db)
db.consultations()"""),
md("""## 2. Responses as a DataFrame

One row per response, one typed column per question (yes/no as a nullable boolean, the 1–5
scale as an ordered categorical, free text as strings), then channel, language and submission
time. The questions themselves are in `attrs`."""),
code("""cid = db.consultations().query("status == 'open'")["id"].iloc[0]
responses = db.responses(cid)
responses.head()"""),
code("""responses.dtypes"""),
code("""responses.attrs["questions"]["impact"]"""),
code("""townhall.tally(responses["impact"])"""),
md("""## 3. Free text

Words and sentences come from ICU segmentation in each response's own language (the
`language` column), terms are case- and compatibility-folded (NFKC_Casefold)."""),
code("""why = responses["why"]
text.term_frequencies(why, lang=responses["language"], stop_words=True, top=10)"""),
code("""text.keyword_in_context(why, "library", lang=responses["language"], context=4)"""),
md("""A codebook maps themes to keywords or phrases (`*` matches word starts). A response can
carry several themes; `attrs["matches"]` shows what matched."""),
code("""codebook = {
    "opening hours": ["late opening", "saturday*", "sadwrn", "closing", "ar agor"],
    "transport": ["bus*", "bws", "travel"],
    "families and children": ["famil*", "children", "plant", "homework"],
}
themes = text.tag_themes(why, codebook, lang=responses["language"])
themes.sum().rename("responses")"""),
code("""themes.attrs["matches"].head(8)"""),
code("""text.sentences(why, lang=responses["language"]).head()"""),
md("""## 4. A larger consultation: who answered, against the Census

The demo consultation asks nothing about the respondents, so here 2,000 generated responses to
a consultation with a tenure question are stored through the store (a writable database) and
read back the same way."""),
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
generated = []
for i, t in enumerate(tenures):
    support = int(np.clip(rng.normal(3.6 if t == "Owned" else 2.6, 1.1), 1, 5).round())
    answers = {"tenure": str(t), "support": support,
               "use": [s for s in questions[2]["options"] if rng.random() < 0.4] or ["park"]}
    if i % 7 == 0:
        answers["comments"] = "Please keep the library open in the evenings."
    generated.append({"answers": answers, "channel": "online" if i % 4 else "paper"})
work = demo_db.with_name("survey.db")
with townhall.open(work, writable=True, create=True) as w:
    survey = w.add_consultation({
        "title": "Leisure services survey", "questions": questions,
        "opens": "2026-03-02", "closes": "2026-04-26",   # the charter checks run on every step
        "proposal": "Longer opening hours at leisure centres.", "reasons": "Residents asked for them.",
        "options_considered": [{"option": "Longer hours"},
                               {"option": "No change", "rejected": True, "reason": "Demand is there."}]},
        "open")
    w.submit_responses(survey, generated)
df = townhall.open(work).responses(survey)
df.head()"""),
code("""targets = townhall.census_targets("tenure", borough="E09000020")
rep = townhall.representativeness(df, targets)   # the question id matches the Census variable
rep"""),
code("""rep.attrs["summary"]"""),
code("""townhall.plot_representativeness(rep, title="Kensington and Chelsea: tenure");"""),
md("## 5. Weighting (raking to the Census margins)"),
md("""Trimming keeps every weight between 0.2 and 5 times the mean weight, so no respondent
counts for too much. The price: with so few people in the smallest tenure groups (shared
ownership, living rent free), weights within those bounds cannot meet every Census share
exactly. Raking then stops after its iterations with `converged=False`, and townhall says so
with a `RakingNotConverged` warning (a `RuntimeWarning`) naming the margin that was not met, the
category furthest from its target and the relative gap. The weights are still usable if the gap
is small, as here, but report it; otherwise widen `trim` or merge the sparse categories before
raking."""),
code("""fit = townhall.rake(df, targets, trim=(0.2, 5))
fit"""),
code("""fit.margins"""),
md("## 6. Weighted results with confidence intervals"),
code("""df["supports"] = pd.Categorical(np.where(df["support"].astype(int) >= 4, "support", "not"),
                               categories=["support", "not"])
townhall.tally(df["supports"], fit.weights)"""),
md("""With `suppress_below=10` every cell with fewer than 10 respondents is blanked, and so are
as many further cells as it takes that none can be worked out from the totals shown: a group
total minus its visible cells would otherwise give a lone blank cell back (secondary
suppression). `attrs["answer_totals"]` holds the column totals, which count as shown."""),
code("""townhall.crosstab(df, "tenure", "supports", fit.weights, suppress_below=10)"""),
code("""townhall.plot_answers_by_group(df, "tenure", "support", fit.weights, suppress_below=10);"""),
md("""## 7. Campaign responses

Contested schemes draw many copies of a campaign's template, often lightly edited.
`text.campaigns` groups near-identical answers (word shingles, MinHash and exact Jaccard
similarity in C++): each group's template, size, share and members. Nothing is merged or
removed; report the campaign as such. Here every seventh generated response carries the same
comment. `townhall.duplicate_respondents` similarly flags one person answering twice (same
person id, or same postcode with near-identical text close in time) for an officer to decide."""),
code("""found = text.campaigns(df["comments"])
found[["size", "share", "template", "mean_similarity"]]"""),
]
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
# Cell ids by position, so regenerating the notebook changes only the cells that changed.
for i, cell in enumerate(nb.cells):
    cell["id"] = f"cell-{i:02d}"
nbf.write(nb, Path(__file__).with_name("analysing-a-consultation.ipynb"))
