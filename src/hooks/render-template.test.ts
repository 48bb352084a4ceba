import { describe, expect, it } from 'vitest'
import { renderTemplate, type TemplateContext } from './render-template.js'

const context: TemplateContext = {
  path: 'github',
  now: '2026-01-29T10:00:00.000Z',
  headers: { 'x-github-event': 'issues' },
  query: { who: 'ha' },
  payload: { action: 'opened', issue: { number: 7, labels: [{ name: 'bug' }] }, messages: [{ from: 'a@b.c' }] },
}

describe('renderTemplate', () => {
  it('reads path, now, headers, query and payload paths with or without the payload prefix', () => {
    expect(renderTemplate('{{path}} {{now}} {{headers.X-GitHub-Event}} {{query.who}}', context)).toBe('github 2026-01-29T10:00:00.000Z issues ha')
    expect(renderTemplate('{{ payload.action }} #{{issue.number}} [{{issue.labels[0].name}}] {{messages[0].from}}', context)).toBe('opened #7 [bug] a@b.c')
  })

  it('renders missing values empty and objects as JSON, and never reaches prototypes', () => {
    expect(renderTemplate('[{{missing.deep}}][{{issue.labels}}]', context)).toBe('[][[{"name":"bug"}]]')
    expect(renderTemplate('[{{constructor}}][{{issue.__proto__}}][{{query.toString}}]', context)).toBe('[][][]')
  })
})
