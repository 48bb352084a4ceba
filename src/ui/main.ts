import './styles/index.css'
import type { AppContext, View, ViewId } from './app-context.js'
import logoUrl from './favicon.svg'
import { h, icon, ICONS } from './lib/dom.js'
import { GatewayClient, type ConnectionState } from './lib/gateway-client.js'
import { loadSettings, saveSettings, takeUrlSettings } from './lib/settings.js'
import { applyTheme, createThemeToggle } from './lib/theme.js'
import { createChatView } from './views/chat-view.js'
import { createConfigView } from './views/config-view.js'
import { createLoginView } from './views/login-view.js'
import { createLogsView } from './views/logs-view.js'
import { createMemoryView } from './views/memory-view.js'
import { createOverviewView } from './views/overview-view.js'
import { createSessionsView } from './views/sessions-view.js'

const UI_VERSION = '0.1.0'
const VIEW_IDS: ViewId[] = ['chat', 'sessions', 'memory', 'config', 'overview', 'logs']
const NAV_ICONS: Record<ViewId, string[]> = { chat: ICONS.chat, sessions: ICONS.sessions, memory: ICONS.memory, config: ICONS.config, overview: ICONS.overview, logs: ICONS.logs }

const settings = takeUrlSettings(loadSettings())
saveSettings(settings)
applyTheme(settings.theme ?? 'system')

const client = new GatewayClient({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`,
  token: () => settings.token,
  version: UI_VERSION,
})

let hello: ReturnType<AppContext['hello']>
let sessionKey = settings.sessionKey
const liveRegion = h('div', { class: 'visually-hidden', 'aria-live': 'polite', role: 'status' })
const toast = h('div', { class: 'toast', hidden: true })
let toastTimer: ReturnType<typeof setTimeout> | undefined

const context: AppContext = {
  client,
  settings,
  saveSettings: () => saveSettings(settings),
  hello: () => hello,
  mainSessionKey: () => hello?.snapshot.sessionDefaults?.mainSessionKey ?? 'main',
  sessionKey: () => sessionKey ?? context.mainSessionKey(),
  setSessionKey(key) {
    sessionKey = key
    settings.sessionKey = key
    saveSettings(settings)
    const url = new URL(location.href)
    url.searchParams.set('session', key)
    history.replaceState(history.state, '', `${url.pathname}${url.search}`)
  },
  navigate: (view) => navigate(view, { push: true, focus: true }),
  announce(message) {
    liveRegion.textContent = message
    toast.textContent = message
    toast.hidden = false
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => (toast.hidden = true), 3000)
  },
}

const views: Record<ViewId, View> = {
  chat: createChatView(context),
  sessions: createSessionsView(context),
  memory: createMemoryView(context),
  config: createConfigView(context),
  overview: createOverviewView(context),
  logs: createLogsView(context),
}
let current: View | undefined

// ---- shell ----
const navLinks = VIEW_IDS.map((id) =>
  h('a', { href: id === 'chat' ? '/' : `/${id}`, class: 'nav-link', 'data-nav': id }, icon(NAV_ICONS[id]), h('span', null, views[id].title)),
)
const connectionPill = h('button', { type: 'button', class: 'connection', 'aria-live': 'polite', onclick: () => retryNow() })
const signOut = h('button', { type: 'button', class: 'button small ghost', onclick: () => forgetToken(), title: 'Forget the token stored in this browser' }, 'Sign out')
const main = h('main', { id: 'main', class: 'content', tabindex: '-1' }, Object.values(views).map((view) => view.element))
const login = createLoginView({
  onSubmit(token) {
    settings.token = token
    saveSettings(settings)
    login.busy()
    client.connect()
  },
})
const app = h(
  'div',
  { class: 'app' },
  h('a', { href: '#main', class: 'skip-link' }, 'Skip to content'),
  h(
    'header',
    { class: 'topbar' },
    h('a', { href: '/', class: 'brand', 'data-nav': 'chat', 'aria-label': 'Clawdbot Control, chat' }, h('img', { src: logoUrl, alt: '', width: '26', height: '26' }), h('span', null, 'Clawdbot'), h('span', { class: 'brand-sub' }, 'Control')),
    h('div', { class: 'topbar-actions' }, connectionPill, createThemeToggle(settings, () => saveSettings(settings)), signOut),
  ),
  h('nav', { class: 'sidebar', 'aria-label': 'Main' }, h('ul', null, navLinks.map((link) => h('li', null, link)))),
  main,
  login.element,
  liveRegion,
  toast,
)
document.getElementById('app')!.replaceWith(app)

document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a[data-nav]')
  if (!link || event.defaultPrevented || (event as MouseEvent).button !== 0 || (event as MouseEvent).metaKey || (event as MouseEvent).ctrlKey || (event as MouseEvent).shiftKey) return
  event.preventDefault()
  navigate(link.getAttribute('data-nav') as ViewId, { push: true, focus: true })
})
window.addEventListener('popstate', () => navigate(viewFromPath(), { push: false, focus: true }))
window.addEventListener('online', () => retryNow())

// ---- navigation ----
function viewFromPath(): ViewId {
  const segment = location.pathname.split('/').filter(Boolean).pop() ?? 'chat'
  return (VIEW_IDS as string[]).includes(segment) ? (segment as ViewId) : 'chat'
}

function navigate(id: ViewId, options: { push: boolean; focus: boolean }): void {
  const view = views[id]
  if (options.push) {
    const url = new URL(location.href)
    url.pathname = id === 'chat' ? '/' : `/${id}`
    if (id === 'chat' && sessionKey) url.searchParams.set('session', sessionKey)
    if (url.href !== location.href) history.pushState(null, '', `${url.pathname}${url.search}`)
  }
  if (current !== view) {
    current?.deactivate()
    for (const other of Object.values(views)) other.element.hidden = other !== view
    current = view
    document.title = `${view.title} · Clawdbot Control`
    for (const link of navLinks) {
      if (link.dataset.nav === id) link.setAttribute('aria-current', 'page')
      else link.removeAttribute('aria-current')
    }
    view.activate()
  }
  if (options.focus) view.focusTarget().focus()
}

// ---- connection ----
function retryNow(): void {
  const state = client.state.kind
  if (state === 'waiting' || state === 'stopped') client.connect()
}

function forgetToken(): void {
  delete settings.token
  saveSettings(settings)
  client.stop()
  app.classList.add('locked')
  login.show({ note: 'Signed out: the token was removed from this browser. Paste a token to connect again.' })
}

let countdown: ReturnType<typeof setInterval> | undefined
client.onState((state) => renderConnection(state))

function renderConnection(state: ConnectionState): void {
  clearInterval(countdown)
  connectionPill.className = `connection ${state.kind}`
  const label = (text: string) => connectionPill.replaceChildren(h('span', { class: 'connection-dot', 'aria-hidden': 'true' }), h('span', { class: 'connection-text' }, text))
  connectionPill.disabled = state.kind !== 'waiting'
  switch (state.kind) {
    case 'connected':
      hello = state.hello
      if (!sessionKey || sessionKey === 'main') sessionKey = context.mainSessionKey()
      label('Connected')
      connectionPill.title = `Gateway ${state.hello.server.version}`
      login.hide()
      app.classList.remove('locked')
      current?.connected()
      break
    case 'connecting':
      label(state.attempt > 1 ? 'Reconnecting…' : 'Connecting…')
      break
    case 'waiting': {
      const tick = () => label(`Offline · retry in ${Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000))} s`)
      tick()
      countdown = setInterval(tick, 1000)
      connectionPill.title = `${state.reason}. Click to retry now.`
      break
    }
    case 'auth-failed':
      label('Not signed in')
      app.classList.add('locked')
      login.show(state.tokenSent ? { rejected: state.message } : { note: 'This gateway needs a token.' })
      break
    case 'stopped':
      label('Disconnected')
      break
  }
}

navigate(viewFromPath(), { push: false, focus: false })
renderConnection(client.state)
client.connect()
