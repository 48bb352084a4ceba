import { createAgentRuntime } from '../../src/agent/agent-runtime.js'
import { builtInMethods } from '../../src/control/built-in-methods.js'
import { ChatBridge } from '../../src/control/chat-bridge.js'
import { createChatMethods } from '../../src/control/chat-methods.js'
import { createConnectionRegistry } from '../../src/control/connections.js'
import { ControlSession, type ControlSocket } from '../../src/control/control-session.js'
import { createMethodTable } from '../../src/control/methods.js'
import { createSessionMethods } from '../../src/control/session-methods.js'
import { createFailedAuthLimiter } from '../../src/gateway/failed-auth-limiter.js'
import { canonicalizeSessionKey } from '../../src/sessions/session-key.js'
import { makeTestDeps } from '../helpers/make-test-deps.js'

/**
 * The control surface in memory for the fuzz suites: real sessions, the real method table (built-ins, chat,
 * sessions) and a real runtime whose fetch always fails, without sockets, so 10,000 cases run in seconds.
 */
export function recordingSocket() {
  const socket: ControlSocket & { frames: string[]; closedWith?: { code: number; reason: string } } = {
    frames: [],
    send: (text) => void socket.frames.push(text),
    close: (code, reason) => void (socket.closedWith = { code, reason }),
    bufferedAmount: () => 0,
  }
  return socket
}

/** The control surface's own method table (built-ins, chat, sessions) over a real runtime whose fetch always fails. */
export async function surface(configText = '{ agents: { list: [{ id: "main" }, { id: "ops" }] } }') {
  const made = await makeTestDeps({ configText })
  const { deps } = made
  made.files[deps.state.configPath] = `${configText}\n`
  const runtime = createAgentRuntime(deps)
  const connections = createConnectionRegistry({ scheduler: deps.scheduler })
  const bridge = new ChatBridge(connections, (key) => canonicalizeSessionKey(key, 'main'), deps.now, deps.scheduler)
  bridge.attach(runtime)
  const methods = createMethodTable([...builtInMethods(), ...createChatMethods(runtime, bridge), ...createSessionMethods(runtime)])
  const limiter = createFailedAuthLimiter(deps.now, { maxFailures: 1_000_000, windowMs: 1 })
  const open = () => {
    const socket = recordingSocket()
    const session = new ControlSession({ socket, deps, connections, methods, events: ['tick', 'presence', 'chat'], limiter, remoteAddress: '10.0.0.1' })
    session.open()
    return { socket, session }
  }
  return { ...made, methods, open }
}

