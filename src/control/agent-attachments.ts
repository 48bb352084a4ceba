import { MethodError } from './methods.js'

const MAX_ATTACHMENT_BYTES = 5_000_000
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** One `attachments[]` entry of the `agent` method as the schema lets it through. */
export interface AgentAttachment {
  type?: string
  mimeType?: string
  fileName?: string
  content: unknown
}

/**
 * Checks `agent` attachments in upstream's order and words (spec/agent-api.md §1.2 step 3) and returns the images;
 * other kinds are dropped with a warning, as upstream does. Content is base64 or a `data:` URL, at most 5 MB decoded.
 */
export function readAgentAttachments(attachments: readonly AgentAttachment[], warn: (message: string) => void): { data: string; mimeType: string }[] {
  const images: { data: string; mimeType: string }[] = []
  attachments.forEach((attachment, index) => {
    const label = attachment.fileName || attachment.type || `attachment-${index + 1}`
    if (typeof attachment.content !== 'string') refuse(`attachment ${label}: content must be base64 string`)
    const dataUrl = /^data:([^;,]*)(;base64)?,/.exec(attachment.content)
    const data = (dataUrl === null ? attachment.content : attachment.content.slice(dataUrl[0].length)).replace(/\s+/g, '')
    if (data.length % 4 === 1 || !BASE64.test(data)) refuse(`attachment ${label}: invalid base64 content`)
    const bytes = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0)
    if (bytes > MAX_ATTACHMENT_BYTES) refuse(`attachment ${label}: exceeds size limit (${bytes} > ${MAX_ATTACHMENT_BYTES} bytes)`)
    const mimeType = attachment.mimeType || dataUrl?.[1] || ''
    if (!mimeType.startsWith('image/')) {
      warn(`agent: dropped non-image attachment ${label} (${mimeType || 'unknown type'})`)
      return
    }
    images.push({ data, mimeType })
  })
  return images
}

function refuse(message: string): never {
  throw new MethodError('INVALID_REQUEST', `Error: ${message}`)
}
