import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'rolldown'
import { describe, expect, it } from 'vitest'
import { createNodeStorage } from '../../src/runtime/node/node-storage.js'
import type { TranscriptEntry } from '../../src/sessions/transcript-entry.js'
import { TranscriptStore, type TranscriptIssue } from '../../src/sessions/transcript-store.js'
import { makeTempStateDir } from './storage-cases.js'

/*
 * A real crash: a child process appends turns to a transcript on the fs storage and prints the ids of each
 * completed append; the parent SIGKILLs it mid-loop (driven by the printed lines, not by timers) and checks with a
 * fresh store that every printed turn is there exactly once, in order, intact. A chunk size of 4 (two turns) makes
 * every other append start a new chunk. Kills right after a printed line tend to land at the same point of the next
 * append, so some rounds instead have the child announce that it has just written a new chunk (and not yet the
 * meta document) and wait there to be killed: the one crash point that exercises the meta lagging behind.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SESSION = 'crash-session'
const CHUNK_SIZE = 4
const BODY = 'x'.repeat(4000)

// dist/ holds one bundled server, so the child gets its own small bundle of the two modules it needs.
async function bundleChildModules(outDir: string): Promise<void> {
  await build({
    input: {
      'node-storage': join(ROOT, 'src/runtime/node/node-storage.ts'),
      'transcript-store': join(ROOT, 'src/sessions/transcript-store.ts'),
    },
    platform: 'node',
    logLevel: 'silent',
    output: { dir: outDir, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
  })
}

const CHILD_SOURCE = `
import { createNodeStorage } from './node-storage.mjs'
import { TranscriptStore } from './transcript-store.mjs'
const [stateDir, firstTurn, pauseAfterNewChunks] = process.argv.slice(2).map((value, index) => index === 0 ? value : Number(value))
const storage = createNodeStorage(stateDir)
let newChunks = 0
// Announces the chosen new-chunk write, then idles until the parent's SIGKILL (the interval only keeps the loop alive).
const watched = new Proxy(storage, {
  get(target, property) {
    const value = Reflect.get(target, property)
    if (property !== 'setItemRaw') return value
    return async (key, data) => {
      const isNewChunk = key.endsWith('.jsonl') && !(await target.hasItem(key))
      await value.call(target, key, data)
      if (isNewChunk && ++newChunks === pauseAfterNewChunks) {
        process.stdout.write('paused\\n')
        setInterval(() => {}, 1 << 30)
        await new Promise(() => {})
      }
    }
  },
})
const store = new TranscriptStore({ storage: watched, chunkSize: ${CHUNK_SIZE} })
const hex = (value) => value.toString(16).padStart(8, '0')
for (let turn = Number(firstTurn); ; turn += 1) {
  const timestamp = Date.now()
  const iso = new Date(timestamp).toISOString()
  const userId = hex(turn * 2)
  const assistantId = hex(turn * 2 + 1)
  await store.append('main', ${JSON.stringify(SESSION)}, [
    { type: 'message', id: userId, parentId: null, timestamp: iso,
      message: { role: 'user', content: 'turn ' + turn + ' ' + ${JSON.stringify(BODY)}, timestamp } },
    { type: 'message', id: assistantId, parentId: userId, timestamp: iso,
      message: { role: 'assistant', content: [{ type: 'text', text: 'reply ' + turn }], stopReason: 'stop', timestamp } },
  ])
  process.stdout.write(userId + ' ' + assistantId + '\\n')
}
`

/** When the parent kills the child: after `completions` printed appends, or when it pauses after a new chunk. */
type KillPoint = { completions: number } | { pauseAfterNewChunks: number }

// Runs the child from `firstTurn` until the kill point, SIGKILLs it, and returns every id it printed.
function appendUntilKilled(script: string, stateDir: string, firstTurn: number, killPoint: KillPoint): Promise<string[]> {
  const killAfter = 'completions' in killPoint ? killPoint.completions : Number.POSITIVE_INFINITY
  const pauseAfter = 'pauseAfterNewChunks' in killPoint ? killPoint.pauseAfterNewChunks : 0
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, stateDir, String(firstTurn), String(pauseAfter)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let buffered = ''
    let stderr = ''
    const printed: string[] = []
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      let paused = false
      for (const line of lines) {
        if (line === 'paused') paused = true
        else printed.push(...line.split(' '))
      }
      if ((paused || printed.length >= killAfter * 2) && child.exitCode === null) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code ?? signal} before the kill: ${stderr}`))
      else resolve(printed)
    })
  })
}

function expectIntact(entries: TranscriptEntry[]): void {
  for (const entry of entries) {
    if (entry.type !== 'message') throw new Error(`unexpected ${entry.type} entry`)
    const turn = Math.floor(Number.parseInt(entry.id, 16) / 2)
    const { message } = entry
    if (message.role === 'user') expect(message.content).toBe(`turn ${turn} ${BODY}`)
    else expect(message).toMatchObject({ role: 'assistant', content: [{ type: 'text', text: `reply ${turn}` }] })
  }
}

describe('TranscriptStore under SIGKILL', () => {
  it('keeps every completed append, once, in order, across repeated kills', async () => {
    const stateDir = makeTempStateDir()
    const childDir = makeTempStateDir()
    await bundleChildModules(childDir)
    const script = join(childDir, 'append-loop.mjs')
    writeFileSync(script, CHILD_SOURCE)
    const confirmed: string[] = []

    const killPoints: KillPoint[] = [
      { completions: 23 },
      { pauseAfterNewChunks: 3 },
      { completions: 40 },
      { pauseAfterNewChunks: 1 },
      { pauseAfterNewChunks: 5 },
      { completions: 17 },
    ]
    for (const killPoint of killPoints) {
      const stored = (await new TranscriptStore({ storage: createNodeStorage(stateDir) }).read('main', SESSION)).length
      const printed = await appendUntilKilled(script, stateDir, stored / 2, killPoint)
      confirmed.push(...printed)

      const issues: TranscriptIssue[] = []
      const fresh = new TranscriptStore({ storage: createNodeStorage(stateDir), chunkSize: CHUNK_SIZE })
      const entries = await fresh.read('main', SESSION, { onIssue: (issue) => issues.push(issue) })
      const ids = entries.map((entry) => entry.id)
      expect(issues).toEqual([])
      expect(ids.slice(0, confirmed.length)).toEqual(confirmed)
      // At most the one append that finished writing but was killed before printing; it must be whole.
      if ('pauseAfterNewChunks' in killPoint) expect(ids.length - confirmed.length).toBe(2)
      else expect([0, 2]).toContain(ids.length - confirmed.length)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toEqual(ids.map((_, index) => index.toString(16).padStart(8, '0')))
      expectIntact(entries)
      confirmed.splice(0, confirmed.length, ...ids)
    }
  })
})
