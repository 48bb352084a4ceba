/** Schedules a callback; returns a cancel function (`deps.scheduler.after` fits). */
export type After = (delayMs: number, callback: () => void) => () => void

/** Thrown when an outbound call took longer than its budget; named like the DOM's timeout so classifiers see one. */
export class FetchTimeoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TimeoutError'
  }
}

export interface FetchTimeoutOptions {
  timeoutMs: number
  after: After
  /** Subsystem for the message, e.g. `discord`. */
  subsystem: string
  /**
   * `headers`: the budget covers connecting and the response headers (model streams may then run long);
   * `body`: it also covers reading the whole body (small JSON APIs such as Discord's).
   */
  until: 'headers' | 'body'
}

/**
 * Wraps `fetch` so every call has a deadline: a server that never answers costs at most `timeoutMs`, and a drain on
 * shutdown never waits on it for longer. The caller's own signal still aborts as before.
 */
export function fetchWithTimeout(fetcher: typeof fetch, options: FetchTimeoutOptions): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController()
    const host = hostOf(input)
    const error = new FetchTimeoutError(`[${options.subsystem}] ${host} did not answer within ${options.timeoutMs} ms`)
    const cancel = options.after(options.timeoutMs, () => controller.abort(error))
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal
    let response: Response
    try {
      response = await fetcher(input, { ...init, signal })
    } catch (thrown) {
      cancel()
      throw controller.signal.aborted && controller.signal.reason === error ? error : thrown
    }
    if (options.until === 'headers' || response.body === null) {
      cancel()
      return response
    }
    // The timer runs until the body has been read to the end (or given up on), then stops.
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        flush: () => cancel(),
      }),
    )
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
}

function hostOf(input: RequestInfo | URL): string {
  try {
    return new URL(typeof input === 'string' || input instanceof URL ? input : input.url).host
  } catch {
    return 'the server'
  }
}
