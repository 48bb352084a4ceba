import { h, type Child } from './dom.js'

/**
 * A modal built on `<dialog>`, which traps focus, closes on Escape and returns focus to the opener. Resolves with
 * the form's values when confirmed, or `undefined` when cancelled.
 */
export function openDialog(options: {
  title: string
  body?: Child
  fields?: HTMLElement[]
  confirmLabel: string
  danger?: boolean
}): Promise<FormData | undefined> {
  return new Promise((resolve) => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined
    const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`
    const cancel = h('button', { type: 'button', class: 'button', onclick: () => dialog.close('cancel') }, 'Cancel')
    const confirm = h('button', { type: 'submit', class: options.danger ? 'button danger' : 'button primary', value: 'confirm' }, options.confirmLabel)
    const form = h(
      'form',
      { method: 'dialog', class: 'dialog-form' },
      h('h2', { id: titleId, class: 'dialog-title' }, options.title),
      options.body ? h('div', { class: 'dialog-body' }, options.body) : null,
      options.fields ?? [],
      h('div', { class: 'dialog-actions' }, cancel, confirm),
    )
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form)
    let values: FormData | undefined
    form.addEventListener('submit', () => {
      values = new FormData(form)
    })
    dialog.addEventListener('close', () => {
      dialog.remove()
      opener?.focus()
      resolve(dialog.returnValue === 'confirm' ? values : undefined)
    })
    document.body.appendChild(dialog)
    dialog.showModal()
    const first = dialog.querySelector<HTMLElement>('input, select, textarea')
    ;(first ?? (options.danger ? cancel : confirm)).focus()
  })
}

/** A yes/no confirmation; resolves `true` only when confirmed. */
export async function confirmAction(options: { title: string; body: Child; confirmLabel: string; danger?: boolean }): Promise<boolean> {
  return (await openDialog(options)) !== undefined
}

/** Copies text, falling back to a hidden textarea where the async clipboard API is unavailable (plain http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Fall through to the legacy path.
  }
  const area = h('textarea', { class: 'offscreen', 'aria-hidden': 'true', tabindex: '-1' })
  area.value = text
  document.body.appendChild(area)
  area.select()
  const copied = document.execCommand('copy')
  area.remove()
  return copied
}

/** A copy button that says "Copied" for a moment. */
export function copyButton(getText: () => string, label = 'Copy'): HTMLButtonElement {
  const button: HTMLButtonElement = h('button', {
    type: 'button',
    class: 'button small copy',
    onclick: async () => {
      const copied = await copyText(getText())
      button.textContent = copied ? 'Copied' : 'Copy failed'
      setTimeout(() => (button.textContent = label), 1500)
    },
  }, label)
  return button
}
