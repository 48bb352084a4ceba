import { h, icon, ICONS } from './dom.js'
import type { Settings } from './settings.js'

type Theme = NonNullable<Settings['theme']>
const ORDER: Theme[] = ['system', 'light', 'dark']
const LABELS: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' }

/** Applies a theme: `system` follows prefers-color-scheme, the others force it through `data-theme`. */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme
  else document.documentElement.dataset.theme = theme
}

/** A button cycling system → light → dark; the choice is remembered. */
export function createThemeToggle(settings: Settings, save: () => void): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'button small ghost icon-button theme-toggle' })
  const render = () => {
    const theme = settings.theme ?? 'system'
    button.replaceChildren(icon(theme === 'light' ? ICONS.sun : theme === 'dark' ? ICONS.moon : ICONS.auto))
    button.setAttribute('aria-label', `${LABELS[theme]} (change)`)
    button.title = LABELS[theme]
  }
  button.addEventListener('click', () => {
    const theme = settings.theme ?? 'system'
    settings.theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length]
    save()
    applyTheme(settings.theme!)
    render()
  })
  render()
  return button
}
