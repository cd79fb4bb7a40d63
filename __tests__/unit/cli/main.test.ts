import { readFileSync } from 'node:fs'
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

function fakeIo(files: Record<string, string> = {}, options: { tty?: boolean; env?: Record<string, string> } = {}): FakeIo {
  let out = ''
  let err = ''
  return {
    stdout: { isTTY: options.tty ?? false, write: (c: string) => (out += c) },
    stderr: { isTTY: false, write: (c: string) => (err += c) },
    env: { ...options.env },
    readFile: async (path) => {
      if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`)
      return files[path]
    },
    readStdin: async () => files['-'] ?? '',
    now: () => NOW,
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

  it('prints only the JSON report on standard output with --json', async () => {
    const io = fakeIo({ '-': CSV })
    expect(await main(['scan', '--credential-report', '-', '--json'], io)).toBe(1)
    const report = JSON.parse(io.out()) as Report
    expect(report).toMatchObject({ schemaVersion: 1, totals: { stale: 1, findings: 1 }, accounts: [{ accountId: ACCOUNT }] })
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
    expect(wrong.err()).toMatch(/credential report lacks the columns user, arn/)
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
