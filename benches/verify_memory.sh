#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `acta verify` on a 10k-entry and a 100k-entry log,
# next to the peak of a trivial `acta` command (the process's floor), to show that verification
# memory does not grow with the log.
#
#   benches/verify_memory.sh            # from anywhere; builds target/release/acta first
#   ACTA_BENCH_DIR=/some/fs benches/verify_memory.sh   # put the logs on another file system
#   ACTA_MEMORY_SIZES="10000 1000000" benches/verify_memory.sh   # other log sizes
#   ACTA_MEMORY_RUNS=5 benches/verify_memory.sh    # verify each log 5 times; prints each run
#                                                  # and the medians (default 1)
#   ACTA_KEEP_DIR=/big/logs benches/verify_memory.sh   # build in this (new or empty) directory
#                                                      # and keep the logs (log-N), key and vkey
#                                                      # (with ACTA_MEMORY_RUNS=0: only build)
#
# Everything happens in a temporary directory that is removed on exit (unless ACTA_KEEP_DIR is
# given). The logs are written with the CLI itself (`acta key generate`, `acta init`,
# `acta import` of a JSON Lines file), with entries of about 500 bytes, like benches/log.rs.
set -euo pipefail

cd "$(dirname "$0")/.."
cargo build --release --quiet --bin acta
target_dir=${CARGO_TARGET_DIR:-target}
acta=$(realpath "$target_dir/release/acta")
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }

runs=${ACTA_MEMORY_RUNS:-1}
if [ -n "${ACTA_KEEP_DIR:-}" ]; then
    mkdir -p "$ACTA_KEEP_DIR"
    if [ -n "$(ls -A "$ACTA_KEEP_DIR")" ]; then
        echo "ACTA_KEEP_DIR=$ACTA_KEEP_DIR is not empty; give a new or empty directory" >&2
        exit 2
    fi
    tmp=$(realpath "$ACTA_KEEP_DIR")
    trap 'rm -f "$tmp/events.jsonl" "$tmp/time" "$tmp/out" "$tmp/runs"' EXIT
else
    tmp=$(mktemp -d "${ACTA_BENCH_DIR:-${TMPDIR:-/tmp}}/acta-verify-memory.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
fi

"$acta" key generate --name test-only-bench --out "$tmp/key" >/dev/null
"$acta" key verifier "$tmp/key" >"$tmp/vkey"

# Writes a log of $1 entries (the genesis and $1 - 1 events) to $2.
make_log() {
    local entries=$1 log=$2
    awk -v n="$((entries - 1))" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "{\"type\":\"bench.case.updated\",\"data\":{\"actor\":\"registry-clerk-07\",\"case\":\"case-%08d\",\"note\":\"Request for cooperation transmitted to the competent national authority; receipt pending within the agreed time limit.\",\"status\":\"transmitted\"}}\n", i
    }' >"$tmp/events.jsonl"
    "$acta" init "$log" --origin bench.acta.invalid/log --key "$tmp/key" >/dev/null
    "$acta" import "$log" --key "$tmp/key" "$tmp/events.jsonl" >/dev/null 2>&1
    rm "$tmp/events.jsonl"
}

# Runs "$@" under GNU time; prints "max_rss_kib elapsed_s" (the command must exit 0).
measure() {
    /usr/bin/time -f '%M %e' -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || {
        echo "failed: $*" >&2
        cat "$tmp/out" >&2
        exit 1
    }
    cat "$tmp/time"
}

echo "filesystem of the logs:"
df -T "$tmp" | sed 's/^/  /'
printf '%-34s %12s %14s %10s\n' "command" "log bytes" "max RSS (KiB)" "elapsed s"

read -r rss secs < <(measure "$acta" key verifier "$tmp/key")
printf '%-34s %12s %14s %10s\n' "acta key verifier (floor)" "-" "$rss" "$secs"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

for entries in ${ACTA_MEMORY_SIZES:-10000 100000}; do
    log="$tmp/log-$entries"
    make_log "$entries" "$log"
    : >"$tmp/runs"
    for run in $(seq "$runs"); do
        read -r rss secs < <(measure "$acta" verify "$log" --trust "@$tmp/vkey")
        # The check that it verified what it should have: a sound log with every entry.
        grep -q "^entries: *$entries\$" "$tmp/out" || {
            echo "acta verify did not report $entries entries:" >&2
            cat "$tmp/out" >&2
            exit 1
        }
        label="acta verify ($entries entries)"
        [ "$runs" -gt 1 ] && label="acta verify ($entries entries) #$run"
        printf '%-34s %12s %14s %10s\n' "$label" "$(stat -c %s "$log")" "$rss" "$secs"
        echo "$rss $secs" >>"$tmp/runs"
    done
    if [ "$runs" -gt 1 ]; then
        rss=$(cut -d' ' -f1 "$tmp/runs" | median)
        secs=$(cut -d' ' -f2 "$tmp/runs" | median)
        printf '%-34s %12s %14s %10s  (%.2f us/entry)\n' "  median of $runs" "" "$rss" "$secs" \
            "$(echo "$secs * 1000000 / $entries" | bc -l)"
    fi
    [ -n "${ACTA_KEEP_DIR:-}" ] || rm "$log"
done
