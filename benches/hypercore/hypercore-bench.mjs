// Hypercore's side of `benches/hypercore/run.sh`: the same workloads as `benches/side_by_side.rs`
// (acta), measured with the `hypercore` npm package that run.sh installs in a temporary folder.
//
// Run by run.sh from that folder (so that `hypercore` resolves from its node_modules):
//
//   N=100000 CASES=append_single,append_batch,replicate,audit node hypercore-bench.mjs
//
// Cases (each prints one JSON line on stdout; progress goes to stderr):
//
//   append_single  `core.append(block)` one block per call, each call awaited, N blocks.
//   append_batch   `core.append([100 blocks])` per call, N blocks.
//   replicate      a fresh clone core (on disk, knowing only the writer's public key) replicates
//                  the append_batch core over in-process streams (`core.replicate(true)` piped to
//                  `clone.replicate(false)`) and downloads all N blocks: each block is checked by
//                  Hypercore against a Merkle proof, and the tree root against the writer's
//                  signature.
//   audit          the append_batch core is closed, reopened from disk, and audited with
//                  `Core.audit()` (hash of every block and tree node, checked from the roots).
//
// Every case checks its result (length, the last block's content, no corrections), and counts,
// by wrapping the functions Hypercore calls, how many Ed25519 signatures, signature
// verifications, block (leaf) hashes and fsync/fdatasync calls the timed part made. The counts
// are what the "guarantees" column of run.sh's table is read from.
//
// Environment: N (blocks, default 100000), BATCH (blocks per call in append_batch, default 100),
// CASES (comma-separated, default all four), WORK (a directory for the cores; default a new
// directory under the OS's temporary directory, removed at the end).

import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const require = createRequire(path.join(process.cwd(), 'package.json'))
const Hypercore = require('hypercore')
// The very module instance Hypercore uses (resolved from Hypercore's own folder).
const requireFromHypercore = createRequire(require.resolve('hypercore'))
const hcrypto = requireFromHypercore('hypercore-crypto')
const hypercoreVersion = require('hypercore/package.json').version

const N = Number(process.env.N || 100000)
const BATCH = Number(process.env.BATCH || 100)
const BLOCK_BYTES = 500
const CASES = (process.env.CASES || 'append_single,append_batch,replicate,audit').split(',')
if (!Number.isInteger(N) || N < 1 || !Number.isInteger(BATCH) || BATCH < 1) {
  throw new Error(`bad N=${process.env.N} or BATCH=${process.env.BATCH}`)
}

// ---- counters: wrap what Hypercore calls, so the guarantees are observed, not assumed ----------

const counts = { signs: 0, verifies: 0, blockHashes: 0, fsyncs: 0 }
function wrap (obj, name, counter) {
  const orig = obj[name]
  if (typeof orig !== 'function') return
  obj[name] = function (...args) {
    counts[counter]++
    return orig.apply(this, args)
  }
}
wrap(hcrypto, 'sign', 'signs')
wrap(hcrypto, 'verify', 'verifies')
wrap(hcrypto, 'data', 'blockHashes')
for (const name of ['fsync', 'fdatasync', 'fsyncSync', 'fdatasyncSync']) wrap(fs, name, 'fsyncs')
// FileHandle.sync/datasync (promise API), in case a dependency uses it.
{
  const probe = await fs.promises.open(process.execPath, 'r')
  const proto = Object.getPrototypeOf(probe)
  await probe.close()
  wrap(proto, 'sync', 'fsyncs')
  wrap(proto, 'datasync', 'fsyncs')
}
// Check that the fsync counter sees calls made through `require('fs')`, as
// random-access-file makes them (a counter that cannot count would report "0 fsyncs").
{
  const probe = path.join(os.tmpdir(), `hypercore-bench-probe-${process.pid}`)
  const fd = require('fs').openSync(probe, 'w')
  require('fs').fsyncSync(fd)
  await new Promise((resolve, reject) => require('fs').fdatasync(fd, e => (e ? reject(e) : resolve())))
  fs.closeSync(fd)
  fs.unlinkSync(probe)
  if (counts.fsyncs !== 2) throw new Error(`the fsync counter saw ${counts.fsyncs} of 2 calls`)
  counts.fsyncs = 0
}

function snapshot () {
  return { ...counts }
}
function diff (after, before) {
  const d = {}
  for (const k of Object.keys(after)) d[k] = after[k] - before[k]
  return d
}

// ---- the data ----------------------------------------------------------------------------------

const FILLER = 'Request for cooperation transmitted to the competent national authority; ' +
  'receipt pending within the agreed time limit. '

/** Block `i`: 500 bytes, distinct per index. */
function block (i) {
  const head = `{"case":"case-${String(i).padStart(8, '0')}","actor":"registry-clerk-07","status":"transmitted","note":"`
  let s = head
  while (s.length < BLOCK_BYTES - 2) s += FILLER
  s = s.slice(0, BLOCK_BYTES - 2) + '"}'
  const b = Buffer.from(s)
  if (b.length !== BLOCK_BYTES) throw new Error('block size')
  return b
}

function dirBytes (dir) {
  let total = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size
  }
  return total
}

function check (cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`)
}

async function checkCore (core, n, what) {
  check(core.length === n, `${what}: length ${core.length} != ${n}`)
  const last = await core.get(n - 1, { wait: false })
  check(last !== null && Buffer.compare(last, block(n - 1)) === 0, `${what}: last block content`)
  const first = await core.get(0, { wait: false })
  check(first !== null && Buffer.compare(first, block(0)) === 0, `${what}: first block content`)
}

function report (name, n, calls, seconds, delta, extra = {}) {
  const line = {
    side: 'hypercore',
    hypercore: hypercoreVersion,
    node: process.version,
    case: name,
    n,
    calls,
    seconds: Number(seconds.toFixed(4)),
    per_sec: Math.round(n / seconds),
    signs: delta.signs,
    verifies: delta.verifies,
    block_hashes: delta.blockHashes,
    fsyncs: delta.fsyncs,
    ...extra,
    check: 'ok'
  }
  console.log(JSON.stringify(line))
}

// ---- the cases ---------------------------------------------------------------------------------

const work = process.env.WORK || fs.mkdtempSync(path.join(os.tmpdir(), 'hypercore-bench-'))
const removeWork = !process.env.WORK
let batchCore = null
let batchDir = null

async function appendSingle () {
  const dir = path.join(work, 'single')
  const core = new Hypercore(dir)
  await core.ready()
  const blocks = Array.from({ length: N }, (_, i) => block(i))
  const before = snapshot()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const { length } = await core.append(blocks[i])
    if (length !== i + 1) throw new Error(`append returned length ${length}, expected ${i + 1}`)
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const delta = diff(snapshot(), before)
  await checkCore(core, N, 'append_single')
  check(delta.signs === N, `append_single: ${delta.signs} signatures for ${N} calls`)
  await core.close()
  report('append_single', N, N, seconds, delta, { bytes_on_disk: dirBytes(dir) })
}

async function appendBatch (timed) {
  batchDir = path.join(work, 'batch')
  const core = new Hypercore(batchDir)
  await core.ready()
  const per = timed ? BATCH : 1000
  const blocks = Array.from({ length: N }, (_, i) => block(i))
  const before = snapshot()
  const t0 = process.hrtime.bigint()
  let calls = 0
  for (let i = 0; i < N; i += per) {
    const { length } = await core.append(blocks.slice(i, Math.min(i + per, N)))
    calls++
    if (length !== Math.min(i + per, N)) throw new Error(`append returned length ${length}`)
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const delta = diff(snapshot(), before)
  await checkCore(core, N, 'append_batch')
  check(delta.signs === calls, `append_batch: ${delta.signs} signatures for ${calls} calls`)
  batchCore = core
  if (timed) report('append_batch', N, calls, seconds, delta, { bytes_on_disk: dirBytes(batchDir) })
}

async function replicate () {
  if (batchCore === null) await appendBatch(false)
  const src = batchCore
  const cloneDir = path.join(work, 'clone')
  const clone = new Hypercore(cloneDir, src.key)
  await clone.ready()
  check(clone.length === 0, 'the clone starts empty')
  const before = snapshot()
  const t0 = process.hrtime.bigint()
  const s1 = src.replicate(true)
  const s2 = clone.replicate(false)
  s1.pipe(s2).pipe(s1)
  await clone.update({ wait: true })
  const upgraded = Number(process.hrtime.bigint() - t0) / 1e9
  check(clone.length === N, `replicate: the clone learned length ${clone.length}`)
  await clone.download({ start: 0, end: src.length }).done()
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const delta = diff(snapshot(), before)
  check(clone.contiguousLength === N, `replicate: contiguousLength ${clone.contiguousLength}`)
  await checkCore(clone, N, 'replicate')
  check(delta.blockHashes >= N, `replicate: only ${delta.blockHashes} block hashes for ${N} blocks`)
  check(delta.verifies >= 1, 'replicate: no signature was verified')
  s1.destroy()
  s2.destroy()
  await clone.close()
  report('replicate', N, 1, seconds, delta, { handshake_and_upgrade_seconds: Number(upgraded.toFixed(4)), bytes_on_disk: dirBytes(cloneDir) })
}

async function audit () {
  if (batchCore === null) await appendBatch(false)
  await batchCore.close()
  batchCore = null
  const core = new Hypercore(batchDir)
  await core.ready()
  const inner = core.core
  const where = typeof core.audit === 'function' ? 'Hypercore#audit' : 'Core#audit (core.core.audit(): not on the public class in this version)'
  if (!inner || typeof inner.audit !== 'function') {
    console.log(JSON.stringify({ side: 'hypercore', hypercore: hypercoreVersion, case: 'audit', n: N, absent: true }))
    await core.close()
    return
  }
  const before = snapshot()
  const t0 = process.hrtime.bigint()
  const corrections = typeof core.audit === 'function' ? await core.audit() : await inner.audit()
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const delta = diff(snapshot(), before)
  check(corrections.blocks === 0 && corrections.tree === 0, `audit: corrections ${JSON.stringify(corrections)}`)
  check(delta.blockHashes >= N, `audit: only ${delta.blockHashes} block hashes for ${N} blocks`)
  await checkCore(core, N, 'audit')
  await core.close()
  report('audit', N, 1, seconds, delta, { api: where, corrections })
}

const known = { append_single: appendSingle, append_batch: () => appendBatch(true), replicate, audit }
for (const c of CASES) {
  if (!known[c]) throw new Error(`unknown case ${c}; known: ${Object.keys(known).join(', ')}`)
}
try {
  for (const c of CASES) {
    process.stderr.write(`hypercore ${hypercoreVersion}: ${c}, N=${N}...\n`)
    await known[c]()
  }
  if (batchCore !== null) await batchCore.close()
} finally {
  if (removeWork) fs.rmSync(work, { recursive: true, force: true })
}
