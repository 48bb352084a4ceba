/** "5 s ago", "3 min ago", "2 h ago", "4 d ago", or a date for older times. */
export function timeAgo(timestamp: number | null | undefined, now = Date.now()): string {
  if (timestamp === null || timestamp === undefined || !Number.isFinite(timestamp)) return 'never'
  const seconds = Math.round((now - timestamp) / 1000)
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`
  if (seconds < 30 * 86_400) return `${Math.floor(seconds / 86_400)} d ago`
  return new Date(timestamp).toLocaleDateString()
}

/** "1 d 2 h", "3 h 5 min", "42 s". */
export function duration(milliseconds: number | undefined): string {
  if (milliseconds === undefined || !Number.isFinite(milliseconds)) return 'n/a'
  const seconds = Math.floor(milliseconds / 1000)
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  if (days > 0) return `${days} d ${hours} h`
  if (hours > 0) return `${hours} h ${minutes} min`
  if (minutes > 0) return `${minutes} min ${seconds % 60} s`
  return `${seconds} s`
}

/** 1234 → "1.2k", 2_500_000 → "2.5M". */
export function compactNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a'
  if (value < 1000) return String(value)
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`
  return `${(value / 1_000_000).toFixed(1)}M`
}

export function clockTime(timestamp: number): string {
  return new Date(timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

/** `String(error)` without the "Error: " prefix. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
