import type { AgentTool } from './agent-tool.js'
import { toMemoryPath } from './memory-paths.js'
import { readString, type BuiltinToolFactory } from './tool-services.js'

const NOT_MEMORY = 'path must be MEMORY.md or under memory/'
/** Largest file the model may write; memory notes are small, and the volume is shared with sessions. */
const MAX_FILE_BYTES = 1024 * 1024

/**
 * `write` and `edit` with upstream's names, parameters and messages, confined to the memory paths
 * (spec/agent-tools.md §3.5): the model keeps its daily log and long-term memory, and nothing else is writable.
 */
export const createWriteTool: BuiltinToolFactory = (services, run) => {
  const files = services.workspaceFiles
  if (!files) return undefined
  const tool: AgentTool = {
    name: 'write',
    label: 'Write',
    description: 'Create or overwrite a memory file: MEMORY.md for long-term memory, memory/YYYY-MM-DD.md for the daily log. Other paths are refused.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'MEMORY.md or a path under memory/.' },
        content: { type: 'string', description: 'The whole new content of the file.' },
      },
      required: ['path', 'content'],
    },
    async execute(args) {
      const path = memoryPath(args)
      const content = typeof args.content === 'string' ? args.content : ''
      const bytes = new TextEncoder().encode(content).byteLength
      if (bytes > MAX_FILE_BYTES) throw new Error(`content too large: ${bytes} bytes (limit ${MAX_FILE_BYTES})`)
      await files.write(run.workspace, path, content)
      return { content: [{ type: 'text', text: `Successfully wrote ${bytes} bytes to ${path}` }], details: undefined }
    },
  }
  return tool
}

/** `edit`: one exact, unique replacement in a memory file. */
export const createEditTool: BuiltinToolFactory = (services, run) => {
  const files = services.workspaceFiles
  if (!files) return undefined
  return {
    name: 'edit',
    label: 'Edit',
    description: 'Replace one exact, unique piece of text in a memory file (MEMORY.md or memory/…).',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'MEMORY.md or a path under memory/.' },
        oldText: { type: 'string', description: 'Exact text to find; must occur exactly once.' },
        newText: { type: 'string', description: 'Text to put in its place.' },
      },
      required: ['path', 'oldText', 'newText'],
    },
    async execute(args) {
      const path = memoryPath(args)
      const oldText = typeof args.oldText === 'string' ? args.oldText : ''
      const newText = typeof args.newText === 'string' ? args.newText : ''
      const current = await files.read(run.workspace, path)
      if (current === undefined) throw new Error(`File not found: ${path}`)
      const occurrences = oldText === '' ? 0 : current.split(oldText).length - 1
      if (occurrences === 0) {
        throw new Error(`Could not find the exact text in ${path}. The old text must match exactly including all whitespace and newlines.`)
      }
      if (occurrences > 1) {
        throw new Error(`Found ${occurrences} occurrences of the text in ${path}. The text must be unique. Please provide more context to make it unique.`)
      }
      const next = current.replace(oldText, () => newText)
      if (new TextEncoder().encode(next).byteLength > MAX_FILE_BYTES) throw new Error(`file would exceed ${MAX_FILE_BYTES} bytes`)
      await files.write(run.workspace, path, next)
      return { content: [{ type: 'text', text: `Successfully replaced text in ${path}.` }], details: undefined }
    },
  }
}

function memoryPath(args: Record<string, unknown>): string {
  const raw = readString(args, 'path', true)
  const path = toMemoryPath(raw)
  if (!path) throw new Error(NOT_MEMORY)
  return path
}
