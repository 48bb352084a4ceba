import type { MemorySearchSchema } from '../config/schema-tools.js'
import type { z } from 'zod'
import type { WorkspaceFiles } from '../workspace/workspace-files.js'
import { jsonResult, type AgentTool, type ToolRunContext } from './agent-tool.js'
import { chunkFile, searchChunks, type MemoryChunk } from './memory-index.js'
import { isSearchableMemoryFile, toMemoryPath } from './memory-paths.js'
import { readNumber, type BuiltinToolFactory } from './tool-services.js'

type MemorySearchConfig = z.infer<typeof MemorySearchSchema>

/** `agents.defaults.memorySearch` merged with the agent's own, field by field (agent wins). */
export function resolveMemorySearch(run: ToolRunContext): MemorySearchConfig {
  const defaults = run.config.agents?.defaults?.memorySearch ?? {}
  const agent = run.config.agents?.list?.find((entry) => entry.id === run.agentId)?.memorySearch ?? {}
  return { ...defaults, ...agent, query: { ...defaults.query, ...agent.query }, chunking: { ...defaults.chunking, ...agent.chunking } }
}

const READ_CONCURRENCY = 32

/** Tokenised chunks per file, reused while the file's text is unchanged. */
const chunkCaches = new WeakMap<WorkspaceFiles, Map<string, { text: string; chunks: MemoryChunk[] }>>()

/** `memory_search`: BM25 over `MEMORY.md`, `memory.md` and `memory/**\/*.md` (spec/agent-tools.md §3.4). */
export const createMemorySearchTool: BuiltinToolFactory = (services, run) => {
  const files = services.workspaceFiles
  const settings = resolveMemorySearch(run)
  if (!files || settings.enabled === false || run.config.plugins?.slots?.memory === 'none') return undefined
  return {
    name: 'memory_search',
    label: 'Memory Search',
    description:
      'Search your memory notes (MEMORY.md and memory/*.md) for earlier decisions, dates, people, preferences and to-dos. Returns matching snippets with file path and line numbers; follow up with memory_get to read more.',
    parameters: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Words to look for.' },
        maxResults: { type: 'number', description: 'Most results to return (default 6).' },
        minScore: { type: 'number', description: 'Lowest score to return, 0–1 (default 0.35).' },
      },
      required: ['query'],
    },
    async execute(args) {
      const query = typeof args.query === 'string' ? args.query.trim() : ''
      const maxResults = Math.max(1, Math.trunc(readNumber(args, 'maxResults') ?? settings.query?.maxResults ?? 6))
      const minScore = readNumber(args, 'minScore') ?? settings.query?.minScore ?? 0.35
      const shape = { provider: 'none', model: 'bm25' }
      if (!query) return jsonResult({ results: [], ...shape })
      try {
        const chunks = await loadChunks(files, run.workspace, settings.chunking?.tokens, settings.chunking?.overlap)
        return jsonResult({ results: searchChunks(chunks, query, { maxResults, minScore }), ...shape })
      } catch (error) {
        return jsonResult({ results: [], disabled: true, error: error instanceof Error ? error.message : String(error) })
      }
    },
  }
}

/** `memory_get`: a memory file or a line range of it. */
export const createMemoryGetTool: BuiltinToolFactory = (services, run) => {
  const files = services.workspaceFiles
  if (!files || resolveMemorySearch(run).enabled === false || run.config.plugins?.slots?.memory === 'none') return undefined
  return {
    name: 'memory_get',
    label: 'Memory Get',
    description: 'Read a memory file (MEMORY.md or memory/…), whole or from line `from` for `lines` lines.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Workspace-relative path, e.g. memory/2026-01-29.md.' },
        from: { type: 'number', description: 'First line to return (1-based).' },
        lines: { type: 'number', description: 'How many lines to return.' },
      },
      required: ['path'],
    },
    async execute(args) {
      const raw = typeof args.path === 'string' ? args.path : ''
      try {
        const path = toMemoryPath(raw)
        if (!path) throw new Error('path required')
        const text = await files.read(run.workspace, path)
        if (text === undefined) throw new Error(`File not found: ${path}`)
        const from = readNumber(args, 'from', true)
        const count = readNumber(args, 'lines', true)
        if (from === undefined && count === undefined) return jsonResult({ path, text })
        const lines = text.split('\n')
        const start = Math.max(1, from ?? 1) - 1
        const end = count === undefined ? lines.length : start + Math.max(0, count)
        return jsonResult({ path, text: lines.slice(start, end).join('\n') })
      } catch (error) {
        return jsonResult({ path: raw, text: '', disabled: true, error: error instanceof Error ? error.message : String(error) })
      }
    },
  }
}

async function loadChunks(files: WorkspaceFiles, root: string, tokens = 400, overlap = 80): Promise<MemoryChunk[]> {
  let cache = chunkCaches.get(files)
  if (!cache) chunkCaches.set(files, (cache = new Map()))
  const paths = ['MEMORY.md', 'memory.md', ...(await files.list(root, 'memory')).filter(isSearchableMemoryFile)]
  // Reads overlap (32 at a time): on a volume each read waits on I/O, and a thousand daily notes add up.
  const texts = new Array<string | undefined>(paths.length)
  for (let start = 0; start < paths.length; start += READ_CONCURRENCY) {
    const batch = paths.slice(start, start + READ_CONCURRENCY)
    const read = await Promise.all(batch.map((path) => files.read(root, path)))
    read.forEach((text, offset) => (texts[start + offset] = text))
  }
  const chunks: MemoryChunk[] = []
  paths.forEach((path, index) => {
    const text = texts[index]
    if (text === undefined) return
    const key = `${root}\u0000${path}\u0000${tokens}:${overlap}`
    let cached = cache.get(key)
    if (!cached || cached.text !== text) {
      cached = { text, chunks: chunkFile(path, text, tokens, overlap) }
      cache.set(key, cached)
    }
    chunks.push(...cached.chunks)
  })
  return chunks
}

