/** Base64 without Node's Buffer: `btoa` over a binary string, built in slices to stay within argument limits. */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  const slice = 0x8000
  for (let offset = 0; offset < bytes.length; offset += slice) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + slice))
  }
  return btoa(binary)
}
