import { copyButton } from '../lib/dialog.js'
import { h } from '../lib/dom.js'
import { parseMarkdown, type Block, type Inline } from './parse-markdown.js'

/**
 * Renders Markdown into DOM nodes. This is the UI's sanitiser: text is only ever inserted as text nodes, elements
 * come from a fixed list, and links are http(s) only and open with `rel="noopener noreferrer"`.
 */
export function renderMarkdown(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment()
  for (const block of parseMarkdown(text)) fragment.appendChild(renderBlock(block))
  return fragment
}

function renderBlock(block: Block): Node {
  switch (block.type) {
    case 'paragraph':
      return h('p', null, block.children.map(renderInline))
    case 'heading':
      // Chat headings stay small: h1 in a message must not outrank the page's own headings.
      return h('p', { class: `md-heading md-h${block.level}`, role: 'heading', 'aria-level': String(Math.min(6, block.level + 2)) }, block.children.map(renderInline))
    case 'code':
      return codeBlock(block.language, block.text)
    case 'list': {
      const items = block.items.map((item) => h('li', null, item.map(renderBlock)))
      return block.ordered ? h('ol', block.start !== 1 ? { start: String(block.start) } : null, items) : h('ul', null, items)
    }
    case 'quote':
      return h('blockquote', null, block.children.map(renderBlock))
    case 'rule':
      return h('hr')
    case 'table':
      return h(
        'div',
        { class: 'md-table-wrap' },
        h(
          'table',
          { class: 'md-table' },
          h('thead', null, h('tr', null, block.header.map((cell) => h('th', { scope: 'col' }, cell.map(renderInline))))),
          h('tbody', null, block.rows.map((row) => h('tr', null, row.map((cell) => h('td', null, cell.map(renderInline)))))),
        ),
      )
  }
}

function codeBlock(language: string, text: string): HTMLElement {
  return h(
    'div',
    { class: 'code-block' },
    h('div', { class: 'code-head' }, h('span', { class: 'code-lang' }, language || 'code'), copyButton(() => text, 'Copy')),
    h('pre', { tabindex: '0' }, h('code', null, text)),
  )
}

function renderInline(node: Inline): Node {
  switch (node.type) {
    case 'text':
      return document.createTextNode(node.text)
    case 'code':
      return h('code', null, node.text)
    case 'strong':
      return h('strong', null, node.children.map(renderInline))
    case 'em':
      return h('em', null, node.children.map(renderInline))
    case 'del':
      return h('del', null, node.children.map(renderInline))
    case 'break':
      return h('br')
    case 'link':
      return h('a', { href: node.href, target: '_blank', rel: 'noopener noreferrer' }, node.children.map(renderInline))
  }
}
