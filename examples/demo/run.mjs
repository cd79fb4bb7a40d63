// `npm run demo`: the CLI on the sample credential report next to this file (made-up account
// 111122223333, a user of every finding kind), so anyone sees the output in seconds, without AWS.
//
// Why the dates are shifted: ages count to today, so a fixed file drifts (its 80-day-old
// "expiring" key would be stale ten days later). credential-report.csv is a real report written
// as of AS_OF; this script moves every date in it forward by the days since AS_OF into a
// temporary copy, so each user keeps its kind in 2030 as on the day it was written.
// Extra arguments go to the CLI: `npm run demo -- --json`, `npm run demo -- --mask-key-ids false`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const AS_OF = Date.UTC(2026, 10, 24) // 2026-11-24, the day the sample's dates describe
const DAY_MS = 86_400_000
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = join(ROOT, 'dist/cli/index.js')
const SAMPLE = join(ROOT, 'examples/demo/credential-report.csv')
const DEMO_FLAGS = ['--max-key-age-days', '90', '--warn-key-age-days', '75', '--max-unused-days', '45', '--exempt-users', 'svc-*']

/** Every `2026-11-24T08:00:00+00:00` of the report, `days` later (same time of day). */
function shiftDates(csv, days) {
  return csv.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00/g, (iso) =>
    new Date(Date.parse(iso) + days * DAY_MS).toISOString().replace(/\.\d{3}Z$/, '+00:00')
  )
}

if (!existsSync(CLI)) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 2)
}

const now = new Date()
const days = Math.floor((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - AS_OF) / DAY_MS)
const dir = mkdtempSync(join(tmpdir(), 'iam-key-sentry-demo-'))
const report = join(dir, 'credential-report.csv')
let status
try {
  writeFileSync(report, shiftDates(readFileSync(SAMPLE, 'utf8'), days))
  const args = [CLI, 'scan', '--credential-report', report, ...DEMO_FLAGS, ...process.argv.slice(2)]
  process.stderr.write(`$ iam-key-sentry scan --credential-report examples/demo/credential-report.csv ${DEMO_FLAGS.join(' ').replace('svc-*', "'svc-*'")}\n\n`)
  status = spawnSync(process.execPath, args, { stdio: 'inherit' }).status
} finally {
  rmSync(dir, { recursive: true, force: true })
}
// Exit code 1 (findings of the fail-on kinds) is the point of the demo, not a failure of it.
if (status === 1) process.stderr.write('\n(exit code 1: findings of the --fail-on kinds, here stale and root-key)\n')
process.exit(status === 1 ? 0 : (status ?? 2))
