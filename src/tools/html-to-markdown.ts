/*
 * Readable text from HTML without a DOM (Workers have none): the main content (`<article>`, `<main>`, else
 * `<body>`) with scripts, styles, navigation, headers, footers, forms and hidden blocks removed, converted to
 * Markdown. Good enough for articles, docs and search results; not a full Readability port.
 */

const DROP_BLOCKS = /<(script|style|noscript|template|svg|canvas|iframe|nav|header|footer|aside|form|button|select|head)\b[^>]*>[\s\S]*?<\/\1\s*>/gi
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', copy: '©' }

/** The page title and its main content as Markdown. */
export function htmlToMarkdown(html: string): { title?: string; markdown: string } {
  const title = decodeEntities(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? '').replace(/\s+/g, ' ').trim() || undefined
  let body = html.replace(/<!--[\s\S]*?-->/g, '')
  body = pickMain(body)
  body = body.replace(DROP_BLOCKS, '').replace(/<[^>]+\bhidden\b[^>]*>[\s\S]*?<\/[^>]+>/gi, '')
  // Source line breaks are just spaces in HTML, except inside <pre>, which is set aside first.
  const preformatted: string[] = []
  body = body.replace(/<pre\b[^>]*>([\s\S]*?)<\/pre>/gi, (_match, code: string) => `\u0000${preformatted.push(decodeEntities(stripTags(code))) - 1}\u0000`)
  body = body.replace(/\s+/g, ' ')
  let text = body
    .replace(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>/gi, (_match, level: string, inner: string) => `\n\n${'#'.repeat(Number(level))} ${inline(inner)}\n\n`)
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|section|article|main|ul|ol|table|tr|blockquote|dl|figure)>/gi, '\n\n')
    .replace(/<(p|div|section|ul|ol|table|tr|blockquote)\b[^>]*>/gi, '\n\n')
    .replace(/<\/(td|th)>/gi, ' | ')
  text = inline(text)
  text = text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .replace(/\u0000(\d+)\u0000/g, (_match, index: string) => `\n\n\`\`\`\n${preformatted[Number(index)]}\n\`\`\`\n\n`)
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  return { ...(title ? { title } : {}), markdown: text }
}

/** Markdown to plain text: links keep their text, emphasis and heading marks go. */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/```/g, '')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/^\s*[-*]\s+/gm, '')
    .trim()
}

function pickMain(html: string): string {
  for (const tag of ['article', 'main']) {
    const match = new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)<\\/${tag}>`, 'i').exec(html)
    if (match && stripTags(match[1]).trim().length > 200) return match[1]
  }
  return /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html
}

function inline(html: string): string {
  const converted = html
    .replace(/<a\b[^>]*\bhref\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a>/gi, (_match, href: string, inner: string) => {
      const label = stripTags(inner).trim()
      if (!label) return ''
      return /^(https?:|mailto:)/i.test(href) ? `[${label}](${href})` : label
    })
    .replace(/<(strong|b)\b[^>]*>([\s\S]*?)<\/\1>/gi, '**$2**')
    .replace(/<(em|i)\b[^>]*>([\s\S]*?)<\/\1>/gi, '_$2_')
    .replace(/<code\b[^>]*>([\s\S]*?)<\/code>/gi, '`$1`')
  return decodeEntities(stripTags(converted))
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '')
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, code: string) => {
    if (code[0] === '#') {
      const point = code[1].toLowerCase() === 'x' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10)
      return Number.isFinite(point) && point > 0 && point < 0x110000 ? String.fromCodePoint(point) : match
    }
    return ENTITIES[code.toLowerCase()] ?? match
  })
}
