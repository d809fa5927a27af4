#!/usr/bin/env bash
# Bounded fuzzing for CI: build every fuzz target and run each one for a short, fixed time over
# the committed corpus (fuzz/corpus/<target>/). Fails on the first crash, panic, timeout or
# out-of-memory; the reproducer is left in fuzz/artifacts/<target>/.
#
# Works on a stable toolchain: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags.
#
#   fuzz/ci.sh                      # 20 s per target, no sanitizer
#   FUZZ_SECONDS=60 fuzz/ci.sh      # longer
#   FUZZ_SANITIZER=address fuzz/ci.sh   # with AddressSanitizer (about half the speed)
#
# The committed corpus is only read: new inputs go to a temporary directory, so a CI run leaves
# the tree unchanged (apart from fuzz/target/ and, on failure, fuzz/artifacts/).
set -euo pipefail

cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-20}"
sanitizer="${FUZZ_SANITIZER:-none}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "ci.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --version '^0.13' --locked
fi

# Release build with debug assertions (so integer overflow panics, as in the test suite).
flags=(--release --debug-assertions --sanitizer "$sanitizer")
cargo fuzz build "${flags[@]}"

dict_for() {
    case "$1" in
        json) echo "-dict=dict/json.dict" ;;
        note | tlog_proof) echo "-dict=dict/note.dict" ;;
        verifier_bytes) echo "-dict=dict/verifier.dict" ;;
        *) echo "" ;;
    esac
}

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in $(cargo fuzz list); do
    mkdir -p "$scratch/$target"
    echo "=== $target: ${seconds}s over corpus/$target ($(find "corpus/$target" -type f | wc -l) files)"
    # shellcheck disable=SC2046
    if cargo fuzz run "${flags[@]}" "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        $(dict_for "$target") >"$scratch/$target.log" 2>&1; then
        grep -E '^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^stat::average_exec_per_sec' \
            "$scratch/$target.log" || true
    else
        echo "!!! $target FAILED; its log ends with:"
        tail -n 60 "$scratch/$target.log"
        failed+=("$target")
    fi
done

if ((${#failed[@]})); then
    echo "ci.sh: fuzz targets failed: ${failed[*]} (reproducers in fuzz/artifacts/)"
    exit 1
fi
echo "ci.sh: all fuzz targets ran ${seconds}s without a failure"
