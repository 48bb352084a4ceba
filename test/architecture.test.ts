import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/*
 * Core code must run on Cloudflare Workers (house-style.md, boundaries rule 1). tsconfig.core.json catches most of
 * it, but a dependency with `/// <reference types="node" />` lets `process` and `Buffer` typecheck again, so this
 * test reads the source itself.
 */

const SOURCE_ROOT = fileURLToPath(new URL('../src/', import.meta.url))
const NON_CORE = [/^runtime\//, /^scripts\//, /^ui\//, /^index\.ts$/, /\.test\.[cm]?tsx?$/]
const NODE_ONLY_PACKAGES = [/^node:/, /^ws(\/|$)/, /^@hono\/node-server(\/|$)/, /^unstorage\/drivers\/fs/]
const NODE_GLOBALS = [
  /(?<![\w$.])(process|Buffer|__dirname|__filename)(?![\w$])/g,
  /(?<![\w$.])require\s*\(/g,
  /\bglobalThis\s*\.\s*(process|Buffer)(?![\w$])/g,
]
// Time is a capability (deps.scheduler): a raw timer in core would tie it to a long-lived process and dodge fake time.
const RAW_TIMERS = /(?<![\w$])(?:globalThis\s*\.\s*)?(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval)(?![\w$])/g
const BUILTIN_NAMES = new Set(builtinModules.map((name) => name.replace(/^node:/, '')))

describe('architecture: core stays free of Node', () => {
  it('scans at least the core files we know exist', () => {
    expect(coreFiles()).toContain('storage/keys.ts')
  })

  it('no core file imports a Node-only module or uses a Node global', () => {
    const violations = coreFiles().flatMap((file) =>
      findNodeUsage(readFileSync(join(SOURCE_ROOT, file), 'utf8')).map((problem) => `src/${file}: ${problem}`),
    )
    expect(violations).toEqual([])
  })
})

describe('architecture: core asks the scheduler for time', () => {
  it('no core file uses a raw timer', () => {
    const violations = coreFiles().flatMap((file) =>
      findRawTimers(readFileSync(join(SOURCE_ROOT, file), 'utf8')).map((problem) => `src/${file}: ${problem}`),
    )
    expect(violations).toEqual([])
  })

  it('catches planted timers and ignores mentions in comments and strings', () => {
    const planted = [
      'const handle = setTimeout(tick, 5)',
      'clearTimeout(handle)',
      'globalThis.setInterval(tick, 1000)',
      'type Handle = ReturnType<typeof setInterval>',
      'queueMicrotask(tick); setImmediate(tick)',
      '// setTimeout is banned here',
      `const hint = 'use setTimeout'`,
      'scheduler.after(5, tick)',
      'this.setTimeoutMs = 5',
    ].join('\n')
    expect(findRawTimers(planted)).toEqual([
      'uses setTimeout',
      'uses clearTimeout',
      'uses globalThis.setInterval',
      'uses setInterval',
      'uses setImmediate',
    ])
  })
})

describe('findNodeUsage', () => {
  it('catches every kind of planted violation', () => {
    const planted = [
      `import { readFile } from 'node:fs/promises'`,
      `import os from "os"`,
      `import type { IncomingMessage } from 'http'`,
      `export * from 'ws'`,
      `import '@hono/node-server'`,
      `import fsDriver from 'unstorage/drivers/fs-lite'`,
      `const path = await import('path')`,
      'const cwd = process.cwd()',
      `const bytes = Buffer.from('x')`,
      'const here = __dirname + __filename',
      `const fs = require('fs')`,
      'const env = globalThis.process.env',
      'const text = `${process.env.HOME}/x`',
    ].join('\n')
    expect(findNodeUsage(planted)).toEqual([
      'imports node:fs/promises',
      'imports os',
      'imports http',
      'imports ws',
      'imports @hono/node-server',
      'imports unstorage/drivers/fs-lite',
      'imports path',
      'imports fs',
      'uses process',
      'uses Buffer',
      'uses __dirname',
      'uses __filename',
      'uses require(',
      'uses globalThis.process',
      'uses process',
    ])
  })

  it('ignores comments, strings and property names that merely mention Node', () => {
    const clean = [
      '// process.env is read in runtime/node, never here',
      '/* Buffer and require( are banned */',
      `const message = 'process exited; see Buffer docs'`,
      'const hint = "__dirname"',
      'const template = `no ${"process"} here`',
      'job.process(item)',
      `import { Hono } from 'hono'`,
      `import memoryDriver from 'unstorage/drivers/memory'`,
      `import { z } from 'zod'`,
      `import { parse } from './process-list.js'`,
    ].join('\n')
    expect(findNodeUsage(clean)).toEqual([])
  })
})

function coreFiles(): string[] {
  return readdirSync(SOURCE_ROOT, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(sep).join('/'))
    .filter((file) => /\.[cm]?tsx?$/.test(file))
    .filter((file) => !NON_CORE.some((pattern) => pattern.test(file)))
    .sort()
}

/** Lists the Node-only imports and globals in one TypeScript source text. */
function findNodeUsage(source: string): string[] {
  const problems: string[] = []
  const withoutComments = stripCode(source, { keepStrings: true })
  for (const specifier of importSpecifiers(withoutComments)) {
    if (isNodeOnly(specifier)) problems.push(`imports ${specifier}`)
  }
  const codeOnly = stripCode(source, { keepStrings: false })
  const uses: { index: number; problem: string }[] = []
  for (const pattern of NODE_GLOBALS) {
    for (const match of codeOnly.matchAll(pattern)) {
      uses.push({ index: match.index, problem: `uses ${match[0].replace(/\s+/g, '')}` })
    }
  }
  return [...problems, ...uses.sort((a, b) => a.index - b.index).map((use) => use.problem)]
}

/** Lists the raw timer calls and types in one TypeScript source text (comments and strings excluded). */
function findRawTimers(source: string): string[] {
  const codeOnly = stripCode(source, { keepStrings: false })
  return [...codeOnly.matchAll(RAW_TIMERS)].map((match) => `uses ${match[0].replace(/\s+/g, '')}`)
}

function importSpecifiers(code: string): string[] {
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g,
    /\bimport\s*(['"])([^'"]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
    /\brequire\s*\(\s*(['"])([^'"]+)\1\s*\)/g,
  ]
  const found: { index: number; specifier: string }[] = []
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) found.push({ index: match.index, specifier: match[2]! })
  }
  return found.sort((a, b) => a.index - b.index).map((entry) => entry.specifier)
}

function isNodeOnly(specifier: string): boolean {
  if (NODE_ONLY_PACKAGES.some((pattern) => pattern.test(specifier))) return true
  return BUILTIN_NAMES.has(specifier) || BUILTIN_NAMES.has(specifier.split('/')[0]!)
}

/**
 * Blanks comments, and string literals unless asked to keep them, while keeping `${…}` expressions of template
 * literals as code. Offsets are preserved so matches stay in source order. Regex literals are not recognised; a
 * regex spelling `process` in core would be reported, which errs on the safe side.
 */
function stripCode(source: string, options: { keepStrings: boolean }): string {
  let output = ''
  let index = 0
  // Each entry is the brace depth at which a template literal's `${` expression closes.
  const templateStack: number[] = []
  let braceDepth = 0
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ')
  const readString = (quote: string): void => {
    const start = index
    index += 1
    while (index < source.length && source[index] !== quote && source[index] !== '\n') {
      index += source[index] === '\\' ? 2 : 1
    }
    index += 1
    const literal = source.slice(start, index)
    output += options.keepStrings ? literal : quote + blank(literal.slice(1, -1)) + quote
  }
  const readTemplateText = (): void => {
    // Starts just after a backtick or a closing `}` of an expression; stops after the closing backtick or at `${`.
    const start = index
    while (index < source.length && source[index] !== '`' && !source.startsWith('${', index)) {
      index += source[index] === '\\' ? 2 : 1
    }
    const text = source.slice(start, index)
    output += options.keepStrings ? text : blank(text)
    if (source[index] === '`') {
      output += '`'
      index += 1
    } else if (index < source.length) {
      output += '${'
      index += 2
      templateStack.push(braceDepth)
      braceDepth += 1
    }
  }
  while (index < source.length) {
    const character = source[index]!
    if (source.startsWith('//', index)) {
      const end = source.indexOf('\n', index)
      const stop = end === -1 ? source.length : end
      output += blank(source.slice(index, stop))
      index = stop
    } else if (source.startsWith('/*', index)) {
      const end = source.indexOf('*/', index + 2)
      const stop = end === -1 ? source.length : end + 2
      output += blank(source.slice(index, stop))
      index = stop
    } else if (character === "'" || character === '"') {
      readString(character)
    } else if (character === '`') {
      output += '`'
      index += 1
      readTemplateText()
    } else if (character === '{') {
      braceDepth += 1
      output += character
      index += 1
    } else if (character === '}') {
      braceDepth -= 1
      output += character
      index += 1
      if (templateStack.at(-1) === braceDepth) {
        templateStack.pop()
        readTemplateText()
      }
    } else {
      output += character
      index += 1
    }
  }
  return output
}
