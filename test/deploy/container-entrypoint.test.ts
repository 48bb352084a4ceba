import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ENTRYPOINT = resolve(import.meta.dirname, '../../src/runtime/node/container-entrypoint.sh')
const isRoot = process.getuid?.() === 0
const nobody = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' })
const nobodyUid = nobody.status === 0 ? Number(nobody.stdout.trim()) : undefined

describe('container entrypoint', () => {
  // Dropping privileges needs root, as in the container; CI runs as root on these machines.
  it.runIf(isRoot && nobodyUid !== undefined)('hands a root-owned state dir to the run-as user and execs as that user', () => {
    const root = mkdtempSync(join(tmpdir(), 'entrypoint-'))
    chmodSync(root, 0o755)
    const stateDir = join(root, 'data')
    mkdirSync(join(stateDir, 'agents'), { recursive: true })
    writeFileSync(join(stateDir, 'clawdbot.json'), '{}')
    const result = spawnSync(
      ENTRYPOINT,
      [process.execPath, '-e', 'require("fs").writeFileSync(process.env.CLAWDBOT_STATE_DIR + "/probe", String(process.getuid()))'],
      { env: { PATH: process.env.PATH, CLAWDBOT_STATE_DIR: stateDir, CLAWDBOT_RUN_AS: 'nobody' }, encoding: 'utf8' },
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(statSync(join(stateDir, 'probe')).uid).toBe(nobodyUid)
    expect(statSync(stateDir).uid).toBe(nobodyUid)
    expect(statSync(join(stateDir, 'clawdbot.json')).uid).toBe(nobodyUid)
    expect(statSync(join(stateDir, 'agents')).uid).toBe(nobodyUid)
  })

  it.runIf(isRoot && nobodyUid !== undefined)('runs the command unchanged when it is not started as root', () => {
    const result = spawnSync('setpriv', ['--reuid=nobody', '--regid=65534', '--clear-groups', 'sh', ENTRYPOINT, 'id', '-u'], {
      env: { PATH: process.env.PATH, CLAWDBOT_STATE_DIR: join(tmpdir(), 'never-created-by-entrypoint') },
      encoding: 'utf8',
    })
    expect(result.status).toBe(0)
    expect(Number(result.stdout.trim())).toBe(nobodyUid)
  })
})
