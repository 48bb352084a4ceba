import JSON5 from 'json5'
import { isPlainObject } from './config-issue.js'
import { applyMergePatch } from './merge-patch.js'

/**
 * Applies a JSON merge patch (RFC 7386) to JSON5 *text*: only the values the patch touches change, so comments,
 * key order, quoting and layout of everything else stay as the user wrote them. Returns `undefined` when the text
 * cannot be edited safely (not an object at the top, or a construct this editor does not understand); the caller
 * then falls back to writing a fresh serialisation.
 * @see https://www.rfc-editor.org/rfc/rfc7386
 */
export function applyMergePatchToText(text: string, patch: Record<string, unknown>): string | undefined {
  let root: ObjectNode
  try {
    const node = new Scanner(text).document()
    if (node.kind !== 'object') return undefined
    root = node
  } catch {
    return undefined
  }
  const edits: Edit[] = []
  patchObject(text, root, patch, edits)
  edits.sort((left, right) => right.start - left.start)
  let result = text
  for (const edit of edits) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end)
  // The edit must mean exactly what the patch means; anything else is a case this editor got wrong.
  const expected = applyMergePatch(tryParseJson5(text), patch)
  return JSON.stringify(tryParseJson5(result)) === JSON.stringify(expected) ? result : undefined
}

/** The merge patch that turns `before` into `after`: changed keys, `null` for removed ones, arrays replaced whole. */
export function diffToMergePatch(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {}
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null
  for (const [key, value] of Object.entries(after)) {
    const old = before[key]
    if (isPlainObject(old) && isPlainObject(value)) {
      const inner = diffToMergePatch(old, value)
      if (Object.keys(inner).length > 0) patch[key] = inner
    } else if (!(key in before) || JSON.stringify(old) !== JSON.stringify(value)) {
      patch[key] = value
    }
  }
  return patch
}

/** Parses JSON5 text without throwing; `undefined` when it is not JSON5. */
export function tryParseJson5(text: string): unknown {
  try {
    return JSON5.parse(text)
  } catch {
    return undefined
  }
}

interface Edit {
  start: number
  end: number
  text: string
}

type ValueNode = ObjectNode | { kind: 'array' | 'scalar'; start: number; end: number }

interface ObjectNode {
  kind: 'object'
  start: number
  /** Offset of the closing `}`. */
  close: number
  end: number
  members: Member[]
}

interface Member {
  key: string
  /** From the key's first character to the end of the value. */
  start: number
  value: ValueNode
  /** Offset just past the member's comma, or the value's end when it has none. */
  afterComma: number
  hasComma: boolean
}

function patchObject(text: string, node: ObjectNode, patch: Record<string, unknown>, edits: Edit[]): void {
  const additions: [string, unknown][] = []
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__') continue
    const member = node.members.find((candidate) => candidate.key === key)
    if (member === undefined) {
      if (value !== null) additions.push([key, stripNulls(value)])
      continue
    }
    if (value === null) {
      edits.push(removal(text, member))
    } else if (isPlainObject(value) && member.value.kind === 'object') {
      patchObject(text, member.value, value, edits)
    } else {
      edits.push({ start: member.value.start, end: member.value.end, text: serialize(value, indentOf(text, member.start)) })
    }
  }
  if (additions.length > 0) edits.push(insertion(text, node, additions))
}

// A removed member takes its own line with it when it sits alone on that line.
function removal(text: string, member: Member): Edit {
  const lineStart = text.lastIndexOf('\n', member.start - 1) + 1
  const aloneBefore = text.slice(lineStart, member.start).trim() === ''
  const lineEnd = text.indexOf('\n', member.afterComma)
  const rest = text.slice(member.afterComma, lineEnd === -1 ? text.length : lineEnd)
  if (aloneBefore && rest.trim() === '') return { start: lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1, text: '' }
  return { start: member.start, end: member.afterComma, text: '' }
}

function insertion(text: string, node: ObjectNode, additions: [string, unknown][]): Edit {
  const last = node.members.at(-1)
  const multiline = last === undefined ? false : text.slice(node.start, node.close).includes('\n')
  if (last === undefined) {
    const indent = `${indentOf(text, node.start)}  `
    const body = additions.map(([key, value]) => `${indent}${formatKey(key)}: ${serialize(value, indent)}`).join(',\n')
    return { start: node.start + 1, end: node.close, text: `\n${body},\n${indentOf(text, node.start)}` }
  }
  if (!multiline) {
    const body = additions.map(([key, value]) => `${formatKey(key)}: ${serialize(value, '')}`).join(', ')
    return { start: last.value.end, end: last.afterComma, text: `, ${body}${last.hasComma ? ',' : ''}` }
  }
  const indent = indentOf(text, last.start)
  const lines = additions.map(([key, value]) => `\n${indent}${formatKey(key)}: ${serialize(value, indent)}`)
  // New members go right after the last one (and its comma), before any comment that closes the object; the file's
  // choice of a trailing comma is kept.
  const body = last.hasComma ? lines.map((line) => `${line},`).join('') : `,${lines.join(',')}`
  return { start: last.afterComma, end: last.afterComma, text: body }
}

function serialize(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`)
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key)
}

function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? ''
}

function stripNulls(value: unknown): unknown {
  if (!isPlainObject(value)) return value
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== null).map(([key, inner]) => [key, stripNulls(inner)]))
}

/** A JSON5 reader that keeps the offsets of every object member and value. */
class Scanner {
  #index = 0
  constructor(private readonly text: string) {}

  document(): ValueNode {
    this.#skip()
    const value = this.#value()
    this.#skip()
    if (this.#index !== this.text.length) throw new Error('trailing text')
    return value
  }

  #value(): ValueNode {
    const char = this.text[this.#index]
    if (char === '{') return this.#object()
    if (char === '[') return this.#array()
    const start = this.#index
    if (char === '"' || char === "'") this.#string()
    else if (/[-+.0-9A-Za-z_$]/.test(char ?? '')) while (/[-+.0-9A-Za-z_$]/.test(this.text[this.#index] ?? '')) this.#index++
    else throw new Error(`unexpected character at ${start}`)
    return { kind: 'scalar', start, end: this.#index }
  }

  #object(): ObjectNode {
    const start = this.#index++
    const members: Member[] = []
    for (;;) {
      this.#skip()
      if (this.text[this.#index] === '}') break
      const keyStart = this.#index
      const key = this.#key()
      this.#skip()
      if (this.text[this.#index++] !== ':') throw new Error('expected :')
      this.#skip()
      const value = this.#value()
      const afterValue = this.#index
      this.#skip()
      const hasComma = this.text[this.#index] === ','
      if (hasComma) this.#index++
      members.push({ key, start: keyStart, value, afterComma: hasComma ? this.#index : afterValue, hasComma })
      if (!hasComma) {
        this.#skip()
        if (this.text[this.#index] !== '}') throw new Error('expected }')
        break
      }
    }
    const close = this.#index++
    return { kind: 'object', start, close, end: this.#index, members }
  }

  #array(): ValueNode {
    const start = this.#index++
    for (;;) {
      this.#skip()
      if (this.text[this.#index] === ']') break
      this.#value()
      this.#skip()
      if (this.text[this.#index] === ',') this.#index++
      else if (this.text[this.#index] !== ']') throw new Error('expected ]')
    }
    this.#index++
    return { kind: 'array', start, end: this.#index }
  }

  #key(): string {
    const char = this.text[this.#index]
    if (char === '"' || char === "'") {
      const start = this.#index
      this.#string()
      return JSON5.parse(this.text.slice(start, this.#index)) as string
    }
    const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(this.text.slice(this.#index))
    if (!match) throw new Error('expected a key')
    this.#index += match[0].length
    return match[0]
  }

  #string(): void {
    const quote = this.text[this.#index++]
    while (this.#index < this.text.length && this.text[this.#index] !== quote) {
      this.#index += this.text[this.#index] === '\\' ? 2 : 1
    }
    if (this.text[this.#index++] !== quote) throw new Error('unterminated string')
  }

  #skip(): void {
    for (;;) {
      const rest = this.text.slice(this.#index, this.#index + 2)
      if (/^\s/.test(rest)) this.#index++
      else if (rest === '//') {
        const end = this.text.indexOf('\n', this.#index)
        this.#index = end === -1 ? this.text.length : end
      } else if (rest === '/*') {
        const end = this.text.indexOf('*/', this.#index + 2)
        if (end === -1) throw new Error('unterminated comment')
        this.#index = end + 2
      } else return
    }
  }
}
