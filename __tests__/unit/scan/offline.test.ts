import { describe, expect, it } from '@jest/globals'
import { NO_KEY_IDS_NOTE, decodeCredentialReportFile, reportFromCredentialReport } from '../../../src/scan/offline.js'
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

  it('exempts by exempt-users, and lists the exempt findings last', () => {
    const last = report.findings[report.findings.length - 1]
    expect(last).toMatchObject({ userName: 'svc-old', kind: 'stale', exempt: true, exemptReason: 'exempt-users svc-*' })
    expect(report.totals).toEqual({ users: 7, keys: 8, stale: 1, findings: 5, exempt: 1 })
  })

  it('takes the account id from the ARNs and describes the scan as a credential report', () => {
    expect(report.accounts).toEqual([
      expect.objectContaining({ accountId: ACCOUNT, dataSource: 'credential-report', users: 7, keys: 8, error: null })
    ])
    expect(report.findings.every((f) => f.accountId === ACCOUNT)).toBe(true)
    expect(report.schemaVersion).toBe(1)
    expect(report.generatedAt).toBe('2026-11-24T12:00:00Z')
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

  it('refuses a report without rows or without the report columns', () => {
    expect(() => reportFromCredentialReport(CREDENTIAL_REPORT_HEADER, { policy: POLICY, exemptions, now: NOW })).toThrow(/no account id/)
    expect(() => reportFromCredentialReport('name,age\nx,1', { policy: POLICY, exemptions, now: NOW })).toThrow(/lacks the columns/)
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
