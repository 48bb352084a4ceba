/** Attributes and handlers for `h()`; `on*` functions become listeners, everything else an attribute or property. */
export type Props = Record<string, unknown>
export type Child = Node | string | number | false | null | undefined | Child[]

/**
 * Creates an element. Strings become text nodes, never markup: this is how the UI avoids `innerHTML` entirely.
 * @example h('button', { type: 'button', class: 'primary', onclick: save }, 'Save')
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (props) setProps(element, props)
  append(element, children)
  return element
}

/** Sets attributes, DOM properties (`value`, `checked`, `disabled`, …) and `on*` listeners on an element. */
export function setProps(element: HTMLElement, props: Props): void {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue
    if (name in PROPERTY_NAMES) (element as unknown as Record<string, unknown>)[name] = value
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value as EventListener)
    else if (value !== false) element.setAttribute(name, value === true ? '' : String(value))
  }
}

const PROPERTY_NAMES = { value: 1, checked: 1, disabled: 1, selected: 1, hidden: 1, indeterminate: 1 }

/** Appends children (nested arrays flattened, falsy skipped). */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(parent, child)
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)))
  }
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, children)
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** A small stroke icon from a list of SVG path strings (24×24 viewBox), hidden from screen readers. */
export function icon(paths: string[]): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('class', 'icon')
  for (const d of paths) {
    const path = document.createElementNS(SVG_NS, 'path')
    path.setAttribute('d', d)
    svg.appendChild(path)
  }
  return svg
}

/** Icon path data used across views. */
export const ICONS = {
  chat: ['M4 5h16v11H8l-4 4z'],
  sessions: ['M4 6h16', 'M4 12h16', 'M4 18h10'],
  config: ['M12 8a4 4 0 1 0 0 8a4 4 0 0 0 0-8z', 'M12 2v3', 'M12 19v3', 'M2 12h3', 'M19 12h3', 'M4.9 4.9l2.1 2.1', 'M17 17l2.1 2.1', 'M4.9 19.1L7 17', 'M17 7l2.1-2.1'],
  overview: ['M4 13h4v7H4z', 'M10 8h4v12h-4z', 'M16 4h4v16h-4z'],
  logs: ['M5 4h14v16H5z', 'M8 8h8', 'M8 12h8', 'M8 16h5'],
  memory: ['M6 3h9l3 3v15H6z', 'M9 9h6', 'M9 13h6', 'M9 17h3'],
  attach: ['M20 11l-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7'],
  send: ['M4 12l16-8l-6 16l-3-7z'],
  stop: ['M7 7h10v10H7z'],
  plus: ['M12 5v14', 'M5 12h14'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  sun: ['M12 8a4 4 0 1 0 0 8a4 4 0 0 0 0-8z', 'M12 2v2', 'M12 20v2', 'M2 12h2', 'M20 12h2', 'M5 5l1.5 1.5', 'M17.5 17.5L19 19', 'M5 19l1.5-1.5', 'M17.5 6.5L19 5'],
  moon: ['M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z'],
  auto: ['M12 3a9 9 0 1 0 0 18z', 'M12 3a9 9 0 0 1 0 18'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  eye: ['M2 12s4-7 10-7s10 7 10 7s-4 7-10 7S2 12 2 12z', 'M12 9a3 3 0 1 0 0 6a3 3 0 0 0 0-6z'],
  refresh: ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'],
} satisfies Record<string, string[]>
