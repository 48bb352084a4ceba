import type { EventFrame } from './protocol.js'

/**
 * An event payload already turned into JSON. A broadcast serialises its payload once and hands this to every
 * connection, which only wraps it in its own frame (its `seq` differs), instead of stringifying the payload per client.
 */
export class SerializedPayload {
  constructor(readonly json: string) {}

  /** Serialises `payload` once for many sends. */
  static of(payload: unknown): SerializedPayload {
    return new SerializedPayload(JSON.stringify(payload) ?? 'null')
  }
}

/**
 * The text of an `event` frame, byte for byte what `JSON.stringify` gives for the same `EventFrame` (same key order),
 * with a pre-serialised payload spliced in as is.
 */
export function toEventFrameText(
  event: string,
  payload: unknown,
  seq: number,
  stateVersion?: EventFrame['stateVersion'],
): string {
  if (!(payload instanceof SerializedPayload)) {
    const frame: EventFrame = { type: 'event', event, payload, seq }
    if (stateVersion) frame.stateVersion = stateVersion
    return JSON.stringify(frame)
  }
  const version = stateVersion ? `,"stateVersion":${JSON.stringify(stateVersion)}` : ''
  return `{"type":"event","event":${JSON.stringify(event)},"payload":${payload.json},"seq":${seq}${version}}`
}
