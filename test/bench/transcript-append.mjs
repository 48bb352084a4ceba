// Transcript append benchmark for the store: one append at 10 and at 10,000
// existing messages on the Node fs storage (atomic writes, fsync), to show appends cost the same at any length.
//
// Each append rewrites the tail chunk, so the 10,000-message transcript is seeded with its tail chunk REPS lines
// short of full (the costly end of the range) and the measured appends never start a new chunk. Every message line
// has the same length, which makes the chunk capacity computable. Appends to the two transcripts alternate so that
// disk and CPU drift hit both alike. Figures are medians. Exits 1 if the ratio is 2 or more.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { importSource } from './import-source.mjs'

const modules = await importSource({
  storage: 'src/runtime/node/node-storage.ts',
  store: 'src/sessions/transcript-store.ts',
  entry: 'src/sessions/transcript-entry.ts',
})
const { createNodeStorage } = modules.storage
const { TranscriptStore, DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_TEXT_LENGTH } = modules.store
const { createMessageEntry, createTranscriptHeader } = modules.entry

const REPS = 20
const WARMUP = 10
const SMALL = 10
const LARGE = 10_000
// A typical chat turn: a few hundred characters of text.
const TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(10)

const stateDir = mkdtempSync(join(tmpdir(), 'transcript-bench-'))
process.on('exit', () => rmSync(stateDir, { recursive: true, force: true }))

const store = new TranscriptStore({ storage: createNodeStorage(stateDir) })
let clock = Date.parse('2026-01-10T12:00:00Z')
// The zero-padded index keeps every line the same length.
const message = (index) =>
  createMessageEntry({ role: 'user', content: `${String(index).padStart(6, '0')} ${TEXT}`, timestamp: clock }, null, (clock += 1))
const LINE_LENGTH = JSON.stringify(message(0)).length + 1
const CHUNK_CAPACITY = Math.min(DEFAULT_CHUNK_SIZE, Math.floor(DEFAULT_CHUNK_TEXT_LENGTH / LINE_LENGTH))
const TAIL_FILL = CHUNK_CAPACITY - REPS

async function seed(sessionId, count, batches) {
  await store.append('main', sessionId, [createTranscriptHeader(sessionId, clock)])
  let written = 0
  for (const size of batches) {
    await store.append('main', sessionId, Array.from({ length: size }, () => message(written++)))
  }
  if (written !== count) throw new Error(`seeded ${written} messages, wanted ${count}`)
}

async function timeAppend(sessionId, index) {
  const entry = message(index)
  const start = performance.now()
  await store.append('main', sessionId, [entry])
  return performance.now() - start
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

// Small batch first, then full chunks, then one batch that fills a fresh tail chunk to TAIL_FILL lines.
const fullChunks = Math.floor((LARGE - TAIL_FILL) / CHUNK_CAPACITY)
const lead = LARGE - TAIL_FILL - fullChunks * CHUNK_CAPACITY
await seed('small', SMALL, [SMALL])
await seed('large', LARGE, [lead, ...Array(fullChunks).fill(CHUNK_CAPACITY), TAIL_FILL])
await seed('warmup', 1, [1])
for (let index = 0; index < WARMUP; index += 1) await timeAppend('warmup', index)

const small = []
const large = []
for (let index = 0; index < REPS; index += 1) {
  small.push(await timeAppend('small', SMALL + index))
  large.push(await timeAppend('large', LARGE + index))
}

const atSmall = median(small)
const atLarge = median(large)
const ratio = atLarge / atSmall
console.log(
  `append at ${SMALL} msgs: ${atSmall.toFixed(2)} ms, at ${LARGE} msgs: ${atLarge.toFixed(2)} ms, ratio ${ratio.toFixed(2)}` +
    ` (median of ${REPS}; ${LINE_LENGTH}-char lines; large tail chunk ${TAIL_FILL}-${CHUNK_CAPACITY - 1} of ${CHUNK_CAPACITY} lines)`,
)
process.exitCode = ratio < 2 ? 0 : 1
