// Writes a copy of wrangler.toml.example that wrangler can read (it only parses *.toml/*.json names) into a folder
// under .wrangler/, with `main` pointing back at the source. Used by `npm run workers:dev`, the workerd tests and
// the bench, so all three run exactly the deployment file users copy.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Writes `<ROOT>/.wrangler/<name>/wrangler.toml` and returns its path. */
export function writeWorkersConfig(name) {
  const dir = join(ROOT, '.wrangler', name)
  mkdirSync(dir, { recursive: true })
  const entry = relative(dir, join(ROOT, 'src/runtime/workers/index.ts')).split('\\').join('/')
  const text = readFileSync(join(ROOT, 'wrangler.toml.example'), 'utf8').replace(/^main = ".*"$/m, `main = "${entry}"`)
  const path = join(dir, 'wrangler.toml')
  writeFileSync(path, text)
  return path
}
