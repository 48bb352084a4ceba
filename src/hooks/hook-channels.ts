import type { DeliveryRegistry } from '../channels/delivery-registry.js'

/**
 * The channels a hook may deliver to: every registered channel except the Control UI's own session (`webchat`),
 * which upstream's hooks do not offer either; a hook's summary reaches the main session anyway.
 */
export function hookChannels(delivery: DeliveryRegistry): string[] {
  return delivery.channels().filter((channel) => channel !== 'webchat')
}
