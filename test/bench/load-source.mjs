// Benchmarks exercise internal modules that `npm run build` no longer emits one by one (dist/ is a single bundle),
// so this bundles the requested source files with rolldown into a temp folder and imports them.
// Usage: const { createAgentRuntime } = await loadSource('src/agent/agent-runtime.ts')
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'rolldown'

const ROOT = resolve(import.meta.dirname, '../..')

/** Bundles and imports each path (relative to the repository root); returns the modules' exports, merged. */
export async function loadSource(...paths) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-src-'))
  // Lazy chunks (the provider SDKs) load on first use, so the folder stays until the process exits.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  const input = Object.fromEntries(paths.map((path, index) => [`module${index}`, join(ROOT, path)]))
  await build({ input, platform: 'node', tsconfig: join(ROOT, 'tsconfig.json'), logLevel: 'silent', output: { dir, format: 'esm', entryFileNames: '[name].mjs' } })
  const loaded = await Promise.all(paths.map((_, index) => import(pathToFileURL(join(dir, `module${index}.mjs`)).href)))
  return Object.assign({}, ...loaded)
}
