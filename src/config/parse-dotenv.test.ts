import { describe, expect, it } from 'vitest'
import { applyDotenv, parseDotenv } from './parse-dotenv.js'

describe('parseDotenv', () => {
  it('parses plain, exported, spaced and empty assignments and skips comments', () => {
    const text = ['# comment', 'A=1', 'export B=two', '  C  =  spaced value  ', 'EMPTY=', 'not a line', ''].join('\n')
    expect(parseDotenv(text)).toEqual({ A: '1', B: 'two', C: 'spaced value', EMPTY: '' })
  })

  it('strips inline comments only from unquoted values', () => {
    expect(parseDotenv('A=value # note\nB="keep # this" # drop\nC=\'x#y\'')).toEqual({ A: 'value', B: 'keep # this', C: 'x#y' })
  })

  it('expands escapes only inside double quotes', () => {
    expect(parseDotenv('D="a\\nb\\t\\"q\\""\nS=\'a\\nb\'\nT=`a\\nb`')).toEqual({ D: 'a\nb\t"q"', S: 'a\\nb', T: 'a\\nb' })
  })

  it('reads multi-line quoted values and CRLF files', () => {
    const text = 'KEY="-----BEGIN-----\r\nline2\r\n-----END-----"\r\nNEXT=1\r\n'
    expect(parseDotenv(text)).toEqual({ KEY: '-----BEGIN-----\nline2\n-----END-----', NEXT: '1' })
  })

  it('treats an unclosed quote as a plain value and lets later keys win', () => {
    expect(parseDotenv('A="open\nB=1\nB=2')).toEqual({ A: '"open', B: '2' })
  })

  it('keeps = signs inside values', () => {
    expect(parseDotenv('URL=https://x.test/?a=b&c=d')).toEqual({ URL: 'https://x.test/?a=b&c=d' })
  })
})

describe('applyDotenv', () => {
  it('sets only unset keys (an empty existing value counts as set) and returns their names', () => {
    const env: Record<string, string | undefined> = { SET: 'old', EMPTY: '' }
    expect(applyDotenv(env, { SET: 'new', EMPTY: 'x', NEW: 'y' })).toEqual(['NEW'])
    expect(env).toEqual({ SET: 'old', EMPTY: '', NEW: 'y' })
  })
})
