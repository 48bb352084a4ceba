/** Secrets found in the environment (process env on Node, vars and secrets on Workers) that must never be logged. */
export function environmentSecrets(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && /(TOKEN|PASSWORD|SECRET|API_KEY|_KEY)$/.test(name) && !/PUBLIC_KEY$/.test(name))
    .map(([, value]) => value as string)
}
