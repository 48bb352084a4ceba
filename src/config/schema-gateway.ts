import { z } from 'zod'

/** `gateway.bind` values; a union of literals so a bad value reports a bare `Invalid input` like upstream. */
export const BindModeSchema = z.union([
  z.literal('loopback'),
  z.literal('lan'),
  z.literal('tailnet'),
  z.literal('auto'),
  z.literal('custom'),
])

/** `gateway.reload.mode` values. */
export const ReloadModeSchema = z.union([z.literal('off'), z.literal('restart'), z.literal('hot'), z.literal('hybrid')])

const EndpointSchema = z.object({ enabled: z.boolean().optional() }).strict()

/** `gateway`: listener, auth, Control UI, reload and remote-client settings. */
export const GatewaySchema = z
  .object({
    port: z.number().int().positive().optional(),
    mode: z.enum(['local', 'remote']).optional(),
    bind: BindModeSchema.optional(),
    // Typed upstream but missing from its strict schema; we accept it because `bind: "custom"` needs it.
    customBindHost: z.string().optional(),
    controlUi: z
      .object({
        enabled: z.boolean().optional(),
        basePath: z.string().optional(),
        allowInsecureAuth: z.boolean().optional(),
        dangerouslyDisableDeviceAuth: z.boolean().optional(),
        // Extra browser origins allowed to open the control socket besides the gateway's own (upstream's key).
        allowedOrigins: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    auth: z
      .object({
        mode: z.union([z.literal('token'), z.literal('password')]).optional(),
        token: z.string().optional(),
        password: z.string().optional(),
        allowTailscale: z.boolean().optional(),
      })
      .strict()
      .optional(),
    trustedProxies: z.array(z.string()).optional(),
    tailscale: z
      .object({
        mode: z.union([z.literal('off'), z.literal('serve'), z.literal('funnel')]).optional(),
        resetOnExit: z.boolean().optional(),
      })
      .strict()
      .optional(),
    remote: z
      .object({
        url: z.string().optional(),
        transport: z.union([z.literal('ssh'), z.literal('direct')]).optional(),
        token: z.string().optional(),
        password: z.string().optional(),
        tlsFingerprint: z.string().optional(),
        sshTarget: z.string().optional(),
        sshIdentity: z.string().optional(),
      })
      .strict()
      .optional(),
    reload: z
      .object({ mode: ReloadModeSchema.optional(), debounceMs: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    // Not strict upstream either: TLS options grow with the runtime.
    tls: z
      .looseObject({
        enabled: z.boolean().optional(),
        autoGenerate: z.boolean().optional(),
        certPath: z.string().optional(),
        keyPath: z.string().optional(),
        caPath: z.string().optional(),
      })
      .optional(),
    http: z
      .object({
        endpoints: z
          .object({
            chatCompletions: EndpointSchema.optional(),
            responses: z.looseObject({ enabled: z.boolean().optional() }).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    nodes: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
