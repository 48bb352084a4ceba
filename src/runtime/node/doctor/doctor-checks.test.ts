import { describe, expect, it } from 'vitest'
import { mountPointIn } from './doctor-checks.js'

// A Fly machine: the root overlay and the clawdbot_data volume at /data.
const FLY_MOUNTINFO = [
  '22 1 0:21 / / rw,relatime - overlay overlay rw',
  '23 22 0:5 / /dev rw,nosuid - devtmpfs devtmpfs rw',
  '30 22 253:16 / /data rw,relatime - ext4 /dev/vdc rw',
].join('\n')

describe('mountPointIn', () => {
  it('finds the volume a state dir is on, and the root file system otherwise', () => {
    expect(mountPointIn(FLY_MOUNTINFO, '/data')).toBe('/data')
    expect(mountPointIn(FLY_MOUNTINFO, '/data/agents')).toBe('/data')
    expect(mountPointIn(FLY_MOUNTINFO, '/root/.clawdbot')).toBe('/')
    expect(mountPointIn(FLY_MOUNTINFO, '/database')).toBe('/')
  })
})
