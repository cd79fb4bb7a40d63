import { describe, expect, it } from '@jest/globals'
import { accountIds, buildReport, countByKind, isComplete } from '../../../src/core/report.js'
import type { ResolvedKey } from '../../../src/core/lifecycle.js'
import { ACCOUNT, DEFAULT_POLICY, NOW, OTHER_ACCOUNT, accountScan, finding } from '../helpers.js'

describe('buildReport', () => {
  const scans = [
    accountScan({
      accountId: ACCOUNT,
      name: null,
      dataSource: 'credential-report',
      users: 149,
      keys: 160,
      notes: ['the credential report was 2 hours old'],
      findings: [
        finding({ kind: 'inactive', userName: 'gone', ageDays: 400 }),
        finding({ kind: 'stale', userName: 'old-alice', ageDays: 200 }),
        finding({ kind: 'stale', userName: 'svc-exempt', ageDays: 300, exempt: true })
      ]
    }),
    accountScan({
      accountId: OTHER_ACCOUNT,
      name: null,
      dataSource: 'api',
      users: 3,
      keys: 4,
      findings: [
        finding({ accountId: OTHER_ACCOUNT, kind: 'root-key', userName: '<root_account>', accessKeyId: null, ageDays: 7 }),
        finding({ accountId: OTHER_ACCOUNT, kind: 'stale', userName: 'bob', ageDays: 95 }),
        finding({ accountId: OTHER_ACCOUNT, kind: 'unused', userName: 'idle', ageDays: 50, exempt: true })
      ]
    })
  ]
  const report = buildReport({ generatedAt: new Date('2026-11-24T12:00:00.456Z'), policy: DEFAULT_POLICY, scans })

  it('has the schema version, the generation time without milliseconds and the policy', () => {
    expect(report.schemaVersion).toBe(2)
    expect(report.generatedAt).toBe('2026-11-24T12:00:00Z')
    expect(report.policy).toEqual({ maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null })
    expect(report.truncated).toBeUndefined()
    expect(report.findingsOmitted).toBeUndefined()
  })

  it('adds up users and keys, and counts stale and findings without exemptions; exempt apart', () => {
    expect(report.totals).toEqual({ users: 152, keys: 164, stale: 2, findings: 4, exempt: 2, new: null, resolved: null })
  })

  it('lists one entry per account with its data source and notes', () => {
    expect(report.accounts).toEqual([
      {
        accountId: ACCOUNT,
        name: null,
        dataSource: 'credential-report',
        users: 149,
        keys: 160,
        error: null,
        notes: ['the credential report was 2 hours old'],
        baseline: null,
        new: null,
        resolved: null
      },
      {
        accountId: OTHER_ACCOUNT,
        name: null,
        dataSource: 'api',
        users: 3,
        keys: 4,
        error: null,
        notes: [],
        baseline: null,
        new: null,
        resolved: null
      }
    ])
    expect(accountIds(report)).toEqual([ACCOUNT, OTHER_ACCOUNT])
  })

  it('keeps every finding, exempt included, across accounts: counted first, each most severe first then oldest', () => {
    expect(report.findings.map((f) => `${f.kind}:${f.userName}:${f.exempt}`)).toEqual([
      'root-key:<root_account>:false',
      'stale:old-alice:false',
      'stale:bob:false',
      'inactive:gone:false',
      'stale:svc-exempt:true',
      'unused:idle:true'
    ])
  })

  it('is complete when every account was scanned', () => {
    expect(isComplete(report)).toBe(true)
  })

  it('serialises to the documented JSON shape', () => {
    const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>
    expect(Object.keys(json)).toEqual(['schemaVersion', 'generatedAt', 'policy', 'accounts', 'totals', 'findings', 'resolved', 'notes'])
  })
})

describe('buildReport with failures', () => {
  const report = buildReport({
    generatedAt: NOW,
    policy: DEFAULT_POLICY,
    scans: [accountScan({ users: 5, keys: 6, findings: [finding()] })],
    failures: [
      { accountId: OTHER_ACCOUNT, error: 'AccessDenied: sts:AssumeRole on arn:aws:iam::210987654321:role/IAMKeySentryAudit' },
      { accountId: null, error: 'organizations:ListAccounts failed' }
    ]
  })

  it('lists failed accounts with their error and no counts; an unknown account as "unknown"', () => {
    expect(report.accounts.slice(1)).toEqual([
      {
        accountId: OTHER_ACCOUNT,
        name: null,
        dataSource: null,
        users: null,
        keys: null,
        error: 'AccessDenied: sts:AssumeRole on arn:aws:iam::210987654321:role/IAMKeySentryAudit',
        notes: [],
        baseline: null,
        new: null,
        resolved: null
      },
      {
        accountId: 'unknown',
        name: null,
        dataSource: null,
        users: null,
        keys: null,
        error: 'organizations:ListAccounts failed',
        notes: [],
        baseline: null,
        new: null,
        resolved: null
      }
    ])
  })

  it('counts only the scanned accounts in the totals', () => {
    expect(report.totals).toEqual({ users: 5, keys: 6, stale: 1, findings: 1, exempt: 0, new: null, resolved: null })
  })

  it('is not complete', () => {
    expect(isComplete(report)).toBe(false)
  })

  it('is not complete when no account was scanned and none failed', () => {
    const empty = buildReport({ generatedAt: NOW, policy: DEFAULT_POLICY, scans: [] })
    expect(empty.accounts).toEqual([])
    expect(empty.totals).toEqual({ users: 0, keys: 0, stale: 0, findings: 0, exempt: 0, new: null, resolved: null })
    expect(empty.resolved).toEqual([])
    expect(empty.notes).toEqual([])
    expect(isComplete(empty)).toBe(false)
  })

  it('is not complete when every account failed, even with no findings', () => {
    const failed = buildReport({ generatedAt: NOW, policy: DEFAULT_POLICY, scans: [], failures: [{ accountId: ACCOUNT, error: 'x' }] })
    expect(failed.totals.findings).toBe(0)
    expect(isComplete(failed)).toBe(false)
  })
})

describe('buildReport of scans compared with a baseline (schema 2)', () => {
  const resolved = (accountId: string, userName: string): ResolvedKey => ({
    accountId,
    userName,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    kind: 'stale',
    firstSeenAt: '2026-09-01',
    resolvedAt: '2026-11-24',
    daysOpen: 84,
    how: 'deleted'
  })
  const report = buildReport({
    generatedAt: NOW,
    policy: DEFAULT_POLICY,
    notes: ['the previous report could not be read'],
    scans: [
      accountScan({
        accountId: ACCOUNT,
        findings: [finding({ userName: 'a', new: true, firstSeenAt: '2026-11-24', overdueDays: 117 }), finding({ userName: 'b', new: false, firstSeenAt: '2026-10-01' })],
        lifecycle: { baseline: 'tracking-issue', resolved: [resolved(ACCOUNT, 'c')], next: { accountId: ACCOUNT, keys: [] } }
      }),
      accountScan({
        accountId: OTHER_ACCOUNT,
        findings: [finding({ accountId: OTHER_ACCOUNT, userName: 'd' })],
        lifecycle: { baseline: null, resolved: null, next: { accountId: OTHER_ACCOUNT, keys: [] } }
      })
    ]
  })

  it('counts new and resolved per account with a baseline, and null for the one without', () => {
    expect(report.accounts.map((a) => [a.accountId, a.baseline, a.new, a.resolved])).toEqual([
      [ACCOUNT, 'tracking-issue', 1, 1],
      [OTHER_ACCOUNT, null, null, null]
    ])
    expect(report.totals).toMatchObject({ new: 1, resolved: 1 })
  })

  it('keeps the resolved keys, the notes, and every finding\'s lifecycle fields (null where unknown)', () => {
    expect(report.resolved).toEqual([resolved(ACCOUNT, 'c')])
    expect(report.notes).toEqual(['the previous report could not be read'])
    expect(report.findings.map((f) => [f.userName, f.firstSeenAt, f.new, f.overdueDays])).toEqual([
      ['a', '2026-11-24', true, 117],
      ['b', '2026-10-01', false, null],
      ['d', null, null, null]
    ])
  })
})

describe('countByKind', () => {
  it('counts findings per kind and ignores exempt ones', () => {
    const counts = countByKind([
      finding({ kind: 'stale' }),
      finding({ kind: 'stale' }),
      finding({ kind: 'stale', exempt: true }),
      finding({ kind: 'inactive' }),
      finding({ kind: 'root-key', exempt: true })
    ])
    expect([...counts.entries()]).toEqual([
      ['stale', 2],
      ['inactive', 1]
    ])
    expect(counts.has('root-key')).toBe(false)
  })

  it('is empty for no findings or only exempt ones', () => {
    expect(countByKind([]).size).toBe(0)
    expect(countByKind([finding({ exempt: true })]).size).toBe(0)
  })
})
