#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `acta import` of 100k and 1M events into a new
# log, next to the peak of `acta verify` of the log it built (a command that streams, measured
# in the same run): the streamed import's memory does not grow with the batch.
#
#   benches/import_memory.sh                          # builds target/release/acta first
#   ACTA_IMPORT_SIZES="10000 100000" benches/import_memory.sh   # other batch sizes
#   ACTA_BENCH_DIR=/some/fs benches/import_memory.sh  # put the files on another file system
#
# Everything happens in a temporary directory that is removed on exit. Events are about 250
# bytes of JSON each (the same type and data as benches/verify_memory.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
cargo build --release --quiet --bin acta
target_dir=${CARGO_TARGET_DIR:-target}
acta=$(realpath "$target_dir/release/acta")
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
tmp=$(mktemp -d "${ACTA_BENCH_DIR:-${TMPDIR:-/tmp}}/acta-import-memory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$acta" key generate --name test-only-bench --out "$tmp/key" >/dev/null
"$acta" key verifier "$tmp/key" >"$tmp/vkey"

# Runs "$@" under GNU time; prints "max_rss_kib elapsed_s" (the command must exit 0).
measure() {
    /usr/bin/time -f '%M %e' -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || {
        echo "failed: $*" >&2
        cat "$tmp/out" >&2
        exit 1
    }
    cat "$tmp/time"
}

printf '%-8s %14s %16s %10s %16s %10s %8s\n' events "events bytes" "import RSS KiB" "import s" \
    "verify RSS KiB" "verify s" "ratio"
for n in ${ACTA_IMPORT_SIZES:-100000 1000000}; do
    awk -v n="$n" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "{\"type\":\"bench.case.updated\",\"data\":{\"actor\":\"registry-clerk-07\",\"case\":\"case-%08d\",\"note\":\"Request for cooperation transmitted to the competent national authority; receipt pending within the agreed time limit.\",\"status\":\"transmitted\"}}\n", i
    }' >"$tmp/events.jsonl"
    "$acta" init "$tmp/log-$n" --origin bench.acta.invalid/import --key "$tmp/key" >/dev/null
    read -r irss isec < <(measure "$acta" import "$tmp/log-$n" --key "$tmp/key" "$tmp/events.jsonl")
    read -r vrss vsec < <(measure "$acta" verify "$tmp/log-$n" --trust "@$tmp/vkey")
    printf '%-8s %14s %16s %10s %16s %10s %8s\n' "$n" "$(stat -c %s "$tmp/events.jsonl")" \
        "$irss" "$isec" "$vrss" "$vsec" "$(awk -v a="$irss" -v b="$vrss" 'BEGIN{printf "%.2f", a/b}')"
    rm -f "$tmp/events.jsonl" "$tmp/log-$n" "$tmp/log-$n".*
done
