import { listeningPids, readCommand } from './free-port.js'

// Long enough for a busy gateway to answer, short enough not to delay the error noticeably.
const PROBE_TIMEOUT_MS = 1_000

/**
 * The start-up error for a taken port. Only another gateway gets upstream's "another gateway instance" text: the
 * holder is asked for GET /health, and anything that does not answer like a gateway is named as a different program
 * (with its pid and command line where /proc shows them), so nobody hunts for a gateway that is not there.
 */
export async function describePortInUse(host: string, port: number): Promise<string[]> {
  if (await answersLikeGateway(host, port)) {
    return [
      `Gateway failed to start: another gateway instance is already listening on ws://${host}:${port}`,
      `Stop the other process, pick another port with --port, or pass --force to stop whatever listens on ${port}.`,
    ]
  }
  const holders = process.platform === 'linux' ? listeningPids(port).filter((pid) => pid !== process.pid) : []
  const named = holders.map((pid) => `pid ${pid}: ${readCommand(pid)}`).join('; ')
  return [
    `Gateway failed to start: ${host}:${port} is already in use by another program${named ? ` (${named})` : ''}, not a gateway.`,
    `Stop that program, pick another port with --port, or pass --force to stop whatever listens on ${port}.`,
  ]
}

async function answersLikeGateway(host: string, port: number): Promise<boolean> {
  // 0.0.0.0 and :: are not connectable everywhere; the loopback address of the same family reaches the listener.
  const target = host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host
  try {
    const response = await fetch(`http://${target}:${port}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: 'manual' })
    if (!response.headers.get('content-type')?.includes('application/json')) return false
    const body = (await response.json()) as Record<string, unknown>
    return typeof body.ok === 'boolean' && typeof body.version === 'string' && typeof body.uptimeMs === 'number'
  } catch {
    return false
  }
}
