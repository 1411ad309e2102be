"""Census targets against sums computed here from the CSV with the csv module."""

import csv

import pytest

import townhall

RBKC = [f"E0500{n}" for n in range(9388, 9406)]


def column_sums(path, wards, columns):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["geography code"] in wards]
    assert len(rows) == len(wards)
    return {c: sum(int(r[c]) for r in rows) for c in columns}


def test_tenure_rbkc(census_dir):
    cols = ["Tenure of household: Total: All households", "Tenure of household: Owned",
            "Tenure of household: Shared ownership", "Tenure of household: Social rented",
            "Tenure of household: Private rented", "Tenure of household: Lives rent free"]
    s = column_sums(census_dir / "census2021-ts054-ward-rbkc-hounslow.csv", RBKC, cols)
    total = s[cols[0]]
    assert total == 66895  # README: RBKC households
    t = townhall.census_targets("tenure", data_dir=census_dir).set_index("category")
    assert list(t.index) == ["Owned", "Shared ownership", "Social rented", "Private rented",
                             "Lives rent free"]
    for c in cols[1:]:
        label = c.split(": ", 1)[1]
        assert t.loc[label, "count"] == s[c]
        assert t.loc[label, "share"] == pytest.approx(s[c] / total)


def test_ethnicity_rbkc_high_level_and_detailed(census_dir):
    path = census_dir / "census2021-ts021-ward-rbkc-hounslow.csv"
    white = "Ethnic group: White"
    irish = "Ethnic group: White: Irish"
    s = column_sums(path, RBKC, ["Ethnic group: Total: All usual residents", white, irish])
    assert s["Ethnic group: Total: All usual residents"] == 143390  # README
    hi = townhall.census_targets("ethnicity", data_dir=census_dir)
    assert len(hi) == 5 and hi["count"].sum() == 143390
    assert hi.set_index("category").loc["White", "count"] == s[white]
    det = townhall.census_targets("ethnicity", detailed=True, data_dir=census_dir)
    assert len(det) == 19 and det["count"].sum() == 143390
    assert det.set_index("category").loc["White: Irish", "count"] == s[irish]


def test_religion_and_all_variables_rake_ready(census_dir):
    t = townhall.census_targets(data_dir=census_dir)
    assert set(t["variable"]) == {"ethnicity", "tenure", "religion"}
    rel = t[t.variable == "religion"]
    assert rel["count"].sum() == 143382  # README: TS030 total differs by perturbation
    assert rel["share"].sum() == pytest.approx(1.0)


def test_hounslow_and_errors(census_dir):
    t = townhall.census_targets("tenure", borough="E09000018", data_dir=census_dir)
    assert t["count"].sum() == 102958  # README: Hounslow households
    with pytest.raises(townhall.NotFound):
        townhall.census_targets("tenure", borough="E09999999", data_dir=census_dir)
    with pytest.raises(townhall.NotFound):
        townhall.census_targets("age", data_dir=census_dir)
    with pytest.raises(townhall.IoError):
        townhall.census_targets("tenure", data_dir=census_dir / "nowhere")


def test_rake_to_census_targets(census_dir):
    import numpy as np
    import pandas as pd
    targets = townhall.census_targets("tenure", data_dir=census_dir)
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"tenure": rng.choice(list(targets["category"]), 5000)})
    r = townhall.rake(df, targets)
    assert r.converged
    got = townhall.tally(df["tenure"], r.weights)["share"]
    want = targets.set_index("category")["share"]
    assert got.reindex(want.index).to_numpy() == pytest.approx(want.to_numpy(), abs=1e-6)


def test_built_in_tables_match_the_files(census_dir, monkeypatch):
    """With no data_dir (and no TOWNHALL_CENSUS_DIR) the package's own tables are read."""
    monkeypatch.delenv("TOWNHALL_CENSUS_DIR", raising=False)
    built_in = townhall.census_targets()
    from_files = townhall.census_targets(data_dir=census_dir)
    assert built_in.equals(from_files)
    assert set(built_in["variable"]) == {"ethnicity", "tenure", "religion"}


def test_the_package_ships_the_tables_with_their_licence(census_dir, monkeypatch, tmp_path):
    from pathlib import Path
    from townhall import census
    shipped = Path(census.DATA_DIR)
    assert shipped.parent.parent == Path(townhall.__file__).resolve().parent
    for src in census_dir.iterdir():
        assert (shipped / src.name).read_bytes() == src.read_bytes(), src.name
    readme = (shipped / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence" in readme and "Office for National Statistics" in readme
    # No environment variable needed: census_targets() reads the package's folder. Shown with a
    # copy of it in which one ward's owned households are raised by 1,000.
    monkeypatch.delenv("TOWNHALL_CENSUS_DIR", raising=False)
    import shutil
    copy = tmp_path / "census"
    shutil.copytree(shipped, copy)
    path = copy / "census2021-ts054-ward-rbkc-hounslow.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    row = next(r for r in rows if r[head.index("geography code")] == RBKC[0])
    for col in ("Tenure of household: Owned", "Tenure of household: Total: All households"):
        row[head.index(col)] = str(int(row[head.index(col)]) + 1000)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    before = townhall.census_targets("tenure").set_index("category")["count"]
    monkeypatch.setattr(census, "DATA_DIR", copy)
    after = townhall.census_targets("tenure").set_index("category")["count"]
    assert after["Owned"] == before["Owned"] + 1000
    assert after.drop("Owned").equals(before.drop("Owned"))
