import { describe, expect, it } from '@jest/globals'
import {
  ISSUE_BODY_MAX,
  TITLE_PREFIX,
  closingComment,
  issueMarker,
  issueTitle,
  renderIssueBody
} from '../../../src/render/issue-body.js'
import { accountReport } from '../../../src/core/report.js'
import { findingRow } from '../../../src/render/findings-table.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, makeReport, manyFindings } from '../helpers.js'

const KEY_A = 'AKIA1234567890ABWXYZ'
const KEY_B = 'AKIAZZZZZZZZZZZZ0042'
const RUN_URL = 'https://github.com/octo-org/infra/actions/runs/4242'
const bytes = (s: string) => Buffer.byteLength(s)

/** Data rows of every findings table in a body (the tables' header lines left out). */
const dataRows = (md: string) => md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Kind |'))
/** The section headings (`### ...`) of a body. */
const headings = (md: string) => md.split('\n').filter((l) => l.startsWith('### ')).map((l) => l.slice(4))

/** The count in the body's "N more findings not shown" line; fails the test when it is missing. */
function omittedCount(body: string): number {
  const match = /\n_(\d+) more findings? not shown: GitHub limits an issue to 65,536 characters\./.exec(body)
  expect(match).not.toBeNull()
  return Number(match![1])
}

/** Two scanned accounts: stale and exempt findings in ACCOUNT, an unused key in OTHER_ACCOUNT. */
function twoAccounts() {
  return makeReport({
    scans: [
      accountScan({
        accountId: ACCOUNT,
        users: 30,
        keys: 41,
        findings: [
          finding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200 }),
          finding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95 }),
          finding({ userName: 'svc-ci', kind: 'stale', exempt: true, exemptReason: 'exempt-users svc-*' })
        ]
      }),
      accountScan({
        accountId: OTHER_ACCOUNT,
        users: 7,
        keys: 9,
        findings: [finding({ accountId: OTHER_ACCOUNT, userName: 'carol', kind: 'unused' })]
      })
    ]
  })
}

describe('issueMarker', () => {
  it('is a hidden HTML comment naming the account', () => {
    expect(issueMarker(ACCOUNT)).toBe('<!-- iam-key-sentry:account=123456789012 -->')
  })
})

describe('accountReport', () => {
  const report = twoAccounts()

  it('keeps only the account, its findings and its own totals', () => {
    const mine = accountReport(report, ACCOUNT)
    expect(mine.accounts.map((a) => a.accountId)).toEqual([ACCOUNT])
    // Counted findings by kind, then oldest first, exempt ones last; exemptions are filtered in, not out.
    expect(mine.findings.map((f) => f.userName)).toEqual(['old-alice', 'old-bob', 'svc-ci'])
    expect(mine.totals).toEqual({ users: 30, keys: 41, stale: 2, findings: 2, exempt: 1 })
    expect(mine.generatedAt).toBe(report.generatedAt)
    expect(mine.policy).toEqual(report.policy)
  })

  it('narrows the other account the same way', () => {
    const other = accountReport(report, OTHER_ACCOUNT)
    expect(other.accounts.map((a) => a.accountId)).toEqual([OTHER_ACCOUNT])
    expect(other.findings.map((f) => f.userName)).toEqual(['carol'])
    expect(other.totals).toEqual({ users: 7, keys: 9, stale: 0, findings: 1, exempt: 0 })
  })

  it('leaves the whole report untouched', () => {
    accountReport(report, ACCOUNT)
    expect(report.totals).toEqual({ users: 37, keys: 50, stale: 2, findings: 3, exempt: 1 })
    expect(report.findings).toHaveLength(4)
  })

  it('keeps the error of an account whose scan failed, with zero counts', () => {
    const failed = makeReport({ failures: [{ accountId: OTHER_ACCOUNT, error: 'sts:AssumeRole was denied' }] })
    const narrowed = accountReport(failed, OTHER_ACCOUNT)
    expect(narrowed.accounts).toEqual([
      { accountId: OTHER_ACCOUNT, name: null, dataSource: null, users: null, keys: null, error: 'sts:AssumeRole was denied', notes: [] }
    ])
    expect(narrowed.findings).toEqual([])
    expect(narrowed.totals).toEqual({ users: 0, keys: 0, stale: 0, findings: 0, exempt: 0 })
  })
})

describe('issueTitle', () => {
  it('counts stale keys when every finding is stale', () => {
    const report = accountReport(twoAccounts(), ACCOUNT)
    expect(issueTitle(report, ACCOUNT)).toBe('IAM Key Sentry: 2 stale access keys in account 123456789012')
  })

  it('uses the singular for one stale key', () => {
    const report = makeReport({ findings: [finding()] })
    expect(issueTitle(report, ACCOUNT)).toBe('IAM Key Sentry: 1 stale access key in account 123456789012')
  })

  it('counts findings when kinds are mixed', () => {
    const report = makeReport({
      findings: [finding({ userName: 'a' }), finding({ userName: 'b', kind: 'inactive' }), finding({ userName: 'c', kind: 'root-key' })]
    })
    expect(issueTitle(report, ACCOUNT)).toBe('IAM Key Sentry: 3 IAM access key findings in account 123456789012')
  })

  it('counts findings when none is stale', () => {
    const report = accountReport(twoAccounts(), OTHER_ACCOUNT)
    expect(issueTitle(report, OTHER_ACCOUNT)).toBe('IAM Key Sentry: 1 IAM access key finding in account 210987654321')
  })

  it('starts with the prefix the tracking issue recognises', () => {
    expect(TITLE_PREFIX).toBe('IAM Key Sentry:')
    expect(issueTitle(makeReport({ findings: [finding()] }), ACCOUNT).startsWith(TITLE_PREFIX)).toBe(true)
  })
})

describe('renderIssueBody: a few findings', () => {
  const report = accountReport(twoAccounts(), ACCOUNT)
  const masked = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL })

  it('starts with the marker, then the heading', () => {
    expect(masked.startsWith(`${issueMarker(ACCOUNT)}\n## IAM access keys to fix in account 123456789012\n\n`)).toBe(true)
  })

  it('names the counts, the scan time, the run and the policy', () => {
    expect(masked).toContain(
      `\n\n**2 stale** as of 2026-11-24T12:00:00Z by [this workflow run](${RUN_URL}). Policy: active keys are stale at 90 days.\n\n`
    )
  })

  it('groups the findings by kind, exempt ones last', () => {
    expect(headings(masked)).toEqual(['Stale keys: rotate them (high): 2', 'Exempt (listed, not counted): 1'])
  })

  it('lists every finding of the account with masked key ids', () => {
    expect(dataRows(masked)).toEqual([
      '| stale | old-alice | `AKIA…WXYZ` | Active | 200 | never |',
      '| stale | old-bob | `AKIA…0042` | Active | 95 | never |',
      '| stale, exempt (exempt-users svc-\\*) | svc-ci | `AKIA…MPLE` | Active | 207 | never |'
    ])
    expect(masked).not.toContain(KEY_A)
    expect(masked).not.toContain(KEY_B)
    expect(masked).not.toContain('AKIAIOSFODNN7EXAMPLE')
  })

  it('shows full key ids when masking is off', () => {
    const full = renderIssueBody(report, ACCOUNT, { maskKeyIds: false, runUrl: RUN_URL })
    expect(dataRows(full)).toEqual([
      `| stale | old-alice | \`${KEY_A}\` | Active | 200 | never |`,
      `| stale | old-bob | \`${KEY_B}\` | Active | 95 | never |`,
      '| stale, exempt (exempt-users svc-\\*) | svc-ci | `AKIAIOSFODNN7EXAMPLE` | Active | 207 | never |'
    ])
    expect(full).not.toContain('…')
  })

  it('leaves out the run link when there is no run URL', () => {
    const noRun = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: null })
    expect(noRun).toContain('**2 stale** as of 2026-11-24T12:00:00Z. Policy:')
    expect(noRun).not.toContain('workflow run')
    expect(noRun).not.toContain('](')
  })

  it('cuts nothing and says nothing is left out', () => {
    expect(dataRows(masked)).toHaveLength(3)
    expect(masked).not.toContain('not shown')
    expect(masked.trimEnd().endsWith('| svc-ci | `AKIA…MPLE` | Active | 207 | never |')).toBe(true)
  })

  it('never mentions findings of another account', () => {
    const other = renderIssueBody(accountReport(twoAccounts(), OTHER_ACCOUNT), OTHER_ACCOUNT, { maskKeyIds: true, runUrl: null })
    expect(other.startsWith('<!-- iam-key-sentry:account=210987654321 -->\n')).toBe(true)
    expect(dataRows(other)).toEqual(['| unused | carol | `AKIA…MPLE` | Active | 207 | never |'])
    expect(other).not.toContain('old-alice')
    expect(other).not.toContain(ACCOUNT)
  })
})

describe('renderIssueBody: 5,000 findings', () => {
  const report = accountReport(makeReport({ findings: manyFindings(5000) }), ACCOUNT)

  it.each([
    ['masked ids, run link', { maskKeyIds: true, runUrl: RUN_URL }],
    ['full ids, no run link', { maskKeyIds: false, runUrl: null }]
  ])('stays within GitHub 65,536 characters and bytes (%s)', (_label, options) => {
    const body = renderIssueBody(report, ACCOUNT, options)
    expect(ISSUE_BODY_MAX).toBe(65_536)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(bytes(body)).toBeLessThanOrEqual(65_536)
    // Cut near the limit, not far below it.
    expect(bytes(body)).toBeGreaterThan(60_000)
    expect(body.startsWith(`${issueMarker(ACCOUNT)}\n`)).toBe(true)
  })

  it.each([
    ['masked ids', true],
    ['full ids', false]
  ])('says exactly how many findings are left out (%s)', (_label, maskKeyIds) => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds, runUrl: RUN_URL })
    const rows = dataRows(body)
    const omitted = omittedCount(body)
    expect(rows.length).toBeGreaterThan(0)
    expect(omitted).toBeGreaterThan(0)
    expect(rows.length + omitted).toBe(5000)
    // The most severe findings are the ones shown, in the report's order.
    expect(rows).toEqual(report.findings.slice(0, rows.length).map((f) => findingRow(f, maskKeyIds).trimEnd()))
    expect(headings(body)).toEqual([
      'Root user access keys: delete them (critical): 100',
      'Stale keys: rotate them (high): 700',
      'Unused keys: deactivate or delete them (medium): 858'
    ])
    expect(body).toContain(
      `The full list is in the JSON report of [the workflow run](${RUN_URL}) (\`report-file\` output, and the SNS message)._\n`
    )
    expect(body.match(/not shown/g)).toHaveLength(1)
    expect(body.endsWith('_\n')).toBe(true)
  })

  it('names the workflow run without a link when there is no run URL', () => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: null })
    expect(body).toContain('The full list is in the JSON report of the workflow run (`report-file` output, and the SNS message)._\n')
  })

  it('honours a smaller budget', () => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL, maxBytes: 10_000 })
    expect(bytes(body)).toBeLessThanOrEqual(10_000)
    expect(dataRows(body).length + omittedCount(body)).toBe(5000)
  })
})

describe('closingComment', () => {
  const clean = makeReport({ keys: 14 })

  it('names the key count, the account, the scan time and the run', () => {
    expect(closingComment(clean, ACCOUNT, RUN_URL)).toBe(
      `All 14 access keys are within policy in account 123456789012 as of 2026-11-24T12:00:00Z ([workflow run](${RUN_URL})). Closing.`
    )
  })

  it('has no link without a run URL, and a singular for one key', () => {
    expect(closingComment(makeReport({ keys: 1 }), ACCOUNT, null)).toBe(
      'The one access key is within policy in account 123456789012 as of 2026-11-24T12:00:00Z. Closing.'
    )
  })

  it('counts the keys of the account it is given', () => {
    const other = accountReport(twoAccounts(), OTHER_ACCOUNT)
    expect(closingComment(other, OTHER_ACCOUNT, null)).toContain('All 9 access keys are within policy in account 210987654321')
  })
})
