import { describe, it, expect } from 'vitest'
import { resolveBind, isLoopbackHost } from './resolve-bind.js'

describe('resolveBind', () => {
  it('listens on IPv4 and (optionally) IPv6 loopback for loopback and auto', () => {
    for (const mode of ['loopback', 'auto'] as const) {
      const bind = resolveBind(mode, undefined)
      expect(bind.loopbackOnly).toBe(true)
      expect(bind.addresses.map((address) => [address.host, address.optional])).toEqual([['127.0.0.1', false], ['::1', true]])
    }
  })

  it('listens dual-stack for lan but shows 0.0.0.0 as upstream does', () => {
    expect(resolveBind('lan', undefined)).toEqual({
      mode: 'lan',
      addresses: [{ host: '::', display: '0.0.0.0', optional: false, fallback: '0.0.0.0' }],
      loopbackOnly: false,
    })
  })

  it('uses customBindHost for custom and knows when it is loopback', () => {
    expect(resolveBind('custom', '127.0.0.2').loopbackOnly).toBe(true)
    expect(resolveBind('custom', '10.1.2.3').addresses[0].host).toBe('10.1.2.3')
    expect(resolveBind('custom', undefined).addresses[0].host).toBe('0.0.0.0')
    expect(isLoopbackHost('0.0.0.0')).toBe(false)
  })
})
