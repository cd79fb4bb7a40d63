import { describe, expect, it } from '@jest/globals'
import {
  OWNERS_MAX,
  OWNERS_MAX_BYTES,
  SNS_MAX_BYTES,
  buildSnsMessage,
  ownersAttribute,
  snsSubject,
  type SnsMessage
} from '../../../src/render/sns-message.js'
import type { Report } from '../../../src/core/report.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, manyFindings, makeReport, rank } from '../helpers.js'
import { knownFinding, newFinding, resolvedKey, trackedReport, trackedScan } from './lifecycle-reports.js'
import { HOSTILE } from './hostile.js'

const KEY_A = 'AKIA1234567890ABWXYZ'
const KEY_B = 'AKIAZZZZZZZZZZZZ0042'
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/

interface Body {
  default: string
  email: string
  sms: string
}
const body = (m: SnsMessage): Body => JSON.parse(m.message) as Body
const defaultReport = (m: SnsMessage): Report => JSON.parse(body(m).default) as Report

/** What SNS counts toward its limit: the message, the subject and every attribute. */
function totalBytes(m: SnsMessage): number {
  let n = Buffer.byteLength(m.message) + Buffer.byteLength(m.subject)
  for (const [name, v] of Object.entries(m.attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? '') + Buffer.byteLength(v.StringValue ?? '')
  }
  return n
}

describe('buildSnsMessage: a small report', () => {
  const report = makeReport({
    users: 149,
    keys: 160,
    findings: [
      finding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200, lastUsedAt: '2026-11-20T08:15:02Z', lastUsedService: 's3' }),
      finding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95 })
    ]
  })
  const m = buildSnsMessage(report)

  it('is a MessageStructure=json body with exactly default, email and sms', () => {
    expect(Object.keys(body(m)).sort()).toEqual(['default', 'email', 'sms'])
    expect(m.omitted).toBe(0)
  })

  it('carries the whole report, with full key ids, as default', () => {
    const sent = defaultReport(m)
    expect(sent).toEqual(report)
    expect(sent.truncated).toBeUndefined()
    expect(sent.findingsOmitted).toBeUndefined()
    expect(sent.findings.map((f) => f.accessKeyId)).toEqual([KEY_A, KEY_B])
  })

  it('has a printable ASCII subject under 100 characters naming the count and the account', () => {
    expect(m.subject).toBe('IAM Key Sentry: 2 stale keys in account 123456789012')
    expect(m.subject).toMatch(PRINTABLE_ASCII)
    expect(m.subject.length).toBeLessThan(100)
  })

  it('has a human email text with the accounts, the policy and every finding with its full key id', () => {
    expect(body(m).email).toBe(
      [
        'IAM Key Sentry: 2 stale keys in account 123456789012.',
        '',
        'Account 123456789012: 149 users, 160 keys scanned (credential-report).',
        'Policy: active keys are stale at 90 days. Scanned at 2026-11-24T12:00:00Z.',
        '',
        'Stale keys: rotate them (high; CIS 1.14, IAM.3): 2',
        `- stale: old-alice ${KEY_A} Active, 200 days old, last used 2026-11-20 [account 123456789012]`,
        `- stale: old-bob ${KEY_B} Active, 95 days old, last used never [account 123456789012]`,
        ''
      ].join('\n')
    )
  })

  it('has a one-line sms with the counts', () => {
    expect(body(m).sms).toBe('IAM Key Sentry: 2 stale in 123456789012')
  })

  it('carries the counts in message attributes', () => {
    expect(m.attributes).toEqual({
      staleCount: { DataType: 'Number', StringValue: '2' },
      findingCount: { DataType: 'Number', StringValue: '2' },
      exemptCount: { DataType: 'Number', StringValue: '0' },
      maxSeverity: { DataType: 'String', StringValue: 'high' },
      complete: { DataType: 'String', StringValue: 'true' },
      event: { DataType: 'String', StringValue: 'scan' },
      accountIds: { DataType: 'String', StringValue: '123456789012' }
    })
  })
})

describe('buildSnsMessage: kinds, exemptions, clean and incomplete reports', () => {
  it('counts mixed kinds and exemptions; the worst counted kind sets maxSeverity', () => {
    const report = makeReport({
      findings: [
        finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null, exempt: true }),
        finding({ kind: 'stale' }),
        finding({ kind: 'unused' }),
        finding({ kind: 'inactive' })
      ]
    })
    const m = buildSnsMessage(report)
    expect(m.subject).toBe('IAM Key Sentry: 3 findings (1 stale, 1 unused, 1 inactive) in account 123456789012')
    expect(m.attributes.staleCount.StringValue).toBe('1')
    expect(m.attributes.findingCount.StringValue).toBe('3')
    expect(m.attributes.exemptCount.StringValue).toBe('1')
    expect(m.attributes.maxSeverity.StringValue).toBe('high')
    expect(body(m).email).toContain(
      '\nExempt (listed, not counted): 1\n- root-key (exempt: exempt-users svc-*): <root_account> (root key) Active, 207 days old'
    )
    expect(body(m).sms).toBe('IAM Key Sentry: 1 stale, 1 unused, 1 inactive in 123456789012')
  })

  it('reports a root key as critical', () => {
    const m = buildSnsMessage(makeReport({ findings: [finding({ kind: 'root-key', accessKeyId: null })] }))
    expect(m.attributes.maxSeverity.StringValue).toBe('critical')
  })

  it('sends a clean report (heartbeat) with maxSeverity none', () => {
    const m = buildSnsMessage(makeReport())
    expect(m.subject).toBe('IAM Key Sentry: no findings in account 123456789012')
    expect(m.attributes.maxSeverity.StringValue).toBe('none')
    expect(m.attributes.complete.StringValue).toBe('true')
    expect(body(m).sms).toBe('IAM Key Sentry: no findings in 123456789012')
    expect(defaultReport(m).findings).toEqual([])
  })

  it('names a scan that failed for every account in the subject, never as clean', () => {
    const m = buildSnsMessage(makeReport({ scans: [], failures: [{ accountId: ACCOUNT, error: 'ExpiredToken' }] }))
    expect(m.subject).toBe('IAM Key Sentry: scan failed for account 123456789012')
    expect(m.attributes.complete.StringValue).toBe('false')
    expect(body(m).email).toContain('Account 123456789012: SCAN FAILED: ExpiredToken')
  })

  it('marks an incomplete scan in the subject, the attributes and the email', () => {
    const report = makeReport({
      scans: [accountScan()],
      failures: [{ accountId: OTHER_ACCOUNT, error: 'AccessDenied: sts:AssumeRole' }]
    })
    const m = buildSnsMessage(report)
    expect(m.subject).toBe('IAM Key Sentry: scan incomplete, no findings in 2 accounts')
    expect(m.attributes.complete.StringValue).toBe('false')
    expect(m.attributes.accountIds.StringValue).toBe(`${ACCOUNT},${OTHER_ACCOUNT}`)
    expect(body(m).email).toContain('Account 210987654321: SCAN FAILED: AccessDenied: sts:AssumeRole')
    expect(defaultReport(m).accounts[1].error).toBe('AccessDenied: sts:AssumeRole')
  })
})

describe('snsSubject', () => {
  it('keeps a short ASCII subject as it is', () => {
    expect(snsSubject('IAM Key Sentry: 1 stale key in account 123456789012')).toBe(
      'IAM Key Sentry: 1 stale key in account 123456789012'
    )
  })

  it('turns an ellipsis into three dots and drops other non-ASCII characters', () => {
    expect(snsSubject('Schlüssel… 🔑 ключ ok')).toBe('Schlssel... ok')
  })

  it('cuts a long unicode subject to printable ASCII under 100 characters', () => {
    const subject = snsSubject(`IAM Key Sentry: ${'clé 🔑 ключ '.repeat(40)}end`)
    expect(subject).toMatch(PRINTABLE_ASCII)
    expect(subject.length).toBe(99)
    expect(subject.endsWith('...')).toBe(true)
    expect(subject.startsWith('IAM Key Sentry: cl ')).toBe(true)
  })

  it('keeps 99 characters, cuts 100', () => {
    const s99 = 'x'.repeat(99)
    expect(snsSubject(s99)).toBe(s99)
    expect(snsSubject('y'.repeat(100))).toBe(`${'y'.repeat(96)}...`)
  })

  it('drops DEL and other control characters', () => {
    expect(snsSubject('a\u007fb\u0007c\u009fd')).toBe('abcd')
  })

  it('has no control characters or line breaks, and no runs of spaces', () => {
    const subject = snsSubject('  a \t b\r\n  c\u0000d   e  ')
    expect(subject).toMatch(PRINTABLE_ASCII)
    expect(subject).not.toMatch(/ {2}/)
    expect(subject.startsWith('a')).toBe(true)
    expect(subject.endsWith('e')).toBe(true)
  })

  it('keeps a subject for many accounts short', () => {
    const report = makeReport({
      scans: Array.from({ length: 300 }, (_, i) => accountScan({ accountId: String(100000000000 + i), findings: [finding()] }))
    })
    const m = buildSnsMessage(report)
    expect(m.subject).toBe('IAM Key Sentry: 300 stale keys in 300 accounts')
  })
})

describe('buildSnsMessage: size limit', () => {
  const findings = manyFindings(5_000)
  const report = makeReport({ findings, users: 5_000, keys: 6_000 })

  it('SNS_MAX_BYTES is 256 KiB', () => {
    expect(SNS_MAX_BYTES).toBe(262_144)
  })

  for (const maxBytes of [40_000, SNS_MAX_BYTES]) {
    describe(`5,000 findings at maxBytes ${maxBytes}`, () => {
      const m = buildSnsMessage(report, maxBytes)
      const sent = defaultReport(m)

      it('stays within the limit, message, subject and attributes together', () => {
        expect(totalBytes(m)).toBeLessThanOrEqual(maxBytes)
        expect(Buffer.byteLength(m.message)).toBeLessThanOrEqual(maxBytes)
      })

      it('cuts the findings list and says so in the report', () => {
        expect(sent.truncated).toBe(true)
        expect(m.omitted).toBeGreaterThan(0)
        expect(sent.findingsOmitted).toBe(m.omitted)
        expect(sent.findings.length + m.omitted).toBe(5_000)
        expect(sent.findings.length).toBeGreaterThan(0)
      })

      it('keeps the totals of the whole scan', () => {
        expect(sent.totals).toEqual(report.totals)
        expect(sent.totals.findings).toBe(5_000)
        expect(m.attributes.findingCount.StringValue).toBe('5000')
        expect(m.subject).toMatch(/^IAM Key Sentry: 5000 findings \(/)
        expect(m.subject.length).toBeLessThan(100)
      })

      it('keeps the most severe findings', () => {
        expect(sent.findings).toEqual(report.findings.slice(0, sent.findings.length))
        const keptWorst = Math.max(...sent.findings.map((f) => rank(f.kind)))
        const omittedBest = Math.min(...report.findings.slice(sent.findings.length).map((f) => rank(f.kind)))
        expect(keptWorst).toBeLessThanOrEqual(omittedBest)
        // All 100 root keys of the fixture come first.
        expect(sent.findings.slice(0, 100).every((f) => f.kind === 'root-key')).toBe(true)
      })

      it('keeps as many findings as fit: one more would pass the budget (maxBytes less 1 KiB of headroom)', () => {
        const kept = sent.findings.length
        const { email, sms } = body(m)
        const oneMore: Report = { ...report, findings: report.findings.slice(0, kept + 1), truncated: true, findingsOmitted: m.omitted - 1 }
        const bigger: SnsMessage = { ...m, message: JSON.stringify({ default: JSON.stringify(oneMore), email, sms }) }
        expect(totalBytes(m)).toBeLessThanOrEqual(maxBytes - 1024)
        expect(totalBytes(bigger)).toBeGreaterThan(maxBytes - 1024)
      })

      it('lists the first 100 findings in the email and points to the JSON for the rest', () => {
        const email = body(m).email
        expect(email.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(100)
        expect(email.endsWith('\n...and 4900 more findings: see the JSON report.')).toBe(true)
      })
    })
  }

  it('does not cut a report that fits', () => {
    const small = makeReport({ findings: manyFindings(50) })
    const m = buildSnsMessage(small, 40_000)
    expect(m.omitted).toBe(0)
    expect(defaultReport(m)).toEqual(small)
  })

  it('throws when not even a report without findings fits', () => {
    expect(() => buildSnsMessage(report, 2_000)).toThrow('the SNS message does not fit 256 KB even without findings')
  })
})

describe('buildSnsMessage for hundreds of accounts', () => {
  const roleError = (id: string) =>
    `sts:AssumeRole into arn:aws:iam::${id}:role/IAMKeySentryAudit (does the role exist, and does its trust policy allow the caller?) was denied (AccessDenied: User: arn:aws:sts::111111111111:assumed-role/iam-key-sentry/iam-key-sentry is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${id}:role/IAMKeySentryAudit). Grant it.`
  const id = (n: number) => String(200000000000 + n)
  const bytes = (m: SnsMessage) => Buffer.byteLength(m.message) + Buffer.byteLength(m.subject)

  it('still publishes when 1,000 member roles are missing: the first failed accounts kept, errors cut', () => {
    const failures = Array.from({ length: 1000 }, (_, n) => ({ accountId: id(n), error: roleError(id(n)) }))
    const report = makeReport({ scans: [accountScan({ findings: manyFindings(50) })], failures })
    const m = buildSnsMessage(report)
    expect(bytes(m)).toBeLessThanOrEqual(SNS_MAX_BYTES)
    const sent = JSON.parse(JSON.parse(m.message).default) as Report
    expect(sent.truncated).toBe(true)
    expect(sent.accounts.filter((a) => a.error !== null)).toHaveLength(200)
    expect(sent.accountsOmitted).toBe(801)
    expect(m.attributes.complete.StringValue).toBe('false')
    expect(sent.accounts.every((a) => (a.error ?? '').length <= 200)).toBe(true)
    expect(sent.totals).toEqual(report.totals)
    expect(m.attributes.accountIds.StringValue).toBe('1001 accounts')
    const email = JSON.parse(m.message).email as string
    expect(email).toContain('...and 951 more accounts.')
    expect(email.split('\n').filter((l) => l.includes('SCAN FAILED'))).toHaveLength(50)
  })

  it('keeps the heartbeat of 3,000 healthy accounts by leaving their rows out', () => {
    const scans = Array.from({ length: 3000 }, (_, n) => accountScan({ accountId: id(n), notes: ['fell back to listing users and keys'] }))
    const m = buildSnsMessage(makeReport({ scans }))
    expect(bytes(m)).toBeLessThanOrEqual(SNS_MAX_BYTES)
    const sent = JSON.parse(JSON.parse(m.message).default) as Report
    expect(sent.accountsOmitted).toBe(3000)
    expect(sent.totals.users).toBe(3000 * 12)
  })
})

describe('buildSnsMessage: what changed since the last run', () => {
  const KEY_C = 'AKIACCCCCCCCCCCC0007'

  it('has no newCount or resolvedCount, and no changes, without a baseline', () => {
    const m = buildSnsMessage(trackedReport([trackedScan({ baseline: null, findings: [finding({ userName: 'old-alice', accessKeyId: KEY_A })] })]))
    expect(Object.keys(m.attributes).sort()).toEqual(['accountIds', 'complete', 'event', 'exemptCount', 'findingCount', 'maxSeverity', 'staleCount'])
    expect(body(m).email).not.toContain('since the last run')
    expect(body(m).email.split('\n').slice(0, 3)).toEqual([
      'IAM Key Sentry: 1 stale key in account 123456789012.',
      '',
      'Account 123456789012: 12 users, 14 keys scanned (credential-report).'
    ])
  })

  it('carries newCount and resolvedCount with a baseline, and leads the e-mail with what is new and resolved', () => {
    const report = trackedReport([
      trackedScan({
        users: 149,
        keys: 160,
        findings: [
          newFinding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200 }),
          knownFinding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95 })
        ],
        resolved: [resolvedKey({ userName: 'carol', accessKeyId: KEY_C, how: 'rotated', daysOpen: 84 })]
      })
    ])
    const m = buildSnsMessage(report)
    expect(m.attributes).toEqual({
      staleCount: { DataType: 'Number', StringValue: '2' },
      findingCount: { DataType: 'Number', StringValue: '2' },
      exemptCount: { DataType: 'Number', StringValue: '0' },
      maxSeverity: { DataType: 'String', StringValue: 'high' },
      complete: { DataType: 'String', StringValue: 'true' },
      event: { DataType: 'String', StringValue: 'scan' },
      newCount: { DataType: 'Number', StringValue: '1' },
      resolvedCount: { DataType: 'Number', StringValue: '1' },
      accountIds: { DataType: 'String', StringValue: '123456789012' }
    })
    expect(body(m).email).toBe(
      [
        'IAM Key Sentry: 2 stale keys in account 123456789012.',
        '',
        'New since the last run: 1. Resolved since the last run: 1.',
        '',
        'New: 1',
        `- stale: old-alice ${KEY_A} Active, 200 days old, last used never [account 123456789012]`,
        '',
        'Resolved: 1',
        `- carol ${KEY_C} (stale): rotated after 84 days open [account 123456789012]`,
        '',
        'Account 123456789012: 149 users, 160 keys scanned (credential-report).',
        'Policy: active keys are stale at 90 days. Scanned at 2026-11-24T12:00:00Z.',
        '',
        'Stale keys: rotate them (high; CIS 1.14, IAM.3): 2',
        `- stale: old-alice ${KEY_A} Active, 200 days old, last used never [account 123456789012]`,
        `- stale: old-bob ${KEY_B} Active, 95 days old, last used never [account 123456789012]`,
        ''
      ].join('\n')
    )
  })

  it('says 0 and 0 on a quiet day with a baseline: the counts are known, not missing', () => {
    const m = buildSnsMessage(trackedReport([trackedScan({ findings: [knownFinding({ accessKeyId: KEY_A })] })]))
    expect(m.attributes.newCount).toEqual({ DataType: 'Number', StringValue: '0' })
    expect(m.attributes.resolvedCount).toEqual({ DataType: 'Number', StringValue: '0' })
    expect(body(m).email.split('\n').slice(0, 5)).toEqual([
      'IAM Key Sentry: 1 stale key in account 123456789012.',
      '',
      'New since the last run: 0. Resolved since the last run: 0.',
      '',
      'Account 123456789012: 12 users, 14 keys scanned (credential-report).'
    ])
  })

  it('shows the first 50 new findings and resolved keys, and says how many more', () => {
    const findings = manyFindings(60).map((f) => ({ ...newFinding(f) }))
    const resolved = Array.from({ length: 55 }, (_, i) => resolvedKey({ userName: `gone-${i}` }))
    const email = body(buildSnsMessage(trackedReport([trackedScan({ findings, resolved })]))).email
    const lines = email.split('\n')
    expect(lines[2]).toBe('New since the last run: 60. Resolved since the last run: 55.')
    expect(lines[4]).toBe('New: 60')
    expect(lines[55]).toBe('...and 10 more new findings.')
    expect(lines[57]).toBe('Resolved: 55')
    expect(lines[108]).toBe('...and 5 more resolved keys.')
  })
})

describe('buildSnsMessage: the event attribute', () => {
  it('is scan for a scan, remediation when a remediation command changed keys', () => {
    expect(buildSnsMessage(makeReport()).attributes.event).toEqual({ DataType: 'String', StringValue: 'scan' })
    const entry = {
      accountId: ACCOUNT,
      accessKeyId: KEY_A,
      userName: 'old-alice',
      verb: 'deactivate' as const,
      dryRun: false,
      result: 'done',
      before: 'Active',
      after: 'Inactive',
      requestedBy: 'sec-lead',
      reason: null
    }
    const report = { ...makeReport(), remediation: [entry] }
    expect(buildSnsMessage(report).attributes.event).toEqual({ DataType: 'String', StringValue: 'remediation' })
    expect(JSON.parse(JSON.parse(buildSnsMessage(report).message).default).remediation).toEqual([entry])
  })
})

describe('buildSnsMessage: the owners attribute', () => {
  const KEY_C = 'AKIACCCCCCCCCCCC0007'
  const owners = (m: SnsMessage): unknown => JSON.parse(m.attributes.owners.StringValue)
  /** What a login, team or address can be after parseOwner: never a quote, backslash, space or control character. */
  const OWNER_SYNTAX = /^(?:@[a-z0-9-]+(?:\/[a-z0-9._-]+)?|[a-z0-9._%+-]+@[a-z0-9.-]+)$/

  it('is a String.Array of the distinct owners of the counted findings, most severe finding first', () => {
    const report = makeReport({
      findings: [
        finding({ kind: 'inactive', userName: 'old-inactive', owners: ['@acme/platform', 'carol@example.com'] }),
        finding({ kind: 'stale', userName: 'old-alice', accessKeyId: KEY_A, owners: ['alice@example.com'] }),
        finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null, owners: ['@acme/secops'] }),
        finding({ kind: 'stale', userName: 'old-bob', accessKeyId: KEY_B, owners: ['@bob', 'bob@example.com', 'alice@example.com'] })
      ]
    })
    const m = buildSnsMessage(report)
    expect(m.attributes.owners.DataType).toBe('String.Array')
    expect(owners(m)).toEqual(['@acme/secops', 'alice@example.com', '@bob', 'bob@example.com', '@acme/platform', 'carol@example.com'])
    // The value is exactly the JSON SNS parses: no spaces, nothing else.
    expect(m.attributes.owners.StringValue).toBe(
      '["@acme/secops","alice@example.com","@bob","bob@example.com","@acme/platform","carol@example.com"]'
    )
    expect(m.ownersOmitted).toBe(0)
  })

  it('writes logins and teams in lower case, once however they were spelled', () => {
    const m = buildSnsMessage(
      makeReport({
        findings: [
          finding({ userName: 'a', owners: ['@Alice', '@Acme/Platform'] }),
          finding({ userName: 'b', owners: ['@alice', '@acme/platform', '@ALICE'] })
        ]
      })
    )
    expect(owners(m)).toEqual(['@alice', '@acme/platform'])
  })

  it('leaves plain names out, and keeps them in the report and the e-mail', () => {
    const report = makeReport({
      findings: [finding({ userName: 'svc-billing', accessKeyId: KEY_A, owners: ['Team Billing', 'alice@example', 'billing@example.com'] })]
    })
    const m = buildSnsMessage(report)
    expect(owners(m)).toEqual(['billing@example.com'])
    expect(defaultReport(m).findings[0].owners).toEqual(['Team Billing', 'alice@example', 'billing@example.com'])
    expect(body(m).email).toContain('owners Team Billing, alice@\u2060example, billing@\u2060example.com [account')
  })

  it("leaves out the owners of exempt findings, unless a counted finding has them too", () => {
    const report = makeReport({
      findings: [
        finding({ userName: 'svc-exempt', exempt: true, owners: ['exempt-only@example.com', 'both@example.com'] }),
        finding({ userName: 'old-alice', accessKeyId: KEY_A, owners: ['both@example.com'] })
      ]
    })
    expect(owners(buildSnsMessage(report))).toEqual(['both@example.com'])
  })

  it('is absent when no counted finding has an owner', () => {
    const cases: Report[] = [
      makeReport(),
      makeReport({ findings: [finding({ owners: [] })] }),
      makeReport({ findings: [finding({ owners: undefined })] }),
      makeReport({ findings: [finding({ exempt: true, owners: ['alice@example.com'] }), finding({ userName: 'bob', owners: [] })] }),
      makeReport({ findings: [finding({ owners: ['Team Billing', 'not an address'] })] })
    ]
    for (const report of cases) {
      const m = buildSnsMessage(report)
      expect(m.attributes.owners).toBeUndefined()
      expect(Object.keys(m.attributes)).not.toContain('owners')
      expect(m.ownersOmitted).toBe(0)
    }
  })

  it('has ten attributes at most, baseline counts and owners included (SQS raw delivery drops more)', () => {
    const report = trackedReport([
      trackedScan({
        findings: [newFinding({ accessKeyId: KEY_A, owners: ['alice@example.com'] }), knownFinding({ userName: 'bob', accessKeyId: KEY_B })],
        resolved: [resolvedKey({ accessKeyId: KEY_C })]
      })
    ])
    const m = buildSnsMessage(report)
    expect(Object.keys(m.attributes).sort()).toEqual(
      ['accountIds', 'complete', 'event', 'exemptCount', 'findingCount', 'maxSeverity', 'newCount', 'owners', 'resolvedCount', 'staleCount'].sort()
    )
    expect(Object.keys(m.attributes).length).toBeLessThanOrEqual(10)
  })

  it(`keeps the first ${OWNERS_MAX} owners, says how many were left out, and says so in the e-mail`, () => {
    const findings = Array.from({ length: 300 }, (_, i) =>
      finding({ userName: `user-${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}`, owners: [`owner-${String(i).padStart(3, '0')}@example.com`] })
    )
    const report = makeReport({ findings })
    const m = buildSnsMessage(report)
    // The owners of the first findings in the report's order (severity, then user name).
    expect(owners(m)).toEqual(report.findings.slice(0, OWNERS_MAX).map((f) => f.owners![0]))
    expect(m.ownersOmitted).toBe(300 - OWNERS_MAX)
    expect(body(m).email).toContain(
      `\nOwners: 300; the owners message attribute names the first ${OWNERS_MAX}: subscriptions filtered on the other 50 owners do not get this message.\n`
    )
  })

  it(`keeps the attribute within ${OWNERS_MAX_BYTES} bytes of JSON with the longest addresses`, () => {
    const longAddress = (i: number) => `${String(i).padStart(3, '0')}${'x'.repeat(61)}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(57)}.com`
    expect(longAddress(0)).toHaveLength(254)
    const findings = Array.from({ length: 100 }, (_, i) => finding({ userName: `user-${i}`, owners: [longAddress(i)] }))
    const result = ownersAttribute(makeReport({ findings }).findings)
    expect(result.owners.length).toBe(63)
    expect(result.omitted).toBe(37)
    expect(Buffer.byteLength(JSON.stringify(result.owners))).toBeLessThanOrEqual(OWNERS_MAX_BYTES)
    expect(Buffer.byteLength(JSON.stringify([...result.owners, longAddress(63)]))).toBeGreaterThan(OWNERS_MAX_BYTES)
    const m = buildSnsMessage(makeReport({ findings }))
    expect(m.attributes.owners.StringValue.length).toBeLessThanOrEqual(OWNERS_MAX_BYTES)
    expect(m.ownersOmitted).toBe(37)
  })

  for (const maxBytes of [40_000, SNS_MAX_BYTES]) {
    it(`counts the attribute in the budget: 5,000 owned findings at maxBytes ${maxBytes}`, () => {
      const findings = manyFindings(5_000).map((f, i) => ({ ...f, owners: [`someone-with-a-long-name-${i}@example.com`, '@acme/platform'] }))
      const report = makeReport({ findings })
      const m = buildSnsMessage(report, maxBytes)
      // The attribute is full (250 owners, about 11 KB), and the findings list is cut to what is left.
      expect(owners(m)).toHaveLength(OWNERS_MAX)
      expect(m.attributes.owners.StringValue.length).toBeGreaterThan(10_000)
      expect(m.ownersOmitted).toBe(5_001 - (owners(m) as string[]).length)
      expect(totalBytes(m)).toBeLessThanOrEqual(maxBytes - 1024)
      const sent = defaultReport(m)
      expect(sent.findings.length).toBeGreaterThan(0)
      // One more finding would pass the budget only because the attribute is counted.
      const { email, sms } = body(m)
      const oneMore: Report = { ...sent, findings: report.findings.slice(0, sent.findings.length + 1), findingsOmitted: m.omitted - 1 }
      const bigger: SnsMessage = { ...m, message: JSON.stringify({ default: JSON.stringify(oneMore), email, sms }) }
      expect(totalBytes(bigger)).toBeGreaterThan(maxBytes - 1024)
    })
  }

  it('carries hostile owner texts into neither the attribute nor a forged line of the e-mail', () => {
    const hostile = [...HOSTILE, '"],"x":["', '\\"', 'a\u0000b@example.com', 'alice@example.com\n- stale: forged', '@bob\u202e', '@/x', '@-bad']
    const findings = hostile.map((text, i) => finding({ userName: `user-${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}`, owners: [text] }))
    const m = buildSnsMessage(makeReport({ findings }))
    const value = owners(m) as unknown[]
    // Only what parses as a login, team or address, as SNS needs it: a JSON array of strings.
    // (`@bob` followed by an invisible override is @bob once the invisible character is gone.)
    expect(value).toEqual(['@torvalds', '@acme/secops', 'user@example.com', '@bob'])
    for (const v of value) expect(v).toMatch(OWNER_SYNTAX)
    expect(m.attributes.owners.StringValue).toMatch(PRINTABLE_ASCII)
    // Every finding is one e-mail line; a line break in an owner forges none.
    const lines = body(m).email.split('\n').filter((l) => l.startsWith('- '))
    expect(lines).toHaveLength(hostile.length)
    expect(body(m).email).not.toMatch(/\n- stale: forged/)
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
    // No address or login is linked or mentioned: the word joiner follows every @.
    for (const line of lines) expect(line).not.toMatch(/@[^\u2060]/)
  })

  it("shows each finding's owners in the e-mail as text, unowned findings as before", () => {
    const report = makeReport({
      findings: [
        finding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200, owners: ['alice@example.com', '@acme/platform'] }),
        finding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95, owners: [] })
      ]
    })
    const lines = body(buildSnsMessage(report)).email.split('\n')
    expect(lines).toContain(
      `- stale: old-alice ${KEY_A} Active, 200 days old, last used never, owners alice@\u2060example.com, @\u2060acme/platform [account 123456789012]`
    )
    expect(lines).toContain(`- stale: old-bob ${KEY_B} Active, 95 days old, last used never [account 123456789012]`)
  })

  it("cuts a finding's long owner list on its e-mail line", () => {
    const many = Array.from({ length: 20 }, (_, i) => `owner-number-${i}@example.com`)
    const email = body(buildSnsMessage(makeReport({ findings: [finding({ accessKeyId: KEY_A, owners: many })] }))).email
    const line = email.split('\n').find((l) => l.startsWith('- '))!
    const shown = line.slice(line.indexOf(', owners ') + ', owners '.length, line.indexOf(' [account'))
    expect(shown.replace(/\u2060/g, '')).toHaveLength(200)
    expect(shown.endsWith('…')).toBe(true)
  })
})
