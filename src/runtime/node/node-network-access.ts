import { lookup } from 'node:dns/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { Readable } from 'node:stream'
import type { NetworkAccess } from '../../tools/network-access.js'

/**
 * Node's network capability: resolves names with the system resolver and connects to the address the guard
 * checked, through a `lookup` that answers with that address only. Node never resolves the name a second time, so
 * a DNS answer that changes between check and connect (rebinding) cannot redirect the request. TLS still verifies
 * the certificate against the URL's host name.
 */
export function createNodeNetworkAccess(): NetworkAccess {
  return {
    async resolve(hostname) {
      const answers = await lookup(hostname, { all: true, verbatim: true })
      return answers.map((answer) => answer.address)
    },
    request(url, init, address) {
      return new Promise<Response>((resolve, reject) => {
        const send = url.protocol === 'https:' ? httpsRequest : httpRequest
        const family = address ? isIP(address) : 0
        const outgoing = send(
          url,
          {
            method: init.method,
            headers: init.headers,
            signal: init.signal,
            ...(address
              ? {
                  lookup: ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
                    options.all ? callback(null, [{ address, family }]) : callback(null, address, family)) as unknown as LookupFunction,
                }
              : {}),
          },
          (incoming) => resolve(toResponse(incoming)),
        )
        outgoing.on('error', reject)
        outgoing.end(init.body ? Buffer.from(init.body) : undefined)
      })
    },
  }
}

function toResponse(incoming: IncomingMessage): Response {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item)
  }
  const status = incoming.statusCode ?? 502
  const empty = status === 204 || status === 304 || (status >= 100 && status < 200)
  const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>)
  return new Response(body, { status, statusText: incoming.statusMessage, headers })
}
