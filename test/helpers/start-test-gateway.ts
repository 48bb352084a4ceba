import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { upgradeWebSocket } from '@hono/node-server'
import { createApp } from '../../src/app.js'
import { parseConfigText } from '../../src/config/load-config.js'
import type { ControlRouteExtras } from '../../src/control/routes.js'
import type { GatewayState } from '../../src/gateway/gateway-state.js'
import { allowLargeNodeFrames, nodeClientAddress, startListeners } from '../../src/runtime/node/start-listeners.js'
import { writeConfigWithBackups } from '../../src/runtime/node/write-config-with-backups.js'
import { makeTestDeps } from './make-test-deps.js'

/**
 * A real Node server on 127.0.0.1 port 0 running createApp with the Node WebSocket wiring, in this process. The
 * config lives in a real temp file, written with the runtime's own writer and re-read by `reloadConfig`.
 */
export async function startTestGateway(options: { configText?: string; state?: Partial<GatewayState>; control?: ControlRouteExtras } = {}) {
  const configText = options.configText ?? '{ gateway: { mode: "local" } }\n'
  const made = await makeTestDeps({ configText, state: options.state })
  const { deps } = made
  const dir = mkdtempSync(join(tmpdir(), 'gw-control-'))
  const configPath = join(dir, 'moltbot.json')
  writeFileSync(configPath, configText)
  deps.state.configPath = configPath
  deps.state.stateDir = dir
  deps.readTextFile = (path) => readFile(path, 'utf8').catch(() => undefined)
  deps.writeConfigFile = writeConfigWithBackups
  const reloadConfig = async () => {
    const result = await parseConfigText(readFileSync(configPath, 'utf8'), configPath, { readText: deps.readTextFile, env: {}, homeDir: dir })
    if (!result.ok) return { ok: false, message: `config reload skipped (invalid config): ${result.issues.map((issue) => issue.message).join(', ')}` }
    deps.state.config = result.config
    return { ok: true, message: 'applied live' }
  }
  const reloads: Promise<{ ok: boolean; message: string }>[] = []
  deps.reloadConfig = () => {
    const outcome = reloadConfig()
    reloads.push(outcome)
    return outcome
  }
  deps.upgradeWebSocket = upgradeWebSocket
  const app = createApp(deps, { control: { clientAddress: nodeClientAddress, allowLargeFrames: allowLargeNodeFrames, ...options.control } })
  const address = [{ host: '127.0.0.1', display: '127.0.0.1', optional: false }]
  const fetchHandler = (request: Request, env: Parameters<typeof app.fetch>[1]) => app.fetch(request, env)
  let listeners = await startListeners(fetchHandler as never, address, 0)
  return {
    ...made,
    configPath,
    reloads,
    port: listeners.port,
    url: `ws://127.0.0.1:${listeners.port}/`,
    httpUrl: `http://127.0.0.1:${listeners.port}`,
    close: () => listeners.close(),
    /** Closes the listener (open sockets get 1012, as on a gateway restart) and listens again on the same port. */
    async restart() {
      const port = listeners.port
      await listeners.close()
      listeners = await startListeners(fetchHandler as never, address, port)
    },
  }
}
