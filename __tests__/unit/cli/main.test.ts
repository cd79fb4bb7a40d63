import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { main, type CliIo } from '../../../src/cli/main.js'
import type { Report } from '../../../src/core/report.js'
import { NO_KEY_IDS_NOTE } from '../../../src/scan/offline.js'
import {
  CREDENTIAL_REPORT_HEADER,
  NOW,
  credentialReportCsv,
  credentialReportRow,
  type CredentialReportKey
} from '../helpers.js'

const ACCOUNT = '111122223333'
const arn = (user: string) => `arn:aws:iam::${ACCOUNT}:user/${user}`
const row = (user: string, keys: CredentialReportKey[] = []) => credentialReportRow(user, keys, { account: ACCOUNT })
const CSV = credentialReportCsv(
  row('<root_account>'),
  row('old-alice', [{ active: true, created: '2026-05-01T08:00:00+00:00', lastUsed: '2026-11-20T00:00:00+00:00', service: 's3' }]),
  row('etl', [{ active: true, created: '2026-09-05T08:00:00+00:00', lastUsed: '2026-11-23T00:00:00+00:00', service: 'athena' }])
)

interface FakeIo extends CliIo {
  out: () => string
  err: () => string
}

function fakeIo(files: Record<string, string> = {}, options: { tty?: boolean; env?: Record<string, string>; now?: Date } = {}): FakeIo {
  let out = ''
  let err = ''
  return {
    stdout: { isTTY: options.tty ?? false, write: (c: string) => (out += c) },
    stderr: { isTTY: false, write: (c: string) => (err += c) },
    env: { ...options.env },
    // No owners file there: the default path is missing, so no rules.
    cwd: () => '/nonexistent-workspace',
    readFile: async (path) => {
      if (!(path in files)) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' })
      }
      return files[path]
    },
    readStdin: async () => files['-'] ?? '',
    now: () => options.now ?? NOW,
    out: () => out,
    err: () => err
  }
}

describe('main: usage', () => {
  it('prints the help and exits 0', async () => {
    const io = fakeIo()
    expect(await main(['--help'], io)).toBe(0)
    expect(io.out()).toMatch(/^Usage: iam-key-sentry scan \[flags\]/)
    expect(io.out()).toContain('--max-key-age-days N')
  })

  it('exits 2 on bad flags, naming each, with nothing on standard output', async () => {
    const io = fakeIo()
    expect(await main(['scan', '--max-key-age-days', '0', '--data-source', 'magic'], io)).toBe(2)
    expect(io.out()).toBe('')
    expect(io.err()).toBe(
      'iam-key-sentry: 2 problems:\n' +
        '- --max-key-age-days: "0" is not accepted; use a positive whole number of days (for example 90)\n' +
        '- --data-source: "magic" is not accepted; use one of auto, credential-report, api\n' +
        'See iam-key-sentry scan --help.\n'
    )
    const one = fakeIo()
    expect(await main(['scan', '--fail-on', 'everything'], one)).toBe(2)
    expect(one.err()).toMatch(/^iam-key-sentry: --fail-on: "everything" is not accepted; .* or none\nSee iam-key-sentry scan --help\.\n$/)
  })
})

describe('main: --credential-report', () => {
  const files = { 'report.csv': CSV, 'report.json': JSON.stringify({ Content: Buffer.from(CSV).toString('base64') }) }

  it('exits 1 for findings of the fail-on kinds and prints the tables', async () => {
    const io = fakeIo(files)
    expect(await main(['scan', '--credential-report', 'report.csv', '--warn-key-age-days', '75'], io)).toBe(1)
    expect(io.out()).toContain('IAM Key Sentry: 2 findings (1 stale, 1 expiring) in account 111122223333')
    expect(io.out()).toContain('  old-alice  (not in report)  Active         207  2026-11-20 (s3)')
    expect(io.out()).toMatch(/Failing: 1 stale in 111122223333 \(fail-on: stale,root-key\)\.\n$/)
    expect(io.out()).not.toContain('\u001b[')
    expect(io.err()).toBe('')
  })

  it('exits 0 when the findings are not of the fail-on kinds', async () => {
    const io = fakeIo(files)
    expect(await main(['scan', '--credential-report', 'report.json', '--fail-on', 'root-key'], io)).toBe(0)
    expect(io.out()).toContain('Passing: no findings of the fail-on kinds (fail-on: root-key).')
  })

  it('warns in the notes when --exempt-users matches every user name, as a scan of AWS does', async () => {
    const io = fakeIo(files)
    expect(await main(['scan', '--credential-report', 'report.csv', '--exempt-users', '*'], io)).toBe(0)
    expect(io.out()).toContain('- exempt-users "*" matches every user name: every user with findings is exempt (1 user)')
  })

  describe('--owners-file', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'cli-owners-'))
    writeFileSync(join(workspace, 'owners.yml'), "- users: ['old-*']\n  owners: ['@alice', 'alice@example.com']\n")
    writeFileSync(join(workspace, 'bad.yml'), "- users: ['old alice']\n  owners: ['@/x']\n")
    writeFileSync(join(workspace, 'named.yml'), "- users: ['old-*']\n  owners: ['Billing team']\n")
    const inWorkspace = (io: FakeIo): FakeIo => ({ ...io, cwd: () => workspace })

    it('gives each finding the owners of the last matching rule, in the table and the JSON', async () => {
      const json = inWorkspace(fakeIo(files))
      expect(await main(['scan', '--credential-report', 'report.csv', '--owners-file', 'owners.yml', '--json'], json)).toBe(1)
      const report = JSON.parse(json.out()) as Report
      expect(report.findings.map((f) => [f.userName, f.owners])).toEqual([['old-alice', ['@alice', 'alice@example.com']]])
      const text = inWorkspace(fakeIo(files))
      await main(['scan', '--credential-report', 'report.csv', '--owners-file', 'owners.yml'], text)
      expect(text.out()).toMatch(/old-alice.*@alice, alice@example\.com/)
    })

    it("says a plain name in the file in the run's notes", async () => {
      const io = inWorkspace(fakeIo(files))
      await main(['scan', '--credential-report', 'report.csv', '--owners-file', 'named.yml', '--json'], io)
      const report = JSON.parse(io.out()) as Report
      expect(report.notes).toEqual([expect.stringContaining('named.yml line 2: "Billing team" is not a GitHub login')])
      expect(report.findings[0]!.owners).toEqual(['Billing team'])
    })

    it('exits 2 on a malformed or missing file, naming the flag, the file and each bad line, before any scan', async () => {
      const bad = inWorkspace(fakeIo(files))
      expect(await main(['scan', '--credential-report', 'report.csv', '--owners-file', 'bad.yml'], bad)).toBe(2)
      expect(bad.err()).toMatch(/^iam-key-sentry: 2 problems:\n- --owners-file: bad\.yml line 1: "users": "old alice" can never match/)
      expect(bad.err()).toContain('- --owners-file: bad.yml line 2: "owners": "@/x" is not a GitHub login')
      expect(bad.out()).toBe('')
      const missing = inWorkspace(fakeIo(files))
      expect(await main(['scan', '--credential-report', 'report.csv', '--owners-file', 'nope.yml'], missing)).toBe(2)
      expect(missing.err()).toMatch(/^iam-key-sentry: --owners-file: nope\.yml does not exist/)
    })
  })

  it('prints only the JSON report on standard output with --json', async () => {
    const io = fakeIo({ '-': CSV })
    expect(await main(['scan', '--credential-report', '-', '--json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as Report
    expect(report).toMatchObject({
      schemaVersion: 2,
      totals: { stale: 1, findings: 1, new: null, resolved: null },
      accounts: [{ accountId: ACCOUNT, baseline: null, new: null, resolved: null }],
      resolved: [],
      notes: []
    })
    // Without a baseline the stale key is still overdue; new and first seen are unknown.
    expect(report.findings).toEqual([
      expect.objectContaining({ userName: 'old-alice', kind: 'stale', ageDays: 207, overdueDays: 117, new: null, firstSeenAt: null })
    ])
    expect(io.err()).toBe('Failing: 1 stale in 111122223333 (fail-on: stale,root-key).\n')
  })

  it('colours a terminal, unless NO_COLOR is set', async () => {
    const tty = fakeIo(files, { tty: true })
    await main(['scan', '--credential-report', 'report.csv'], tty)
    expect(tty.out()).toContain('\u001b[')
    const noColor = fakeIo(files, { tty: true, env: { NO_COLOR: '1' } })
    await main(['scan', '--credential-report', 'report.csv'], noColor)
    expect(noColor.out()).not.toContain('\u001b[')
  })

  it('exits 2 when the file cannot be read or is not a credential report', async () => {
    const missing = fakeIo(files)
    expect(await main(['scan', '--credential-report', 'nope.csv'], missing)).toBe(2)
    expect(missing.err()).toBe("iam-key-sentry: nope.csv: ENOENT: no such file or directory, open 'nope.csv'\n")
    const wrong = fakeIo({ 'x.csv': 'a,b\n1,2\n' })
    expect(await main(['scan', '--credential-report', 'x.csv'], wrong)).toBe(2)
    expect(wrong.err()).toMatch(/credential report lacks the columns user, arn, .*; its first line, which must be the header, is "a,b"\)\n$/)
    // No header line at all: the first row is taken for one, and shown.
    const headless = fakeIo({ 'y.csv': 'alice,arn:aws:iam::123456789012:user/alice,true,2026-01-01T00:00:00+00:00\n' })
    expect(await main(['scan', '--credential-report', 'y.csv'], headless)).toBe(2)
    expect(headless.err()).toContain('which must be the header, is "alice,arn:aws:iam::123456789012:user/alice,true,2026-01-01T00:00:00+00:00"')
  })
})

describe('main: --baseline', () => {
  // Two weeks ago gone-gary had a stale key; today it is gone, and new-nora's key has turned stale.
  const EARLIER = new Date('2026-11-10T12:00:00Z')
  const ALICE = row('old-alice', [{ active: true, created: '2026-05-01T08:00:00+00:00', lastUsed: '2026-11-20T00:00:00+00:00', service: 's3' }])
  const ETL = row('etl', [{ active: true, created: '2026-09-05T08:00:00+00:00', lastUsed: '2026-11-23T00:00:00+00:00', service: 'athena' }])
  const BEFORE = credentialReportCsv(row('<root_account>'), ALICE, ETL, row('gone-gary', [{ active: true, created: '2025-01-01T00:00:00+00:00' }]))
  const TODAY = credentialReportCsv(row('<root_account>'), ALICE, ETL, row('new-nora', [{ active: true, created: '2026-08-01T12:00:00+00:00' }]))

  /** The --json output of a run two weeks ago: the baseline file. */
  async function earlierReport(): Promise<string> {
    const io = fakeIo({ 'before.csv': BEFORE }, { now: EARLIER })
    expect(await main(['scan', '--credential-report', 'before.csv', '--json'], io)).toBe(1)
    return io.out()
  }

  it('marks new and resolved findings in the JSON report', async () => {
    const io = fakeIo({ 'today.csv': TODAY, 'before.json': await earlierReport() })
    expect(await main(['scan', '--credential-report', 'today.csv', '--baseline', 'before.json', '--json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as Report
    expect(report.schemaVersion).toBe(2)
    expect(report.totals).toEqual({ users: 3, keys: 3, stale: 2, findings: 2, exempt: 0, new: 1, resolved: 1 })
    expect(report.accounts).toEqual([expect.objectContaining({ accountId: ACCOUNT, baseline: 'previous-report', new: 1, resolved: 1 })])
    expect(report.findings.map((f) => [f.userName, f.new, f.firstSeenAt, f.overdueDays])).toEqual([
      ['old-alice', false, '2026-11-10', 117],
      ['new-nora', true, '2026-11-24', 25]
    ])
    expect(report.resolved).toEqual([
      {
        accountId: ACCOUNT,
        userName: 'gone-gary',
        accessKeyId: null,
        createdAt: '2025-01-01T00:00:00Z',
        kind: 'stale',
        firstSeenAt: '2026-11-10',
        resolvedAt: '2026-11-24',
        daysOpen: 14,
        how: 'deleted'
      }
    ])
    expect(report.notes).toEqual([])
    // Exit code and standard error as without a baseline.
    expect(io.err()).toBe('Failing: 2 stale in 111122223333 (fail-on: stale,root-key).\n')
  })

  it('says what changed since the file, marks new rows, and lists what was resolved', async () => {
    const io = fakeIo({ 'today.csv': TODAY, 'before.json': await earlierReport() })
    expect(await main(['scan', '--credential-report', 'today.csv', '--baseline', 'before.json'], io)).toBe(1)
    expect(io.out()).toBe(
      'IAM Key Sentry: 2 stale keys in account 111122223333\n' +
        'Account 111122223333: 3 users, 3 keys (credential report).\n' +
        'Policy: active keys are stale at 90 days.\n' +
        '1 new, 1 resolved since before.json.\n' +
        '\n' +
        'Stale keys: rotate them (high; CIS 1.14, IAM.3): 2\n' +
        '       User       Access key       Status  Age (days)  Overdue  First seen  Last used\n' +
        '       old-alice  (not in report)  Active         207     117d  2026-11-10  2026-11-20 (s3)\n' +
        '  new  new-nora   (not in report)  Active         115      25d  2026-11-24  never\n' +
        '\n' +
        'Resolved since the last run: 1\n' +
        '  User       Access key       Had    Days open  How\n' +
        '  gone-gary  (not in report)  stale         14  deleted\n' +
        '\n' +
        'Notes:\n' +
        `- ${NO_KEY_IDS_NOTE}\n` +
        '- exempt-tag key-sentry:exempt is not applied: user tags are not in a credential report\n' +
        '- owner-tag owner is not applied: user tags are not in a credential report\n' +
        '\n' +
        'Failing: 2 stale in 111122223333 (fail-on: stale,root-key).\n'
    )
    expect(io.err()).toBe('')
  })

  it('colours the new mark without moving a column', async () => {
    const files = { 'today.csv': TODAY, 'before.json': await earlierReport() }
    const plain = fakeIo(files)
    await main(['scan', '--credential-report', 'today.csv', '--baseline', 'before.json'], plain)
    const tty = fakeIo(files, { tty: true })
    await main(['scan', '--credential-report', 'today.csv', '--baseline', 'before.json'], tty)
    expect(tty.out()).toContain('  \u001b[35m\u001b[1mnew\u001b[22m\u001b[39m  new-nora ')
    const withoutCodes = tty
      .out()
      .split('\u001b[')
      .map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, '')))
      .join('')
    expect(withoutCodes).toBe(plain.out())
  })

  it('says a missing baseline file does not exist, and marks nothing new', async () => {
    const note = '--baseline before.json does not exist (yet): no baseline, so nothing is marked new or resolved'
    const text = fakeIo({ 'today.csv': TODAY })
    expect(await main(['scan', '--credential-report', 'today.csv', '--baseline', 'before.json'], text)).toBe(1)
    expect(text.out()).toContain(`Notes:\n- ${note}\n- ${NO_KEY_IDS_NOTE}\n`)
    // No line of what changed, no mark, no first-seen column.
    expect(text.out()).not.toMatch(/ resolved since |First seen|Resolved since|^ {2}new /m)
    expect(text.out()).toContain('  User       Access key       Status  Age (days)  Last used\n')

    const json = fakeIo({ 'today.csv': TODAY })
    expect(await main(['scan', '--credential-report', 'today.csv', '--baseline', 'before.json', '--json'], json)).toBe(1)
    const report = JSON.parse(json.out()) as Report
    expect(report.notes).toEqual([note])
    expect(report.totals).toMatchObject({ new: null, resolved: null })
    expect(report.accounts[0]).toMatchObject({ baseline: null, new: null, resolved: null })
    expect(report.findings.every((f) => f.new === null && f.firstSeenAt === null)).toBe(true)
    expect(report.resolved).toEqual([])
    expect(json.err()).toBe(`note: ${note}\nFailing: 2 stale in 111122223333 (fail-on: stale,root-key).\n`)
  })

  it.each([
    ['not JSON', '{"schemaVersion": 2,', /^--previous-report bad\.json: the previous report is not JSON: .*; no baseline, so nothing is marked new or resolved$/],
    ['another schema', '{"schemaVersion": 3}', /^--previous-report bad\.json: the previous report has schemaVersion 3; 1 and 2 are read; no baseline/],
    ['cut to fit', JSON.stringify({ schemaVersion: 2, truncated: true }), /was cut to fit a size limit \(truncated\)/]
  ])('says a malformed baseline file (%s) is no baseline, and marks nothing new', async (_what, content, note) => {
    const io = fakeIo({ 'today.csv': TODAY, 'bad.json': content })
    expect(await main(['scan', '--credential-report', 'today.csv', '--previous-report', 'bad.json', '--json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as Report
    expect(report.notes).toEqual([expect.stringMatching(note)])
    expect(report.totals).toMatchObject({ new: null, resolved: null })
    expect(report.findings.every((f) => f.new === null)).toBe(true)

    const text = fakeIo({ 'today.csv': TODAY, 'bad.json': content })
    expect(await main(['scan', '--credential-report', 'today.csv', '--previous-report', 'bad.json'], text)).toBe(1)
    expect(text.out()).toContain(`Notes:\n- ${report.notes[0]}\n`)
    expect(text.out()).not.toMatch(/ resolved since |First seen|Resolved since|^ {2}new /m)
  })

  it('says when the baseline file has no scan of the account', async () => {
    const other = JSON.stringify({
      schemaVersion: 2,
      generatedAt: '2026-11-10T12:00:00Z',
      accounts: [{ accountId: '444455556666', error: null }],
      findings: []
    })
    const io = fakeIo({ 'today.csv': TODAY, 'other.json': other })
    expect(await main(['scan', '--credential-report', 'today.csv', '--baseline', 'other.json', '--json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as Report
    expect(report.notes).toEqual([
      `--baseline other.json has no complete scan of account ${ACCOUNT}: its findings are not marked new or resolved`
    ])
    expect(report.totals).toMatchObject({ new: null, resolved: null })
  })

  it('compares a scan of AWS with the file too: a key gone from AWS is resolved, deleted', async () => {
    const iam = mockClient(IAMClient)
    const sts = mockClient(STSClient)
    try {
      sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/me` })
      iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
      iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(CSV) })
      iam.on(ListAccessKeysCommand, { UserName: 'old-alice' }).resolves({
        AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLDALICE00000001', Status: 'Active', CreateDate: new Date('2026-05-01T08:00:00Z') }]
      })
      iam.on(ListUserTagsCommand).resolves({ Tags: [] })
      const stale = (userName: string, accessKeyId: string, createdAt: string) => ({
        accountId: ACCOUNT,
        kind: 'stale',
        severity: 'high',
        userName,
        userArn: arn(userName),
        accessKeyId,
        status: 'Active',
        createdAt,
        ageDays: 100,
        lastUsedAt: null,
        lastUsedService: null,
        exempt: false
      })
      // A schema 1 report (an action run before v2): first seen on the day it was generated.
      const previous = {
        schemaVersion: 1,
        generatedAt: '2026-11-01T06:00:00Z',
        policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null },
        accounts: [{ accountId: ACCOUNT, dataSource: 'credential-report', users: 3, keys: 3, error: null }],
        totals: { users: 3, keys: 3, stale: 2, findings: 2, exempt: 0 },
        findings: [
          stale('old-alice', 'AKIAOLDALICE00000001', '2026-05-01T08:00:00Z'),
          stale('gone-gary', 'AKIAGONEGARY00000001', '2025-01-01T00:00:00Z')
        ]
      }
      const io = fakeIo({ 'previous.json': JSON.stringify(previous) })
      expect(await main(['scan', '--baseline', 'previous.json', '--json'], io)).toBe(1)
      const report = JSON.parse(io.out()) as Report
      expect(report.findings).toEqual([
        expect.objectContaining({ userName: 'old-alice', accessKeyId: 'AKIAOLDALICE00000001', new: false, firstSeenAt: '2026-11-01', overdueDays: 117 })
      ])
      expect(report.resolved).toEqual([
        expect.objectContaining({ userName: 'gone-gary', accessKeyId: 'AKIAGONEGARY00000001', kind: 'stale', daysOpen: 23, how: 'deleted' })
      ])
      expect(report.totals).toMatchObject({ new: 0, resolved: 1 })
    } finally {
      iam.restore()
      sts.restore()
    }
  })
})

describe('main: text from AWS in a workflow log', () => {
  // A credential report from a compromised endpoint: a quoted user name with line breaks and workflow commands.
  const HOSTILE = 'eve\n::add-mask::hunter2\r::error title=x::owned\u001b[2J ##[warning]legacy'
  const csv = credentialReportCsv(
    credentialReportRow(HOSTILE, [{ active: true, created: '2026-05-01T08:00:00+00:00' }], { arn: arn('eve') })
  )
  const isCommand = (line: string) => /^\s*::/.test(line) || line.includes('##[')

  it('prints the table with no line a workflow command and no escape sequence from AWS', async () => {
    const io = fakeIo({ 'report.csv': csv })
    expect(await main(['scan', '--credential-report', 'report.csv'], io)).toBe(1)
    const lines = io.out().split(/\r\n|\r|\n/)
    expect(lines.filter((l) => l.includes('hunter2'))).toHaveLength(1)
    expect(lines.filter(isCommand)).toEqual([])
    expect(io.out()).not.toContain('\u001b')
  })

  it('prints JSON with no line a workflow command, which decodes to the name as it is', async () => {
    const io = fakeIo({ 'report.csv': csv })
    await main(['scan', '--credential-report', 'report.csv', '--json'], io)
    expect(io.out().split('\n').filter(isCommand)).toEqual([])
    expect((JSON.parse(io.out()) as Report).findings[0].userName).toBe(HOSTILE)
  })
})

describe('main: scanning AWS', () => {
  const iam = mockClient(IAMClient)
  const sts = mockClient(STSClient)
  beforeEach(() => {
    iam.reset()
    sts.reset()
  })
  afterAll(() => {
    iam.restore()
    sts.restore()
  })

  it('scans with the action core, sets AWS_PROFILE, and exits 1 on a stale key', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/me` })
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(CSV) })
    iam.on(ListAccessKeysCommand, { UserName: 'old-alice' }).resolves({
      AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLDALICE00000001', Status: 'Active', CreateDate: new Date('2026-05-01T08:00:00Z') }]
    })
    iam.on(ListUserTagsCommand).resolves({ Tags: [] })
    const io = fakeIo()
    expect(await main(['scan', '--profile', 'audit', '--mask-key-ids', 'false'], io)).toBe(1)
    expect(io.env.AWS_PROFILE).toBe('audit')
    expect(io.out()).toContain('  old-alice  AKIAOLDALICE00000001  Active         207  2026-11-20 (s3)')
    // Progress went to standard error, as plain lines (not a terminal).
    expect(io.err()).toContain('Checking the AWS credentials…\n')
  })

  it('exits 2, with the error, when the scan did not complete', async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      new STSServiceException({ name: 'ExpiredToken', $fault: 'client', $metadata: {}, message: 'The security token included in the request is expired' })
    )
    const io = fakeIo()
    expect(await main(['scan', '--json'], io)).toBe(2)
    const report = JSON.parse(io.out()) as Report
    expect(report.accounts[0].error).toMatch(/sts:GetCallerIdentity failed \(ExpiredToken/)
    expect(io.err()).toContain('The scan did not complete (1 account not scanned).')
  })
})

describe('the demo report', () => {
  it('is a 22-column credential report of account 111122223333 with a root row', () => {
    const csv = readFileSync(new URL('../../../examples/demo/credential-report.csv', import.meta.url), 'utf8')
    const [header, ...rows] = csv.trim().split('\n')
    expect(header).toBe(CREDENTIAL_REPORT_HEADER)
    expect(rows.every((r) => r.split(',').length === 22)).toBe(true)
    expect(rows[0]).toMatch(/^<root_account>,arn:aws:iam::111122223333:root,/)
  })
})
