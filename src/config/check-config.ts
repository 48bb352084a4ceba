import { childPath, type ConfigIssue } from './config-issue.js'
import { normalizeAgentId } from './config-lookup.js'
import { KNOWN_CHANNEL_IDS, KNOWN_PLUGIN_IDS } from './known-ids.js'
import { checkHooksConfig } from './check-hooks-config.js'
import type { Config } from './schema.js'

/**
 * Checks that need the whole validated config: known channel and plugin ids, one agentDir per agent,
 * and avatar references that cannot point outside the workspace.
 */
export function checkConfig(config: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  for (const channelId of Object.keys(config.channels ?? {})) {
    if (channelId === 'defaults') continue
    if (!KNOWN_CHANNEL_IDS.includes(channelId)) {
      issues.push({ path: childPath('channels', channelId), message: `unknown channel id: ${channelId}` })
    }
  }
  checkPluginIds(config, issues)
  checkAgentDirs(config, issues)
  checkAvatars(config, issues)
  issues.push(...checkHooksConfig(config))
  return issues
}

function checkPluginIds(config: Config, issues: ConfigIssue[]): void {
  const plugins = config.plugins
  if (!plugins) return
  for (const pluginId of Object.keys(plugins.entries ?? {})) {
    if (!KNOWN_PLUGIN_IDS.includes(pluginId)) {
      issues.push({ path: `plugins.entries.${pluginId}`, message: `plugin not found: ${pluginId}` })
    }
  }
  for (const listName of ['allow', 'deny'] as const) {
    for (const pluginId of plugins[listName] ?? []) {
      if (!KNOWN_PLUGIN_IDS.includes(pluginId)) {
        issues.push({ path: `plugins.${listName}`, message: `plugin not found: ${pluginId}` })
      }
    }
  }
}

// Two agents sharing a directory would share credentials and session stores.
function checkAgentDirs(config: Config, issues: ConfigIssue[]): void {
  const owners = new Map<string, string>()
  for (const agent of config.agents?.list ?? []) {
    const agentId = normalizeAgentId(agent.id)
    const directory = agent.agentDir?.trim().replace(/\/+$/, '') || `<state>/agents/${agentId}/agent`
    const owner = owners.get(directory)
    if (owner !== undefined && owner !== agentId) {
      issues.push({
        path: 'agents.list',
        message: `agents "${owner}" and "${agentId}" share agentDir ${directory}; each agent needs its own`,
      })
    } else if (owner !== undefined) {
      issues.push({ path: 'agents.list', message: `duplicate agent id "${agentId}"` })
    }
    owners.set(directory, agentId)
  }
}

function checkAvatars(config: Config, issues: ConfigIssue[]): void {
  config.agents?.list?.forEach((agent, index) => {
    const avatar = agent.identity?.avatar?.trim()
    if (avatar === undefined || avatar === '' || isAllowedAvatar(avatar)) return
    issues.push({
      path: `agents.list.${index}.identity.avatar`,
      message: 'identity.avatar must be a workspace-relative path, an http(s) URL, or a data URI',
    })
  })
}

function isAllowedAvatar(avatar: string): boolean {
  if (/^https?:\/\//i.test(avatar) || /^data:/i.test(avatar)) return true
  // Any other scheme, an absolute or home path, or a climb out of the workspace is rejected.
  if (/^[a-z][a-z0-9+.-]*:/i.test(avatar) || avatar.startsWith('/') || avatar.startsWith('~')) return false
  return !avatar.split(/[\\/]/).includes('..')
}
