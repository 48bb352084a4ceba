/**
 * Outbound HTTP for fetches a model or a config chose (web_fetch, MCP servers), as a capability, so the SSRF guard
 * can check the address it actually connects to. Node resolves DNS itself and connects to the checked address
 * (no second lookup, so no rebinding window); Workers cannot resolve, and rely on the platform's egress isolation.
 */
export interface NetworkAccess {
  /** Every address a host name resolves to, or `undefined` where this runtime cannot resolve names. */
  resolve(hostname: string): Promise<string[] | undefined>
  /**
   * One HTTP request without following redirects. `address`, when given, is the already-checked IP to connect to
   * (the URL's host still goes into `Host` and TLS SNI).
   */
  request(url: URL, init: NetworkRequestInit, address?: string): Promise<Response>
  /**
   * Test-only relaxations (a local web server on 127.0.0.1 and a port other than 80/443). Never built from config
   * or env; production runtimes leave it unset.
   */
  testPolicy?: { allowPrivateAddresses?: boolean; allowAnyPort?: boolean }
}

/** What one request sends. */
export interface NetworkRequestInit {
  method: string
  headers: Record<string, string>
  body?: ArrayBuffer
  signal: AbortSignal
}
