import { listAllowedModels } from '../agent/model-ref.js'
import { ResponseKind } from './discord-api.js'
import { STOP_BUTTON_PREFIX } from './handle-ask.js'
import type { CommandOption } from './interaction-schema.js'
import { ephemeralMessage, type HandlerResult, type InteractionScope } from './interaction-scope.js'

/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25

/**
 * Autocomplete for model options: the allowed models (allowlist keys, else primary and fallbacks) filtered by what
 * has been typed. No I/O, so it always answers inside the 3 s window (no defer is possible here).
 */
export function handleAutocomplete(scope: InteractionScope, options: CommandOption[]): HandlerResult {
  const focused = options.find((option) => option.focused === true)
  const query = typeof focused?.value === 'string' ? focused.value.trim().toLowerCase() : ''
  const choices = listAllowedModels(scope.deps.state.config)
    .filter((model) => query === '' || model.ref.toLowerCase().includes(query) || model.alias?.toLowerCase().includes(query))
    .slice(0, MAX_CHOICES)
    .map((model) => ({ name: model.alias === undefined ? model.ref : `${model.ref} (${model.alias})`, value: model.ref }))
  return { body: { type: ResponseKind.autocompleteResult, data: { choices } } }
}

/**
 * The Stop button of a streaming reply: only the person who asked may press it (anyone who sees a public message
 * can click its buttons, spec/discord.md §4). Aborting makes the reply's own delivery edit the message.
 */
export function handleComponent(scope: InteractionScope, customId: string): HandlerResult {
  if (!customId.startsWith(STOP_BUTTON_PREFIX)) return ephemeralMessage('This button is no longer active.')
  const active = scope.activeReplies.get(customId.slice(STOP_BUTTON_PREFIX.length))
  if (active === undefined) return ephemeralMessage('Nothing to stop: this reply has finished.')
  if (active.ownerId !== scope.context.user.id) return ephemeralMessage('Only the person who asked can stop this reply.')
  scope.services.runner.abort(active.sessionKey)
  return { body: { type: ResponseKind.deferredUpdate } }
}
