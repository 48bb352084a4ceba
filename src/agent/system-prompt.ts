import type { WorkspaceFile } from './workspace-files.js'

/** Everything the system prompt is built from; assembled fresh for each run. */
export interface SystemPromptInput {
  agentId: string
  identity?: { name?: string; emoji?: string; theme?: string }
  workspace: string
  files: readonly WorkspaceFile[]
  /** IANA zone for the date line; the date is in the user's zone, not the server's. */
  userTimezone?: string
  now: number
  model: string
  /** The surface the message came from, e.g. `discord`, `webchat`. */
  channel?: string
  /** Guild channels only: the channel topic and the per-channel prompt from the config. */
  groupChat?: { topic?: string; systemPrompt?: string }
  /** Names of the tools offered this run; they get a short guide and, with memory tools, the recall rules. */
  toolNames?: readonly string[]
}

// One line per tool we offer, in our words; the model also gets each tool's own description and schema.
const TOOL_GUIDES: Readonly<Record<string, string>> = {
  web_search: 'web_search: search the web (titles, URLs, snippets) for current facts; cite what you use.',
  web_fetch: 'web_fetch: read one web page as text/markdown, e.g. a result from web_search.',
  memory_search: 'memory_search: search MEMORY.md and memory/*.md for earlier notes, decisions and preferences.',
  memory_get: 'memory_get: read a memory file (or some of its lines) after memory_search found it.',
  write: 'write: create or replace a memory file (MEMORY.md or memory/…); nothing else can be written.',
  edit: 'edit: replace one exact, unique piece of text in a memory file.',
  sessions_list: 'sessions_list: list other conversations of this gateway.',
  sessions_history: 'sessions_history: read the messages of another conversation.',
  sessions_send: 'sessions_send: send a message to another conversation and get its reply.',
}

/** The token a model answers with when no reply should be sent. */
export const SILENT_REPLY = 'NO_REPLY'

/**
 * Builds the system prompt in upstream's section order (identity, workspace, date, group context, project files,
 * silent replies, runtime line), in our own words. Only the date appears, not the time, so the prompt prefix stays
 * cacheable for a whole day.
 */
export function buildSystemPrompt(input: SystemPromptInput): string {
  const sections: string[] = []
  const name = input.identity?.name?.trim()
  const emoji = input.identity?.emoji ? ` ${input.identity.emoji}` : ''
  sections.push(
    name
      ? `You are ${name}${emoji}, a personal assistant running inside Clawdbot.`
      : 'You are a personal assistant running inside Clawdbot.',
  )
  if (input.identity?.theme) sections.push(`Your style: ${input.identity.theme}.`)

  sections.push(`## Workspace\nYour workspace folder is ${input.workspace}. Its files below describe who you are and who you help.`)

  const zone = validTimeZone(input.userTimezone)
  sections.push(`## Current Date\nToday is ${formatDate(input.now, zone)} (time zone: ${zone}).`)

  const group = [
    input.groupChat?.topic ? `Channel topic: ${input.groupChat.topic}` : undefined,
    input.groupChat?.systemPrompt?.trim() || undefined,
  ].filter(Boolean)
  if (group.length > 0) sections.push(`## Group Chat Context\n${group.join('\n\n')}`)

  if (input.files.length > 0) {
    sections.push(['# Project Context', ...input.files.map((file) => `## ${file.name}\n${file.text}`)].join('\n\n'))
  }

  const tools = input.toolNames ?? []
  if (tools.length > 0) {
    const lines = tools.map((name) => `- ${TOOL_GUIDES[name] ?? name}`)
    sections.push(`## Tooling\nYou can call these tools; call them directly instead of describing what you would do, and answer the user once you have what you need.\n${lines.join('\n')}`)
  }
  if (tools.includes('memory_search')) {
    sections.push(
      '## Memory Recall\nBefore answering anything about earlier work, decisions, dates, people, preferences or to-dos, run memory_search and then memory_get for the lines you need. If nothing is found, say you checked.' +
        (tools.includes('write')
          ? '\nWhen the user asks you to remember something, or you learn something worth keeping, write it down: append to memory/YYYY-MM-DD.md (today\'s date) for the daily log, and keep lasting facts in MEMORY.md. Use edit to change existing notes. Memory that is not written down is lost when the session ends.'
          : ''),
    )
  }

  sections.push(
    `## Silent Replies\nWhen a message needs no answer from you (for example chatter in a group that is not meant for you), reply with exactly ${SILENT_REPLY} and nothing else; nothing will be sent.`,
  )
  sections.push(`Runtime: agent=${input.agentId} model=${input.model}${input.channel ? ` channel=${input.channel}` : ''}`)
  return sections.join('\n\n')
}

/** True when the reply means "send nothing". */
export function isSilentReply(text: string): boolean {
  return text.trim() === SILENT_REPLY
}

// Building an Intl.DateTimeFormat costs far more than using one, and every run formats the date; zones are few.
const DATE_FORMATS = new Map<string, Intl.DateTimeFormat | undefined>()

function dateFormat(zone: string): Intl.DateTimeFormat | undefined {
  if (!DATE_FORMATS.has(zone)) {
    let format: Intl.DateTimeFormat | undefined
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long', year: 'numeric', month: '2-digit', day: '2-digit' })
    } catch {
      format = undefined
    }
    // Zones come from config; the cap keeps a config that churns through zones from growing this without end.
    if (DATE_FORMATS.size >= 16) DATE_FORMATS.clear()
    DATE_FORMATS.set(zone, format)
  }
  return DATE_FORMATS.get(zone)
}

function validTimeZone(zone: string | undefined): string {
  // A misspelt zone must not break every run; UTC is what Fly machines use anyway.
  if (!zone || dateFormat(zone) === undefined) return 'UTC'
  return zone
}

function formatDate(now: number, timeZone: string): string {
  const parts = dateFormat(timeZone)!.formatToParts(now)
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? ''
  return `${get('weekday')}, ${get('year')}-${get('month')}-${get('day')}`
}
