// `npm run demo`: the CLI on the sample credential report next to this file (made-up account
// 111122223333, a user of every finding kind), so anyone sees the output in seconds, without AWS.
// The sample's dates are moved to today first (see sample.mjs for why), into a temporary copy.
// Extra arguments go to the CLI: `npm run demo -- --json`, `npm run demo -- --mask-key-ids false`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_FLAGS, sampleAsOf } from './sample.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = join(ROOT, 'dist/cli/index.js')

if (!existsSync(CLI)) {
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 2)
}

const dir = mkdtempSync(join(tmpdir(), 'iam-key-sentry-demo-'))
const report = join(dir, 'credential-report.csv')
let status
try {
  writeFileSync(report, sampleAsOf(new Date()))
  const args = [CLI, 'scan', '--credential-report', report, ...DEMO_FLAGS, ...process.argv.slice(2)]
  process.stderr.write(`$ iam-key-sentry scan --credential-report examples/demo/credential-report.csv ${DEMO_FLAGS.join(' ').replace('svc-*', "'svc-*'")}\n\n`)
  status = spawnSync(process.execPath, args, { stdio: 'inherit' }).status
} finally {
  rmSync(dir, { recursive: true, force: true })
}
// Exit code 1 (findings of the fail-on kinds) is the point of the demo, not a failure of it.
if (status === 1) process.stderr.write('\n(exit code 1: findings of the --fail-on kinds, here stale and root-key)\n')
process.exit(status === 1 ? 0 : (status ?? 2))
