// Reads vitest's JSON report and prints `N passed, N failed[, N skipped]` as the very last line.
// Exit code: 0 only when the report exists, at least one test ran, and nothing failed.
import { readFileSync } from 'node:fs'

const path = process.argv[2] ?? 'test-artifacts/vitest.json'

let report
try {
  report = JSON.parse(readFileSync(path, 'utf8'))
} catch (error) {
  console.log(`no usable test report at ${path} (${error.code ?? error.message}); the tests did not run or vitest crashed`)
  process.exit(1)
}

const passed = report.numPassedTests ?? 0
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
const failedTests = report.numFailedTests ?? 0
const files = report.testResults ?? []

// A file that fails to import has no failed test in it, only a failed status; count each such file once.
const brokenFiles = files.filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
)
const failed = failedTests + brokenFiles.length

const failedNames = files.flatMap((file) =>
  (file.assertionResults ?? []).filter((test) => test.status === 'failed').map((test) => `${file.name}: ${test.fullName}`),
)
for (const name of failedNames.slice(0, 50)) console.log(`FAIL ${name}`)
if (failedNames.length > 50) console.log(`... and ${failedNames.length - 50} more`)
for (const file of brokenFiles) console.log(`FAIL ${file.name} (file failed to run: ${String(file.message).split('\n')[0]})`)

// The runtime matrix (test/matrix/runtimes.ts) names each suite `… [node]` or `… [workerd]`: show both halves ran.
const matrix = {}
for (const test of files.flatMap((file) => file.assertionResults ?? [])) {
  const runtime = /\[(node|workerd)\]/.exec(test.fullName ?? '')?.[1]
  if (runtime === undefined || (test.status !== 'passed' && test.status !== 'failed')) continue
  matrix[runtime] ??= { passed: 0, failed: 0 }
  matrix[runtime][test.status] += 1
}
const halves = Object.entries(matrix).map(([runtime, counts]) => `${runtime} ${counts.passed} passed, ${counts.failed} failed`)
if (halves.length > 0) console.log(`runtime matrix: ${halves.join('; ')}`)

const total = passed + failed
if (total === 0) console.log('no tests ran')
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 || total === 0 || report.success === false ? 1 : 0)
