/** The app's public URL on Fly.io (`https://<FLY_APP_NAME>.fly.dev`); undefined elsewhere. */
export function flyPublicUrl(env: Record<string, string | undefined>): string | undefined {
  const app = env.FLY_APP_NAME?.trim()
  return app ? `https://${app}.fly.dev` : undefined
}
