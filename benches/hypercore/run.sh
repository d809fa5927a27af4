#!/usr/bin/env bash
# acta and Hypercore side by side, on this machine, in one run (see BENCHMARKS.md, "Side by side
# with Hypercore").
#
#   benches/hypercore/run.sh             # N = 100000 entries/blocks of about 500 bytes
#   N=2000 benches/hypercore/run.sh      # a quick look
#
# It installs the npm package `hypercore` (pinned below) in a temporary folder, then runs the
# two sides interleaved, so that each pair of figures comes from nearly the same minutes:
#
#   1. acta      append_single, limit_fdatasync  (cargo bench --bench side_by_side)
#   2. Hypercore append_single                   (benches/hypercore/hypercore-bench.mjs)
#   3. acta      append_batch, verify
#   4. Hypercore append_batch, replicate, audit
#
# and prints a table of rates, acta/Hypercore ratios and each side's guarantees, read from the
# counts that both programs report (signatures made and checked, fsync calls). Every case of
# both programs checks its result and fails the run if it is wrong. Everything it writes goes
# under one `mktemp -d` folder (the cores; acta's logs go in the system's temporary
# directory, or ACTA_BENCH_DIR), removed on exit. The JSON lines of both sides are kept in
# $RESULTS if set.
set -euo pipefail

HYPERCORE_VERSION=10.38.2
N=${N:-100000}
BATCH=${BATCH:-100}
export N BATCH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/acta-vs-hypercore.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
results=${RESULTS:-$tmp/results.jsonl}
: >"$results"

echo "== machine" >&2
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "fs of $tmp: $(df -T "$tmp" | awk 'NR==2 {print $1, $2}')"
    echo "node: $(node --version), rustc: $(rustc --version | cut -d' ' -f2)"
    echo "acta tree: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (plus uncommitted changes)')"
} >&2

echo "== installing hypercore@$HYPERCORE_VERSION in $tmp/hc" >&2
mkdir "$tmp/hc"
cp "$here/hypercore-bench.mjs" "$tmp/hc/"
(
    cd "$tmp/hc"
    echo '{ "name": "acta-hypercore-bench", "private": true }' >package.json
    npm install --no-audit --no-fund --loglevel=error "hypercore@$HYPERCORE_VERSION" >&2
)

echo "== building acta's side (cargo bench --bench side_by_side)" >&2
(cd "$root" && cargo bench -q --bench side_by_side --no-run)

acta() {
    (cd "$root" && CASES=$1 cargo bench -q --bench side_by_side) | grep '^{' | tee -a "$results"
}
hypercore() {
    (cd "$tmp/hc" && WORK="$tmp/cores" CASES=$1 node hypercore-bench.mjs) | grep '^{' | tee -a "$results"
    rm -rf "$tmp/cores"
}

echo "== N=$N, BATCH=$BATCH" >&2
acta append_single,limit_fdatasync
hypercore append_single
acta append_batch,verify
hypercore append_batch,replicate,audit

echo >&2
RESULTS_FILE=$results node --input-type=module - <<'EOF'
import fs from 'node:fs'
const rows = fs.readFileSync(process.env.RESULTS_FILE, 'utf8').trim().split('\n').map(l => JSON.parse(l))
const get = (side, c) => {
  const r = rows.find(x => x.side === side && x.case === c)
  if (!r) throw new Error(`missing result: ${side} ${c}`)
  return r
}
const num = x => Math.round(x).toLocaleString('en-US')
const a = {}
const h = {}
for (const c of ['append_single', 'limit_fdatasync', 'append_batch', 'verify']) a[c] = get('acta', c)
for (const c of ['append_single', 'append_batch', 'replicate', 'audit']) h[c] = get('hypercore', c)
const n = a.append_single.n
const sync = a.limit_fdatasync.per_sec

const hcGuarantee = r => {
  const parts = [`${num(r.signs)} Ed25519 signature${r.signs === 1 ? '' : 's'} (one per call, over the Merkle root)`]
  parts.push(`${num(r.fsyncs)} fsync${r.fsyncs === 1 ? '' : 's'}: written (write(2)) but not durable when append returns`)
  return parts.join('; ')
}
const table = [
  {
    case: `append ${num(n)} × 500 B, one per call`,
    acta: a.append_single, hc: h.append_single,
    ga: `${num(a.append_single.signs)} Ed25519 signatures (every entry); ${num(a.append_single.fdatasyncs)} fdatasyncs: durable when append returns`,
    gh: hcGuarantee(h.append_single),
    note: `acta is bound by fdatasync (${num(sync)}/s measured right after, acta = ${(a.append_single.per_sec / sync).toFixed(2)} × that); Hypercore never flushes`
  },
  {
    case: `append ${num(n)} × 500 B, ${a.append_batch.batch} per call`,
    acta: a.append_batch, hc: h.append_batch,
    ga: `${num(a.append_batch.signs)} signatures (every entry); ${num(a.append_batch.fdatasyncs)} fdatasyncs (one per call): durable when append returns`,
    gh: hcGuarantee(h.append_batch),
    note: `acta signs ${a.append_batch.batch}× as often (every entry vs once per call)`
  },
  {
    case: `read back, full verification: acta verify vs Hypercore replicate + download`,
    acta: a.verify, hc: h.replicate,
    ga: `${num(a.verify.signature_verifies)} strict Ed25519 verifications (every entry) + hash chain + RFC 6962 root, expected head and root`,
    gh: `${num(h.replicate.verifies)} signature verification (the latest root) + a Merkle proof (BLAKE2b) per block: ${num(h.replicate.block_hashes)} block hashes`,
    note: 'Hypercore also moves the blocks through an encrypted in-process stream and writes the clone to disk; acta reads a local file'
  },
  {
    case: `read back, local check: acta verify vs Hypercore audit`,
    acta: a.verify, hc: h.audit,
    ga: 'as above',
    gh: `${num(h.audit.verifies)} signature verifications; ${num(h.audit.block_hashes)} block hashes + tree nodes checked from the stored roots (internal ${h.audit.api.split(' ')[0]}); repairs instead of failing`,
    note: 'not like for like: audit checks no signature, so it trusts its own stored roots'
  }
]

const lines = []
lines.push(`| case | acta /s | Hypercore /s | acta / Hypercore | acta guarantee | Hypercore ${h.append_single.hypercore} guarantee | caveat |`)
lines.push('|---|---|---|---|---|---|---|')
for (const r of table) {
  lines.push(`| ${r.case} | ${num(r.acta.per_sec)} | ${num(r.hc.per_sec)} | **${(r.acta.per_sec / r.hc.per_sec).toFixed(2)}** | ${r.ga} | ${r.gh} | ${r.note} |`)
}
lines.push('')
lines.push(`Seconds: acta ${['append_single', 'append_batch', 'verify'].map(c => `${c} ${a[c].seconds}`).join(', ')}, limit_fdatasync ${a.limit_fdatasync.seconds} for ${num(a.limit_fdatasync.n)}; ` +
  `Hypercore ${['append_single', 'append_batch', 'replicate', 'audit'].map(c => `${c} ${h[c].seconds}`).join(', ')} ` +
  `(replicate: ${h.replicate.handshake_and_upgrade_seconds} s to handshake and learn the length).`)
lines.push(`Bytes on disk per entry: acta ${(a.append_batch.bytes_on_disk / n).toFixed(0)} (log + tree file), Hypercore ${(h.append_batch.bytes_on_disk / n).toFixed(0)} (blocks, tree, bitfield, oplog).`)
console.log(lines.join('\n'))
EOF
