/** The token a heartbeat reply uses to say "nothing needs attention". */
export const HEARTBEAT_TOKEN = 'HEARTBEAT_OK'

/** Upstream's default heartbeat prompt, word for word. */
export const DEFAULT_HEARTBEAT_PROMPT =
  'Read HEARTBEAT.md if it exists (workspace context). Follow it strictly. Do not infer or repeat old tasks from prior chats. If nothing needs attention, reply HEARTBEAT_OK.'

/** Default `ackMaxChars`: a reply this short after removing the token still counts as an ack. */
export const DEFAULT_ACK_MAX_CHARS = 300

/** What the strip rule made of a reply. */
export interface StrippedReply {
  /** Nothing worth delivering: empty, only the token, or (in heartbeat mode) short enough to be an ack. */
  ack: boolean
  /** The reply with the token removed from its edges. */
  text: string
  /** The token was found at the start or end. */
  stripped: boolean
}

/**
 * Applies the `HEARTBEAT_OK` rule: the token is removed repeatedly from the start or end of the trimmed reply (also
 * of a copy without HTML tags, `&nbsp;` and Markdown emphasis around it, so `**HEARTBEAT_OK**` counts); a token only
 * in the middle is left alone. In heartbeat mode a rest of at most `ackMaxChars` characters is still an ack.
 * @see spec/automation.md §2.6
 */
export function stripHeartbeatToken(reply: string, options: { mode: 'heartbeat' | 'message'; ackMaxChars?: number }): StrippedReply {
  const trimmed = reply.trim()
  if (trimmed === '') return { ack: true, text: '', stripped: false }
  const candidates = [trimmed, trimmed.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/gi, ' ').trim().replace(/^[*`~_]+/, '').replace(/[*`~_]+$/, '').trim()]
  for (const candidate of candidates) {
    const result = stripEdges(candidate)
    if (!result.stripped) continue
    if (result.text === '') return { ack: true, text: '', stripped: true }
    const ack = options.mode === 'heartbeat' && result.text.length <= (options.ackMaxChars ?? DEFAULT_ACK_MAX_CHARS)
    return { ack, text: result.text, stripped: true }
  }
  return { ack: false, text: trimmed, stripped: false }
}

function stripEdges(text: string): { text: string; stripped: boolean } {
  let rest = text
  let stripped = false
  for (;;) {
    if (rest.startsWith(HEARTBEAT_TOKEN)) rest = rest.slice(HEARTBEAT_TOKEN.length).trim()
    else if (rest.endsWith(HEARTBEAT_TOKEN)) rest = rest.slice(0, -HEARTBEAT_TOKEN.length).trim()
    else break
    stripped = true
  }
  return { text: rest.replace(/\s+/g, ' ').trim(), stripped }
}

const HEADING = /^#{1,6}(\s|$)/
const EMPTY_LIST_ITEM = /^[-*+](\s+\[[ xX]?\])?\s*$/

/**
 * True when `HEARTBEAT.md` has no task in it: every line is blank, an ATX heading or an empty list item (`- [ ]`).
 * `#TODO` (no space) is content. Front matter is skipped.
 * @see spec/automation.md §2.5
 */
export function isHeartbeatFileEffectivelyEmpty(text: string): boolean {
  const body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '')
  return body.split(/\r?\n/).every((raw) => {
    const line = raw.trim()
    return line === '' || HEADING.test(line) || EMPTY_LIST_ITEM.test(line)
  })
}
