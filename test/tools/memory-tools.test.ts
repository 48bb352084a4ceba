import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createNodeWorkspaceFiles } from '../../src/runtime/node/node-workspace-files.js'
import { createMemoryGetTool, createMemorySearchTool } from '../../src/tools/memory-tools.js'
import { createEditTool, createWriteTool } from '../../src/tools/memory-write-tools.js'
import type { BuiltinToolFactory } from '../../src/tools/tool-services.js'
import { toolHarness } from './tool-harness.js'

let dir: string
let workspace: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'memory-tools-'))
  workspace = join(dir, 'workspace')
  mkdirSync(join(workspace, 'memory'), { recursive: true })
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

// The harness runs tools for the workspace `/ws`; these tests point it at the temp dir instead.
async function harness(factory: BuiltinToolFactory, config: Record<string, unknown> = {}) {
  const files = createNodeWorkspaceFiles()
  const rooted = { read: (_root: string, path: string) => files.read(workspace, path), write: (_root: string, path: string, text: string) => files.write(workspace, path, text), list: (_root: string, path: string) => files.list(workspace, path) }
  return toolHarness(factory, { workspaceFiles: rooted, config })
}

describe('write and edit, confined to memory paths', () => {
  it('writes the daily log and MEMORY.md with upstream messages, creating folders', async () => {
    const { call } = await harness(createWriteTool)
    expect((await call({ path: 'memory/2026-01-29.md', content: 'Flight on Friday ✈️' })).text).toBe('Successfully wrote 23 bytes to memory/2026-01-29.md')
    expect(readFileSync(join(workspace, 'memory/2026-01-29.md'), 'utf8')).toBe('Flight on Friday ✈️')
    expect((await call({ path: './memory/trips/oslo.md', content: 'x' })).text).toBe('Successfully wrote 1 bytes to memory/trips/oslo.md')
    expect((await call({ path: '/MEMORY.md', content: '# Memory' })).text).toBe('Successfully wrote 8 bytes to MEMORY.md')
  })

  it('refuses everything outside the memory paths, including .. and symlinks out of the workspace', async () => {
    const { call } = await harness(createWriteTool)
    const error = async (path: string) => (await call({ path, content: 'pwned' })).details?.error
    expect(await error('AGENTS.md')).toBe('path must be MEMORY.md or under memory/')
    expect(await error('../secret.txt')).toBe('path must be MEMORY.md or under memory/')
    expect(await error('memory/../../secret.txt')).toBe('path escapes workspace')
    expect(await error('memory/../AGENTS.md')).toBe('path must be MEMORY.md or under memory/')
    symlinkSync(dir, join(workspace, 'memory', 'outside'))
    expect(await error('memory/outside/secret.txt')).toBe('path escapes workspace')
    symlinkSync(join(dir, 'secret.txt'), join(workspace, 'memory', 'link.md'))
    expect(await error('memory/link.md')).toBe('path escapes workspace')
    expect(readFileSync(join(dir, 'secret.txt'), 'utf8')).toBe('TOP SECRET')
  })

  it('edits one unique match and explains missing files and ambiguous text', async () => {
    writeFileSync(join(workspace, 'MEMORY.md'), 'Seat: aisle\nMeal: veg\nMeal: veg\n')
    const { call } = await harness(createEditTool)
    expect((await call({ path: 'MEMORY.md', oldText: 'aisle', newText: 'window' })).text).toBe('Successfully replaced text in MEMORY.md.')
    expect(readFileSync(join(workspace, 'MEMORY.md'), 'utf8')).toBe('Seat: window\nMeal: veg\nMeal: veg\n')
    expect((await call({ path: 'MEMORY.md', oldText: 'Meal: veg', newText: 'x' })).details.error).toBe(
      'Found 2 occurrences of the text in MEMORY.md. The text must be unique. Please provide more context to make it unique.',
    )
    expect((await call({ path: 'memory/none.md', oldText: 'a', newText: 'b' })).details.error).toBe('File not found: memory/none.md')
  })
})

describe('memory_search and memory_get', () => {
  it('ranks chunks of MEMORY.md and memory/**/*.md with BM25 in upstream result shape', async () => {
    writeFileSync(join(workspace, 'MEMORY.md'), '# Long-term\n\nPrefers window seats.\nAllergic to peanuts.\n')
    mkdirSync(join(workspace, 'memory', 'trips'))
    writeFileSync(join(workspace, 'memory', '2026-01-28.md'), 'Booked the flight to Oslo for Friday 09:40.\n')
    writeFileSync(join(workspace, 'memory', 'trips', 'oslo.md'), 'Hotel near the opera. Flight number SK 4711.\n')
    writeFileSync(join(workspace, 'memory', 'notes.txt'), 'flight flight flight (not markdown, not indexed)')
    const { call } = await harness(createMemorySearchTool)
    const { details } = await call({ query: 'When is my flight to Oslo?' })
    expect(details.provider).toBe('none')
    expect(details.results.map((hit: { path: string }) => hit.path)).toEqual(['memory/2026-01-28.md', 'memory/trips/oslo.md'])
    expect(details.results[0]).toMatchObject({ startLine: 1, endLine: 2, source: 'memory', snippet: expect.stringContaining('Friday 09:40') })
    expect(details.results[0].score).toBeGreaterThan(details.results[1].score)
    expect((await call({ query: 'peanuts', maxResults: 1 })).details.results).toMatchObject([{ path: 'MEMORY.md', startLine: 1, endLine: 5 }])
    expect((await call({ query: '   ' })).details.results).toEqual([])
    expect((await call({ query: 'opera', minScore: 0.99 })).details.results).toEqual([])
  })

  it('cuts long files into overlapping line ranges', async () => {
    const lines = Array.from({ length: 400 }, (_, index) => `line ${index + 1} ${index === 350 ? 'passport renewal due in March' : 'filler text about nothing in particular'}`)
    writeFileSync(join(workspace, 'memory', 'log.md'), lines.join('\n'))
    const { call } = await harness(createMemorySearchTool)
    const [hit] = (await call({ query: 'passport renewal' })).details.results
    expect(hit.path).toBe('memory/log.md')
    expect(hit.startLine).toBeGreaterThan(300)
    expect(hit.startLine).toBeLessThanOrEqual(351)
    expect(hit.endLine).toBeGreaterThanOrEqual(351)
  })

  it('reads whole files or line ranges, and reports bad paths as disabled results', async () => {
    writeFileSync(join(workspace, 'MEMORY.md'), 'a\nb\nc\nd')
    const { call } = await harness(createMemoryGetTool)
    expect((await call({ path: 'MEMORY.md' })).details).toEqual({ path: 'MEMORY.md', text: 'a\nb\nc\nd' })
    expect((await call({ path: 'MEMORY.md', from: 2, lines: 2 })).details).toEqual({ path: 'MEMORY.md', text: 'b\nc' })
    expect((await call({ path: 'SOUL.md' })).details).toEqual({ path: 'SOUL.md', text: '', disabled: true, error: 'path required' })
    expect((await call({ path: 'memory/../../secret.txt' })).details).toMatchObject({ disabled: true, error: 'path escapes workspace' })
    expect((await call({ path: 'memory/nope.md' })).details).toMatchObject({ disabled: true, error: 'File not found: memory/nope.md' })
  })

  it('is not offered when memorySearch.enabled is false for the agent', async () => {
    const { tool } = await harness(createMemorySearchTool, { agents: { defaults: { memorySearch: { enabled: true } }, list: [{ id: 'main', memorySearch: { enabled: false } }] } })
    expect(tool).toBeUndefined()
  })
})
