import { describe, expect, it } from 'vitest'
import { checkResolved, checkUrl, isBlockedAddress } from '../../src/tools/network-guard.js'

describe('network guard: addresses', () => {
  it.each([
    '0.0.0.0', '10.0.0.1', '100.64.0.1', '127.0.0.1', '127.255.255.254', '169.254.169.254', '172.16.0.1', '172.31.255.255',
    '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.1.1', '198.18.0.1', '198.51.100.7', '203.0.113.9', '224.0.0.1', '240.0.0.1',
    '255.255.255.255', '::', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', 'fe80::1', 'fec0::1', 'fc00::1',
    'fd12:3456::1', 'ff02::1', '64:ff9b::a00:1', '64:ff9b::8.8.8.8', '2002:7f00:1::1', '2001::1', '2001:0:4136:e378::1', '::127.0.0.1',
    '::a00:1', '2001:db8::1', '100::1', 'not-an-ip',
  ])('blocks %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true)
  })

  it.each(['1.1.1.1', '8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8'])(
    'allows the global address %s',
    (address) => {
      expect(isBlockedAddress(address)).toBe(false)
    },
  )
})

describe('network guard: URLs', () => {
  const blocked = (url: string) => {
    try {
      checkUrl(new URL(url))
      return 'allowed'
    } catch (error) {
      return (error as Error).message
    }
  }

  it('uses upstream messages for names and literal IPs, including the forms URL parsing normalises', () => {
    expect(blocked('http://localhost/')).toBe('Blocked hostname: localhost')
    expect(blocked('http://metadata.google.internal/computeMetadata/v1/')).toBe('Blocked hostname: metadata.google.internal')
    expect(blocked('http://printer.local/')).toBe('Blocked hostname: printer.local')
    expect(blocked('http://db.internal/')).toBe('Blocked hostname: db.internal')
    expect(blocked('http://app.localhost./')).toBe('Blocked hostname: app.localhost')
    expect(blocked('http://127.0.0.1/')).toBe('Blocked: private/internal IP address')
    expect(blocked('http://2130706433/')).toBe('Blocked: private/internal IP address')
    expect(blocked('http://0x7f.1/')).toBe('Blocked: private/internal IP address')
    expect(blocked('http://0177.0.0.1/')).toBe('Blocked: private/internal IP address')
    expect(blocked('http://[::1]/')).toBe('Blocked: private/internal IP address')
    expect(blocked('http://[::ffff:169.254.169.254]/')).toBe('Blocked: private/internal IP address')
    expect(blocked('http://[fd00::1]/')).toBe('Blocked: private/internal IP address')
  })

  it('refuses other schemes, credentials and ports other than 80/443', () => {
    expect(blocked('ftp://example.com/')).toBe('Invalid URL: must be http or https')
    expect(blocked('file:///etc/passwd')).toBe('Invalid URL: must be http or https')
    expect(blocked('http://user:secret@example.com/')).toBe('Invalid URL: must be http or https')
    expect(blocked('http://example.com:8080/')).toBe('Blocked: port 8080 is not allowed (only 80 and 443)')
    expect(blocked('https://example.com:22/')).toBe('Blocked: port 22 is not allowed (only 80 and 443)')
    expect(blocked('https://example.com:443/x')).toBe('allowed')
    expect(blocked('http://93.184.216.34/')).toBe('allowed')
  })

  it('checks every DNS answer', () => {
    expect(() => checkResolved('evil.example', ['93.184.216.34', '10.0.0.5'])).toThrow('Blocked: resolves to private/internal IP address')
    expect(() => checkResolved('gone.example', [])).toThrow('Unable to resolve hostname: gone.example')
    expect(checkResolved('ok.example', ['93.184.216.34'])).toBe('93.184.216.34')
  })
})
