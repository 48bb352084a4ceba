import { toBase64 } from '../channels/to-base64.js'
import type { InteractionAttachment } from './interaction-schema.js'

/** Upstream's default `mediaMaxMb` for Discord. */
export const DEFAULT_MEDIA_MAX_MB = 8

/**
 * Downloads image attachments (from Discord's CDN, through the injected `fetch`) as base64 for the model. Other file
 * types and files over `maxBytes` are skipped; a failed download is skipped rather than failing the turn.
 */
export async function fetchImages(
  fetcher: typeof fetch,
  attachments: readonly InteractionAttachment[],
  maxBytes: number,
): Promise<{ images: { data: string; mimeType: string }[]; skipped: string[] }> {
  const images: { data: string; mimeType: string }[] = []
  const skipped: string[] = []
  for (const attachment of attachments) {
    const name = attachment.filename ?? attachment.id
    const mimeType = attachment.content_type?.split(';')[0]?.trim() ?? ''
    if (!mimeType.startsWith('image/') || (attachment.size ?? 0) > maxBytes) {
      skipped.push(name)
      continue
    }
    try {
      const response = await fetcher(attachment.url)
      const bytes = new Uint8Array(await response.arrayBuffer())
      if (!response.ok || bytes.byteLength > maxBytes) {
        skipped.push(name)
        continue
      }
      images.push({ data: toBase64(bytes), mimeType })
    } catch {
      skipped.push(name)
    }
  }
  return { images, skipped }
}
