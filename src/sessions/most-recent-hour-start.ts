import { AppError } from '../errors.js'

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/**
 * The latest instant at or before `now` whose wall-clock time in `timeZone` is `hour`:00 (epoch ms). Uses only
 * `Intl`, so it runs on Workers, and follows the zone's daylight-saving changes.
 * @example mostRecentHourStart(Date.parse('2026-01-02T04:01:00Z'), 4) // Date.parse('2026-01-02T04:00:00Z')
 */
export function mostRecentHourStart(now: number, hour: number, timeZone = 'UTC'): number {
  const formatter = createFormatter(timeZone)
  const today = wallClock(formatter, now)
  const candidate = toInstant(formatter, today.year, today.month, today.day, hour)
  // Date.UTC rolls day 0 back into the previous month, so "yesterday" needs no calendar arithmetic here.
  return candidate <= now ? candidate : toInstant(formatter, today.year, today.month, today.day - 1, hour)
}

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch (error) {
    throw new AppError('config_invalid', '[sessions] unknown time zone for the daily session reset', { cause: error })
  }
}

function wallClock(formatter: Intl.DateTimeFormat, instant: number): WallClock {
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  }
}

// Offset of the zone from UTC at `instant`, in ms (positive east of Greenwich).
function offsetAt(formatter: Intl.DateTimeFormat, instant: number): number {
  const wholeSeconds = instant - (((instant % 1000) + 1000) % 1000)
  const local = wallClock(formatter, wholeSeconds)
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - wholeSeconds
}

function toInstant(formatter: Intl.DateTimeFormat, year: number, month: number, day: number, hour: number): number {
  const asIfUtc = Date.UTC(year, month - 1, day, hour)
  const firstGuess = asIfUtc - offsetAt(formatter, asIfUtc)
  // A second pass corrects guesses that landed on the other side of a daylight-saving change.
  return asIfUtc - offsetAt(formatter, firstGuess)
}
