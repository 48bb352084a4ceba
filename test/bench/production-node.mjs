// Finds the Node binaries a benchmark runs on: the Node on PATH, and Node 24 (the runtime of the Docker image).
// Node 24 comes from the npm registry's `node-<platform>-<arch>` package (it holds the official binary), fetched once
// with `npm pack` into .cache/node-24/ (git-ignored) and reused after that. Set BENCH_NODE24=/path/to/node to use a
// binary you already have, or BENCH_NODE24=skip to measure only the Node on PATH.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CACHE = join(ROOT, '.cache', 'node-24')
const MAJOR = 24

/** The runtimes to measure, PATH first: `[{ label, execPath, version }]`. */
export function benchRuntimes({ only } = {}) {
  const path = { label: `node ${process.version} (PATH)`, execPath: process.execPath, version: process.version }
  const production = productionNode()
  if (only === 'production') return production ? [production] : []
  if (!production) return [path]
  if (production.version === process.version) return [path]
  return [path, production]
}

/** Node 24 as a runtime entry, fetching it on first use; `undefined` when BENCH_NODE24=skip. */
export function productionNode() {
  const configured = process.env.BENCH_NODE24
  if (configured === 'skip') return undefined
  const execPath = configured || fetchNode24()
  const version = execFileSync(execPath, ['--version'], { encoding: 'utf8' }).trim()
  return { label: `node ${version} (production)`, execPath, version }
}

function fetchNode24() {
  const binary = join(CACHE, 'package', 'bin', 'node')
  if (existsSync(binary)) return binary
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    throw new Error(`[bench] no Node ${MAJOR} package for ${process.platform}; set BENCH_NODE24=/path/to/node${MAJOR} or BENCH_NODE24=skip`)
  }
  const name = `node-${process.platform}-${process.arch}@${MAJOR}`
  console.log(`[bench] fetching ${name} from the npm registry into ${CACHE} (once)`)
  rmSync(CACHE, { recursive: true, force: true })
  mkdirSync(CACHE, { recursive: true })
  execFileSync('npm', ['pack', name, '--silent', '--pack-destination', CACHE], { cwd: CACHE, stdio: ['ignore', 'ignore', 'inherit'] })
  const tarball = readdirSync(CACHE).find((file) => file.endsWith('.tgz'))
  if (!tarball) throw new Error(`[bench] npm pack ${name} produced no tarball in ${CACHE}`)
  execFileSync('tar', ['-xzf', tarball], { cwd: CACHE })
  rmSync(join(CACHE, tarball))
  if (!existsSync(binary)) throw new Error(`[bench] ${name} has no bin/node; set BENCH_NODE24=/path/to/node${MAJOR}`)
  return binary
}
