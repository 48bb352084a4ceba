/**
 * Maps a stored tool call id onto what an API accepts, so a conversation begun on one provider replays on the
 * other after failover: Anthropic wants `^[a-zA-Z0-9_-]+$`, OpenAI at most 40 characters. The mapping is
 * deterministic, so a call and its result still pair up after it.
 */
export function toToolCallId(id: string, maxLength: number): string {
  const clean = id.replace(/[^a-zA-Z0-9_-]/g, '_') || 'call'
  if (clean.length <= maxLength) return clean
  // Keep the tail (where ids differ most) plus a short hash of the whole id, so cut ids stay distinct.
  const hash = hashOf(id)
  return `${clean.slice(0, maxLength - hash.length - 1)}_${hash}`
}

function hashOf(text: string): string {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193)
  return (hash >>> 0).toString(36)
}
