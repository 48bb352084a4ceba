import { CLI_COMMAND } from '../cli/command-name.js'
import type { ConfigIssue } from './config-issue.js'

/** Renders one issue as upstream prints it: `- <path or "<root>">: <message>`. */
export function formatIssue(issue: ConfigIssue): string {
  return `- ${issuePath(issue)}: ${issue.message}`
}

/**
 * The startup guard's block for a bad config file. Legacy keys get their own section and also join
 * the problem list, as upstream prints them.
 */
export function formatConfigInvalid(
  result: { issues?: readonly ConfigIssue[]; legacy: readonly ConfigIssue[] },
  displayPath: string,
): string {
  const problems = dedupe([...(result.issues ?? []), ...result.legacy])
  const lines = ['Config invalid', `File: ${displayPath}`, 'Problem:']
  lines.push(...problems.map((issue) => `  ${formatIssue(issue)}`))
  if (result.legacy.length > 0) {
    lines.push('Legacy config keys detected:', ...result.legacy.map((issue) => `  ${formatIssue(issue)}`))
  }
  lines.push('', `Run: ${CLI_COMMAND} doctor${result.legacy.length > 0 ? ' --fix' : ''}`)
  return lines.join('\n')
}

/** The hot-reload warning when the edited file no longer validates and the old config is kept. */
export function formatReloadSkipped(path: string, issues: readonly ConfigIssue[]): string {
  const details = issues.map((issue) => `${issuePath(issue)}: ${issue.message}`).join(', ')
  return `config reload skipped (invalid config): ${path}: ${details}`
}

function issuePath(issue: ConfigIssue): string {
  return issue.path === '' ? '<root>' : issue.path
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
