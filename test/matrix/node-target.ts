import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeSandbox, startGateway, stopGateway } from '../helpers/spawn-gateway.js'
import { toTarget, type GatewayTarget } from './runtimes.js'

/** Starts the built Node gateway (`node dist/index.js gateway --port 0`) with the config in its state dir. */
export async function startNodeTarget(options: { token: string; config?: string; env: Record<string, string> }): Promise<GatewayTarget> {
  const sandbox = makeSandbox()
  if (options.config !== undefined) writeFileSync(join(sandbox.stateDir, 'clawdbot.json'), options.config)
  const gateway = await startGateway(['--allow-unconfigured'], {
    HOME: sandbox.home,
    TMPDIR: sandbox.tmp,
    CLAWDBOT_STATE_DIR: sandbox.stateDir,
    CLAWDBOT_GATEWAY_TOKEN: options.token,
    ...options.env,
  })
  return toTarget('node', `http://127.0.0.1:${gateway.port}`, options.token, () => gateway.output(), async () => {
    await stopGateway(gateway)
    rmSync(sandbox.root, { recursive: true, force: true })
  })
}
