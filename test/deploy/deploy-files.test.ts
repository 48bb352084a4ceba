import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'


// fly.toml, the Dockerfile and .dockerignore are read as text and checked against each other, so a port, command or
// volume path changed in one place and not the other fails here instead of in a Fly deploy.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

const fly = parseToml(readText('fly.toml'))
const dockerfile = parseDockerfile(readText('Dockerfile'))
const finalStage = dockerfile.stages[dockerfile.stages.length - 1]
const cmd = execFormArgs(finalStage, 'CMD')
const processCommand = tableAt(fly, 'processes').app as string
const httpService = tableAt(fly, 'http_service')
const flyEnv = tableAt(fly, 'env')

describe('fly.toml and Dockerfile', () => {
  it('run the same gateway command', () => {
    expect(typeof processCommand).toBe('string')
    expect(processCommand.trim().split(/\s+/)).toEqual(cmd)
    expect(cmd.slice(0, 3)).toEqual(['node', 'dist/index.js', 'gateway'])
    expect(cmd).toContain('--allow-unconfigured')
    // Fly's proxy reaches the machine over its network interface, never loopback.
    expect(flagValue(cmd, '--bind')).toBe('lan')
  })

  it('agree on the port: internal_port, --port in both commands, EXPOSE', () => {
    const port = httpService.internal_port
    expect(port).toBe(3000)
    expect(Number(flagValue(processCommand.trim().split(/\s+/), '--port'))).toBe(port)
    expect(Number(flagValue(cmd, '--port'))).toBe(port)
    expect(instructions(finalStage, 'EXPOSE').map(Number)).toContain(port)
  })

  it('agree on the state dir: CLAWDBOT_STATE_DIR, the volume mount and the directory the image creates', () => {
    const stateDir = flyEnv.CLAWDBOT_STATE_DIR
    const mount = firstTable(fly.mounts)
    expect(stateDir).toBe('/data')
    expect(mount.destination).toBe(stateDir)
    expect(typeof mount.source).toBe('string')

    const runs = instructions(finalStage, 'RUN').join('\n')
    expect(runs).toMatch(new RegExp(`mkdir\\s+(-p\\s+)?${escapeRegExp(stateDir as string)}(\\s|$)`))
    expect(runs).toMatch(new RegExp(`chown\\s+(-R\\s+)?node(:node)?\\s+${escapeRegExp(stateDir as string)}(\\s|$)`))
    const imageStateDir = envOf(finalStage).CLAWDBOT_STATE_DIR
    if (imageStateDir !== undefined) expect(imageStateDir).toBe(stateDir)
  })

  it('run in production mode', () => {
    expect(flyEnv.NODE_ENV).toBe('production')
    expect(envOf(finalStage).NODE_ENV).toBe('production')
  })
})

describe('fly.toml', () => {
  it('health-checks GET /health', () => {
    const checks = httpService.checks
    expect(Array.isArray(checks)).toBe(true)
    const check = firstTable(checks)
    expect(check.path).toBe('/health')
    expect(String(check.method ?? 'GET').toUpperCase()).toBe('GET')
    expect(check.interval).toBe('30s')
    expect(check.timeout).toBe('5s')
    expect(check.grace_period).toBe('10s')
  })

  it('stops the gateway with SIGTERM and gives it time to drain', () => {
    expect(fly.kill_signal).toBe('SIGTERM')
    expect(typeof fly.kill_timeout).toBe('number')
    expect(fly.kill_timeout as number).toBeGreaterThanOrEqual(10)
    expect(fly.kill_timeout as number).toBeLessThanOrEqual(300)
  })

  it('keeps one machine running', () => {
    // "off" (a string): older configs write `false`; a stopped machine cannot answer Discord within 3 s.
    expect(httpService.auto_stop_machines).toBe('off')
    expect(httpService.min_machines_running as number).toBeGreaterThanOrEqual(1)
    expect(httpService.force_https).toBe(true)
    expect(httpService.processes).toEqual(['app'])
  })

  it('caps the V8 heap below the VM memory', () => {
    const vmMemoryMb = parseMegabytes(String(firstTable(fly.vm).memory))
    const heapMb = Number(/--max-old-space-size=(\d+)/.exec(String(flyEnv.NODE_OPTIONS))?.[1])
    expect(heapMb).toBeGreaterThan(0)
    expect(heapMb).toBeLessThan(vmMemoryMb)
  })

  it('sizes memory the same way as the Dockerfile: heap flags and malloc arenas', () => {
    const imageEnv = envOf(finalStage)
    expect(imageEnv.NODE_OPTIONS).toBe(flyEnv.NODE_OPTIONS)
    expect(String(flyEnv.NODE_OPTIONS)).toMatch(/--max-semi-space-size=\d+/)
    expect(imageEnv.MALLOC_ARENA_MAX).toBe(flyEnv.MALLOC_ARENA_MAX)
    expect(Number(flyEnv.MALLOC_ARENA_MAX)).toBeGreaterThan(0)
  })

  it('builds from this Dockerfile', () => {
    expect(tableAt(fly, 'build').dockerfile).toBe('Dockerfile')
  })
})

describe('Dockerfile', () => {
  it('has a separate build stage', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2)
    expect(finalStage.from).toMatch(/^node:24[\w.-]*$/)
  })

  it('runs the self-contained bundle: the final stage copies only dist/ from the build and installs nothing', () => {
    const runs = instructions(finalStage, 'RUN').join('\n')
    expect(runs).not.toMatch(/\bnpm\b|\byarn\b|\bpnpm\b/)
    const copies = instructions(finalStage, 'COPY')
    const fromBuild = copies.filter((copy) => copy.startsWith('--from='))
    expect(fromBuild).toEqual([`--from=${dockerfile.stages[0].name} /app/dist ./dist`])
    // Besides dist/, only the entrypoint script comes from the build context: no package.json, no node_modules.
    for (const copy of copies.filter((copy) => !copy.startsWith('--from='))) {
      expect(copy).toBe('src/runtime/node/container-entrypoint.sh /usr/local/bin/container-entrypoint')
    }
    expect(instructions(finalStage, 'WORKDIR')).toEqual(['/app'])
  })

  it('bundles with the build script the package defines', () => {
    const build = (JSON.parse(readText('package.json')) as { scripts: Record<string, string> }).scripts.build
    expect(build).toMatch(/rolldown -c rolldown\.config\.ts/)
    const buildStage = dockerfile.stages[0]
    expect(instructions(buildStage, 'RUN')).toContain('npm run build')
    expect(instructions(buildStage, 'COPY').join('\n')).toContain('rolldown.config.ts')
  })

  it('runs node as a non-root user: the entrypoint drops privileges before exec', () => {
    const users = instructions(finalStage, 'USER').map((user) => user.split(':')[0])
    const entrypoint = instructions(finalStage, 'ENTRYPOINT')
    expect(entrypoint).toEqual(['["/usr/local/bin/container-entrypoint"]'])
    expect(instructions(finalStage, 'COPY')).toContain('src/runtime/node/container-entrypoint.sh /usr/local/bin/container-entrypoint')
    const script = readFileSync(join(ROOT, 'src/runtime/node/container-entrypoint.sh'), 'utf8')
    expect(script).toMatch(/exec setpriv --reuid="\$run_as" --regid="\$run_group"/)
    expect(script).toContain('run_as="${CLAWDBOT_RUN_AS:-node}"')
    // Either no USER at all (the entrypoint drops to node) or a non-root one.
    for (const user of users) expect(['root', '0']).not.toContain(user)
  })

  it('uses an exec-form CMD so node receives the kill signal', () => {
    expect(cmd[0]).toBe('node')
  })

  it('starts an entry file that the build produces', () => {
    // `npm test` runs `npm run build` before vitest, so dist/ is current here.
    expect(existsSync(join(ROOT, cmd[1])), `${cmd[1]} is missing: run npm run build`).toBe(true)
  })
})

describe('.dockerignore', () => {
  it('keeps local installs, build output and secrets out of the build context', () => {
    const entries = readText('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.replace(/^\/|\/$/g, ''))
    expect(entries).toContain('node_modules')
    expect(entries).toContain('dist')
    expect(entries).toContain('.env')
  })
})

describe('wrangler.toml.example', () => {
  it('parses and points at the Workers entry, with the gateway object on SQLite storage', () => {
    const wrangler = parseToml(readText('wrangler.toml.example'))
    expect(wrangler.main).toBe('src/runtime/workers/index.ts')
    expect(wrangler.compatibility_flags).toContain('nodejs_compat')
    expect(wrangler.durable_objects).toEqual({ bindings: [{ name: 'GATEWAY', class_name: 'GatewayObject' }] })
    expect(wrangler.migrations).toEqual([{ tag: 'v1', new_sqlite_classes: ['GatewayObject'] }])
    expect(String((wrangler.vars as TomlTable).CLAWDBOT_CONFIG)).toContain('gateway: { mode: "local" }')
  })

  it('keeps compatibility_date within what the pinned workerd supports', () => {
    const wrangler = parseToml(readText('wrangler.toml.example'))
    const workerd = JSON.parse(readText('node_modules/workerd/package.json')) as { version: string }
    // workerd versions are 1.YYYYMMDD.n; a later compatibility date would make wrangler refuse to start.
    const supported = workerd.version.split('.')[1]!
    expect(String(wrangler.compatibility_date).replace(/-/g, '') <= supported).toBe(true)
  })
})

describe('parseToml (test helper)', () => {
  it('reads the subset used by fly.toml', () => {
    const parsed = parseToml(
      [
        'a = "x # not a comment" # a comment',
        "b = 'lit\\n'",
        'c = 30',
        'd = true',
        'e = ["p", 2, false]',
        '[t]',
        '  k = "v\\"q"',
        '  [[t.list]]',
        '    n = 1',
        '  [[t.list]]',
        '    n = 2',
      ].join('\n'),
    )
    expect(parsed).toEqual({
      a: 'x # not a comment',
      b: 'lit\\n',
      c: 30,
      d: true,
      e: ['p', 2, false],
      t: { k: 'v"q', list: [{ n: 1 }, { n: 2 }] },
    })
  })

  it('rejects what it does not understand instead of guessing', () => {
    expect(() => parseToml('a = { inline = 1 }')).toThrow()
    expect(() => parseToml('a = [\n1]')).toThrow()
    expect(() => parseToml('a = 1\na = 2')).toThrow()
  })
})

// ---------------------------------------------------------------------------------------------------------------------
// Helpers

type TomlValue = string | number | boolean | TomlValue[] | TomlTable
interface TomlTable {
  [key: string]: TomlValue
}

interface DockerStage {
  from: string
  name?: string
  instructions: { keyword: string; args: string }[]
}

function readText(relativePath: string): string {
  return readFileSync(join(ROOT, relativePath), 'utf8')
}

function tableAt(table: TomlTable, key: string): TomlTable {
  const value = table[key]
  if (!isTable(value)) throw new Error(`expected [${key}] to be a table`)
  return value
}

// `[mounts]` and `[[mounts]]` are both valid in fly.toml; take the first either way.
function firstTable(value: TomlValue | undefined): TomlTable {
  const first = Array.isArray(value) ? value[0] : value
  if (!isTable(first)) throw new Error('expected a table or an array of tables')
  return first
}

function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function flagValue(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag)
  return index === -1 ? undefined : args[index + 1]
}

function parseMegabytes(value: string): number {
  const match = /^(\d+)\s*(mb|gb)?$/i.exec(value.trim())
  if (!match) throw new Error(`unrecognised memory size: ${value}`)
  return Number(match[1]) * (match[2]?.toLowerCase() === 'gb' ? 1024 : 1)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Reads the TOML subset our deploy files use: comments, `[table]`, `[[array.of.tables]]`, bare keys, basic and
 * literal strings (multi-line `'''` ones too), integers, booleans and one-line arrays of those. Anything else throws.
 */
function parseToml(text: string): TomlTable {
  const root: TomlTable = {}
  let current = root
  // A multi-line literal string becomes one basic string on its line; TOML drops the newline right after `'''`.
  const folded = text.replace(/'''\n?([\s\S]*?)'''/g, (_match, body: string) => JSON.stringify(body))
  folded.split('\n').forEach((rawLine, index) => {
    const line = stripComment(rawLine).trim()
    if (line === '') return
    const where = `line ${index + 1}`
    const arrayHeader = /^\[\[\s*([\w.-]+)\s*\]\]$/.exec(line)
    const tableHeader = /^\[\s*([\w.-]+)\s*\]$/.exec(line)
    if (arrayHeader) {
      const path = arrayHeader[1].split('.')
      const parent = walk(root, path.slice(0, -1), where)
      const key = path[path.length - 1]
      const list = (parent[key] ??= [])
      if (!Array.isArray(list)) throw new Error(`${where}: ${arrayHeader[1]} is not an array of tables`)
      current = {}
      list.push(current)
      return
    }
    if (tableHeader) {
      current = walk(root, tableHeader[1].split('.'), where)
      return
    }
    const pair = /^([\w-]+)\s*=\s*(.+)$/.exec(line)
    if (!pair) throw new Error(`${where}: cannot parse ${JSON.stringify(line)}`)
    if (pair[1] in current) throw new Error(`${where}: duplicate key ${pair[1]}`)
    current[pair[1]] = parseTomlValue(pair[2].trim(), where)
  })
  return root
}

function walk(root: TomlTable, path: readonly string[], where: string): TomlTable {
  let table = root
  for (const key of path) {
    let next = table[key] ?? (table[key] = {})
    if (Array.isArray(next)) next = next[next.length - 1]
    if (!isTable(next)) throw new Error(`${where}: ${key} is not a table`)
    table = next
  }
  return table
}

function parseTomlValue(text: string, where: string): TomlValue {
  if (text.startsWith('"')) return JSON.parse(wholeToken(text, /^"(?:[^"\\]|\\.)*"/, where)) as string
  if (text.startsWith("'")) return wholeToken(text, /^'[^']*'/, where).slice(1, -1)
  if (text === 'true' || text === 'false') return text === 'true'
  if (/^[+-]?\d[\d_]*$/.test(text)) return Number(text.replace(/_/g, ''))
  if (text.startsWith('[') && text.endsWith(']')) {
    const items: TomlValue[] = []
    let rest = text.slice(1, -1).trim()
    while (rest !== '') {
      const item = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^,]+)\s*(?:,\s*|$)/.exec(rest)
      if (!item) throw new Error(`${where}: cannot parse array ${text}`)
      items.push(parseTomlValue(item[1].trim(), where))
      rest = rest.slice(item[0].length)
    }
    return items
  }
  throw new Error(`${where}: unsupported value ${text}`)
}

function wholeToken(text: string, pattern: RegExp, where: string): string {
  const match = pattern.exec(text)
  if (!match || match[0].length !== text.length) throw new Error(`${where}: cannot parse string ${text}`)
  return match[0]
}

// Drops a `#` comment that is not inside a string.
function stripComment(line: string): string {
  let quote: string | undefined
  for (let index = 0; index < line.length; index++) {
    const char = line[index]
    if (quote) {
      if (char === '\\' && quote === '"') index++
      else if (char === quote) quote = undefined
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === '#') {
      return line.slice(0, index)
    }
  }
  return line
}

/** Splits a Dockerfile into stages of `{keyword, args}` instructions, joining `\` continuations and dropping comments. */
function parseDockerfile(text: string): { stages: DockerStage[] } {
  const logical: string[] = []
  let pending = ''
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim()
    // Comment lines are dropped even inside a continued instruction, as Docker does.
    if (line.startsWith('#')) continue
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `
      continue
    }
    const full = (pending + line).trim()
    pending = ''
    if (full !== '') logical.push(full)
  }
  if (pending.trim() !== '') logical.push(pending.trim())

  const stages: DockerStage[] = []
  for (const line of logical) {
    const match = /^(\w+)\s+([\s\S]*)$/.exec(line)
    if (!match) throw new Error(`cannot parse Dockerfile line: ${line}`)
    const keyword = match[1].toUpperCase()
    const args = match[2].trim()
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)
      if (!from) throw new Error(`cannot parse FROM ${args}`)
      stages.push({ from: from[1], name: from[2], instructions: [] })
      continue
    }
    if (stages.length === 0) {
      if (keyword === 'ARG') continue
      throw new Error(`${keyword} before the first FROM`)
    }
    stages[stages.length - 1].instructions.push({ keyword, args })
  }
  if (stages.length === 0) throw new Error('Dockerfile has no FROM')
  return { stages }
}

function instructions(stage: DockerStage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args)
}

function execFormArgs(stage: DockerStage, keyword: 'CMD' | 'ENTRYPOINT'): string[] {
  const found = instructions(stage, keyword)
  if (found.length === 0) throw new Error(`final stage has no ${keyword}`)
  const parsed: unknown = JSON.parse(found[found.length - 1])
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`${keyword} is not in exec form (a JSON array of strings)`)
  }
  return parsed
}

// `ENV A=1 B=2` and the legacy `ENV A 1` form.
function envOf(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {}
  for (const args of instructions(stage, 'ENV')) {
    if (!/^\w+=/.test(args)) {
      const [key, ...value] = args.split(/\s+/)
      env[key] = value.join(' ')
      continue
    }
    for (const match of args.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
      env[match[1]] = match[2].startsWith('"') ? (JSON.parse(match[2]) as string) : match[2]
    }
  }
  return env
}
