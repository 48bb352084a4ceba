import { describe, expect, it } from 'vitest'
import { SerializedPayload, toEventFrameText } from './event-frame-text.js'

describe('toEventFrameText', () => {
  const payload = { presence: [{ ts: 1, host: 'ui "one"', roles: ['operator'] }], note: 'ünïcode ✓' }

  it('gives the same text for a pre-serialised payload as JSON.stringify of the whole frame', () => {
    const stateVersion = { presence: 3, health: 1 }
    const expected = JSON.stringify({ type: 'event', event: 'presence', payload, seq: 7, stateVersion })
    expect(toEventFrameText('presence', SerializedPayload.of(payload), 7, stateVersion)).toBe(expected)
    expect(toEventFrameText('presence', payload, 7, stateVersion)).toBe(expected)
  })

  it('leaves out stateVersion when there is none', () => {
    const text = toEventFrameText('chat', SerializedPayload.of({ state: 'delta' }), 2)
    expect(JSON.parse(text)).toEqual({ type: 'event', event: 'chat', payload: { state: 'delta' }, seq: 2 })
    expect(text).toBe(JSON.stringify({ type: 'event', event: 'chat', payload: { state: 'delta' }, seq: 2 }))
  })

  it('keeps an undefined payload out of the frame, as JSON.stringify does', () => {
    expect(toEventFrameText('tick', undefined, 1)).toBe('{"type":"event","event":"tick","seq":1}')
  })
})
