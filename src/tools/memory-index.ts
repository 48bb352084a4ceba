/*
 * Keyword search over memory notes with BM25 (no embedding service): files are cut into line-aligned chunks of
 * about 400 tokens with 80 tokens of overlap, as upstream chunks them, and each chunk is scored against the query.
 * Tokenised chunks are cached per file text, so repeated searches only re-tokenise files that changed.
 */

const CHARS_PER_TOKEN = 4
const K1 = 1.2
const B = 0.75
const SNIPPET_CHARS = 700
const STOP_WORDS = new Set(
  'a an and are as at be by do does did for from has have i in is it its me my of on or our so that the their them then there these they this to was we were what when where which who why will with you your'.split(' '),
)

/** One chunk of a memory file with its 1-based line range. */
export interface MemoryChunk {
  path: string
  startLine: number
  endLine: number
  text: string
  terms: Map<string, number>
  length: number
}

/** A scored chunk in upstream's result shape. */
export interface MemoryHit {
  path: string
  startLine: number
  endLine: number
  score: number
  snippet: string
  source: 'memory'
}

/** Cuts a file into overlapping chunks of whole lines. */
export function chunkFile(path: string, text: string, chunkTokens = 400, overlapTokens = 80): MemoryChunk[] {
  const lines = text.split('\n')
  const maxChars = chunkTokens * CHARS_PER_TOKEN
  const overlapChars = overlapTokens * CHARS_PER_TOKEN
  const chunks: MemoryChunk[] = []
  let start = 0
  while (start < lines.length) {
    let end = start
    let size = 0
    while (end < lines.length && (end === start || size + lines[end].length + 1 <= maxChars)) size += lines[end++].length + 1
    const body = lines.slice(start, end).join('\n')
    if (body.trim() !== '') chunks.push(toChunk(path, start + 1, end, body))
    if (end >= lines.length) break
    // Step back over whole lines worth about `overlapChars`, but always move forward.
    let back = end
    let overlap = 0
    while (back > start + 1 && overlap + lines[back - 1].length + 1 <= overlapChars) overlap += lines[--back].length + 1
    start = back
  }
  return chunks
}

/**
 * Ranks chunks against a query with BM25 and maps scores to 0..1 (`s / (s + 0.5)`), so `minScore` keeps its
 * meaning as a threshold: one rare query word in a chunk scores about 0.5–0.8, a word found everywhere near 0. Returns at most `maxResults` hits at or above `minScore`, best first.
 */
export function searchChunks(chunks: readonly MemoryChunk[], query: string, options: { maxResults: number; minScore: number }): MemoryHit[] {
  const queryTerms = [...new Set(tokenize(query))]
  if (queryTerms.length === 0 || chunks.length === 0) return []
  const averageLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0) / chunks.length || 1
  const documentFrequency = new Map<string, number>()
  for (const term of queryTerms) documentFrequency.set(term, chunks.filter((chunk) => chunk.terms.has(term)).length)
  const hits: MemoryHit[] = []
  for (const chunk of chunks) {
    let raw = 0
    for (const term of queryTerms) {
      const frequency = chunk.terms.get(term)
      if (!frequency) continue
      const df = documentFrequency.get(term) ?? 0
      const idf = Math.log(1 + (chunks.length - df + 0.5) / (df + 0.5))
      raw += (idf * frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * chunk.length) / averageLength))
    }
    if (raw <= 0) continue
    const score = Math.round((raw / (raw + 0.5)) * 1000) / 1000
    if (score < options.minScore) continue
    hits.push({ path: chunk.path, startLine: chunk.startLine, endLine: chunk.endLine, score, snippet: chunk.text.slice(0, SNIPPET_CHARS), source: 'memory' })
  }
  return hits.sort((left, right) => right.score - left.score).slice(0, options.maxResults)
}

function toChunk(path: string, startLine: number, endLine: number, text: string): MemoryChunk {
  const terms = new Map<string, number>()
  const tokens = tokenize(text)
  for (const token of tokens) terms.set(token, (terms.get(token) ?? 0) + 1)
  return { path, startLine, endLine, text, terms, length: tokens.length }
}

/** Lower-cased words and numbers, without common English stop words; a plural `s` is folded away. */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
  return words.filter((word) => !STOP_WORDS.has(word)).map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word))
}
