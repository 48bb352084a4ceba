const encoder = new TextEncoder()

/**
 * Compares a presented secret with the expected one in constant time. Both sides are hashed first, so neither the
 * length nor the first differing byte of the real secret leaks through timing.
 */
export async function secretsEqual(presented: string, expected: string): Promise<boolean> {
  const [left, right] = await Promise.all([digest(presented), digest(expected)])
  let difference = 0
  for (let index = 0; index < left.length; index++) difference |= left[index] ^ right[index]
  return difference === 0
}

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)))
}
