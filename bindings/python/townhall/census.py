"""Census 2021 ward tables as raking targets.

Reads the ONS/Nomis ward-level tables that ship inside the package (``townhall/data/census``, with
the README giving their source and the Open Government Licence; :data:`DATA_DIR`). A council passes
``data_dir=`` (or sets ``TOWNHALL_CENSUS_DIR``) for its own tables in the same format:
TS021 ethnic group, TS054 tenure of household, TS030 religion, for the wards of the Royal
Borough of Kensington and Chelsea (E09000020, wards E05009388-E05009405) and the London Borough
of Hounslow (E09000018, wards E05013606-E05013627). Sums the borough's wards and gives each
category's count and share, as a long DataFrame that :func:`townhall.rake` takes as targets.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd

from . import _townhall
from .errors import InvalidCsv, IoError, NotFound

TABLES = {
    # variable: (file, column prefix, aggregate columns that overlap other categories)
    "ethnicity": ("census2021-ts021-ward-rbkc-hounslow.csv", "Ethnic group", ()),
    "tenure": ("census2021-ts054-ward-rbkc-hounslow.csv", "Tenure of household",
               ("Owns with a mortgage or loan or shared ownership",
                "Private rented or lives rent free")),
    "religion": ("census2021-ts030-ward-rbkc-hounslow.csv", "Religion", ()),
}

# Ward code ranges (inclusive) per local authority, from the data README.
BOROUGH_WARDS = {
    "E09000020": [f"E0500{n}" for n in range(9388, 9406)],   # Kensington and Chelsea, 18 wards
    "E09000018": [f"E0501{n}" for n in range(3606, 3628)],   # Hounslow, 22 wards
}


# The package's own copy of the tables and their source/licence README.
DATA_DIR = Path(__file__).resolve().parent / "data" / "census"


def _data_dir(data_dir: str | os.PathLike[str] | None) -> Path | None:
    """The folder to read: ``data_dir``, else $TOWNHALL_CENSUS_DIR, else the package's own
    tables (None: the copy compiled into the library, should the package data be missing)."""
    if data_dir is not None:
        return Path(data_dir)
    env = os.environ.get("TOWNHALL_CENSUS_DIR")
    if env:
        return Path(env)
    return DATA_DIR if DATA_DIR.is_dir() else None


def _read_table(directory: Path | None, file: str) -> pd.DataFrame:
    if directory is None:
        return pd.read_csv(io.StringIO(_townhall._builtin_census_table(file)),
                           dtype={"geography code": "str"})
    path = directory / file
    try:
        return pd.read_csv(path, dtype={"geography code": "str"})
    except OSError as e:
        raise IoError(f"cannot read {path}: {e}", code="io", field=str(path)) from e


def census_targets(variables: str | list[str] = ("ethnicity", "tenure", "religion"),
                   borough: str = "E09000020", *, wards: list[str] | None = None,
                   detailed: bool = False,
                   data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Census 2021 target counts and shares for a borough (or a list of wards).

    variables: 'ethnicity' (TS021), 'tenure' (TS054), 'religion' (TS030), or a list of them.
    detailed: False for the high-level categories (5 ethnic groups, 5 tenures), True for the
      detailed ones (19 ethnic groups, 8 tenures); religion has one level.
    Returns columns variable, category, count, share (share of the variable's total); the frame
    can be passed to :func:`townhall.rake` as targets. Unit: usual residents (ethnicity,
    religion) or households (tenure).
    """
    if isinstance(variables, str):
        variables = [variables]
    if wards is None:
        if borough not in BOROUGH_WARDS:
            raise NotFound(f"no ward list for borough {borough!r} (known: "
                           f"{', '.join(BOROUGH_WARDS)})", code="not-found", field="borough")
        wards = BOROUGH_WARDS[borough]
    directory = _data_dir(data_dir)
    frames = []
    for var in variables:
        if var not in TABLES:
            raise NotFound(f"unknown census variable {var!r} (known: {', '.join(TABLES)})",
                           code="not-found", field="variables")
        file, prefix, aggregates = TABLES[var]
        table = _read_table(directory, file)
        if "geography code" not in table.columns:
            raise InvalidCsv(f"{file} has no 'geography code' column", code="invalid-csv",
                             field="geography code")
        rows = table[table["geography code"].isin(wards)]
        missing = sorted(set(wards) - set(rows["geography code"]))
        if missing:
            raise NotFound(f"{file} has no rows for wards {', '.join(missing)}", code="not-found",
                           field="wards")
        total_col = next((c for c in table.columns if c.startswith(f"{prefix}: Total")), None)
        if total_col is None:
            raise InvalidCsv(f"{file} has no total column", code="invalid-csv", field=prefix)
        parts: dict[str, list[str]] = {}  # high-level category -> detailed children
        for col in table.columns:
            if not col.startswith(prefix + ": ") or col == total_col:
                continue
            rest = col[len(prefix) + 2:]
            top, _, child = rest.partition(": ")
            if top in aggregates:
                continue
            parts.setdefault(top, [])
            if child:
                parts[top].append(child)
        cats: list[tuple[str, str]] = []  # (label, column)
        for top, children in parts.items():
            if detailed and children:
                cats += [(f"{top}: {ch}", f"{prefix}: {top}: {ch}") for ch in children]
            else:
                cats.append((top, f"{prefix}: {top}"))
        counts = [int(rows[col].sum()) for _, col in cats]
        total = int(rows[total_col].sum())
        if sum(counts) != total:
            raise InvalidCsv(f"{file}: categories sum to {sum(counts)}, total is {total}",
                             code="invalid-csv", field=total_col)
        frames.append(pd.DataFrame({"variable": var, "category": [c for c, _ in cats],
                                    "count": counts,
                                    "share": [n / total for n in counts]}))
    return pd.concat(frames, ignore_index=True)


__all__ = ["census_targets", "TABLES", "BOROUGH_WARDS", "DATA_DIR"]
