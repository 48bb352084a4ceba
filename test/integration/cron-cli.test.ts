import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeSandbox, spawnCli, startGateway, stopGateway, type RunningProcess } from '../helpers/spawn-gateway.js'

const running: RunningProcess[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((process) => stopGateway(process)))
})

async function run(args: string[], env: Record<string, string>) {
  const cli = spawnCli(args, env)
  const { code } = await cli.exited
  return { code, stdout: cli.stdout.join('\n'), stderr: cli.stderr.join('\n') }
}

describe('cron CLI against a running gateway (dist)', () => {
  it('adds, lists, runs and removes jobs; the store is jobs.json in the state dir', async () => {
    const sandbox = makeSandbox()
    writeFileSync(join(sandbox.stateDir, 'clawdbot.json'), JSON.stringify({ gateway: { mode: 'local', auth: { token: 'cron-cli-token' } } }))
    const env = { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir }
    const gateway = await startGateway([], env)
    running.push(gateway)
    const target = ['--url', `ws://127.0.0.1:${gateway.port}`, '--token', 'cron-cli-token']

    const before = Date.now()
    const reminder = await run(['cron', 'add', '--name', 'stretch', '--at', '20m', '--message', 'Remind me to stretch', '--channel', 'discord', '--to', 'channel:123', '--json', ...target], env)
    expect(reminder.code).toBe(0)
    const job = JSON.parse(reminder.stdout)
    expect(job).toMatchObject({ name: 'stretch', deleteAfterRun: true, sessionTarget: 'isolated', wakeMode: 'next-heartbeat', payload: { kind: 'agentTurn', message: 'Remind me to stretch', deliver: true, channel: 'discord', to: 'channel:123' } })
    expect(job.schedule.atMs).toBeGreaterThanOrEqual(before + 20 * 60_000)
    expect(job.schedule.atMs).toBeLessThan(Date.now() + 20 * 60_000)

    const note = await run(['cron', 'add', '--name', 'note', '--every', '1h', '--system-event', 'check the calendar', '--wake', 'next-heartbeat', ...target], env)
    expect(note.code).toBe(0)
    const noteId = /^Added ([0-9a-f-]{36}) \(note\); next run /.exec(note.stdout)?.[1]
    expect(noteId).toBeDefined()

    const listed = await run(['cron', 'list', ...target], env)
    expect(listed.code).toBe(0)
    expect(listed.stdout.split('\n')).toHaveLength(2)
    expect(listed.stdout).toContain(`${job.id}  stretch  at ${new Date(job.schedule.atMs).toISOString()}`)
    expect(listed.stdout).toContain(`${noteId}  note  every 60m`)

    expect(await run(['cron', 'run', noteId!, ...target], env)).toMatchObject({ code: 0, stdout: `Ran ${noteId}: ok\ncheck the calendar` })
    expect(await run(['cron', 'run', job.id, '--due', ...target], env)).toMatchObject({ code: 0, stdout: 'Not run: not-due' })
    expect(await run(['cron', 'rm', job.id, ...target], env)).toMatchObject({ code: 0, stdout: `Removed ${job.id}` })
    expect(await run(['cron', 'rm', job.id, ...target], env)).toMatchObject({ code: 1, stderr: `No job with id ${job.id} (see cron list --all).` })

    const storePath = join(sandbox.stateDir, 'cron', 'jobs.json')
    expect(existsSync(storePath)).toBe(true)
    const stored = JSON.parse(readFileSync(storePath, 'utf8'))
    expect(stored.version).toBe(1)
    expect(stored.jobs.map((stored: { id: string }) => stored.id)).toEqual([noteId])
    expect(existsSync(join(sandbox.stateDir, 'cron', 'runs', `${noteId}.jsonl`))).toBe(true)
  })

  it('explains a wrong token and a missing schedule', async () => {
    const sandbox = makeSandbox()
    writeFileSync(join(sandbox.stateDir, 'clawdbot.json'), JSON.stringify({ gateway: { mode: 'local', auth: { token: 'right-token' } } }))
    const env = { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir }
    const gateway = await startGateway([], env)
    running.push(gateway)
    const wrong = await run(['cron', 'list', '--url', `ws://127.0.0.1:${gateway.port}`, '--token', 'wrong-token'], env)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/^Gateway at ws:\/\/127\.0\.0\.1:\d+ refused the connection: /)
    const missing = await run(['cron', 'add', '--name', 'x', '--message', 'y'], env)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('error: give exactly one of --at <when>, --every <duration>, --cron <expr>')
  })
})
