// The built CLI (dist/cli/index.js) on the demo credential report: no AWS and no moto needed.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import type { Report } from '../../src/core/report.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = join(ROOT, 'dist/cli/index.js')
const SAMPLE = 'examples/demo/credential-report.csv'

function run(command: string, args: string[]) {
  // NO_COLOR unset and stdout a pipe: the output must be plain all the same.
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined }
  const out = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env, timeout: 30_000 })
  return { code: out.status, stdout: out.stdout, stderr: out.stderr }
}

const cli = (...args: string[]) => run(process.execPath, [CLI, ...args])

describe('the built CLI on the demo credential report', () => {
  // The sample's dates are fixed, so only what no passing day changes is checked here: root key,
  // the old stale keys, the inactive key and the exempt service users. Every kind: the demo below.
  it('prints the tables and exits 1 for stale and root keys', () => {
    const { code, stdout, stderr } = cli('scan', '--credential-report', SAMPLE, '--exempt-users', 'svc-*')
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' })
    expect(stdout).toMatch(/^IAM Key Sentry: \d+ findings \(1 root-key, \d+ stale.*\) in account 111122223333\n/)
    expect(stdout).toContain('Account 111122223333: 11 users, 13 keys (credential report).')
    expect(stdout).toMatch(/\n {2}<root_account> +\(root key, no id\) +Active +\d+ +2026-10-30 \(s3\)\n/)
    expect(stdout).toMatch(/\n {2}old-alice +\(not in report\) +Active +\d+ +2026-11-23 \(sts\)\n/)
    expect(stdout).toMatch(/\n {2}stale +svc-backup +\(not in report\) .* exempt-users svc-\*\n/)
    expect(stdout).toContain('- access key ids are not in a credential report')
    expect(stdout).not.toContain('\u001b[')
  })

  it('prints a JSON report with schemaVersion 1 and exits 0 with fail-on none', () => {
    const { code, stdout } = cli('scan', '--credential-report', SAMPLE, '--json', '--fail-on', 'none')
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as Report
    expect(report).toMatchObject({
      schemaVersion: 1,
      accounts: [{ accountId: '111122223333', dataSource: 'credential-report', users: 11, keys: 13, error: null }]
    })
    expect(report.findings.find((f) => f.kind === 'root-key')).toMatchObject({ userName: '<root_account>', accessKeyId: null })
  })

  it('exits 2 on a bad flag, naming it', () => {
    const { code, stdout, stderr } = cli('scan', '--credential-report', SAMPLE, '--max-key-age-days', 'soon')
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' })
    expect(stderr).toContain('--max-key-age-days: "soon" is not accepted')
  })

  it('npm run demo shows a user of every kind, dates moved to today', () => {
    const { code, stdout } = run(process.execPath, ['examples/demo/run.mjs', '--json'])
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as Report
    const kinds = (exempt: boolean) =>
      Object.fromEntries(report.findings.filter((f) => f.exempt === exempt).map((f) => [f.userName, f.kind]))
    expect(kinds(false)).toEqual({
      '<root_account>': 'root-key',
      'old-alice': 'stale',
      'deploy-legacy': 'stale',
      'dana-rotating': 'stale',
      'ci-bot': 'unused',
      'reporting-etl': 'expiring',
      'former-contractor': 'inactive'
    })
    expect(kinds(true)).toEqual({ 'svc-backup': 'stale', 'svc-monitoring': 'unused' })
    expect(report.totals).toEqual({ users: 11, keys: 13, stale: 3, findings: 7, exempt: 2 })
  })
})
