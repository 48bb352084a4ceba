/** What the response prefix template can refer to. */
export interface ResponsePrefixContext {
  /** `provider/model`. */
  modelRef: string
  identityName?: string
  thinkingLevel?: string
}

/**
 * Applies `messages.responsePrefix` to a reply. `"auto"` means `[identity name]`; templates may use `{model}`,
 * `{modelFull}`, `{provider}`, `{thinkingLevel}` (or `{think}`) and `{identity.name}`, case-insensitively.
 */
export function applyResponsePrefix(text: string, prefix: string | undefined, context: ResponsePrefixContext): string {
  if (!prefix) return text
  const template = prefix === 'auto' ? (context.identityName ? `[${context.identityName}]` : '') : prefix
  if (!template) return text
  const slash = context.modelRef.indexOf('/')
  const values: Record<string, string> = {
    model: slash >= 0 ? context.modelRef.slice(slash + 1) : context.modelRef,
    modelfull: context.modelRef,
    provider: slash >= 0 ? context.modelRef.slice(0, slash) : '',
    thinkinglevel: context.thinkingLevel ?? 'off',
    think: context.thinkingLevel ?? 'off',
    'identity.name': context.identityName ?? '',
  }
  const rendered = template.replace(/\{([a-z.]+)\}/gi, (whole, name: string) => values[name.toLowerCase()] ?? whole).trim()
  if (!rendered || text.startsWith(rendered)) return text
  return `${rendered} ${text}`
}
