import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { ROOT, writeWorkersConfig } from '../../src/scripts/workers-config.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    workerBundlePath: string
    workersConfigPath: string
  }
}

/**
 * Builds the worker bundle once per run exactly as `wrangler deploy` would (`--dry-run --outdir`), from the config
 * users copy, so the workerd half of the matrix tests what ships.
 */
export default function setup(project: TestProject): void {
  const config: string = writeWorkersConfig('test')
  const outdir = join(ROOT, '.wrangler/test/bundle')
  const built = spawnSync(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir, '-c', config], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'warn' },
  })
  if (built.status !== 0) throw new Error(`wrangler could not bundle the worker:\n${built.stdout}\n${built.stderr}`)
  project.provide('workerBundlePath', join(outdir, 'index.js'))
  project.provide('workersConfigPath', config)
}
