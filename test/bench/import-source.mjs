// Benchmarks that drive single modules (not the whole gateway) import them from source through a throwaway rolldown
// bundle: dist/ holds only the bundled server, and Node 20 cannot run TypeScript itself.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'rolldown'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * Bundles each `src/…` module and imports it; resolves with the namespaces under the same keys.
 * @example const { store } = await importSource({ store: 'src/sessions/transcript-store.ts' })
 */
export async function importSource(modules) {
  const outDir = mkdtempSync(join(tmpdir(), 'bench-modules-'))
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }))
  const input = Object.fromEntries(Object.entries(modules).map(([name, path]) => [name, join(ROOT, path)]))
  await build({
    input,
    platform: 'node',
    logLevel: 'silent',
    output: { dir: outDir, format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
  })
  const loaded = {}
  for (const name of Object.keys(modules)) loaded[name] = await import(pathToFileURL(join(outDir, `${name}.mjs`)).href)
  return loaded
}
