#!/usr/bin/env bash
# What an analyst gets from `pip install`: builds the wheel once (`pip wheel .`), installs it into a
# fresh venv (timed: it must take under 30 s), then, from a folder outside the checkout, runs the
# `townhall` command the wheel ships, the census helpers on the package's own tables, the demo
# database made through Python, and the example notebook (nbclient). Any failing step stops the
# script with a message naming it. Run by .ci/run after `make test`.
#
#   scripts/check-pip-install.sh
#
# Environment: PYTHON (default python3) builds and runs the venvs; CMAKE_BUILD_PARALLEL_LEVEL
# (default 2). Packages come from the index pip is configured with, pinned by constraints.txt;
# the wheel is built without build isolation, in a build venv holding only its pinned build
# requirement (scikit-build-core).
#
# The wheel's CMake build is kept in build-wheel/ (a second run rebuilds only what changed) and
# compiled with make's compiler and flags (c++, RelWithDebInfo, warnings as errors; the installed
# binaries are stripped) through ccache: with CCACHE_NOHASHDIR=1 for both, as .ci/run sets it,
# its compile commands are make's, so after `make` the wheel costs little more than linking
# (27 s here, against 20 minutes compiling from nothing on this busy 2-core machine).
# WHEEL_BUILD_TYPE=Release builds what `pip install .` builds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
build_dir=$root/build-wheel
build_type=${WHEEL_BUILD_TYPE:-RelWithDebInfo}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PIP_CONSTRAINT="$root/constraints.txt" PIP_DISABLE_PIP_VERSION_CHECK=1
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
unset TOWNHALL_CENSUS_DIR TOWNHALL_CLI PYTHONPATH

step() { echo "check-pip-install: $*"; }
fail() { echo "check-pip-install: FAILED: $*" >&2; exit 1; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# 1. The wheel, built once. The build venv holds only the build requirements (pinned).
step "building the wheel ($build_type, CMake build in $build_dir)"
"$python" -m venv "$work/build-venv" || fail "cannot make a venv with $python"
"$work/build-venv/bin/python" -m pip install -q scikit-build-core \
  || fail "cannot install the build requirement scikit-build-core from the package index"
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-C cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_NOHASHDIR=1
fi
werror=()
if [ "$build_type" = RelWithDebInfo ]; then werror=(-C cmake.define.TOWNHALL_WERROR=ON); fi
# make's compiler (CMake's first choice, c++, unless CXX names one): ccache keys on its path.
compiler=${CXX:-$(command -v c++ || true)}
if [ -n "$compiler" ]; then werror+=(-C cmake.define.CMAKE_CXX_COMPILER="$compiler"); fi
t0=$(seconds)
"$work/build-venv/bin/python" -m pip wheel "$root" -w "$work/dist" --no-deps --no-build-isolation -q \
  -C build-dir="$build_dir" -C cmake.build-type="$build_type" "${werror[@]}" "${launcher[@]}" \
  > "$work/wheel.log" 2>&1 \
  || { tail -40 "$work/wheel.log" >&2; fail "pip wheel . did not build (log above)"; }
t1=$(seconds)
wheel=$(ls "$work"/dist/townhall-*.whl 2>/dev/null | head -1)
[ -n "$wheel" ] || fail "pip wheel . made no townhall wheel in $work/dist"
step "wheel built in $(elapsed "$t0" "$t1") s: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
"$python" - "$wheel" <<'PY' || fail "the wheel lacks a file it must ship (above)"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
need = ["townhall/__init__.py", "townhall/demo.py", "townhall/data/census/README.md",
        "townhall/data/census/census2021-ts054-ward-rbkc-hounslow.csv"]
missing = [n for n in need if n not in names]
missing += [] if any(n.startswith("townhall/_townhall") and n.endswith(".so") for n in names) \
    else ["townhall/_townhall*.so"]
missing += [] if any(n.endswith(".data/scripts/townhall") for n in names) else ["scripts/townhall"]
if missing:
    sys.exit("missing from the wheel: " + ", ".join(missing))
PY

# 2. A fresh venv; installing the wheel (with numpy and pandas) must take under 30 s.
"$python" -m venv "$work/venv" || fail "cannot make a venv with $python"
venv="$work/venv"
t0=$(seconds)
"$venv/bin/python" -m pip install -q "$wheel" || fail "pip install $(basename "$wheel") failed"
t1=$(seconds)
install_s=$(elapsed "$t0" "$t1")
step "pip install of the wheel (with numpy and pandas) into a fresh venv: $install_s s (limit 30 s; load average $(cut -d' ' -f1 /proc/loadavg))"
awk -v s="$install_s" 'BEGIN { exit !(s < 30) }' || fail "installing the wheel took $install_s s (limit 30 s)"
# What the notebook needs besides the package (not part of the timed install).
"$venv/bin/python" -m pip install -q matplotlib nbclient nbformat ipykernel \
  || fail "cannot install the notebook's packages (matplotlib, nbclient, nbformat, ipykernel)"

# 3. From a folder outside the checkout, with nothing but the venv on PATH.
outside="$work/elsewhere"
mkdir -p "$outside"
cd "$outside"
export PATH="$venv/bin:$PATH"
[ "$(command -v townhall)" = "$venv/bin/townhall" ] || fail "the wheel did not install the townhall command into $venv/bin"
townhall --help > help.txt 2>&1 || fail "townhall --help failed: $(cat help.txt)"
grep -q "demo seed" help.txt || fail "townhall --help does not list its commands: $(head -5 help.txt)"
step "townhall --help: $(grep -c . help.txt) lines"
townhall demo seed --db cli-demo.db > token.txt 2> seed.txt || fail "townhall demo seed failed: $(cat seed.txt)"

python - "$root" <<'PY' || fail "the installed package did not work from $outside (above)"
import sys
from pathlib import Path
import townhall
root = Path(sys.argv[1]).resolve()
where = Path(townhall.__file__).resolve()
if root in where.parents:
    sys.exit(f"imported townhall from the checkout ({where}), not the installed wheel")
tenure = townhall.census_targets("tenure", borough="E09000020")
assert int(tenure["count"].sum()) == 66895, tenure          # RBKC households (data README)
assert list(tenure["category"]) == ["Owned", "Shared ownership", "Social rented",
                                    "Private rented", "Lives rent free"], tenure
assert int(townhall.census_targets("ethnicity")["count"].sum()) == 143390
assert townhall.census.DATA_DIR.parent.parent == where.parent
made = townhall.demo.seed("py-demo.db")
assert made.seeded and made.consultations == 6 and made.responses == 21, made
with townhall.open("py-demo.db") as py_db, townhall.open("cli-demo.db") as cli_db:
    py_c, cli_c = py_db.consultations(), cli_db.consultations()
    assert list(py_c["title"]) == list(cli_c["title"]) and \
        list(py_c["responses"]) == list(cli_c["responses"]), (py_c, cli_c)
print("check-pip-install: census_targets and townhall.demo.seed from", where.parent)
PY

cp "$root/docs/notebooks/analysing-a-consultation.ipynb" notebook.ipynb
MPLBACKEND=Agg python - <<'PY' || fail "the example notebook did not run from $outside (above)"
import nbclient, nbformat
nb = nbformat.read("notebook.ipynb", as_version=4)
nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                        resources={"metadata": {"path": "."}}).execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
          if o.get("output_type") == "error"]
assert not errors, errors
print(f"check-pip-install: the notebook ran ({len(nb.cells)} cells)")
PY
step "OK"
