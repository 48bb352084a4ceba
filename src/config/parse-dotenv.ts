const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/
const QUOTES = new Set(['"', "'", '`'])

/**
 * Parses `.env` text the way dotenv does: `KEY=value` lines, an optional `export ` prefix, single,
 * double or backtick quotes (double quotes expand `\n`), `#` comments after unquoted values, and
 * quoted values spanning several lines. Later keys win.
 */
export function parseDotenv(text: string): Record<string, string> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const result: Record<string, string> = {}
  for (let index = 0; index < lines.length; index++) {
    const match = ASSIGNMENT.exec(lines[index])
    if (match === null) continue
    const [, key, rest] = match
    const quote = rest.charAt(0)
    if (!QUOTES.has(quote)) {
      result[key] = rest.split('#')[0].trim()
      continue
    }
    let body = rest.slice(1)
    let end = findClosingQuote(body, quote)
    // An unclosed quote continues onto the following lines, as dotenv allows for multi-line values.
    let lookahead = index
    while (end === -1 && lookahead + 1 < lines.length) {
      lookahead++
      body += `\n${lines[lookahead]}`
      end = findClosingQuote(body, quote)
    }
    if (end === -1) {
      // Never closed: dotenv treats the line as a plain unquoted value.
      result[key] = rest.split('#')[0].trim()
      continue
    }
    index = lookahead
    const value = body.slice(0, end)
    result[key] = quote === '"' ? unescapeDoubleQuoted(value) : value
  }
  return result
}

/** Copies parsed values into `env` for keys that are not set at all; returns the names it set. */
export function applyDotenv(env: Record<string, string | undefined>, parsed: Record<string, string>): string[] {
  const applied: string[] = []
  for (const [key, value] of Object.entries(parsed)) {
    if (env[key] !== undefined) continue
    env[key] = value
    applied.push(key)
  }
  return applied
}

function findClosingQuote(body: string, quote: string): number {
  for (let position = 0; position < body.length; position++) {
    if (body[position] === '\\' && quote === '"') {
      position++
      continue
    }
    if (body[position] === quote) return position
  }
  return -1
}

function unescapeDoubleQuoted(value: string): string {
  return value.replace(/\\([nrt"\\])/g, (_match, character: string) => {
    if (character === 'n') return '\n'
    if (character === 'r') return '\r'
    if (character === 't') return '\t'
    return character
  })
}
