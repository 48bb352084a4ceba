#!/usr/bin/env node
// The Node entry (`node dist/index.js …`); everything it runs lives in src/runtime/node/.
import { runCli } from './runtime/node/cli.js'

runCli(process.argv.slice(2)).then(
  (exitCode) => {
    if (exitCode !== undefined) process.exitCode = exitCode
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exitCode = 1
  },
)
