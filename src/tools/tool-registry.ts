import type { Logger } from '../logging/logger.js'
import type { AgentTool, ToolRunContext, ToolSource } from './agent-tool.js'
import { applyToolPolicy } from './tool-policy.js'

// Names a source can never offer, whatever it calls them: the unsafe tools of spec/agent-tools.md §3.9.
const NEVER_OFFERED = new Set(['exec', 'process', 'bash', 'read', 'apply_patch', 'browser', 'canvas', 'nodes', 'gateway', 'image'])

/**
 * Collects the tools of one run from every source, drops duplicates (first source wins) and the never-offered
 * names, then applies the config's policy pipeline.
 *
 * Extending it:
 * - **Another tool source** (e.g. MCP servers): implement `ToolSource` (`list(run)` returns `AgentTool`s with their
 *   names, descriptions, JSON Schemas and `execute`; set `group: 'bundle-mcp'` so `tools.deny: ["bundle-mcp"]` and
 *   the profiles apply) and call `registry.addSource(source)` where the runtime is built (`app.ts` has the runtime).
 * - **One more built-in tool** (e.g. `cron`): write `src/tools/cron-tool.ts` exporting a `BuiltinToolFactory`
 *   (returns `undefined` when the tool should not exist for this run) and add it to `BUILTIN_TOOL_FACTORIES` in
 *   `builtin-tools.ts`; services it needs go on `ToolServices`.
 */
export class ToolRegistry {
  readonly #sources: ToolSource[] = []

  constructor(private readonly logger?: Logger) {}

  addSource(source: ToolSource): () => void {
    this.#sources.push(source)
    return () => {
      const index = this.#sources.indexOf(source)
      if (index >= 0) this.#sources.splice(index, 1)
    }
  }

  /** The tools offered to the model for this run, in source order. A failing source is logged and skipped. */
  async resolve(run: ToolRunContext): Promise<AgentTool[]> {
    const tools: AgentTool[] = []
    const seen = new Set<string>()
    for (const source of this.#sources) {
      let listed: AgentTool[]
      try {
        listed = await source.list(run)
      } catch (error) {
        this.logger?.warn(`tools: source ${source.id} failed to list its tools: ${error instanceof Error ? error.message : String(error)}`)
        continue
      }
      for (const tool of listed) {
        const key = tool.name.toLowerCase()
        if (seen.has(key) || NEVER_OFFERED.has(key)) continue
        seen.add(key)
        tools.push(tool)
      }
    }
    return applyToolPolicy(tools, { config: run.config, agentId: run.agentId, modelRef: run.modelRef, logger: this.logger })
  }
}
