import logoUrl from '../favicon.svg'
import { h } from '../lib/dom.js'
import { revealButton } from './config-form.js'

/**
 * The sign-in screen: paste the gateway token. A refused token is said plainly, with the server's reason below.
 */
export function createLoginView(options: { onSubmit: (token: string) => void }) {
  const input = h('input', { id: 'login-token', name: 'token', type: 'password', class: 'input', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'Paste your gateway token' })
  const message = h('div', { class: 'login-message', role: 'alert', id: 'login-message' })
  input.setAttribute('aria-describedby', 'login-message login-help')
  const submit = h('button', { type: 'submit', class: 'button primary wide' }, 'Connect')
  const form = h(
    'form',
    {
      class: 'login-card',
      'aria-labelledby': 'login-title',
      onsubmit: (event: Event) => {
        event.preventDefault()
        const token = input.value.trim()
        if (token) options.onSubmit(token)
      },
    },
    h('div', { class: 'brand login-brand' }, h('img', { src: logoUrl, alt: '', width: '36', height: '36' }), h('span', null, 'Clawdbot')),
    h('h1', { id: 'login-title' }, 'Connect to your gateway'),
    h('p', { class: 'muted', id: 'login-help' }, 'Paste the gateway token (', h('code', null, 'gateway.auth.token'), ' or ', h('code', null, 'CLAWDBOT_GATEWAY_TOKEN'), '). It is kept in this browser only. A link ending in ', h('code', { class: 'nowrap' }, '?token=…'), ' signs you in too.'),
    message,
    h('label', { class: 'field-label', for: 'login-token' }, 'Gateway token'),
    h('div', { class: 'field-control' }, input, revealButton(input, 'token')),
    submit,
  )
  const element = h('div', { class: 'login', hidden: true }, form)

  return {
    element,
    /** Shows the screen; `rejected` is the server's reason when a token was sent and refused. */
    show(state: { rejected?: string; note?: string }): void {
      element.hidden = false
      message.replaceChildren()
      if (state.rejected) {
        message.className = 'login-message error'
        message.append(h('strong', null, 'Wrong token. '), 'The gateway rejected it; check it and try again.', h('span', { class: 'login-detail' }, state.rejected))
      } else if (state.note) {
        message.className = 'login-message'
        message.append(state.note)
      }
      submit.disabled = false
      input.select()
      input.focus()
    },
    hide(): void {
      element.hidden = true
    },
    busy(): void {
      submit.disabled = true
      message.className = 'login-message'
      message.replaceChildren('Connecting…')
    },
  }
}
