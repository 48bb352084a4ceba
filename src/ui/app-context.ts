import type { GatewayClient } from './lib/gateway-client.js'
import type { HelloOk } from './lib/protocol-types.js'
import type { Settings } from './lib/settings.js'

/** The views of the dashboard; each has its own path (`/chat`, `/sessions`, …; `/` is chat). */
export type ViewId = 'chat' | 'sessions' | 'memory' | 'config' | 'overview' | 'logs'

/** What every view may use: the connection, remembered settings, the current session and navigation. */
export interface AppContext {
  client: GatewayClient
  settings: Settings
  saveSettings(): void
  hello(): HelloOk | undefined
  /** The main session's canonical key from `hello-ok` (`agent:main:main`). */
  mainSessionKey(): string
  sessionKey(): string
  setSessionKey(key: string): void
  navigate(view: ViewId): void
  /** A short message in the polite live region (and a toast). */
  announce(message: string): void
}

/** A view: built once, activated when shown (load data, start polling) and deactivated when hidden. */
export interface View {
  id: ViewId
  title: string
  element: HTMLElement
  activate(): void
  deactivate(): void
  /** Called when the connection (re)opens while this view is shown. */
  connected(): void
  /** The element to focus after navigating here. */
  focusTarget(): HTMLElement
}
