/** The repository root. */
export const ROOT: string
/** Writes `<ROOT>/.wrangler/<name>/wrangler.toml` from wrangler.toml.example and returns its path. */
export function writeWorkersConfig(name: string): string
