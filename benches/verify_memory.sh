#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `acta verify` on a 10k-entry and a 100k-entry log,
# next to the peak of a trivial `acta` command (the process's floor), to show that verification
# memory does not grow with the log.
#
#   benches/verify_memory.sh            # from anywhere; builds target/release/acta first
#   ACTA_BENCH_DIR=/some/fs benches/verify_memory.sh   # put the logs on another file system
#   ACTA_MEMORY_SIZES="10000 1000000" benches/verify_memory.sh   # other log sizes
#
# Everything happens in a temporary directory that is removed on exit. The logs are written with
# the CLI itself (`acta key generate`, `acta init`, `acta import` of a JSON Lines file), with
# entries of about 500 bytes, like benches/log.rs.
set -euo pipefail

cd "$(dirname "$0")/.."
cargo build --release --quiet --bin acta
target_dir=${CARGO_TARGET_DIR:-target}
acta=$(realpath "$target_dir/release/acta")
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }

tmp=$(mktemp -d "${ACTA_BENCH_DIR:-${TMPDIR:-/tmp}}/acta-verify-memory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

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

for entries in ${ACTA_MEMORY_SIZES:-10000 100000}; do
    log="$tmp/log-$entries"
    make_log "$entries" "$log"
    read -r rss secs < <(measure "$acta" verify "$log" --trust "@$tmp/vkey")
    # The check that it verified what it should have: a sound log with every entry.
    grep -q "^entries: *$entries\$" "$tmp/out" || {
        echo "acta verify did not report $entries entries:" >&2
        cat "$tmp/out" >&2
        exit 1
    }
    printf '%-34s %12s %14s %10s\n' "acta verify ($entries entries)" "$(stat -c %s "$log")" "$rss" "$secs"
    rm "$log"
done
