import { describe, expect, it } from '@jest/globals'
import { plural } from '../../../src/core/plural.js'
import {
  accountLabel,
  dataSourceName,
  day,
  headline,
  kindCounts,
  lastUsedCell,
  maskKeyId,
  policyLine,
  scanCounts,
  title,
  userWithPath,
  withinPolicy
} from '../../../src/render/text.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, makeReport } from '../helpers.js'

describe('maskKeyId', () => {
  it('keeps the first 4 and last 4 characters around an ellipsis', () => {
    expect(maskKeyId('AKIA1234567890ABWXYZ')).toBe('AKIA…WXYZ')
    expect(maskKeyId('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA…MPLE')
    expect(maskKeyId('ASIAXXXXXXXXXXXX1234')).toBe('ASIA…1234')
  })

  it('never contains the middle of the id', () => {
    expect(maskKeyId('AKIA1234567890ABWXYZ')).not.toContain('1234567890AB')
  })

  it('names a root key without an id, and leaves ids of 8 characters or fewer as they are', () => {
    expect(maskKeyId(null)).toBe('(root key, no id)')
    expect(maskKeyId('AKIA1234')).toBe('AKIA1234')
  })
})

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    expect(plural(0, 'key')).toBe('0 keys')
    expect(plural(1, 'key')).toBe('1 key')
    expect(plural(2, 'key')).toBe('2 keys')
    expect(plural(2, 'entry', 'entries')).toBe('2 entries')
  })
})

describe('accountLabel', () => {
  it('names a single account, and counts several', () => {
    expect(accountLabel(makeReport())).toBe('account 123456789012')
    const two = makeReport({ scans: [accountScan(), accountScan({ accountId: OTHER_ACCOUNT })] })
    expect(accountLabel(two)).toBe('2 accounts')
  })
})

describe('kindCounts', () => {
  it('lists counts in severity order, exempt findings left out', () => {
    const report = makeReport({
      findings: [
        finding({ kind: 'inactive' }),
        finding({ kind: 'stale' }),
        finding({ kind: 'stale' }),
        finding({ kind: 'root-key', accessKeyId: null }),
        finding({ kind: 'unused', exempt: true })
      ]
    })
    expect(kindCounts(report)).toBe('1 root-key, 2 stale, 1 inactive')
  })

  it('says "no findings" for a clean report', () => {
    expect(kindCounts(makeReport())).toBe('no findings')
  })
})

describe('headline', () => {
  it('counts stale keys when all findings are stale', () => {
    expect(headline(makeReport({ findings: [finding(), finding({ userName: 'bob' })] }))).toBe(
      '2 stale keys in account 123456789012'
    )
    expect(headline(makeReport({ findings: [finding()] }))).toBe('1 stale key in account 123456789012')
  })

  it('counts findings and names the kinds when they are mixed', () => {
    const report = makeReport({ findings: [finding(), finding({ kind: 'inactive' }), finding({ kind: 'root-key' })] })
    expect(headline(report)).toBe('3 findings (1 root-key, 1 stale, 1 inactive) in account 123456789012')
  })

  it('says no findings for a clean report, also when only exempt findings exist', () => {
    expect(headline(makeReport())).toBe('no findings in account 123456789012')
    expect(headline(makeReport({ findings: [finding({ exempt: true })] }))).toBe('no findings in account 123456789012')
  })

  it('names the number of accounts', () => {
    const report = makeReport({
      scans: [accountScan({ findings: [finding()] }), accountScan({ accountId: OTHER_ACCOUNT })]
    })
    expect(headline(report)).toBe('1 stale key in 2 accounts')
  })
})

describe('title', () => {
  it('is the headline for a complete scan', () => {
    expect(title(makeReport({ findings: [finding()] }))).toBe('1 stale key in account 123456789012')
  })

  it('marks a partly failed scan as incomplete, so that it never reads as clean', () => {
    const report = makeReport({ failures: [{ accountId: OTHER_ACCOUNT, error: 'AccessDenied' }] })
    expect(title(report)).toBe('scan incomplete, no findings in 2 accounts')
    const withFindings = makeReport({ findings: [finding()], failures: [{ accountId: OTHER_ACCOUNT, error: 'x' }] })
    expect(title(withFindings)).toBe('scan incomplete, 1 stale key in 2 accounts')
  })

  it('says the scan failed when no account was scanned', () => {
    const one = makeReport({ scans: [], failures: [{ accountId: ACCOUNT, error: 'AccessDenied' }] })
    expect(title(one)).toBe('scan failed for account 123456789012')
    const two = makeReport({
      scans: [],
      failures: [
        { accountId: ACCOUNT, error: 'x' },
        { accountId: OTHER_ACCOUNT, error: 'y' }
      ]
    })
    expect(title(two)).toBe('scan failed for 2 accounts')
    const unknown = makeReport({ scans: [], failures: [{ accountId: null, error: 'no credentials' }] })
    expect(title(unknown)).toBe('scan failed')
    expect(title(makeReport({ scans: [] }))).toBe('scan failed')
  })
})

describe('policyLine', () => {
  it('names every policy limit that is set', () => {
    expect(policyLine(makeReport())).toBe('Policy: active keys are stale at 90 days.')
    expect(policyLine(makeReport({ policy: { maxKeyAgeDays: 180, warnKeyAgeDays: 150, maxUnusedDays: 45 } }))).toBe(
      'Policy: active keys are stale at 180 days, expiring from 150 days, unused after 45 days without use.'
    )
    expect(policyLine(makeReport({ policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: 45 } }))).toBe(
      'Policy: active keys are stale at 90 days, unused after 45 days without use.'
    )
  })
})

describe('day', () => {
  it('keeps the date of an ISO time, and says never for none', () => {
    expect(day('2026-11-20T08:15:02Z')).toBe('2026-11-20')
    expect(day(null)).toBe('never')
  })
})

describe('withinPolicy', () => {
  it('agrees in number', () => {
    expect(withinPolicy(14)).toBe('All 14 access keys are within policy')
    expect(withinPolicy(1)).toBe('The one access key is within policy')
    expect(withinPolicy(0)).toBe('There are no access keys')
    expect(withinPolicy(2, 'key')).toBe('All 2 keys are within policy')
  })
})

describe('lastUsedCell', () => {
  const shout = (text: string) => text.toUpperCase()

  it('gives the day of last use, and the service through the escaping the caller passes', () => {
    expect(lastUsedCell(finding({ lastUsedAt: '2026-10-01T10:00:00Z', lastUsedService: 's3' }), true, shout)).toBe('2026-10-01 (S3)')
    expect(lastUsedCell(finding({ lastUsedAt: '2026-10-01T10:00:00Z' }), true, shout)).toBe('2026-10-01')
  })

  it('says never only where last use was looked up', () => {
    expect(lastUsedCell(finding(), true, shout)).toBe('never')
    expect(lastUsedCell(finding(), false, shout)).toBe('not looked up')
  })

  it('says never for a setup-key finding, whose last use the listing path looks up even without max-unused-days', () => {
    expect(lastUsedCell(finding({ kind: 'setup-key' }), false, shout)).toBe('never')
  })
})

describe('dataSourceName', () => {
  it('names what an account was scanned with', () => {
    expect(dataSourceName('credential-report')).toBe('credential report')
    expect(dataSourceName('api')).toBe('IAM listing')
    expect(dataSourceName(null)).toBe('none')
  })
})

describe('scanCounts', () => {
  it('counts findings as the headline does, the exempt ones said apart', () => {
    const findings = [finding({}), finding({ exempt: true }), finding({ exempt: true }), finding({ kind: 'inactive' })]
    expect(scanCounts({ users: 6, keys: 8, findings })).toBe('6 users, 8 keys, 2 findings (2 exempt)')
    expect(headline(makeReport({ findings }))).toMatch(/^2 findings /)
  })

  it('uses the singular, and says nothing of exemptions when there are none', () => {
    expect(scanCounts({ users: 1, keys: 1, findings: [finding({})] })).toBe('1 user, 1 key, 1 finding')
    expect(scanCounts({ users: 0, keys: 0, findings: [finding({ exempt: true })] })).toBe('0 users, 0 keys, 0 findings (1 exempt)')
  })
})

describe('userWithPath', () => {
  const user = (userName: string, userArn: string) => userWithPath({ userName, userArn })

  it('puts the IAM path before the name, as the ARN has it', () => {
    expect(user('kate', 'arn:aws:iam::123456789012:user/engineering/kate')).toBe('/engineering/kate')
    expect(user('kate', 'arn:aws-us-gov:iam::123456789012:user/division/team/kate')).toBe('/division/team/kate')
  })

  it('gives the name alone for the default path, the root user and an ARN that does not end in the name', () => {
    expect(user('kate', 'arn:aws:iam::123456789012:user/kate')).toBe('kate')
    expect(user('<root_account>', 'arn:aws:iam::123456789012:root')).toBe('<root_account>')
    expect(user('kate', 'arn:aws:iam::123456789012:user/engineering/other')).toBe('kate')
    expect(user('kate', '')).toBe('kate')
  })
})
