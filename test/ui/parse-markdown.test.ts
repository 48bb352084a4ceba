import { describe, expect, it } from 'vitest'
import { parseInline, parseMarkdown } from '../../src/ui/markdown/parse-markdown.js'

describe('parseMarkdown', () => {
  it('keeps HTML as literal text (the renderer only ever makes text nodes from it)', () => {
    expect(parseMarkdown('<script>alert(1)</script> <b>x</b>')).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: '<script>alert(1)</script> <b>x</b>' }] }])
  })

  it('makes links only from http and https URLs', () => {
    expect(parseInline('[a](https://example.com/x?y=1) [b](javascript:alert(1)) [c](data:text/html,hi)')).toEqual([
      { type: 'link', href: 'https://example.com/x?y=1', children: [{ type: 'text', text: 'a' }] },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'b' },
      { type: 'text', text: ' ' },
      { type: 'text', text: 'c' },
    ])
    expect(parseInline('see http://host.test/path.')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', href: 'http://host.test/path', children: [{ type: 'text', text: 'http://host.test/path' }] },
      { type: 'text', text: '.' },
    ])
  })

  it('parses emphasis, strikethrough and code spans, leaving snake_case alone', () => {
    expect(parseInline('**bold** *em* ~~gone~~ `a*b` snake_case_name')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'em' }] },
      { type: 'text', text: ' ' },
      { type: 'del', children: [{ type: 'text', text: 'gone' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'a*b' },
      { type: 'text', text: ' snake_case_name' },
    ])
  })

  it('parses fenced code, including an unclosed fence while a reply streams', () => {
    expect(parseMarkdown('Run:\n```sh\nnpm test\n```\nDone')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'Run:' }] },
      { type: 'code', language: 'sh', text: 'npm test' },
      { type: 'paragraph', children: [{ type: 'text', text: 'Done' }] },
    ])
    expect(parseMarkdown('```js\nconst a = 1')).toEqual([{ type: 'code', language: 'js', text: 'const a = 1' }])
  })

  it('parses nested lists, headings, quotes, rules and tables', () => {
    const blocks = parseMarkdown('# Title\n\n- one\n  - nested\n- two\n\n1. first\n2. second\n\n> quoted\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |')
    expect(blocks.map((block) => block.type)).toEqual(['heading', 'list', 'list', 'quote', 'rule', 'table'])
    const bullets = blocks[1] as Extract<(typeof blocks)[number], { type: 'list' }>
    expect(bullets.items).toHaveLength(2)
    expect(bullets.items[0]!.map((block) => block.type)).toEqual(['paragraph', 'list'])
    expect(blocks[2]).toMatchObject({ type: 'list', ordered: true, start: 1 })
    expect(blocks[5]).toMatchObject({ type: 'table', header: [[{ text: 'a' }], [{ text: 'b' }]], rows: [[[{ text: '1' }], [{ text: '2' }]]] })
  })

  it('keeps single line breaks inside a paragraph', () => {
    expect(parseMarkdown('line one\nline two')).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: 'line one' }, { type: 'break' }, { type: 'text', text: 'line two' }] }])
  })
})
