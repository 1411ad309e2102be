#!/usr/bin/env bash
# Runs the libFuzzer targets built in BUILD_DIR (default build-fuzz) by `make fuzz-build`.
#
#   fuzz/run.sh smoke [BUILD_DIR] [TARGET...]  each target for SMOKE_SECONDS (default 10) from the
#                                              seeds in fuzz/corpus/<target>; what it finds is
#                                              kept in BUILD_DIR/fuzz-smoke/ and thrown away next time
#   fuzz/run.sh long [BUILD_DIR] [TARGET...]   each target for FUZZ_SECONDS (default 3600), or until
#                                              FUZZ_RUNS executions when set; the corpus grows in
#                                              BUILD_DIR/fuzz-corpus/<target> from run to run
#   fuzz/run.sh seeds [BUILD_DIR] [TARGET...]  rebuilds fuzz/corpus/<target> from the test suites'
#                                              inputs (fuzz/make_seeds.py), keeping what adds
#                                              coverage; the reproducers of fixed bugs
#                                              (fuzz/corpus/<target>/regression-*) always stay
#   fuzz/run.sh replay BUILD_DIR FROM [TARGET...] runs every input of FROM/fuzz-corpus/<target> once
#                                              through BUILD_DIR's targets: a corpus grown fast by a
#                                              coverage-only build (TOWNHALL_FUZZ_SANITIZERS="")
#                                              replayed under ASan and UBSan
#
# Targets run one after another, or FUZZ_JOBS at a time (one process each). A crash, sanitizer report, timeout, leak or
# broken property stops that target, prints the reproducer's path and how to replay it, and makes
# the script exit 1 once every target has run. The summary gives per target the executions,
# executions per second (wall clock, libFuzzer's figure) and per CPU second, coverage (libFuzzer's
# cov = edges, ft = features), the corpus size and peak memory; it is also written to
# BUILD_DIR/fuzz-<mode>-report.txt.
set -uo pipefail

mode=${1:?usage: fuzz/run.sh smoke|long|seeds|replay [BUILD_DIR] [TARGET...]}
shift
build=${1:-build-fuzz}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in fuzz/*.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi

smoke_seconds=${SMOKE_SECONDS:-10}
fuzz_seconds=${FUZZ_SECONDS:-3600}
# Per input: the request target's own limit for an answer is 20 s.
common=(-timeout=25 -rss_limit_mb=2560 -print_final_stats=1)

# The dictionary of a target: fuzz/dict/<target>.dict, else the one of its input's format.
dict_of() {
  local d
  case "$1" in
    submission_body | json_body | forward_plan | consultation | policy) d=json ;;
    csv | panel_csv | forward_plan_csv) d=csv ;;
    http_request) d=http ;;
    *) d=$1 ;;
  esac
  if [ -f "fuzz/dict/$d.dict" ]; then echo "-dict=fuzz/dict/$d.dict"; fi
}

# Pulls the figures out of a libFuzzer log: execs exec/s cov ft corpus peak_rss.
figures() {
  local log=$1 corpus_dir=$2
  local runs rate cov ft rss files
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  files=$(find "$corpus_dir" -type f 2>/dev/null | wc -l)
  cpu_rate=$(awk -v runs="${runs:-0}" '{ cpu = $1 + $2 } END { if (cpu > 0) printf "%d", runs / cpu; else print "?" }' "$log.cpu" 2>/dev/null)
  printf '%-18s %12s %9s %11s %7s %7s %8s %7s' "$t" "${runs:-?}" "${rate:-?}" "${cpu_rate:-?}" "${cov:-?}" "${ft:-?}" "$files" "${rss:-?}"
}

header=$(printf '%-18s %12s %9s %11s %7s %7s %8s %7s' target executions exec/s exec/cpu-s cov ft corpus rss_mb)

# Runs target $1 in mode $mode and prints its summary line; the exit status is libFuzzer's.
run_target() {
  local t=$1 bin="$build/fuzz/fuzz_$1" work budget artifacts log status line repro
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin is missing (make fuzz-build)" >&2
    printf '%-18s missing\n' "$t"
    return 1
  fi
  artifacts="$build/fuzz-artifacts/$t/"
  log="$build/fuzz-logs/$mode-$t.log"
  mkdir -p "$artifacts" "$(dirname "$log")"
  case "$mode" in
    smoke)
      work="$build/fuzz-smoke/$t"
      rm -rf "$work"
      budget=(-max_total_time="$smoke_seconds" "$work" "fuzz/corpus/$t")
      ;;
    long)
      work="$build/fuzz-corpus/$t"
      budget=(-max_total_time="$fuzz_seconds")
      if [ -n "${FUZZ_RUNS:-}" ]; then budget+=(-runs="$FUZZ_RUNS"); fi
      budget+=("$work" "fuzz/corpus/$t")
      ;;
    replay)
      # Each input of the grown corpus once (-runs=0 stops after the corpus is read and run).
      work="$replay_from/fuzz-corpus/$t"
      if [ ! -d "$work" ]; then
        echo "fuzz: $work is missing (run fuzz/run.sh long $replay_from first)" >&2
        printf '%-18s no corpus\n' "$t"
        return 1
      fi
      budget=(-runs=0 "$work" "fuzz/corpus/$t")
      ;;
  esac
  mkdir -p "$work"
  # The CPU seconds the target used ('time' keyword: user and system), so that a rate can be
  # given per CPU second too: on a shared machine the wall-clock rate depends on the load.
  TIMEFORMAT='%U %S'
  # shellcheck disable=SC2046
  { time "$bin" "${common[@]}" $(dict_of "$t") -artifact_prefix="$artifacts" "${budget[@]}" \
    >"$log" 2>&1; } 2>"$log.cpu"
  status=$?
  line=$(figures "$log" "$work")
  if [ "$mode" = replay ]; then
    # Replaying runs the corpus and nothing else: what was executed is what was read.
    line="$line  replayed $(grep -o 'INITED.*' "$log" | grep -o 'corp: [0-9]*' | awk '{print $2}') inputs"
  fi
  if [ $status -ne 0 ]; then
    repro=$(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')
    line="$line  FAILED (exit $status)"
    {
      echo "---- fuzz_$t failed; the end of its log ($log):"
      grep -v '^#[0-9]' "$log" | tail -60
      echo "---- reproducer: ${repro:-none written}"
      [ -n "$repro" ] && echo "---- replay it: $bin $repro"
    } >&2
  fi
  echo "$line"
  return $status
}

case "$mode" in
  smoke | long | replay)
    if [ "$mode" = replay ]; then
      # replay BUILD_DIR FROM_BUILD_DIR [TARGET...]: the first argument after the build was taken as
      # a target; it names the build whose fuzz-corpus/ is replayed.
      replay_from=${targets[0]:?usage: fuzz/run.sh replay BUILD_DIR FROM_BUILD_DIR [TARGET...]}
      targets=("${targets[@]:1}")
      if [ ${#targets[@]} -eq 0 ]; then
        for src in fuzz/*.cpp; do targets+=("$(basename "$src" .cpp)"); done
      fi
    fi
    report="$build/fuzz-$mode-report.txt"
    echo "$header" | tee "$report"
    # FUZZ_JOBS targets at a time (default 1), each one process; lines come in the order they end.
    jobs_max=${FUZZ_JOBS:-1}
    # Each run its own status folder, so two runs on one build (a long run of a few targets
    # beside another) cannot wipe each other's results.
    mkdir -p "$build/fuzz-logs"
    results=$(mktemp -d "$build/fuzz-logs/$mode-results.XXXXXX")
    for t in "${targets[@]}"; do
      while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
      { run_target "$t"; echo $? >"$results/$t.status"; } | tee -a "$report" &
    done
    wait
    failed=()
    for t in "${targets[@]}"; do
      [ "$(cat "$results/$t.status" 2>/dev/null)" = 0 ] || failed+=("$t")
    done
    rm -rf "$results"
    if [ ${#failed[@]} -gt 0 ]; then
      echo "fuzz $mode: FAILED: ${failed[*]}" | tee -a "$report" >&2
      exit 1
    fi
    echo "fuzz $mode: ${#targets[@]} targets, no failures" | tee -a "$report"
    ;;
  seeds)
    candidates="$build/seed-candidates"
    rm -rf "$candidates"
    python3 fuzz/make_seeds.py "$candidates" || exit 1
    for t in "${targets[@]}"; do
      mkdir -p "fuzz/corpus/$t" "$candidates/$t"
      fresh="$build/seed-merge/$t"
      rm -rf "$fresh" && mkdir -p "$fresh"
      find "fuzz/corpus/$t" -type f ! -name 'regression-*' -exec mv {} "$candidates/$t/" \;
      find "fuzz/corpus/$t" -type f -name 'regression-*' -exec cp {} "$fresh/" \;
      # Merging into an empty directory keeps a minimal set that covers everything the old seeds
      # and the candidates cover (beyond what the regression inputs cover already).
      "$build/fuzz/fuzz_$t" -merge=1 "${common[@]}" -artifact_prefix="$build/seed-merge/$t-" "$fresh" "$candidates/$t" \
        >"$build/seed-merge/$t.log" 2>&1 || { echo "seeds: merging $t failed (see $build/seed-merge/$t.log)" >&2; exit 1; }
      cp "$fresh"/* "fuzz/corpus/$t/" 2>/dev/null
      echo "$t: $(find "fuzz/corpus/$t" -type f | wc -l) seeds"
    done
    ;;
  *)
    echo "usage: fuzz/run.sh smoke|long|seeds [BUILD_DIR] [TARGET...] | replay BUILD_DIR FROM_BUILD_DIR [TARGET...]" >&2
    exit 2
    ;;
esac
