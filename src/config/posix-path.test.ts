import { describe, expect, it } from 'vitest'
import { dirname, isAbsolute, join, normalize, resolve } from './posix-path.js'

describe('posix-path', () => {
  it('normalizes dots and slashes', () => {
    expect(normalize('/a//b/./c/../d/')).toBe('/a/b/d')
    expect(normalize('/../x')).toBe('/x')
    expect(normalize('../a/../../b')).toBe('../../b')
    expect(normalize('')).toBe('.')
  })

  it('joins, takes dirnames and detects absolute paths', () => {
    expect(join('/data', 'agents', '../moltbot.json')).toBe('/data/moltbot.json')
    expect(dirname('/data/moltbot.json')).toBe('/data')
    expect(dirname('/moltbot.json')).toBe('/')
    expect(dirname('moltbot.json')).toBe('.')
    expect(isAbsolute('/x')).toBe(true)
    expect(isAbsolute('x')).toBe(false)
  })

  it('resolves relative segments against a base and stops at an absolute one', () => {
    expect(resolve('/data', 'conf', './a.json')).toBe('/data/conf/a.json')
    expect(resolve('/data', '/etc', 'a.json')).toBe('/etc/a.json')
    expect(resolve('/data/x', '../y.json')).toBe('/data/y.json')
  })
})
