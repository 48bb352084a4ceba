/*
 * How a tool call is shown to people: emoji, title and a detail line taken from the arguments (query, URL,
 * path). Shared by the `meta` of tool events, channel status lines and the Control UI cards. Pure and DOM-free so
 * the browser bundle imports it too.
 * @see spec/agent-tools.md §1.7
 */

interface Display {
  emoji: string
  title: string
  /** Present-tense phrase for channel status lines, e.g. `Searching the web`. */
  activity: string
  detailKeys: readonly string[]
}

const DISPLAYS: Readonly<Record<string, Display>> = {
  web_search: { emoji: '🔎', title: 'Web Search', activity: 'Searching the web', detailKeys: ['query'] },
  web_fetch: { emoji: '📄', title: 'Web Fetch', activity: 'Reading a web page', detailKeys: ['url'] },
  memory_search: { emoji: '🧠', title: 'Memory Search', activity: 'Searching memory', detailKeys: ['query'] },
  memory_get: { emoji: '📓', title: 'Memory Get', activity: 'Reading memory', detailKeys: ['path'] },
  write: { emoji: '✍️', title: 'Write', activity: 'Writing memory', detailKeys: ['path'] },
  edit: { emoji: '📝', title: 'Edit', activity: 'Updating memory', detailKeys: ['path'] },
  sessions_list: { emoji: '🗂️', title: 'Sessions', activity: 'Listing sessions', detailKeys: ['kinds'] },
  sessions_history: { emoji: '🧾', title: 'Session History', activity: 'Reading a session', detailKeys: ['sessionKey'] },
  sessions_send: { emoji: '📨', title: 'Session Send', activity: 'Messaging a session', detailKeys: ['sessionKey', 'label'] },
  cron: { emoji: '⏰', title: 'Cron', activity: 'Managing reminders', detailKeys: ['action'] },
}
const FALLBACK_EMOJI = '🧩'
const MAX_DETAIL = 80

/** Emoji, title and detail line (if the arguments have one) of a tool call. */
export function toolDisplay(name: string, args: unknown): { emoji: string; title: string; activity: string; detail?: string } {
  const display = DISPLAYS[name.toLowerCase()]
  const record = args !== null && typeof args === 'object' ? (args as Record<string, unknown>) : {}
  const keys = display?.detailKeys ?? ['query', 'url', 'path', 'name', 'action']
  let detail: string | undefined
  for (const key of keys) {
    const value = record[key]
    const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
    if (text && text.trim()) {
      detail = text.trim().replace(/\s+/g, ' ')
      break
    }
  }
  if (detail && detail.length > MAX_DETAIL) detail = `${detail.slice(0, MAX_DETAIL - 1)}…`
  return {
    emoji: display?.emoji ?? FALLBACK_EMOJI,
    title: display?.title ?? titleCase(name),
    activity: display?.activity ?? `Using ${name}`,
    ...(detail ? { detail } : {}),
  }
}

/** The `meta` of a tool event: a short summary of the arguments, absent when there is nothing to say. */
export function summarizeToolCall(name: string, args: unknown): string | undefined {
  return toolDisplay(name, args).detail
}

/** One status line for a channel while the tool runs, e.g. `🔎 Searching the web: flights to Oslo…`. */
export function toolStatusLine(name: string, args: unknown): string {
  const display = toolDisplay(name, args)
  return `${display.emoji} ${display.activity}${display.detail ? `: ${display.detail}` : ''}…`
}

/** The verbose per-call summary line, e.g. `🔎 Web Search: flights to Oslo`. */
export function toolSummaryLine(name: string, args: unknown, isError = false): string {
  const display = toolDisplay(name, args)
  return `${display.emoji} ${display.title}${display.detail ? `: ${display.detail}` : ''}${isError ? ' (failed)' : ''}`
}

function titleCase(name: string): string {
  return name
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ')
}
