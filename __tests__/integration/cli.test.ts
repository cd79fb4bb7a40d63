// The built CLI (dist/cli/index.js) on the demo credential report (no AWS, no moto), and against
// moto with a baseline: what an earlier run's --json output says was fixed since.
import { spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DeleteAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Report } from '../../src/core/report.js'
import { motoClientConfig, seedKeys, type SeededKey } from './support/aws.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv } from './support/run-action.js'

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

  it('prints a JSON report with schemaVersion 2 and exits 0 with fail-on none', () => {
    const { code, stdout } = cli('scan', '--credential-report', SAMPLE, '--json', '--fail-on', 'none')
    expect(code).toBe(0)
    const report = JSON.parse(stdout) as Report
    expect(report).toMatchObject({
      schemaVersion: 2,
      accounts: [
        { accountId: '111122223333', dataSource: 'credential-report', users: 11, keys: 13, error: null, baseline: null, new: null, resolved: null }
      ],
      resolved: [],
      notes: []
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
      // A console user whose key was made 12 minutes after the user and never used (CIS 1.11).
      'erin-analyst': 'setup-key',
      'reporting-etl': 'expiring',
      'former-contractor': 'inactive'
    })
    expect(kinds(true)).toEqual({ 'svc-backup': 'stale', 'svc-monitoring': 'unused' })
    expect(report.totals).toEqual({ users: 11, keys: 13, stale: 3, findings: 8, exempt: 2, new: null, resolved: null })
  })
})

describe('the built CLI with no AWS credentials', () => {
  it('says what to set (profile, environment, aws sso login, the action\'s role), and exits 2', () => {
    // An empty environment: no AWS_* variables, a HOME with no ~/.aws, no instance metadata to wait for.
    const home = mkdtempSync(join(tmpdir(), 'cli-no-credentials-'))
    const out = spawnSync(process.execPath, [CLI, 'scan'], {
      cwd: home,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: home, NODE_NO_WARNINGS: '1', AWS_EC2_METADATA_DISABLED: 'true' },
      timeout: 30_000
    })
    expect(out.status).toBe(2)
    const said = out.stdout.split('\n').find((l) => l.startsWith('The scan: not scanned: '))
    expect(said).toMatch(/^The scan: not scanned: sts:GetCallerIdentity failed \(CredentialsProviderError: .*\)\. No usable AWS credentials were found\. /)
    for (const what of ['--profile NAME or AWS_PROFILE', '`aws sso login --profile NAME`', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', 'role-to-assume', 'id-token: write']) {
      expect(said).toContain(what)
    }
  })
})

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

describeMoto('the built CLI against moto, with a baseline', () => {
  let moto: MotoServer
  let keys: SeededKey[]
  const dir = mkdtempSync(join(tmpdir(), 'cli-baseline-'))

  beforeAll(async () => {
    moto = await startMoto()
    keys = await seedKeys(moto, [
      { userName: 'old-alice', age: '-200d' },
      { userName: 'old-bob', age: '-120d' },
      { userName: 'fresh-carol', age: '+0' }
    ])
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
  })

  /** The CLI with moto's endpoint and dummy credentials, its standard output written to `file` as `> file` does. */
  function scanTo(file: string, ...args: string[]) {
    const fd = openSync(file, 'w')
    try {
      const out = spawnSync(process.execPath, [CLI, 'scan', '--json', ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, NODE_NO_WARNINGS: '1', AWS_EC2_METADATA_DISABLED: 'true', ...motoEnv(moto.endpoint) },
        stdio: ['ignore', fd, 'pipe'],
        timeout: 60_000
      })
      return { code: out.status, stderr: out.stderr, report: JSON.parse(readFileSync(file, 'utf8')) as Report }
    } finally {
      closeSync(fd)
    }
  }

  it('counts findings on its progress line as the headline does, the exempt ones said apart', () => {
    const exempting = scanTo(join(dir, 'exempting.json'), '--exempt-users', 'old-bob')
    expect(exempting.report.totals).toMatchObject({ findings: 1, exempt: 1 })
    expect(exempting.stderr).toContain('[123456789012] 3 users, 3 keys, 1 finding (1 exempt)\n')
  }, 60_000)

  it('tells a key deleted through the IAM API as resolved since the first run, nothing new', async () => {
    const [alice, bob] = keys
    const first = scanTo(join(dir, 'first.json'))
    expect(first.code).toBe(1)
    expect(first.report.findings.map((f) => [f.userName, f.accessKeyId, f.kind, f.new])).toEqual([
      ['old-alice', alice.accessKeyId, 'stale', null],
      ['old-bob', bob.accessKeyId, 'stale', null]
    ])
    expect(first.report.totals).toMatchObject({ stale: 2, new: null, resolved: null })

    // Nothing changed: against the first run, nothing is new and nothing resolved.
    const second = scanTo(join(dir, 'second.json'), '--baseline', 'first.json')
    expect(second.code).toBe(1)
    expect(second.report.totals).toMatchObject({ stale: 2, new: 0, resolved: 0 })
    expect(second.report.accounts).toEqual([expect.objectContaining({ baseline: 'previous-report', new: 0, resolved: 0 })])

    const iam = new IAMClient(motoClientConfig(moto.endpoint))
    try {
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'old-bob', AccessKeyId: bob.accessKeyId }))
    } finally {
      iam.destroy()
    }

    const third = scanTo(join(dir, 'third.json'), '--baseline', 'first.json')
    expect(third.code).toBe(1)
    const today = first.report.generatedAt.slice(0, 10)
    expect(third.report.resolved).toEqual([
      expect.objectContaining({ userName: 'old-bob', accessKeyId: bob.accessKeyId, kind: 'stale', firstSeenAt: today, how: 'deleted' })
    ])
    expect(third.report.totals).toMatchObject({ stale: 1, findings: 1, new: 0, resolved: 1 })
    expect(third.report.findings).toEqual([
      expect.objectContaining({ userName: 'old-alice', accessKeyId: alice.accessKeyId, new: false, firstSeenAt: today, overdueDays: 110 })
    ])
    expect(third.report.notes).toEqual([])
    expect(third.stderr).toContain('Failing: 1 stale in 123456789012 (fail-on: stale,root-key).')
  }, 120_000)
})
