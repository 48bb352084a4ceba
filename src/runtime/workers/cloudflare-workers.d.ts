// The part of the `cloudflare:workers` module the gateway object uses (wrangler leaves the import to workerd).
declare module 'cloudflare:workers' {
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: import('./workers-types.js').DurableObjectState
    protected readonly env: Env
    constructor(ctx: import('./workers-types.js').DurableObjectState, env: Env)
  }
}
