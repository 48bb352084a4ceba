import { describe, expect, it } from 'vitest'
import { isHeartbeatFileEffectivelyEmpty, stripHeartbeatToken } from './heartbeat-text.js'

describe('stripHeartbeatToken', () => {
  it('vector 5: **HEARTBEAT_OK** is an ack; the token plus 301 characters is delivered without the token', () => {
    expect(stripHeartbeatToken('**HEARTBEAT_OK**', { mode: 'heartbeat' })).toEqual({ ack: true, text: '', stripped: true })
    const long = 'x'.repeat(301)
    expect(stripHeartbeatToken(`HEARTBEAT_OK ${long}`, { mode: 'heartbeat' })).toEqual({ ack: false, text: long, stripped: true })
    expect(stripHeartbeatToken(`HEARTBEAT_OK ${'x'.repeat(300)}`, { mode: 'heartbeat' }).ack).toBe(true)
  })

  it('strips repeatedly from either edge and collapses whitespace, but leaves a token in the middle alone', () => {
    expect(stripHeartbeatToken('HEARTBEAT_OK  all\n good HEARTBEAT_OK', { mode: 'message' })).toEqual({ ack: false, text: 'all good', stripped: true })
    expect(stripHeartbeatToken('before HEARTBEAT_OK after', { mode: 'heartbeat' })).toEqual({ ack: false, text: 'before HEARTBEAT_OK after', stripped: false })
    expect(stripHeartbeatToken('<b>HEARTBEAT_OK</b>&nbsp;', { mode: 'heartbeat' }).ack).toBe(true)
    expect(stripHeartbeatToken('', { mode: 'heartbeat' })).toEqual({ ack: true, text: '', stripped: false })
  })

  it('outside heartbeats, only the bare token is an ack; a short rest is kept', () => {
    expect(stripHeartbeatToken('HEARTBEAT_OK done', { mode: 'message' })).toEqual({ ack: false, text: 'done', stripped: true })
    expect(stripHeartbeatToken('HEARTBEAT_OK done', { mode: 'heartbeat', ackMaxChars: 0 }).ack).toBe(false)
  })
})

describe('isHeartbeatFileEffectivelyEmpty', () => {
  it('vector 6: only headings and empty list items count as empty', () => {
    expect(isHeartbeatFileEffectivelyEmpty('# Title\n- [ ]\n')).toBe(true)
    expect(isHeartbeatFileEffectivelyEmpty('---\nsummary: x\n---\n# Heartbeat\n\n## Tasks\n-\n* [x]\n+ \n')).toBe(true)
    expect(isHeartbeatFileEffectivelyEmpty('#TODO')).toBe(false)
    expect(isHeartbeatFileEffectivelyEmpty('# Tasks\n- check the inbox')).toBe(false)
  })
})
