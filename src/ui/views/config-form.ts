import { h, icon, ICONS, type Child } from '../lib/dom.js'

/** A draft-07 JSON Schema node as `config.schema` sends it. */
export interface SchemaNode {
  type?: string | string[]
  properties?: Record<string, SchemaNode>
  additionalProperties?: SchemaNode | boolean
  items?: SchemaNode
  enum?: unknown[]
  anyOf?: SchemaNode[]
  oneOf?: SchemaNode[]
  allOf?: SchemaNode[]
  description?: string
  default?: unknown
  minimum?: number
  maximum?: number
}

export type UiHints = Record<string, { sensitive?: boolean; label?: string; help?: string; placeholder?: string; group?: string; order?: number; advanced?: boolean }>

/** What the form needs from the view: the draft document it edits and a change signal. */
export interface FormModel {
  get(path: string[]): unknown
  /** `undefined` removes the key (the field goes back to its default). */
  set(path: string[], value: unknown): void
  hints: UiHints
}

/**
 * Renders the fields of one schema object. Objects become collapsible groups, enums and booleans selects (with
 * "not set"), strings and numbers inputs (secrets masked with a reveal button), string lists one-per-line text
 * areas, and anything else (records of objects, unions) a small JSON editor. Each field carries `data-path`, so
 * validation issues can be shown at the field.
 */
export function renderObjectFields(schema: SchemaNode, path: string[], model: FormModel): HTMLElement[] {
  return Object.entries(schema.properties ?? {}).map(([key, child]) => renderField(child, [...path, key], model))
}

/** Renders one field (or group) for a schema node at a path. */
export function renderField(schema: SchemaNode, path: string[], model: FormModel): HTMLElement {
  const kind = fieldKind(schema)
  const hint = hintFor(model.hints, path)
  const id = `cfg-${path.join('-').replace(/[^\w-]/g, '_')}`
  const label = hint?.label ?? humanize(path[path.length - 1] ?? '')
  const value = model.get(path)

  if (kind === 'object') {
    const group = h('details', { class: 'config-group', 'data-path': path.join('.'), open: value !== undefined && path.length > 1 ? true : undefined })
    let built = false
    const build = () => {
      if (built) return
      built = true
      group.append(h('div', { class: 'config-group-body' }, renderObjectFields(schema, path, model)))
    }
    const help = hint?.help ?? schema.description
    group.append(
      h(
        'summary',
        null,
        h('span', null, label),
        h('code', { class: 'field-path' }, path.join('.')),
        value !== undefined ? h('span', { class: 'badge subtle' }, 'set') : null,
        help ? h('span', { class: 'group-help' }, help) : null,
      ),
    )
    if (group.open) build()
    group.addEventListener('toggle', build)
    return group
  }

  let control: HTMLElement
  let extra: Child = null
  const describedBy = `${id}-help`
  switch (kind) {
    case 'boolean':
    case 'enum': {
      const options = kind === 'boolean' ? [true, false] : (schema.enum ?? [])
      const select = h('select', { id, class: 'select', 'aria-describedby': describedBy }, h('option', { value: '' }, '(not set)'), options.map((option, index) => h('option', { value: String(index), selected: value === option }, String(option))))
      select.addEventListener('change', () => model.set(path, select.value === '' ? undefined : options[Number(select.value)]))
      control = select
      break
    }
    case 'number': {
      const input = h('input', { id, class: 'input', type: 'number', inputmode: 'decimal', value: typeof value === 'number' ? String(value) : '', 'aria-describedby': describedBy, min: schema.minimum, max: schema.maximum })
      input.addEventListener('input', () => model.set(path, input.value === '' ? undefined : Number(input.value)))
      control = input
      break
    }
    case 'string': {
      const input = h('input', { id, class: 'input', type: hint?.sensitive ? 'password' : 'text', value: typeof value === 'string' ? value : '', autocomplete: 'off', spellcheck: 'false', placeholder: hint?.placeholder, 'aria-describedby': describedBy })
      input.addEventListener('input', () => model.set(path, input.value === '' ? undefined : input.value))
      control = input
      if (hint?.sensitive) extra = revealButton(input, label)
      break
    }
    case 'string-list': {
      const area = h('textarea', { id, class: 'input', rows: '3', spellcheck: 'false', 'aria-describedby': describedBy })
      area.value = Array.isArray(value) ? value.map(String).join('\n') : ''
      const numeric = fieldKind(schema.items ?? {}) === 'number'
      area.addEventListener('input', () => {
        const items = area.value.split('\n').map((line) => line.trim()).filter(Boolean)
        model.set(path, items.length === 0 ? undefined : numeric ? items.map(Number) : items)
      })
      control = area
      break
    }
    default:
      control = jsonEditor(id, path, value, model, describedBy, Boolean(hint?.sensitive))
  }
  const help = [hint?.help ?? schema.description, kind === 'string-list' ? 'One per line.' : '', kind === 'json' ? 'JSON; leave empty to unset.' : ''].filter(Boolean).join(' ')
  return h(
    'div',
    { class: 'field', 'data-path': path.join('.') },
    h('label', { class: 'field-label', for: id }, label, h('code', { class: 'field-path' }, path.join('.'))),
    h('div', { class: 'field-control' }, control, extra),
    h('p', { class: 'field-help', id: describedBy }, help),
  )
}

type FieldKind = 'object' | 'boolean' | 'enum' | 'number' | 'string' | 'string-list' | 'json'

function fieldKind(schema: SchemaNode): FieldKind {
  if (schema.enum) return 'enum'
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type
  if (type === 'object' && schema.properties && Object.keys(schema.properties).length > 0) return 'object'
  if (type === 'boolean') return 'boolean'
  if (type === 'number' || type === 'integer') return 'number'
  if (type === 'string') return 'string'
  if (type === 'array' && schema.items && ['string', 'number', 'integer'].includes(String(schema.items.type)) && !schema.items.enum) return 'string-list'
  return 'json'
}

function jsonEditor(id: string, path: string[], value: unknown, model: FormModel, describedBy: string, sensitive: boolean): HTMLElement {
  const area = h('textarea', { id, class: `input mono${sensitive ? ' masked' : ''}`, rows: value === undefined ? '2' : String(Math.min(12, JSON.stringify(value, null, 2).split('\n').length)), spellcheck: 'false', 'aria-describedby': describedBy })
  area.value = value === undefined ? '' : JSON.stringify(value, null, 2)
  area.addEventListener('input', () => {
    if (area.value.trim() === '') {
      area.removeAttribute('aria-invalid')
      model.set(path, undefined)
      return
    }
    try {
      model.set(path, JSON.parse(area.value))
      area.removeAttribute('aria-invalid')
    } catch {
      // Keep the last valid value in the draft; the field shows it is not valid JSON yet.
      area.setAttribute('aria-invalid', 'true')
    }
  })
  if (!sensitive) return area
  return h('div', { class: 'field-control' }, area, revealButton(area, 'value'))
}

/** A toggle that shows or hides a masked field's value. */
export function revealButton(field: HTMLInputElement | HTMLTextAreaElement, label: string): HTMLButtonElement {
  const button: HTMLButtonElement = h('button', {
    type: 'button',
    class: 'button small icon-button reveal',
    'aria-pressed': 'false',
    'aria-label': `Show ${label}`,
    onclick: () => {
      const shown = button.getAttribute('aria-pressed') !== 'true'
      button.setAttribute('aria-pressed', String(shown))
      button.setAttribute('aria-label', `${shown ? 'Hide' : 'Show'} ${label}`)
      if (field instanceof HTMLInputElement) field.type = shown ? 'text' : 'password'
      else field.classList.toggle('masked', !shown)
    },
  }, icon(ICONS.eye))
  return button
}

/** The hint for a dotted path; `*` in a hint key matches any one segment. */
export function hintFor(hints: UiHints, path: string[]): UiHints[string] | undefined {
  const exact = hints[path.join('.')]
  if (exact) return exact
  for (const [pattern, hint] of Object.entries(hints)) {
    const segments = pattern.split('.')
    if (segments.length === path.length && segments.every((segment, index) => segment === '*' || segment === path[index])) return hint
  }
  return undefined
}

/** `allowInsecureAuth` → "Allow insecure auth". */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
