/**
 * No key could be found for a provider. It deliberately has no `status`: failover classifies it as an auth failure
 * by its message ("No API key found"), as upstream does.
 */
export class MissingApiKeyError extends Error {
  readonly provider: string

  constructor(provider: string, message: string) {
    super(message)
    this.name = 'MissingApiKeyError'
    this.provider = provider
  }
}
