import { createAgentMethods } from './agent-methods.js'
import { createChannelMethods } from './channel-methods.js'
import { createConfigMethods } from './config-methods.js'
import type { MethodDefinition } from './methods.js'
import { createSystemMethods } from './system-methods.js'

/** Every method the control socket answers before the lead's `chat.*` and `sessions.*` are added. */
export function builtInMethods(): MethodDefinition[] {
  return [...createSystemMethods(), ...createAgentMethods(), ...createChannelMethods(), ...createConfigMethods()]
}
