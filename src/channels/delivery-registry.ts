import { AppError } from '../errors.js'
import type { ChannelDeliverer, DeliveryReceipt, DeliveryTarget, OutboundMessage } from './channel-delivery.js'

/** The channels that can be delivered to, by id. Built once per app; channels register as they are created. */
export interface DeliveryRegistry {
  register(deliverer: ChannelDeliverer): void
  get(channel: string): ChannelDeliverer | undefined
  /** Registered channel ids, in registration order. */
  channels(): string[]
  /** Delivers through the target's channel; an unregistered channel is a `bad_request` naming the known ones. */
  deliver(target: DeliveryTarget, message: OutboundMessage, signal?: AbortSignal): Promise<DeliveryReceipt>
}

/** Creates an empty registry. */
export function createDeliveryRegistry(): DeliveryRegistry {
  const deliverers = new Map<string, ChannelDeliverer>()
  return {
    register(deliverer) {
      deliverers.set(deliverer.channel, deliverer)
    },
    get: (channel) => deliverers.get(channel),
    channels: () => [...deliverers.keys()],
    async deliver(target, message, signal) {
      const deliverer = deliverers.get(target.channel)
      if (deliverer === undefined) {
        const known = [...deliverers.keys()].join(', ') || 'none'
        throw new AppError('bad_request', `[delivery] Unknown channel: ${target.channel} (channels here: ${known})`)
      }
      return deliverer.deliver(target, message, signal)
    },
  }
}
