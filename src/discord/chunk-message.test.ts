import { describe, expect, it } from 'vitest'
import { chunkMessage } from './chunk-message.js'

const fenceCount = (chunk: string): number => chunk.split('\n').filter((line) => /^ {0,3}```/.test(line)).length

describe('chunkMessage', () => {
  it('keeps a short reply in one chunk', () => {
    expect(chunkMessage('Hello there.\n')).toEqual(['Hello there.'])
  })

  it('cuts long prose at spaces and never exceeds 2000 characters', () => {
    const text = Array.from({ length: 900 }, (_, index) => `word${index}`).join(' ')
    const chunks = chunkMessage(text)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2000)
    expect(chunks.join(' ')).toBe(text)
  })

  it('hard-cuts a single word longer than the limit', () => {
    const chunks = chunkMessage('x'.repeat(4500))
    expect(chunks.map((chunk) => chunk.length)).toEqual([2000, 2000, 500])
  })

  it('starts a new message after 17 lines', () => {
    const text = Array.from({ length: 40 }, (_, index) => `line ${index}`).join('\n')
    const chunks = chunkMessage(text)
    expect(chunks.map((chunk) => chunk.split('\n').length)).toEqual([17, 17, 6])
  })

  it('closes a code fence at a chunk boundary and reopens it with its info string', () => {
    const code = Array.from({ length: 30 }, (_, index) => `const value${index} = ${index}`)
    const text = ['Here is the code:', '```ts', ...code, '```', 'Done.'].join('\n')
    const chunks = chunkMessage(text)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) {
      expect(fenceCount(chunk) % 2).toBe(0)
      expect(chunk.split('\n').length).toBeLessThanOrEqual(17)
    }
    expect(chunks[1]?.startsWith('```ts\n')).toBe(true)
    expect(chunks.at(-1)?.endsWith('Done.')).toBe(true)
  })

  it('keeps fences balanced when a code block is split by length', () => {
    const code = Array.from({ length: 12 }, () => 'y'.repeat(300))
    const chunks = chunkMessage(['```', ...code, '```'].join('\n'), { maxLines: 100 })
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(2000)
      expect(fenceCount(chunk)).toBe(2)
    }
  })

  it('honours a smaller textChunkLimit but never a larger one', () => {
    expect(chunkMessage('a'.repeat(250), { maxChars: 100 })).toHaveLength(3)
    expect(chunkMessage('a'.repeat(2500), { maxChars: 5000 })).toHaveLength(2)
  })

  it('does not treat an info-string fence inside a block as its end', () => {
    const chunks = chunkMessage(['```md', '```js', 'x', '```', 'after'].join('\n'), { maxLines: 4 })
    expect(chunks).toEqual(['```md\n```js\nx\n```', 'after'])
  })
})
