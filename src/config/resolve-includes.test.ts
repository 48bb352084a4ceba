import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MAX_INCLUDE_DEPTH, resolveIncludes } from './resolve-includes.js'

const FIXTURE_DIR = 'test/fixtures/config/includes'

function fixtureFiles(): Record<string, string> {
  const files: Record<string, string> = {}
  for (const name of readdirSync(FIXTURE_DIR)) files[`/config/${name}`] = readFileSync(`${FIXTURE_DIR}/${name}`, 'utf8')
  return files
}

function reader(files: Record<string, string>) {
  return async (path: string) => files[path]
}

describe('resolveIncludes', () => {
  it('merges an include list in order, resolves nested includes relative to their file, and lets siblings win', async () => {
    const files = fixtureFiles()
    const { value, issues } = await resolveIncludes({ $include: './main.json5' }, '/config/root.json', reader(files))
    expect(issues).toEqual([])
    expect(value).toEqual({
      gateway: { mode: 'local', port: 8080, trustedProxies: ['10.0.0.1', '10.0.0.2'] },
      agents: { defaults: { workspace: '/data/workspace', timeoutSeconds: 300 } },
      channels: { discord: { historyLimit: 10, guilds: { '123': { requireMention: true } } } },
    })
  })

  it('resolves paths relative to the including file, including parent directories', async () => {
    const files = { '/etc/app/shared/models.json': '{"mode":"merge"}', '/etc/app/sub/child.json': '{"$include":"../shared/models.json"}' }
    const { value } = await resolveIncludes({ models: { $include: 'sub/child.json' } }, '/etc/app/moltbot.json', reader(files))
    expect(value).toEqual({ models: { mode: 'merge' } })
  })

  it('reports cycles with the chain of files', async () => {
    const files = { '/c/a.json': '{"$include":"./b.json"}', '/c/b.json': '{"$include":"./a.json"}' }
    const { issues } = await resolveIncludes({ $include: './a.json' }, '/c/root.json', reader(files))
    expect(issues).toEqual([
      { path: '', message: 'Circular $include detected: /c/root.json -> /c/a.json -> /c/b.json -> /c/a.json' },
    ])
  })

  it(`allows ${MAX_INCLUDE_DEPTH} nested levels and rejects one more`, async () => {
    const chain = (levels: number) => {
      const files: Record<string, string> = {}
      for (let level = 1; level <= levels; level++) {
        files[`/d/${level}.json`] = level === levels ? '{"leaf":true}' : `{"$include":"./${level + 1}.json"}`
      }
      return files
    }
    const allowed = await resolveIncludes({ $include: './1.json' }, '/d/root.json', reader(chain(MAX_INCLUDE_DEPTH)))
    expect(allowed).toEqual({ value: { leaf: true }, issues: [] })
    const tooDeep = await resolveIncludes({ $include: './1.json' }, '/d/root.json', reader(chain(MAX_INCLUDE_DEPTH + 1)))
    expect(tooDeep.issues).toEqual([{ path: '', message: 'Maximum $include depth (10) exceeded at: ./11.json' }])
  })

  it('reports missing and unparsable include files at the including config path', async () => {
    const files = { '/c/bad.json': '{oops' }
    const { issues } = await resolveIncludes(
      { gateway: { $include: './missing.json' }, agents: { $include: ['./bad.json'] } },
      '/c/root.json',
      reader(files),
    )
    expect(issues.map((issue) => issue.path)).toEqual(['gateway', 'agents'])
    expect(issues[0].message).toBe('$include file not found: ./missing.json (resolved: /c/missing.json)')
    expect(issues[1].message).toMatch(/^Failed to parse \$include file \.\/bad\.json: JSON5 parse failed: SyntaxError/)
  })

  it('refuses includes outside the config directory tree, also through symlinks, naming the path', async () => {
    const files = { '/etc/shadow': 'root:x', '/c/sub/escape.json': '{"$include":"../../etc/shadow"}', '/c/link.json': '{}' }
    const outside = await resolveIncludes({ a: { $include: '/etc/shadow' }, b: { $include: './sub/escape.json' } }, '/c/root.json', reader(files))
    expect(outside.issues).toEqual([
      { path: 'a', message: '$include path /etc/shadow is outside the config directory /c; move the file under that directory' },
      { path: 'b', message: '$include path ../../etc/shadow is outside the config directory /c; move the file under that directory' },
    ])
    const realPath = async (path: string) => (path === '/c/link.json' ? '/etc/shadow' : path)
    const linked = await resolveIncludes({ $include: './link.json' }, '/c/root.json', reader(files), realPath)
    expect(linked.issues[0]!.message).toMatch(/^\$include path \.\/link\.json is outside the config directory/)
  })

  it('turns a read failure (a FIFO, a device, a huge file) into an issue naming the path', async () => {
    const failing = async () => {
      throw new Error('/c/fifo is not a regular file')
    }
    const { issues } = await resolveIncludes({ $include: './fifo' }, '/c/root.json', failing)
    expect(issues).toEqual([{ path: '', message: '$include file ./fifo cannot be read (resolved: /c/fifo): /c/fifo is not a regular file' }])
  })

  it('rejects sibling keys next to an include that is not an object', async () => {
    const files = { '/c/list.json': '[1,2]' }
    const { issues } = await resolveIncludes({ x: { $include: './list.json', y: 1 } }, '/c/root.json', reader(files))
    expect(issues).toEqual([{ path: 'x', message: 'Sibling keys next to $include require the included content to be an object' }])
  })
})
