import type { AppContext, View } from '../app-context.js'
import { h, icon, ICONS, replaceChildren } from '../lib/dom.js'
import { errorText } from '../lib/format.js'
import type { AgentEvent, ChatEvent, ChatMessage, SessionRow, SessionsList } from '../lib/protocol-types.js'
import { randomId } from '../lib/random-id.js'
import { isToolCallBlock, renderMessage, renderNote, type LocalNote } from './chat-message.js'
import { renderToolCard, type ToolCardData } from './tool-card.js'
import { createAttachments } from './chat-attachments.js'

// The words the upstream UI turns into chat.abort itself (spec §4.1).
const STOP_WORDS = /^\/?(stop|esc|abort|wait|exit)$/i
const HISTORY_LIMIT = 200
// Upstream's UI keeps at most 50 live tool cards per run, dropping the oldest.
const MAX_LIVE_TOOLS = 50

/**
 * The chat: a session picker, the thread (history + live stream), and a composer with image paste/upload.
 * A send is busy until its run's terminal `chat` event (`runId` = our idempotency key); `final` reloads history.
 */
export function createChatView(context: AppContext): View {
  let history: ChatMessage[] = []
  let local: (ChatMessage | LocalNote)[] = []
  let stream: { runId: string; text: string } | undefined
  // Live tool cards of the active run, by toolCallId in call order; history replaces them on `final`.
  let liveTools = new Map<string, ToolCardData & { startedAt: number }>()
  let activeRun: string | undefined
  let sessions: SessionRow[] = []
  let renderQueued = false
  let interactiveMarked = false
  let historyRequest = 0

  const heading = h('h1', { class: 'visually-hidden', tabindex: '-1' }, 'Chat')
  const picker = h('select', { id: 'session-picker', class: 'select', 'aria-label': 'Session', onchange: () => switchSession(picker.value) })
  const newButton = h('button', { type: 'button', class: 'button', onclick: () => void startNewSession(), 'aria-label': 'New session', title: 'Start a fresh session (sends /new)' }, icon(ICONS.plus), h('span', null, 'New session'))
  // Not a live region: streaming would re-announce every delta. Finished replies are announced instead.
  const historyList = h('div', { class: 'thread-list' })
  const streamSlot = h('div', { class: 'thread-stream' })
  const thread = h('div', { class: 'thread', role: 'region', 'aria-label': 'Conversation', tabindex: '0' }, historyList, streamSlot)
  const empty = h('div', { class: 'thread-empty' }, h('p', { class: 'thread-empty-title' }, 'No messages yet'), h('p', { class: 'muted' }, 'Say hello to your assistant. Paste or attach images; Enter sends, Shift+Enter adds a line.'))
  const input = h('textarea', {
    id: 'chat-input',
    class: 'composer-input',
    rows: '1',
    'aria-label': 'Message',
    placeholder: 'Connecting…',
    disabled: true,
    onkeydown: (event: KeyboardEvent) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault()
        void send()
      } else if (event.key === 'Escape' && activeRun) {
        event.preventDefault()
        void stop()
      }
    },
    oninput: () => autosize(),
  })
  const attachments = createAttachments({ onError: (message) => addNote({ role: 'error', text: message }), onChange: () => updateComposer() })
  input.addEventListener('paste', (event) => attachments.handlePaste(event))
  const sendButton = h('button', { type: 'submit', class: 'button primary icon-button', 'aria-label': 'Send message', title: 'Send (Enter)' }, icon(ICONS.send))
  const stopButton = h('button', { type: 'button', class: 'button danger', hidden: true, onclick: () => void stop(), title: 'Stop the reply (Esc)' }, icon(ICONS.stop), h('span', null, 'Stop'))
  const hint = h('p', { class: 'composer-hint', id: 'composer-hint' }, 'Enter to send · Shift+Enter for a new line · Esc to stop')
  input.setAttribute('aria-describedby', 'composer-hint')
  const form = h(
    'form',
    { class: 'composer', onsubmit: (event: Event) => { event.preventDefault(); void send() } },
    attachments.preview,
    h('div', { class: 'composer-row' }, attachments.button, input, stopButton, sendButton),
    hint,
  )
  form.addEventListener('dragover', (event) => event.preventDefault())
  form.addEventListener('drop', (event) => attachments.handleDrop(event))

  const element = h(
    'section',
    { class: 'view chat-view', 'aria-labelledby': 'chat-heading' },
    heading,
    h('div', { class: 'chat-toolbar' }, h('label', { class: 'visually-hidden', for: 'session-picker' }, 'Session'), picker, newButton),
    thread,
    form,
  )
  heading.id = 'chat-heading'

  context.client.onEvent((event, payload) => {
    if (event === 'chat') onChatEvent(payload as ChatEvent)
    else if (event === 'agent') onAgentEvent(payload as AgentEvent)
  })
  context.client.onState(() => updateComposer())

  function onChatEvent(event: ChatEvent): void {
    if (event.sessionKey !== context.sessionKey()) return
    const mine = activeRun !== undefined && event.runId === activeRun
    // While our own run is busy, other runs' deltas are ignored; their final still means history changed.
    if (activeRun !== undefined && !mine) {
      if (event.state === 'final') void loadHistory()
      return
    }
    if (event.state === 'delta') {
      const text = event.message?.content?.[0]?.text ?? ''
      if (!stream || stream.runId !== event.runId || text.length >= stream.text.length) stream = { runId: event.runId, text }
      scheduleRender()
      return
    }
    const partial = stream?.runId === event.runId ? stream.text : ''
    stream = undefined
    if (mine) liveTools = new Map()
    if (mine) activeRun = undefined
    if (event.state === 'final') {
      if (mine) context.announce('The assistant replied.')
      void loadHistory()
      void loadSessions()
    } else {
      if (partial) local.push({ role: 'assistant', content: [{ type: 'text', text: partial }], timestamp: Date.now() })
      if (event.state === 'error') local.push({ role: 'error', text: event.errorMessage ?? 'the run failed' })
      else local.push({ role: 'note', text: 'Stopped.' })
      scheduleRender()
    }
    updateComposer()
  }

  function onAgentEvent(event: AgentEvent): void {
    if (event.stream !== 'tool' || !activeRun || event.runId !== activeRun) return
    if (event.sessionKey !== undefined && event.sessionKey !== context.sessionKey()) return
    const data = event.data ?? {}
    const id = String(data.toolCallId ?? '')
    if (!id) return
    const current = liveTools.get(id) ?? { name: String(data.name ?? 'tool'), args: {}, running: true, startedAt: event.ts ?? Date.now() }
    if (data.phase === 'start') current.args = data.args ?? {}
    const result = (data.phase === 'result' ? data.result : data.partialResult) as { content?: { type: string; text?: string }[] } | undefined
    if (result?.content) current.output = result.content.map((block) => block.text ?? '').filter(Boolean).join('\n')
    if (data.phase === 'result') {
      current.running = false
      current.isError = data.isError === true
      current.durationMs = typeof data.durationMs === 'number' ? data.durationMs : (event.ts ?? Date.now()) - current.startedAt
    }
    liveTools.set(id, current)
    while (liveTools.size > MAX_LIVE_TOOLS) liveTools.delete(liveTools.keys().next().value!)
    scheduleRender()
  }

  async function send(): Promise<void> {
    const text = input.value.trim()
    const images = attachments.take()
    if (!text && images.length === 0) return
    if (STOP_WORDS.test(text) && images.length === 0 && activeRun) {
      input.value = ''
      return stop()
    }
    if (activeRun) {
      attachments.restore(images)
      addNote({ role: 'note', text: 'Wait for the reply to finish, or press Stop.' })
      return
    }
    input.value = ''
    autosize()
    local.push({
      role: 'user',
      content: [{ type: 'text', text }, ...images.map((image) => ({ type: 'image', data: image.content, mimeType: image.mimeType }))],
      timestamp: Date.now(),
    })
    await startRun(text, images)
  }

  async function startRun(message: string, images: { mimeType: string; content: string }[] = []): Promise<void> {
    const runId = randomId()
    activeRun = runId
    stream = undefined
    scheduleRender(true)
    updateComposer()
    try {
      await context.client.request('chat.send', {
        sessionKey: context.sessionKey(),
        message,
        deliver: false,
        idempotencyKey: runId,
        ...(images.length > 0 ? { attachments: images.map((image) => ({ type: 'image', mimeType: image.mimeType, content: image.content })) } : {}),
      })
    } catch (error) {
      if (activeRun === runId) activeRun = undefined
      addNote({ role: 'error', text: errorText(error) })
      updateComposer()
    }
  }

  async function stop(): Promise<void> {
    const runId = activeRun
    if (!runId) return
    stopButton.disabled = true
    try {
      await context.client.request('chat.abort', { sessionKey: context.sessionKey(), runId })
    } catch (error) {
      addNote({ role: 'error', text: `Could not stop: ${errorText(error)}` })
    } finally {
      stopButton.disabled = false
    }
  }

  async function startNewSession(): Promise<void> {
    if (activeRun) return
    local = [{ role: 'note', text: 'Starting a new session…' }]
    history = []
    render()
    await startRun('/new')
  }

  function switchSession(key: string): void {
    if (key === context.sessionKey()) return
    context.setSessionKey(key)
    history = []
    local = []
    stream = undefined
    activeRun = undefined
    render()
    updateComposer()
    void loadHistory()
  }

  async function loadHistory(): Promise<void> {
    const request = ++historyRequest
    const key = context.sessionKey()
    try {
      const result = await context.client.request<{ messages?: ChatMessage[] }>('chat.history', { sessionKey: key, limit: HISTORY_LIMIT })
      if (request !== historyRequest || key !== context.sessionKey()) return
      history = Array.isArray(result.messages) ? result.messages : []
      local = []
      stickToBottom = true
      render()
    } catch (error) {
      if (request !== historyRequest) return
      addNote({ role: 'error', text: `Could not load the history: ${errorText(error)}` })
    }
  }

  async function loadSessions(): Promise<void> {
    try {
      const result = await context.client.request<SessionsList>('sessions.list', { includeGlobal: true, includeUnknown: false, limit: 120 })
      sessions = result.sessions ?? []
    } catch {
      // The picker keeps the current session; the Sessions view shows the error.
    }
    renderPicker()
  }

  function renderPicker(): void {
    const current = context.sessionKey()
    const rows = sessions.some((row) => row.key === current) ? sessions : [{ key: current, label: null, displayName: current } as SessionRow, ...sessions]
    replaceChildren(picker, rows.map((row) => h('option', { value: row.key, selected: row.key === current }, sessionLabel(row, context.mainSessionKey()))))
  }

  function addNote(note: LocalNote): void {
    local.push(note)
    stickToBottom = true
    render()
  }

  // Deltas only touch the stream slot; the history list is rebuilt when history or local notes change.
  function scheduleRender(forceScroll = false): void {
    if (forceScroll) stickToBottom = true
    if (renderQueued) return
    renderQueued = true
    requestAnimationFrame(() => {
      renderQueued = false
      renderStream()
    })
  }

  let stickToBottom = true
  let renderedLocal = 0
  thread.addEventListener('scroll', () => {
    stickToBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80
  })

  function render(): void {
    // Tool results are shown inside the card of their call; only results without a call get a card of their own.
    const results = new Map<string, ChatMessage>()
    for (const message of history) if (message.role === 'toolResult' && message.toolCallId) results.set(message.toolCallId, message)
    const paired = new Set<string>()
    for (const message of history) {
      if (message.role !== 'assistant' || !Array.isArray(message.content)) continue
      for (const block of message.content) if (isToolCallBlock(block)) paired.add(String((block as { id?: string }).id))
    }
    const items: Node[] = history
      .filter((message) => !(message.role === 'toolResult' && message.toolCallId && paired.has(message.toolCallId)))
      .map((message) => renderMessage(message, { results }))
    for (const item of local) items.push(isNote(item) ? renderNote(item) : renderMessage(item))
    if (items.length === 0 && !activeRun) items.push(empty)
    historyList.replaceChildren(...items)
    renderedLocal = local.length
    renderStream()
  }

  function renderStream(): void {
    if (renderedLocal !== local.length) {
      render()
      return
    }
    const cards = [...liveTools.values()].map((card) => renderToolCard(card))
    if (stream) streamSlot.replaceChildren(renderMessage({ role: 'assistant', content: [{ type: 'text', text: stream.text }], timestamp: Date.now() }, { streaming: true, extra: cards }))
    else if (activeRun) streamSlot.replaceChildren(renderMessage({ role: 'assistant', content: [] }, { streaming: true, waiting: cards.length === 0, extra: cards }))
    else streamSlot.replaceChildren()
    if (stickToBottom) thread.scrollTop = thread.scrollHeight
  }

  function updateComposer(): void {
    const connected = context.client.state.kind === 'connected'
    input.disabled = !connected
    input.placeholder = connected ? 'Message your assistant…' : 'Waiting for the gateway connection…'
    sendButton.hidden = activeRun !== undefined
    sendButton.disabled = !connected
    stopButton.hidden = activeRun === undefined
    newButton.disabled = !connected || activeRun !== undefined
    picker.disabled = !connected
    attachments.button.disabled = !connected
    if (connected && !interactiveMarked) {
      interactiveMarked = true
      performance.mark('clawdbot-ui:interactive')
    }
  }

  function autosize(): void {
    input.style.height = 'auto'
    input.style.height = `${Math.min(input.scrollHeight, 220)}px`
  }

  render()
  return {
    id: 'chat',
    title: 'Chat',
    element,
    activate() {
      updateComposer()
      renderPicker()
      if (context.client.state.kind === 'connected') {
        void loadHistory()
        void loadSessions()
      }
    },
    deactivate() {},
    connected() {
      // A reconnect loses any in-flight run's events; history tells the truth.
      activeRun = undefined
      stream = undefined
      liveTools = new Map()
      updateComposer()
      void loadHistory()
      void loadSessions()
    },
    focusTarget: () => (input.disabled ? heading : input),
  }
}

/** A session's name for pickers: its label, else its display name, with the main session called so. */
export function sessionLabel(row: Pick<SessionRow, 'key' | 'label' | 'displayName'>, mainKey: string): string {
  if (row.label) return row.label
  if (row.key === mainKey) return 'Main session'
  return row.displayName && row.displayName !== row.key ? row.displayName : row.key
}

function isNote(item: ChatMessage | LocalNote): item is LocalNote {
  return (item.role === 'error' || item.role === 'note') && !('content' in item)
}
