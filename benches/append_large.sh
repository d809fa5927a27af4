#!/usr/bin/env bash
# Wall-clock time of `acta append` (one entry, a whole process) on a large log vs on a log of only
# its genesis, to show that opening a log for append does not read it (the writer resumes from its
# state file, `LOG.state`). For contrast, one `acta append` after deleting the state file (a full
# replay).
#
#   benches/append_large.sh                               # 10,000,000 entries (about 5 GB)
#   ACTA_APPEND_ENTRIES=1000000 benches/append_large.sh   # another size
#   ACTA_APPEND_RUNS=30 benches/append_large.sh           # appends timed per log (default 20)
#   ACTA_BENCH_DIR=/some/fs benches/append_large.sh       # put the logs on another file system
#   ACTA_KEEP_DIR=/big/acta-10m benches/append_large.sh   # build in this (new or empty)
#                                                         # directory and keep it afterwards
#
# The large log is written with the CLI itself (`acta init`, then `acta import` of JSON Lines
# files of ACTA_APPEND_CHUNK events each, default 200,000), with entries of about 500 bytes like
# benches/log.rs. Everything happens in a temporary directory that is removed on exit, unless
# ACTA_KEEP_DIR names a directory: then the logs (`big.log` with its `.tree` and `.state` files,
# `empty.log`), the signing key (`key`) and its verifier (`vkey`) stay there for other
# measurements, e.g. `acta verify DIR/big.log --trust @DIR/vkey`. `big.log` then holds the
# built entries plus the ACTA_APPEND_RUNS + 1 entries appended by the timing below.
set -euo pipefail

cd "$(dirname "$0")/.."
cargo build --release --quiet --bin acta
target_dir=${CARGO_TARGET_DIR:-target}
acta=$(realpath "$target_dir/release/acta")

entries=${ACTA_APPEND_ENTRIES:-10000000}
chunk=${ACTA_APPEND_CHUNK:-200000}
runs=${ACTA_APPEND_RUNS:-20}

if [ -n "${ACTA_KEEP_DIR:-}" ]; then
    mkdir -p "$ACTA_KEEP_DIR"
    if [ -n "$(ls -A "$ACTA_KEEP_DIR")" ]; then
        echo "ACTA_KEEP_DIR=$ACTA_KEEP_DIR is not empty; give a new or empty directory" >&2
        exit 2
    fi
    tmp=$(realpath "$ACTA_KEEP_DIR")
    trap 'rm -f "$tmp/events.jsonl" "$tmp/big.times" "$tmp/empty.times"' EXIT
else
    tmp=$(mktemp -d "${ACTA_BENCH_DIR:-${TMPDIR:-/tmp}}/acta-append-large.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
fi

"$acta" key generate --name test-only-bench --out "$tmp/key" >/dev/null
"$acta" key verifier "$tmp/key" >"$tmp/vkey"
big="$tmp/big.log"
empty="$tmp/empty.log"
"$acta" init "$big" --origin bench.acta.invalid/log --key "$tmp/key" >/dev/null
"$acta" init "$empty" --origin bench.acta.invalid/empty --key "$tmp/key" >/dev/null

started=$(date +%s)
done_entries=1
while [ "$done_entries" -lt "$entries" ]; do
    n=$((entries - done_entries))
    [ "$n" -gt "$chunk" ] && n=$chunk
    awk -v from="$done_entries" -v n="$n" 'BEGIN {
        for (i = from; i < from + n; i++)
            printf "{\"type\":\"bench.case.updated\",\"data\":{\"actor\":\"registry-clerk-07\",\"case\":\"case-%08d\",\"note\":\"Request for cooperation transmitted to the competent national authority; receipt pending within the agreed time limit.\",\"status\":\"transmitted\"}}\n", i
    }' >"$tmp/events.jsonl"
    "$acta" import "$big" --key "$tmp/key" "$tmp/events.jsonl" >/dev/null 2>&1
    done_entries=$((done_entries + n))
done
rm -f "$tmp/events.jsonl"
echo "built a log of $entries entries in $tmp/big.log, $(stat -c %s "$big") bytes, in $(($(date +%s) - started)) s"
echo "filesystem of the logs:"
df -T "$tmp" | sed 's/^/  /'

# Prints the wall-clock seconds of one `acta append` of one entry to $1.
append_once() {
    local start end
    start=$(date +%s.%N)
    "$acta" append "$1" --key "$tmp/key" --type bench.case.updated \
        --data '{"case":"case-appended","status":"transmitted"}' >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

# Alternates the two logs, so both see the same machine conditions.
: >"$tmp/big.times"
: >"$tmp/empty.times"
for _ in $(seq "$runs"); do
    append_once "$big" >>"$tmp/big.times"
    append_once "$empty" >>"$tmp/empty.times"
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
big_median=$(median "$tmp/big.times")
empty_median=$(median "$tmp/empty.times")
printf 'acta append, median of %d: %d-entry log %.4f s, empty log %.4f s, ratio %.2f\n' \
    "$runs" "$entries" "$big_median" "$empty_median" "$(echo "$big_median / $empty_median" | bc -l)"

# The same append with no state file: a full replay.
rm "$big.state"
replay=$(append_once "$big")
printf 'acta append without the state file (full replay of %d entries): %.2f s\n' "$entries" "$replay"
# And the log is sound with everything appended (skipped above 1M entries: it checks every
# signature, about 15k per second per core).
if [ "$entries" -le 1000000 ]; then
    "$acta" verify "$big" --trust "@$tmp/vkey" >/dev/null && echo "verify: sound"
fi
if [ -n "${ACTA_KEEP_DIR:-}" ]; then
    echo "kept in $tmp: big.log ($(stat -c %s "$big") bytes), its .tree and .state, empty.log, key, vkey"
fi
