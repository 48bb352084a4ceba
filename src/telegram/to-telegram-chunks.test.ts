import { describe, expect, it } from 'vitest'
import { toTelegramChunks } from './to-telegram-chunks.js'

const html = (markdown: string) => toTelegramChunks(markdown).map((chunk) => chunk.html)

describe('toTelegramChunks', () => {
  it('maps Markdown to Telegram HTML as the spec shows', () => {
    expect(html('**bold** _it_ ~~gone~~ `x < y` and *also*')).toEqual(['<b>bold</b> <i>it</i> <s>gone</s> <code>x &lt; y</code> and <i>also</i>'])
    expect(html('# Title\n> quoted\n- one\n* two\n1. three\n***\nend')).toEqual(['Title\nquoted\n• one\n• two\n1. three\nend'])
    expect(html('```ts\nconst a = 1 && 2\n```')).toEqual(['<pre><code>const a = 1 &amp;&amp; 2</code></pre>'])
    expect(html('[site](https://a.test/?q="x"&y) and https://b.test/path.')).toEqual([
      '<a href="https://a.test/?q=&quot;x&quot;&amp;y">site</a> and <a href="https://b.test/path">https://b.test/path</a>.',
    ])
    expect(html('<b>x</b>')).toEqual(['&lt;b&gt;x&lt;/b&gt;'])
    expect(html('| a | b |\n|---|---|\n| 1 | 2 |')).toEqual(['<pre><code>| a | b |\n|---|---|\n| 1 | 2 |</code></pre>'])
    expect(toTelegramChunks('| a | b |\n|---|---|\n| 1 | 2 |', { tables: 'bullets' }).map((chunk) => chunk.html)).toEqual(['• a: 1, b: 2'])
  })

  it('keeps every chunk within the limit and balanced, re-opening a code block in the next message', () => {
    const code = Array.from({ length: 80 }, (_, line) => `const value${line} = compute(${line}) // ${'x'.repeat(40)}`).join('\n')
    const chunks = toTelegramChunks(`**intro** text\n\n\`\`\`\n${code}\n\`\`\`\n\ndone`, { limit: 1000 })
    expect(chunks.length).toBeGreaterThan(3)
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1000)
      expect((chunk.html.match(/<pre>/g) ?? []).length).toBe((chunk.html.match(/<\/pre>/g) ?? []).length)
    }
    expect(chunks[1]?.html.startsWith('<pre><code>')).toBe(true)
    expect(chunks.map((chunk) => chunk.text).join('\n')).toContain('const value79 = compute(79)')
  })

  it('clamps the limit to 4096 and hard-cuts a long word without splitting a surrogate pair', () => {
    const chunks = toTelegramChunks('a'.repeat(5000), { limit: 9000 })
    expect(chunks.map((chunk) => chunk.text.length)).toEqual([4096, 904])
    const emoji = toTelegramChunks(`a${'😀'.repeat(10)}`, { limit: 4 })
    expect(emoji.every((chunk) => !/[\ud800-\udbff]$/.test(chunk.text))).toBe(true)
    expect(emoji.map((chunk) => chunk.text).join('')).toBe(`a${'😀'.repeat(10)}`)
  })

  it('splits on blank lines first in newline mode', () => {
    expect(toTelegramChunks('one\n\ntwo', { mode: 'newline' }).map((chunk) => chunk.text)).toEqual(['one', 'two'])
  })
})
