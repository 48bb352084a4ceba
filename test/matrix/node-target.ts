import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeSandbox, startGateway } from '../helpers/spawn-gateway.js'
import { toTarget, type GatewayTarget } from './runtimes.js'

/** Starts the built Node gateway (`node dist/index.js gateway --port 0`) with the config in its state dir. */
export async function startNodeTarget(options: { token: string; config?: string; env: Record<string, string> }): Promise<GatewayTarget> {
  const sandbox = makeSandbox()
  if (options.config !== undefined) writeFileSync(join(sandbox.stateDir, 'clawdbot.json'), options.config)
  const env = { HOME: sandbox.home, TMPDIR: sandbox.tmp, CLAWDBOT_STATE_DIR: sandbox.stateDir, CLAWDBOT_GATEWAY_TOKEN: options.token, ...options.env }
  const start = async () => {
    const gateway = await startGateway(['--allow-unconfigured'], env)
    return {
      baseUrl: `http://127.0.0.1:${gateway.port}`,
      logs: () => gateway.output(),
      // SIGKILL: nothing gets to finish, as in a crash or a machine stopped without a drain.
      async kill() {
        if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL')
        await gateway.exited
      },
    }
  }
  return toTarget('node', options.token, start, async () => rmSync(sandbox.root, { recursive: true, force: true }))
}
