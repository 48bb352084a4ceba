import { z } from 'zod'
import type { AgentRuntime } from '../agent/agent-runtime.js'
import { getDefaultAgentId, normalizeAgentId } from '../config/config-lookup.js'
import { isSearchableMemoryFile } from '../tools/memory-paths.js'
import { defineMethod, type MethodDefinition } from './methods.js'

// The panel is for reading notes, not for downloading a volume: per-file and total caps keep a frame small.
const MAX_FILE_CHARS = 200_000
const MAX_TOTAL_CHARS = 2_000_000

/**
 * `memory.files` (ours, read-only): the agent's memory notes (`MEMORY.md`, `memory.md`, `memory/**\/*.md`) with
 * their content, newest daily log first, for the Control UI's Memory panel.
 */
export function createMemoryMethods(runtime: AgentRuntime): MethodDefinition[] {
  return [
    defineMethod('memory.files', z.looseObject({ agentId: z.string().optional() }), async ({ deps }, params) => {
      const agentId = normalizeAgentId(params.agentId ?? getDefaultAgentId(deps.state.config))
      const workspace = runtime.sessions.workspaceFor(agentId)
      const files = deps.workspaceFiles
      if (!files) return { agentId, workspace, available: false, files: [] }
      const listed = (await files.list(workspace, 'memory')).filter(isSearchableMemoryFile).sort().reverse()
      const paths = [...['MEMORY.md', 'memory.md'], ...listed]
      const out: { path: string; chars: number; content: string; truncated: boolean }[] = []
      let total = 0
      for (const path of paths) {
        const text = await files.read(workspace, path)
        if (text === undefined) continue
        const room = Math.max(0, Math.min(MAX_FILE_CHARS, MAX_TOTAL_CHARS - total))
        out.push({ path, chars: text.length, content: text.slice(0, room), truncated: text.length > room })
        total += Math.min(text.length, room)
      }
      return { agentId, workspace, available: true, files: out }
    }),
  ]
}
