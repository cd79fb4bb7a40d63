// Whether SNS hears of a run (notify-when). main.ts is imported as it is: isNewsworthy reads no input.
import { describe, expect, it } from '@jest/globals'
import { isNewsworthy, unseenKinds } from '../../../src/action/main.js'
import { OTHER_ACCOUNT, finding } from '../helpers.js'
import { knownFinding, newFinding, resolvedKey, trackedReport, trackedScan } from '../render/lifecycle-reports.js'

const failed = { failures: [{ accountId: OTHER_ACCOUNT, error: 'sts:AssumeRole failed (AccessDenied)' }] }

describe('isNewsworthy: notify-when changes, with a baseline', () => {
  it('publishes when a finding is new', () => {
    const report = trackedReport([trackedScan({ findings: [newFinding(), knownFinding({ userName: 'old-bob' })] })])
    expect([report.totals.new, report.totals.resolved]).toEqual([1, 0])
    expect(isNewsworthy(report, 'changes')).toBe(true)
  })

  it('publishes when a key was resolved, even with no finding left', () => {
    const report = trackedReport([trackedScan({ findings: [], resolved: [resolvedKey()] })])
    expect([report.totals.findings, report.totals.new, report.totals.resolved]).toEqual([0, 0, 1])
    expect(isNewsworthy(report, 'changes')).toBe(true)
  })

  it('is silent when nothing changed, whatever findings remain', () => {
    const report = trackedReport([trackedScan({ findings: [knownFinding(), knownFinding({ userName: 'old-bob' })] })])
    expect([report.totals.findings, report.totals.new, report.totals.resolved]).toEqual([2, 0, 0])
    expect(isNewsworthy(report, 'changes')).toBe(false)
  })

  it('is silent for a clean account with no open issue (an empty baseline)', () => {
    const report = trackedReport([trackedScan({ baseline: 'no-open-issue' })])
    expect([report.totals.new, report.totals.resolved]).toEqual([0, 0])
    expect(isNewsworthy(report, 'changes')).toBe(false)
  })

  it('publishes a scan that did not complete, though nothing changed', () => {
    const report = trackedReport([trackedScan({ findings: [knownFinding()] })], failed)
    expect([report.totals.new, report.totals.resolved]).toEqual([0, 0])
    expect(isNewsworthy(report, 'changes')).toBe(true)
  })
})

describe('isNewsworthy: notify-when changes, without a baseline, behaves like findings', () => {
  it('publishes findings: a first run is never silent', () => {
    const report = trackedReport([trackedScan({ baseline: null, findings: [finding()] })])
    expect([report.totals.new, report.totals.resolved]).toEqual([null, null])
    expect(isNewsworthy(report, 'changes')).toBe(true)
    expect(isNewsworthy(report, 'findings')).toBe(true)
  })

  it('is silent for a clean complete scan, and publishes an incomplete one', () => {
    const clean = trackedReport([trackedScan({ baseline: null })])
    expect(isNewsworthy(clean, 'changes')).toBe(false)
    expect(isNewsworthy(clean, 'findings')).toBe(false)
    const incomplete = trackedReport([trackedScan({ baseline: null })], failed)
    expect(isNewsworthy(incomplete, 'changes')).toBe(true)
    expect(isNewsworthy(incomplete, 'findings')).toBe(true)
  })

  it('publishes the findings of an account without a baseline beside one where nothing changed', () => {
    const quiet = trackedScan({ findings: [knownFinding()] })
    const unknown = trackedScan({ accountId: OTHER_ACCOUNT, baseline: null, findings: [finding({ accountId: OTHER_ACCOUNT })] })
    const report = trackedReport([quiet, unknown])
    expect([report.totals.new, report.totals.resolved]).toEqual([0, 0])
    expect(isNewsworthy(report, 'changes')).toBe(true)
    // Without that account's findings, the quiet one alone says nothing.
    expect(isNewsworthy(trackedReport([quiet, trackedScan({ accountId: OTHER_ACCOUNT, baseline: null })]), 'changes')).toBe(false)
  })

  it('ignores exempt findings, as findings does', () => {
    const report = trackedReport([trackedScan({ baseline: null, findings: [finding({ exempt: true, exemptReason: 'exempt-users svc-*' })] })])
    expect(report.totals.findings).toBe(0)
    expect(isNewsworthy(report, 'changes')).toBe(false)
  })
})

describe('isNewsworthy: findings and always', () => {
  it('findings: publishes counted findings, not a baseline-quiet day with none', () => {
    expect(isNewsworthy(trackedReport([trackedScan({ findings: [knownFinding()] })]), 'findings')).toBe(true)
    expect(isNewsworthy(trackedReport([trackedScan({ resolved: [resolvedKey()] })]), 'findings')).toBe(false)
  })

  it('always: publishes every run, clean or not', () => {
    expect(isNewsworthy(trackedReport([trackedScan({ baseline: null })]), 'always')).toBe(true)
    expect(isNewsworthy(trackedReport([trackedScan({ findings: [knownFinding()] })]), 'always')).toBe(true)
  })
})

describe('unseenKinds: what Security Hub must not take for fixed', () => {
  const entry = (dataSource: 'credential-report' | 'api', notes: string[] = []) => ({
    accountId: '123456789012',
    name: null,
    dataSource,
    users: 1,
    keys: 1,
    error: null,
    notes,
    baseline: null,
    new: null,
    resolved: null
  })
  it('root keys on the listing path, set-up keys when GetLoginProfile was denied, nothing otherwise', () => {
    expect(unseenKinds(entry('credential-report'))).toEqual([])
    expect(unseenKinds(entry('api'))).toEqual(['root-key'])
    expect(unseenKinds(entry('api', ['setup-key was not checked for a user: iam:GetLoginProfile was denied (x)']))).toEqual(['root-key', 'setup-key'])
  })
})
