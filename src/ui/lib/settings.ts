/** What the UI remembers in localStorage. The token stays on this device only; it is never put in a URL again. */
export interface Settings {
  token?: string
  sessionKey?: string
  theme?: 'system' | 'light' | 'dark'
}

const STORAGE_KEY = 'clawdbot-edge.control.v1'

export function loadSettings(): Settings {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')
    return typeof parsed === 'object' && parsed !== null ? (parsed as Settings) : {}
  } catch {
    return {}
  }
}

export function saveSettings(settings: Settings): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(settings))
  } catch {
    // Private modes may refuse storage; the UI still works for this page load.
  }
}

/**
 * Reads `?token=` and `?session=` once at load. The token is saved and removed from the address bar (and so from
 * history and bookmarks); the session stays in the URL so the link can be shared.
 */
export function takeUrlSettings(settings: Settings): Settings {
  const url = new URL(location.href)
  const token = url.searchParams.get('token')
  const session = url.searchParams.get('session')
  const next = { ...settings }
  if (token !== null) {
    if (token.trim() !== '') next.token = token.trim()
    url.searchParams.delete('token')
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`)
  }
  if (session !== null && session.trim() !== '') next.sessionKey = session.trim()
  return next
}
