import { describe, expect, it } from '@jest/globals'
import {
  NO_KEY_IDS_NOTE,
  decodeCredentialReportFile,
  reportFromCredentialReport,
  scanFromCredentialReport
} from '../../../src/scan/offline.js'
import { baselinesFromReport, type ChosenBaseline } from '../../../src/core/lifecycle.js'
import type { Policy } from '../../../src/core/model.js'
import { CREDENTIAL_REPORT_HEADER, NOW, credentialReportRow, type CredentialReportKey } from '../helpers.js'

const POLICY: Policy = { maxKeyAgeDays: 90, warnKeyAgeDays: 75, maxUnusedDays: 45 }
const ACCOUNT = '111122223333'

/** A row of this file's account. */
function row(user: string, keys: CredentialReportKey[]): string {
  return credentialReportRow(user, keys, { account: ACCOUNT })
}

const CSV = [
  CREDENTIAL_REPORT_HEADER,
  row('<root_account>', [{ active: true, created: '2020-01-01T00:00:00+00:00', lastUsed: '2026-11-20T00:00:00+00:00', service: 's3' }]),
  row('stale-sam', [{ active: true, created: '2026-08-26T10:00:00+00:00', lastUsed: '2026-11-23T10:00:00+00:00', service: 'sts' }]), // 90 days: stale at 90
  row('unused-uma', [{ active: true, created: '2026-09-25T10:00:00+00:00', lastUsed: '2026-10-10T10:00:00+00:00', service: 'ecr' }]), // 60 old, idle 45
  row('expiring-eve', [{ active: true, created: '2026-09-10T10:00:00+00:00', lastUsed: '2026-11-23T10:00:00+00:00', service: 'iam' }]), // 75 days
  row('inactive-ian', [{ active: false, created: '2020-05-05T10:00:00+00:00' }]),
  row('healthy-hal', [{ active: true, created: '2026-11-01T10:00:00+00:00', lastUsed: '2026-11-24T08:00:00+00:00', service: 'lambda' }, { active: false, created: '2026-10-30T10:00:00+00:00' }]),
  row('console-carl', []),
  row('svc-old', [{ active: true, created: '2021-01-01T00:00:00+00:00', lastUsed: '2026-11-24T01:00:00+00:00', service: 's3' }])
].join('\n')

const exemptions = { userPatterns: ['svc-*'], tagKey: 'key-sentry:exempt' }

describe('reportFromCredentialReport', () => {
  const report = reportFromCredentialReport(CSV, { policy: POLICY, exemptions, now: NOW })
  const kindOf = (user: string) => report.findings.filter((f) => f.userName === user).map((f) => f.kind)

  it('finds every kind, one finding per key, with no key ids', () => {
    expect(kindOf('<root_account>')).toEqual(['root-key'])
    expect(kindOf('stale-sam')).toEqual(['stale'])
    expect(kindOf('unused-uma')).toEqual(['unused'])
    expect(kindOf('expiring-eve')).toEqual(['expiring'])
    expect(kindOf('inactive-ian')).toEqual(['inactive'])
    expect(kindOf('healthy-hal')).toEqual([])
    expect(report.findings.every((f) => f.accessKeyId === null)).toBe(true)
  })

  it('applies the new kinds to the file too: setup-key, two-active-keys, and an inactive root key', () => {
    const cells = (user: string, created: string, password: string, keys: string[]) =>
      [user, `arn:aws:iam::${ACCOUNT}:user/${user}`, created, password, 'N/A', 'N/A', 'N/A', 'false', ...keys, 'false', 'N/A', 'false', 'N/A'].join(',')
    const key = (active: boolean, made: string, used = 'N/A') => [String(active), made, used, used === 'N/A' ? 'N/A' : 'us-east-1', used === 'N/A' ? 'N/A' : 's3']
    const none = ['false', 'N/A', 'N/A', 'N/A', 'N/A']
    const csv = [
      CREDENTIAL_REPORT_HEADER,
      [
        '<root_account>',
        `arn:aws:iam::${ACCOUNT}:root`,
        '2019-01-01T00:00:00+00:00',
        'not_supported',
        'N/A',
        'not_supported',
        'not_supported',
        'true',
        ...key(false, '2026-11-01T00:00:00+00:00'),
        ...none,
        'false',
        'N/A',
        'false',
        'N/A'
      ].join(','),
      // Made 24 hours after the user, never used, console password: setup-key.
      cells('console-cat', '2026-11-10T09:00:00+00:00', 'true', [...key(true, '2026-11-11T09:00:00+00:00'), ...none]),
      // The same without a console password: healthy.
      cells('api-abe', '2026-11-10T09:00:00+00:00', 'false', [...key(true, '2026-11-10T09:00:05+00:00'), ...none]),
      // Two active keys: the older one carries the finding.
      cells('pair-pat', '2026-01-01T00:00:00+00:00', 'false', [
        ...key(true, '2026-11-20T00:00:00+00:00', '2026-11-23T00:00:00+00:00'),
        ...key(true, '2026-11-02T00:00:00+00:00', '2026-11-23T00:00:00+00:00')
      ])
    ].join('\n')
    const offline = reportFromCredentialReport(csv, { policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null }, exemptions, now: NOW })
    expect(offline.findings.map((f) => [f.kind, f.userName, f.status, f.createdAt, f.controls])).toEqual([
      ['root-key', '<root_account>', 'Inactive', '2026-11-01T00:00:00Z', ['CIS 1.4', 'IAM.4']],
      ['setup-key', 'console-cat', 'Active', '2026-11-11T09:00:00Z', ['CIS 1.11']],
      ['two-active-keys', 'pair-pat', 'Active', '2026-11-02T00:00:00Z', ['CIS 1.13']]
    ])
  })

  it('exempts by exempt-users, and lists the exempt findings last', () => {
    const last = report.findings[report.findings.length - 1]
    expect(last).toMatchObject({ userName: 'svc-old', kind: 'stale', exempt: true, exemptReason: 'exempt-users svc-*' })
    expect(report.totals).toEqual({ users: 7, keys: 8, stale: 1, findings: 5, exempt: 1, new: null, resolved: null })
  })

  it('takes the account id from the ARNs and describes the scan as a credential report', () => {
    expect(report.accounts).toEqual([
      expect.objectContaining({
        accountId: ACCOUNT,
        dataSource: 'credential-report',
        users: 7,
        keys: 8,
        error: null,
        baseline: null,
        new: null,
        resolved: null
      })
    ])
    expect(report.findings.every((f) => f.accountId === ACCOUNT)).toBe(true)
    expect(report.schemaVersion).toBe(2)
    expect(report.generatedAt).toBe('2026-11-24T12:00:00Z')
    expect(report.resolved).toEqual([])
    expect(report.notes).toEqual([])
  })

  it('tells overdue days without a baseline, and leaves new and first seen unknown', () => {
    const stale = report.findings.find((f) => f.userName === 'stale-sam')
    expect(stale).toMatchObject({ kind: 'stale', ageDays: 90, overdueDays: 0, new: null, firstSeenAt: null })
    // An exempt stale key (2153 days old) is overdue all the same; it is listed, not counted.
    expect(report.findings.find((f) => f.userName === 'svc-old')).toMatchObject({ exempt: true, ageDays: 2153, overdueDays: 2063, new: null })
    expect(report.findings.filter((f) => f.kind !== 'stale').every((f) => f.overdueDays === null)).toBe(true)
  })

  it('says once that key ids are missing and that tags cannot be read', () => {
    expect(report.accounts[0].notes).toEqual([
      NO_KEY_IDS_NOTE,
      'exempt-tag key-sentry:exempt is not applied: user tags are not in a credential report'
    ])
  })

  it('notes when the report was generated, when known', () => {
    const dated = reportFromCredentialReport(CSV, {
      policy: POLICY,
      exemptions: { userPatterns: [], tagKey: null },
      now: NOW,
      generatedAt: new Date('2026-11-24T08:00:00Z')
    })
    expect(dated.accounts[0].notes).toEqual([NO_KEY_IDS_NOTE, 'the credential report was generated at 2026-11-24T08:00:00Z'])
    // No pattern: the service user's stale key counts.
    expect(dated.totals.stale).toBe(2)
  })

  it('warns, as the online scan does, when exempt-users matches every user name', () => {
    const everyone = reportFromCredentialReport(CSV, { policy: POLICY, exemptions: { userPatterns: ['*'], tagKey: null }, now: NOW })
    expect(everyone.accounts[0].notes).toEqual([
      NO_KEY_IDS_NOTE,
      'exempt-users "*" matches every user name: every user with findings is exempt (5 users), never counted or failed on; ' +
        'name the users to exempt instead, or set fail-on: none to report without failing'
    ])
    // The root key is never exempt.
    expect(everyone.totals).toMatchObject({ findings: 1, exempt: 5 })
  })

  it('refuses a report without rows or without the report columns, saying which', () => {
    const read = (csv: string) => () => reportFromCredentialReport(csv, { policy: POLICY, exemptions, now: NOW })
    expect(read('')).toThrow(/^the credential report is empty$/)
    expect(read(`${CREDENTIAL_REPORT_HEADER}\n`)).toThrow(/^the credential report has its header line but no rows$/)
    expect(read('name,age\nx,1')).toThrow(
      'credential report lacks the columns user, arn, access_key_1_active, access_key_1_last_rotated ' +
        '(required: user, arn, access_key_1_active, access_key_1_last_rotated; its first line, which must be the header, is "name,age")'
    )
  })

  it('says what the arn column holds when no row has an IAM ARN', () => {
    const csv = 'user,arn,access_key_1_active,access_key_1_last_rotated\nalice,alice@example.com,true,2026-01-01T00:00:00+00:00\n'
    expect(() => reportFromCredentialReport(csv, { policy: POLICY, exemptions, now: NOW })).toThrow(
      'no account id found: no row\'s arn column holds an IAM ARN (arn:aws:iam::123456789012:user/NAME); the first row\'s is "alice@example.com"'
    )
  })
})

describe('scanFromCredentialReport', () => {
  it('gives the scan with every key of the report as its inventory, none with an id', () => {
    const scan = scanFromCredentialReport(CSV, { policy: POLICY, exemptions, now: NOW })
    expect(scan).toMatchObject({ accountId: ACCOUNT, dataSource: 'credential-report', users: 7, keys: 8 })
    expect(scan.inventory).toHaveLength(8)
    expect(scan.inventory?.every((k) => k.accessKeyId === null)).toBe(true)
    expect(scan.inventory?.find((k) => k.userName === 'inactive-ian')).toMatchObject({
      status: 'Inactive',
      createdAt: new Date('2020-05-05T10:00:00Z')
    })
    // Not compared yet: no lifecycle, no lifecycle fields on the findings.
    expect(scan.lifecycle).toBeUndefined()
    expect(scan.findings.every((f) => f.new === undefined && f.overdueDays === undefined)).toBe(true)
  })
})

describe('reportFromCredentialReport with a baseline', () => {
  // Ten days earlier, the same account: stale-sam was 80 days old (expiring), inactive-ian was there.
  const EARLIER = new Date('2026-11-14T12:00:00Z')
  const before = reportFromCredentialReport(CSV, { policy: POLICY, exemptions, now: EARLIER })
  const read = baselinesFromReport(JSON.parse(JSON.stringify(before)))
  if (!read.ok) throw new Error(read.error)
  const chosen: ChosenBaseline = { source: 'previous-report', baseline: read.baselines.get(ACCOUNT)! }
  // Today inactive-ian is gone (the user was deleted).
  const today = CSV.split('\n')
    .filter((line) => !line.startsWith('inactive-ian,'))
    .join('\n')
  const report = reportFromCredentialReport(today, { policy: POLICY, exemptions, now: NOW, baseline: chosen, notes: ['a run note'] })
  const byUser = (user: string) => report.findings.find((f) => f.userName === user)

  it('remembers what the earlier report counted, keys found by user and creation time', () => {
    expect(before.findings.filter((f) => !f.exempt).map((f) => [f.userName, f.kind])).toEqual([
      ['<root_account>', 'root-key'],
      ['stale-sam', 'expiring'],
      ['inactive-ian', 'inactive']
    ])
    expect(chosen.baseline.keys.map((k) => [k.userName, k.accessKeyId, k.firstSeenAt])).toEqual([
      ['<root_account>', null, '2026-11-14'],
      ['inactive-ian', null, '2026-11-14'],
      ['stale-sam', null, '2026-11-14']
    ])
  })

  it('marks what is new, keeps the day a key was first seen, and tells overdue days', () => {
    expect(byUser('<root_account>')).toMatchObject({ kind: 'root-key', new: false, firstSeenAt: '2026-11-14', overdueDays: null })
    // Expiring then, stale now: the same key, not new, first seen then.
    expect(byUser('stale-sam')).toMatchObject({ kind: 'stale', new: false, firstSeenAt: '2026-11-14', overdueDays: 0 })
    expect(byUser('unused-uma')).toMatchObject({ kind: 'unused', new: true, firstSeenAt: '2026-11-24' })
    expect(byUser('expiring-eve')).toMatchObject({ kind: 'expiring', new: true, firstSeenAt: '2026-11-24' })
    expect(byUser('svc-old')).toMatchObject({ exempt: true, new: false, firstSeenAt: null })
  })

  it('lists the baseline keys that are gone as resolved, and counts both', () => {
    expect(report.resolved).toEqual([
      {
        accountId: ACCOUNT,
        userName: 'inactive-ian',
        accessKeyId: null,
        createdAt: '2020-05-05T10:00:00Z',
        kind: 'inactive',
        firstSeenAt: '2026-11-14',
        resolvedAt: '2026-11-24',
        daysOpen: 10,
        how: 'deleted'
      }
    ])
    expect(report.accounts[0]).toMatchObject({ baseline: 'previous-report', new: 2, resolved: 1, users: 6, keys: 7 })
    expect(report.totals).toMatchObject({ findings: 4, new: 2, resolved: 1 })
    expect(report.notes).toEqual(['a run note'])
  })
})

describe('decodeCredentialReportFile', () => {
  it('takes a CSV as it is (a byte-order mark dropped)', () => {
    expect(decodeCredentialReportFile(`\uFEFF${CSV}\n`)).toEqual({ csv: CSV, generatedAt: null })
  })

  it('decodes the base64 Content of `aws iam get-credential-report` and keeps GeneratedTime', () => {
    const json = JSON.stringify({
      Content: Buffer.from(CSV).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-11-24T08:00:00+00:00'
    })
    expect(decodeCredentialReportFile(json)).toEqual({ csv: CSV, generatedAt: new Date('2026-11-24T08:00:00Z') })
  })

  it('says what is wrong with JSON that is not a credential report', () => {
    expect(() => decodeCredentialReportFile('{"Content": ')).toThrow(/looks like JSON but does not parse/)
    expect(() => decodeCredentialReportFile('{"ReportFormat": "text/csv"}')).toThrow(/no "Content"/)
  })
})
