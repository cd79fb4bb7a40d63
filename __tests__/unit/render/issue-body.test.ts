import { describe, expect, it } from '@jest/globals'
import {
  COMMENT_MAX_MENTIONS,
  ISSUE_BODY_MAX,
  ISSUE_BODY_MAX_BYTES,
  NEW_FINDINGS_HEADER,
  NEW_FINDINGS_OWNER_HEADER,
  TITLE_PREFIX,
  closingComment,
  codePoints,
  issueBodyFits,
  issueMarker,
  issueTitle,
  mentionedOwners,
  newFindingsComment,
  renderIssueBody
} from '../../../src/render/issue-body.js'
import { accountReport } from '../../../src/core/report.js'
import { NO_BASELINE, RESOLVED_HEADER } from '../../../src/render/changes.js'
import { findingRow } from '../../../src/render/findings-table.js'
import { decodeState, encodeState } from '../../../src/render/issue-state.js'
import type { BaselineKey } from '../../../src/core/lifecycle.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, keyId, makeReport, manyFindings } from '../helpers.js'
import { activeParts, html, visibleText } from './hostile.js'
import { knownFinding, newFinding, resolvedKey, trackedReport, trackedScan } from './lifecycle-reports.js'

const KEY_A = 'AKIA1234567890ABWXYZ'
const KEY_B = 'AKIAZZZZZZZZZZZZ0042'
const RUN_URL = 'https://github.com/octo-org/infra/actions/runs/4242'
const bytes = (s: string) => Buffer.byteLength(s)

/** Data rows of every findings table in a body (the tables' header lines left out; not the changes tables). */
const dataRows = (md: string) => md.split('\n').filter((l) => /^\| (root-key|stale|unused|expiring|inactive)[ ,]/.test(l))
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
    expect(mine.totals).toEqual({ users: 30, keys: 41, stale: 2, findings: 2, exempt: 1, new: null, resolved: null })
    expect(mine.generatedAt).toBe(report.generatedAt)
    expect(mine.policy).toEqual(report.policy)
  })

  it('narrows the other account the same way', () => {
    const other = accountReport(report, OTHER_ACCOUNT)
    expect(other.accounts.map((a) => a.accountId)).toEqual([OTHER_ACCOUNT])
    expect(other.findings.map((f) => f.userName)).toEqual(['carol'])
    expect(other.totals).toEqual({ users: 7, keys: 9, stale: 0, findings: 1, exempt: 0, new: null, resolved: null })
  })

  it('leaves the whole report untouched', () => {
    accountReport(report, ACCOUNT)
    expect(report.totals).toEqual({ users: 37, keys: 50, stale: 2, findings: 3, exempt: 1, new: null, resolved: null })
    expect(report.findings).toHaveLength(4)
  })

  it('keeps the error of an account whose scan failed, with zero counts', () => {
    const failed = makeReport({ failures: [{ accountId: OTHER_ACCOUNT, error: 'sts:AssumeRole was denied' }] })
    const narrowed = accountReport(failed, OTHER_ACCOUNT)
    expect(narrowed.accounts).toEqual([
      {
        accountId: OTHER_ACCOUNT,
        name: null,
        dataSource: null,
        users: null,
        keys: null,
        error: 'sts:AssumeRole was denied',
        notes: [],
        baseline: null,
        new: null,
        resolved: null
      }
    ])
    expect(narrowed.findings).toEqual([])
    expect(narrowed.resolved).toEqual([])
    expect(narrowed.totals).toEqual({ users: 0, keys: 0, stale: 0, findings: 0, exempt: 0, new: null, resolved: null })
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
    expect(headings(masked)).toEqual(['Stale keys: rotate them (high; CIS 1.14, IAM.3): 2', 'Exempt (listed, not counted): 1'])
  })

  it('lists every finding of the account with masked key ids', () => {
    expect(dataRows(masked)).toEqual([
      '| stale | old-alice | `AKIA…WXYZ` | Active | 200 |  |  | never |',
      '| stale | old-bob | `AKIA…0042` | Active | 95 |  |  | never |',
      '| stale, exempt (exempt-users svc-\\*) | svc-ci | `AKIA…MPLE` | Active | 207 |  |  | never |'
    ])
    expect(masked).not.toContain(KEY_A)
    expect(masked).not.toContain(KEY_B)
    expect(masked).not.toContain('AKIAIOSFODNN7EXAMPLE')
  })

  it('shows full key ids when masking is off', () => {
    const full = renderIssueBody(report, ACCOUNT, { maskKeyIds: false, runUrl: RUN_URL })
    expect(dataRows(full)).toEqual([
      `| stale | old-alice | \`${KEY_A}\` | Active | 200 |  |  | never |`,
      `| stale | old-bob | \`${KEY_B}\` | Active | 95 |  |  | never |`,
      '| stale, exempt (exempt-users svc-\\*) | svc-ci | `AKIAIOSFODNN7EXAMPLE` | Active | 207 |  |  | never |'
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
    expect(masked.trimEnd().endsWith('| svc-ci | `AKIA…MPLE` | Active | 207 |  |  | never |')).toBe(true)
  })

  it('never mentions findings of another account', () => {
    const other = renderIssueBody(accountReport(twoAccounts(), OTHER_ACCOUNT), OTHER_ACCOUNT, { maskKeyIds: true, runUrl: null })
    expect(other.startsWith('<!-- iam-key-sentry:account=210987654321 -->\n')).toBe(true)
    expect(dataRows(other)).toEqual(['| unused | carol | `AKIA…MPLE` | Active | 207 |  |  | never |'])
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
    ['masked ids', true, 3],
    ['full ids', false, 2]
  ])('says exactly how many findings are left out (%s)', (_label, maskKeyIds, sections) => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds, runUrl: RUN_URL })
    const rows = dataRows(body)
    const omitted = omittedCount(body)
    expect(rows.length).toBeGreaterThan(0)
    expect(omitted).toBeGreaterThan(0)
    expect(rows.length + omitted).toBe(5000)
    // The most severe findings are the ones shown, in the report's order.
    expect(rows).toEqual(report.findings.slice(0, rows.length).map((f) => findingRow(f, maskKeyIds).trimEnd()))
    expect(headings(body)).toEqual(
      [
        'Root user access keys: delete them (critical; CIS 1.4, IAM.4): 100',
        'Stale keys: rotate them (high; CIS 1.14, IAM.3): 700',
        'Unused keys: deactivate or delete them (medium; CIS 1.12, IAM.22): 858'
      ].slice(0, sections)
    )
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


/** A hidden record of `chars` CJK characters in all (as issue-state.ts writes them: 3 UTF-8 bytes each). */
function cjkState(chars: number): string {
  const open = '<!-- iam-key-sentry:state v1 part=1/1 bytes=1 crc=00000000 '
  const close = ' -->'
  const n = chars - open.length - close.length
  return open + Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20_992))).join('') + close
}

describe('issueBodyFits', () => {
  it('checks GitHub\'s 65,536 characters (code points) and 262,144 bytes', () => {
    expect(ISSUE_BODY_MAX).toBe(65_536)
    expect(ISSUE_BODY_MAX_BYTES).toBe(262_144)
    expect(issueBodyFits('a'.repeat(65_536))).toBe(true)
    expect(issueBodyFits('a'.repeat(65_537))).toBe(false)
    // An astral character is two UTF-16 units but one character, and four bytes.
    expect(issueBodyFits('😀'.repeat(65_536))).toBe(true)
    expect(issueBodyFits('😀'.repeat(65_537))).toBe(false)
    expect(issueBodyFits('一'.repeat(65_536))).toBe(true)
    expect(issueBodyFits(`${'一'.repeat(65_535)}ab`)).toBe(false)
    expect(codePoints('a😀一')).toBe(3)
  })
})

describe('renderIssueBody: what changed since the last run', () => {
  const report = trackedReport([
    trackedScan({
      findings: [
        newFinding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200 }),
        knownFinding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95 })
      ],
      resolved: [resolvedKey({ userName: 'carol', daysOpen: 84, how: 'deleted' })]
    })
  ])
  const STATE = '<!-- iam-key-sentry:state v1 part=1/1 bytes=3 crc=0a1b2c3d 一丁丂 -->'

  it('shows new and resolved after the counts, then the findings with first seen, then the state after a blank line', () => {
    expect(renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL, state: STATE })).toBe(
      `${issueMarker(ACCOUNT)}\n` +
        '## IAM access keys to fix in account 123456789012\n\n' +
        `**2 stale** as of 2026-11-24T12:00:00Z by [this workflow run](${RUN_URL}). Policy: active keys are stale at 90 days.\n\n` +
        '### New since the last run: 1\n\n' +
        '| User | Access key | Kind | First seen | Overdue (days) |\n|---|---|---|---|--:|\n' +
        '| old-alice | `AKIA…WXYZ` | stale | 2026-11-24 | 110 |\n\n' +
        '### Resolved since the last run: 1\n\n' +
        `${RESOLVED_HEADER}` +
        '| carol | `AKIA…0007` | stale | 2026-09-01 | 84 | deleted |\n\n' +
        'Median days open: 84.\n\n' +
        'This issue is kept current by IAM Key Sentry: its body is rewritten on every scan, and it is closed when the account is clean. ' +
        'Rotate or delete the keys below; the next scan updates this list.\n\n' +
        '### Stale keys: rotate them (high; CIS 1.14, IAM.3): 2\n\n' +
        '| Kind | User | Access key | Status | Age (days) | Overdue (days) | First seen | Last used |\n|---|---|---|---|--:|--:|---|---|\n' +
        '| stale | old-alice | `AKIA…WXYZ` | Active | 200 | 110 | 2026-11-24 **new** | never |\n' +
        '| stale | old-bob | `AKIA…0042` | Active | 95 | 5 | 2026-10-01 | never |\n\n' +
        STATE
    )
  })

  it('ends the visible text as before when there is no state', () => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL })
    expect(body.endsWith('| stale | old-bob | `AKIA…0042` | Active | 95 | 5 | 2026-10-01 | never |\n\n')).toBe(true)
    expect(body).not.toContain('iam-key-sentry:state')
  })

  it('keeps the state a hidden comment that renders nothing', () => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: null, state: STATE })
    const rendered = html(body)
    // An HTML block of its own: passed through whole, and nothing of it is seen.
    expect(rendered.trimEnd().endsWith(`</table>\n${STATE}`)).toBe(true)
    expect(visibleText(rendered)).not.toContain('一丁丂')
  })

  it('says when there was no record to compare with', () => {
    const none = trackedReport([trackedScan({ baseline: null, findings: [finding()] })])
    const body = renderIssueBody(none, ACCOUNT, { maskKeyIds: true, runUrl: null })
    expect(body).toContain(`Policy: active keys are stale at 90 days.\n\n${NO_BASELINE}\n\nThis issue is kept current`)
  })

  it('puts one blank line between a cut table\'s footer and the state', () => {
    const big = accountReport(makeReport({ findings: manyFindings(5_000) }), ACCOUNT)
    const body = renderIssueBody(big, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL, state: STATE })
    expect(body).toMatch(/ \(`report-file` output, and the SNS message\)\._\n\n<!-- iam-key-sentry:state v1 [^\n]+ -->$/)
  })

  it('budgets the state by its characters: the visible bytes and the state\'s characters stay within maxBytes', () => {
    const big = accountReport(makeReport({ findings: manyFindings(5_000) }), ACCOUNT)
    for (const chars of [1_000, 20_000, 50_000, 60_000]) {
      const state = cjkState(chars)
      expect(codePoints(state)).toBe(chars)
      const body = renderIssueBody(big, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL, state })
      const visible = body.slice(0, -state.length)
      expect(Buffer.byteLength(visible) + chars).toBeLessThanOrEqual(ISSUE_BODY_MAX)
      // Cut near the limit, not far below it.
      expect(Buffer.byteLength(visible) + chars).toBeGreaterThan(ISSUE_BODY_MAX - 1_000)
      expect(issueBodyFits(body)).toBe(true)
      expect(dataRows(body).length + omittedCount(body)).toBe(5_000)
    }
  })
})

describe('renderIssueBody: 5,000 findings and a 50,000-character state', () => {
  const report = accountReport(
    trackedReport([
      trackedScan({
        findings: manyFindings(5_000).map((f, i) => ({ ...f, userName: `ユーザー-${i}`, firstSeenAt: i % 3 ? '2026-01-01' : '2026-11-24', new: i % 3 === 0 })),
        resolved: Array.from({ length: 2_000 }, (_, i) => resolvedKey({ userName: `消えた-${i}`, accessKeyId: keyId(50_000 + i) }))
      })
    ]),
    ACCOUNT
  )
  const state = cjkState(50_000)

  it.each([
    ['masked ids', true],
    ['full ids', false]
  ])('fits both of GitHub\'s limits, the state whole at the end, the tables cut (%s)', (_label, maskKeyIds) => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds, runUrl: RUN_URL, state })
    expect(issueBodyFits(body)).toBe(true)
    expect(codePoints(body)).toBeLessThanOrEqual(65_536)
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(262_144)
    expect(body.endsWith(`\n\n${state}`)).toBe(true)
    expect(body.split('iam-key-sentry:state')).toHaveLength(2)
    expect(dataRows(body).length + omittedCount(body)).toBe(5_000)
    expect(body).toMatch(/\n_\d+ more new findings not shown; /)
    expect(body).toMatch(/\n_\d+ more resolved keys not shown; /)
  })

  it('holds a real record of 5,000 keys, which reads back from the body', () => {
    // Every 500th key has no id (a root key from the credential report): its keyIdentity is
    // `${userName}@${createdAt}`. The record is sorted by user name, then keyIdentity, and the
    // padded user names keep that order the same as this one.
    const keys: BaselineKey[] = Array.from({ length: 5_000 }, (_, i) => ({
      accessKeyId: i % 500 === 0 ? null : keyId(i),
      createdAt: `2025-${String((i % 12) + 1).padStart(2, '0')}-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
      userName: `user-${String(i).padStart(5, '0')}`,
      kind: 'stale',
      firstSeenAt: '2026-01-01'
    }))
    const parts = encodeState({ accountId: ACCOUNT, keys })
    expect(parts).toHaveLength(1)
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL, state: parts[0] })
    expect(issueBodyFits(body)).toBe(true)
    expect(decodeState([body])).toEqual({ ok: true, state: { accountId: ACCOUNT, keys } })
  })
})

describe('newFindingsComment', () => {
  const report = trackedReport([
    trackedScan({
      findings: [
        newFinding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200 }),
        knownFinding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95 }),
        newFinding({ userName: 'idle', kind: 'unused', accessKeyId: keyId(3), ageDays: 40 }),
        { ...finding({ userName: 'svc', exempt: true }), new: false, firstSeenAt: null }
      ]
    }),
    trackedScan({ accountId: OTHER_ACCOUNT, findings: [newFinding({ accountId: OTHER_ACCOUNT, userName: 'elsewhere' })] })
  ])

  it('lists the account\'s new findings under a heading that counts them', () => {
    expect(newFindingsComment(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL })).toBe(
      '### 2 new since the last run\n\n' +
        `Keys in account 123456789012 with a finding that the last run did not have, as of 2026-11-24T12:00:00Z ([workflow run](${RUN_URL})):\n\n` +
        '| User | Access key | Kind | Age (days) | Overdue (days) |\n|---|---|---|--:|--:|\n' +
        '| old-alice | `AKIA…WXYZ` | stale | 200 | 110 |\n' +
        '| idle | `AKIA…0003` | unused | 40 |  |\n'
    )
    expect(NEW_FINDINGS_HEADER).toBe('| User | Access key | Kind | Age (days) | Overdue (days) |\n|---|---|---|--:|--:|\n')
  })

  it('uses the singular, no link without a run URL, and full ids when masking is off', () => {
    expect(newFindingsComment(report, OTHER_ACCOUNT, { maskKeyIds: false, runUrl: null })).toBe(
      '### 1 new since the last run\n\n' +
        'A key in account 210987654321 with a finding that the last run did not have, as of 2026-11-24T12:00:00Z:\n\n' +
        NEW_FINDINGS_HEADER +
        '| elsewhere | `AKIAIOSFODNN7EXAMPLE` | stale | 207 | 117 |\n'
    )
  })

  it('is null when nothing is new, or there was no baseline', () => {
    const known = trackedReport([trackedScan({ findings: [knownFinding()] })])
    expect(newFindingsComment(known, ACCOUNT, { maskKeyIds: true, runUrl: null })).toBeNull()
    expect(newFindingsComment(makeReport({ findings: [finding()] }), ACCOUNT, { maskKeyIds: true, runUrl: null })).toBeNull()
    expect(newFindingsComment(trackedReport([trackedScan({ baseline: 'no-open-issue' })]), ACCOUNT, { maskKeyIds: true, runUrl: null })).toBeNull()
  })

  it('renders as a heading and a table', () => {
    const rendered = html(newFindingsComment(report, ACCOUNT, { maskKeyIds: true, runUrl: null })!)
    expect(rendered).toContain('<h3>2 new since the last run</h3>')
    expect(rendered.match(/<th[ >]/g)).toHaveLength(5)
    expect(rendered.match(/<tr>/g)).toHaveLength(3)
  })

  it('is cut to GitHub\'s 65,536 characters, and says how many are left out', () => {
    const many = trackedReport([
      trackedScan({
        findings: [
          knownFinding({ userName: 'kept' }),
          ...Array.from({ length: 5_000 }, (_, i) => newFinding({ userName: `ユーザー-${'x'.repeat(20)}-${i}`, accessKeyId: keyId(i) }))
        ]
      })
    ])
    const comment = newFindingsComment(many, ACCOUNT, { maskKeyIds: false, runUrl: RUN_URL })!
    expect(issueBodyFits(comment)).toBe(true)
    expect(Buffer.byteLength(comment)).toBeGreaterThan(60_000)
    const shown = comment.split('\n').filter((l) => l.startsWith('| ユーザー')).length
    expect(comment.startsWith('### 5000 new since the last run\n')).toBe(true)
    expect(comment.endsWith(
      `\n\n_${5_000 - shown} more new findings not shown: GitHub limits a comment to 65,536 characters. The issue body and the JSON report list them._\n`
    )).toBe(true)
  })
})

describe('closingComment with resolved keys', () => {
  const closing = 'All 14 access keys are within policy in account 123456789012 as of 2026-11-24T12:00:00Z. Closing.'

  it('lists what was resolved, and the median days open', () => {
    const report = trackedReport([
      trackedScan({
        keys: 14,
        resolved: [
          resolvedKey({ userName: 'carol', daysOpen: 84, how: 'rotated' }),
          resolvedKey({ userName: 'dave', accessKeyId: keyId(4), kind: 'inactive', daysOpen: 10, how: 'deleted' }),
          resolvedKey({ userName: '<root_account>', accessKeyId: null, kind: 'root-key', daysOpen: 3, how: 'deleted' })
        ]
      })
    ])
    expect(closingComment(report, ACCOUNT, null)).toBe(
      `${closing}\n\n` +
        '### Resolved since the last run: 3\n\n' +
        '| User | Access key | Kind it had | First seen | Days open | How |\n|---|---|---|---|--:|---|\n' +
        '| carol | `AKIA…0007` | stale | 2026-09-01 | 84 | rotated |\n' +
        '| dave | `AKIA…0004` | inactive | 2026-09-01 | 10 | deleted |\n' +
        '| \\<root_account\\> | `(root key, no id)` | root-key | 2026-09-01 | 3 | deleted |\n' +
        '\nMedian days open: 10.\n'
    )
  })

  it('shows full ids when asked, only the account\'s keys, and a median between two', () => {
    const report = trackedReport([
      trackedScan({ keys: 14, resolved: [resolvedKey({ daysOpen: 5 }), resolvedKey({ userName: 'x', accessKeyId: keyId(9), daysOpen: 8, how: 'healthy' })] }),
      trackedScan({ accountId: OTHER_ACCOUNT, resolved: [resolvedKey({ userName: 'not-mine' })] })
    ])
    const comment = closingComment(accountReport(report, ACCOUNT), ACCOUNT, RUN_URL, { maskKeyIds: false })
    expect(comment.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| User'))).toEqual([
      '| carol | `AKIACCCCCCCCCCCC0007` | stale | 2026-09-01 | 5 | rotated |',
      `| x | \`${keyId(9)}\` | stale | 2026-09-01 | 8 | healthy |`
    ])
    expect(comment).toContain(`([workflow run](${RUN_URL})). Closing.\n\n### Resolved since the last run: 2\n`)
    expect(comment.endsWith('\nMedian days open: 6.5.\n')).toBe(true)
    expect(comment).not.toContain('not-mine')
  })

  it('is the one line it was when nothing was resolved (no baseline, or an empty one)', () => {
    expect(closingComment(makeReport({ keys: 14 }), ACCOUNT, null)).toBe(closing)
    expect(closingComment(trackedReport([trackedScan({ keys: 14, baseline: 'no-open-issue' })]), ACCOUNT, null)).toBe(closing)
  })

  it('is cut to GitHub\'s 65,536 characters, the median of them all kept', () => {
    const report = trackedReport([
      trackedScan({
        resolved: Array.from({ length: 5_000 }, (_, i) => resolvedKey({ userName: `ユーザー-${'y'.repeat(20)}-${i}`, accessKeyId: keyId(i), daysOpen: i }))
      })
    ])
    const comment = closingComment(report, ACCOUNT, RUN_URL, { maskKeyIds: false })
    expect(issueBodyFits(comment)).toBe(true)
    expect(Buffer.byteLength(comment)).toBeGreaterThan(60_000)
    const shown = comment.split('\n').filter((l) => l.startsWith('| ユーザー')).length
    expect(comment).toContain(
      `\n\n_${5_000 - shown} more resolved keys not shown: GitHub limits a comment to 65,536 characters. The JSON report lists them._\n`
    )
    expect(comment.endsWith('\nMedian days open: 2499.5.\n')).toBe(true)
  })
})

/** The mentions GitHub would notify in rendered Markdown: `@name` or `@org/team` outside code, not after a word joiner. */
function mentions(markdown: string): string[] {
  const text = visibleText(html(markdown).replace(/<code>[\s\S]*?<\/code>/g, ' '))
  return [...text.matchAll(/(?<![\w\u2060`])@[A-Za-z0-9-]+(?:\/[\w.-]+)?/g)].map((m) => m[0])
}

/** The Owners section of a body: from its heading to the next `### ` heading. */
function ownersSection(body: string): string {
  const start = body.indexOf('### Owners\n')
  expect(start).toBeGreaterThan(0)
  const end = body.indexOf('\n### ', start + 1)
  return body.slice(start, end + 1)
}

describe('renderIssueBody: owners', () => {
  const report = trackedReport([
    trackedScan({
      findings: [
        newFinding({ userName: 'alice-cli', accessKeyId: KEY_A, ageDays: 212, owners: ['@alice'] }),
        knownFinding({ userName: 'svc-billing', accessKeyId: keyId(1), ageDays: 150, owners: ['@acme/platform', 'platform-oncall@example.com'] }),
        knownFinding({ userName: '@torvalds', accessKeyId: keyId(2), ageDays: 120, owners: ['Team <img src=x> [x](y)'] }),
        knownFinding({ userName: 'bob', accessKeyId: KEY_B, ageDays: 95, owners: [] }),
        { ...finding({ userName: 'svc-ci', accessKeyId: keyId(3), exempt: true, owners: ['@exempt-owner'] }), new: false, firstSeenAt: null }
      ]
    })
  ])
  const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: null })

  it('has an Owners section after what changed and the intro, before the findings tables', () => {
    expect(ownersSection(body)).toBe(
      '### Owners\n\n' +
        '- [ ] @acme/platform — `AKIA…0001`, stale, 150 days, user svc-billing\n\n' +
        '- [ ] @alice — `AKIA…WXYZ`, stale, 212 days, user alice-cli\n\n' +
        '- [ ] platform-oncall\\@\u2060example.com — `AKIA…0001`, stale, 150 days, user svc-billing\n\n' +
        '- [ ] Team \\<img src=x\\> \\[x\\](y) — `AKIA…0002`, stale, 120 days, user \\@\u2060torvalds\n\n' +
        '**Unowned: 1**\n\n' +
        '- [ ] `AKIA…0042`, stale, 95 days, user bob\n\n'
    )
    expect(body.indexOf('### Owners')).toBeGreaterThan(body.indexOf('### Resolved since the last run'))
    expect(body.indexOf('### Owners')).toBeGreaterThan(body.indexOf('This issue is kept current'))
    expect(body.indexOf('### Owners')).toBeLessThan(body.indexOf('### Stale keys'))
  })

  it('mentions the logins and teams in the Owners section only, never a user name, an address or an exempt key\'s owner', () => {
    expect(mentions(body).sort()).toEqual(['@acme/platform', '@alice'])
    expect(mentions(ownersSection(body)).sort()).toEqual(['@acme/platform', '@alice'])
    expect(mentions(body.replace(ownersSection(body), ''))).toEqual([])
    expect(body).not.toContain('@exempt-owner\n')
    expect(activeParts(html(body))).not.toContain('e-mail autolink')
    expect(html(body)).not.toMatch(/<img|<a /)
  })

  it('shows the owners inert in the findings tables', () => {
    expect(dataRows(body)).toEqual([
      '| stale | alice-cli | `@alice` | `AKIA…WXYZ` | Active | 212 | 122 | 2026-11-24 **new** | never |',
      '| stale | svc-billing | `@acme/platform`, `platform-oncall@example.com` | `AKIA…0001` | Active | 150 | 60 | 2026-10-01 | never |',
      '| stale | \\@\u2060torvalds | Team \\<img src=x\\> \\[x\\](y) | `AKIA…0002` | Active | 120 | 30 | 2026-10-01 | never |',
      '| stale | bob | — | `AKIA…0042` | Active | 95 | 5 | 2026-10-01 | never |',
      '| stale, exempt (exempt-users svc-\\*) | svc-ci | `@exempt-owner` | `AKIA…0003` | Active | 207 |  |  | never |'
    ])
  })

  it('has no Owners section when no counted finding has an owner', () => {
    const none = renderIssueBody(accountReport(twoAccounts(), ACCOUNT), ACCOUNT, { maskKeyIds: true, runUrl: null })
    expect(none).not.toContain('### Owners')
  })
})

describe('renderIssueBody: 5,000 findings with owners', () => {
  /** Four owners per key in turn: a login, a team, an address and a plain name; every 6th unowned, every 5th with two owners. */
  const owners = (i: number) =>
    i % 6 === 0
      ? []
      : [
          [`@dev-${i % 97}`, `@acme/team-${i % 13}`, `owner-${i % 31}@example.com`, `Team ${i % 11} オーナー`][i % 4],
          ...(i % 5 === 0 ? [`@second-${i % 17}`] : [])
        ]
  const report = accountReport(
    trackedReport([
      trackedScan({
        findings: manyFindings(5_000).map((f, i) => ({
          ...f,
          userName: `ユーザー-${i}`,
          owners: owners(i),
          firstSeenAt: i % 3 ? '2026-01-01' : '2026-11-24',
          new: i % 3 === 0
        })),
        resolved: Array.from({ length: 2_000 }, (_, i) => resolvedKey({ userName: `消えた-${i}`, accessKeyId: keyId(50_000 + i) }))
      })
    ]),
    ACCOUNT
  )
  const lines = report.findings.reduce((n, f) => n + Math.max(1, (f.owners ?? []).length), 0)

  it.each([
    ['masked ids, no state', true, 0],
    ['full ids, no state', false, 0],
    ['masked ids, a 50,000-character state', true, 50_000],
    ['full ids, a 60,000-character state', false, 60_000]
  ])('fits GitHub\'s limits with the Owners section cut and counted (%s)', (_label, maskKeyIds, stateChars) => {
    const state = stateChars ? cjkState(stateChars) : undefined
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds, runUrl: RUN_URL, state })
    expect(issueBodyFits(body)).toBe(true)
    const visible = state ? body.slice(0, -state.length) : body
    expect(Buffer.byteLength(visible) + stateChars).toBeLessThanOrEqual(ISSUE_BODY_MAX)
    expect(Buffer.byteLength(visible) + stateChars).toBeGreaterThan(ISSUE_BODY_MAX - 1_000)
    if (state) expect(body.endsWith(`\n\n${state}`)).toBe(true)
    // Every finding is either in a table or counted as left out; every owner line shown or counted.
    expect(dataRows(body).length + omittedCount(body)).toBe(5_000)
    const section = ownersSection(body)
    const tasks = section.split('\n').filter((l) => l.startsWith('- [ ] ')).length
    const more = /\n_…and (\d+) more keys: the tables below and the JSON report list them all\._\n/.exec(section)
    expect(more).not.toBeNull()
    expect(tasks).toBeGreaterThan(0)
    expect(tasks + Number(more![1])).toBe(lines)
    // The owners and the table share what is left: neither is starved.
    expect(dataRows(body).length).toBeGreaterThan(0)
    expect(Buffer.byteLength(section)).toBeGreaterThan(Buffer.byteLength(visible) / 8)
  })

  it('fits with a real record of 5,000 keys, which reads back', () => {
    const keys: BaselineKey[] = Array.from({ length: 5_000 }, (_, i) => ({
      accessKeyId: keyId(i),
      createdAt: '2025-06-01T08:30:00Z',
      userName: `user-${String(i).padStart(5, '0')}`,
      kind: 'stale',
      firstSeenAt: '2026-01-01'
    }))
    const parts = encodeState({ accountId: ACCOUNT, keys })
    expect(parts).toHaveLength(1)
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL, state: parts[0] })
    expect(issueBodyFits(body)).toBe(true)
    expect(decodeState([body])).toEqual({ ok: true, state: { accountId: ACCOUNT, keys } })
  })

  it('honours a small budget', () => {
    for (const maxBytes of [4_000, 10_000, 30_000]) {
      const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: null, maxBytes })
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(maxBytes)
      expect(dataRows(body).length + omittedCount(body)).toBe(5_000)
    }
  })
})

describe('newFindingsComment: owners', () => {
  const report = trackedReport([
    trackedScan({
      findings: [
        newFinding({ userName: 'alice-cli', accessKeyId: KEY_A, ageDays: 200, owners: ['@alice', 'alice@example.com'] }),
        knownFinding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95, owners: ['@bob', '@acme/old'] }),
        newFinding({ userName: 'svc-deploy', kind: 'unused', accessKeyId: keyId(3), ageDays: 40, owners: ['@acme/platform', '@Alice'] }),
        newFinding({ userName: '@torvalds', accessKeyId: keyId(4), ageDays: 120, owners: ['Team <img src=x>', '::error::boom'] }),
        newFinding({ userName: 'nobody', accessKeyId: keyId(5), ageDays: 100, owners: [] }),
        { ...finding({ userName: 'svc', exempt: true, owners: ['@exempt-owner'] }), new: false, firstSeenAt: null }
      ]
    })
  ])
  const comment = newFindingsComment(report, ACCOUNT, { maskKeyIds: true, runUrl: null })!

  it('shows the new keys\' owners inert in the table, and mentions their logins and teams once, at the end', () => {
    expect(comment).toBe(
      '### 4 new since the last run\n\n' +
        'Keys in account 123456789012 with a finding that the last run did not have, as of 2026-11-24T12:00:00Z:\n\n' +
        NEW_FINDINGS_OWNER_HEADER +
        '| alice-cli | `@alice`, `alice@example.com` | `AKIA…WXYZ` | stale | 200 | 110 |\n' +
        '| \\@\u2060torvalds | Team \\<img src=x\\>, ::\u2060error::boom | `AKIA…0004` | stale | 120 | 30 |\n' +
        '| nobody | — | `AKIA…0005` | stale | 100 | 10 |\n' +
        '| svc-deploy | `@acme/platform`, `@Alice` | `AKIA…0003` | unused | 40 |  |\n' +
        '\nOwners of the new keys: @alice @acme/platform\n'
    )
    expect(NEW_FINDINGS_OWNER_HEADER).toBe('| User | Owner | Access key | Kind | Age (days) | Overdue (days) |\n|---|---|---|---|--:|--:|\n')
  })

  it('notifies the owners of the new keys only: not of known or exempt keys, not an address, a name or a user', () => {
    expect(mentions(comment)).toEqual(['@alice', '@acme/platform'])
    expect(mentionedOwners(report.findings.filter((f) => f.new === true)).map((o) => o.value)).toEqual(['@alice', '@acme/platform'])
    expect(activeParts(html(comment)).filter((p) => !['heading', '<code>'].includes(p))).toEqual(['mention'])
    expect(comment.split('\n').some((l) => /^\s*::/.test(l))).toBe(false)
  })

  it('has no mention line when no new key has a login or team, and no Owner column when none has an owner', () => {
    const addressOnly = trackedReport([trackedScan({ findings: [newFinding({ owners: ['ops@example.com'] }), knownFinding({ userName: 'k', owners: ['@bob'] })] })])
    const c = newFindingsComment(addressOnly, ACCOUNT, { maskKeyIds: true, runUrl: null })!
    expect(c).toContain(NEW_FINDINGS_OWNER_HEADER)
    expect(c).not.toContain('Owners of the new keys')
    expect(mentions(c)).toEqual([])
    const unowned = trackedReport([trackedScan({ findings: [newFinding({ owners: [] }), knownFinding({ userName: 'k', owners: ['@bob'] })] })])
    const d = newFindingsComment(unowned, ACCOUNT, { maskKeyIds: true, runUrl: null })!
    expect(d).toContain(NEW_FINDINGS_HEADER)
    expect(d).not.toContain('Owner')
  })

  it('mentions the owners of rows cut from the table too, at most 50, within GitHub\'s limit', () => {
    const many = trackedReport([
      trackedScan({
        findings: Array.from({ length: 5_000 }, (_, i) =>
          newFinding({ userName: `ユーザー-${'x'.repeat(20)}-${i}`, accessKeyId: keyId(i), owners: [`@owner-${String(i % 80).padStart(2, '0')}`, `@acme/team-${i % 3}`] })
        )
      })
    ])
    const c = newFindingsComment(many, ACCOUNT, { maskKeyIds: false, runUrl: RUN_URL })!
    expect(issueBodyFits(c)).toBe(true)
    expect(c).toMatch(/\n_\d+ more new findings not shown: /)
    expect(COMMENT_MAX_MENTIONS).toBe(50)
    expect(mentions(c)).toHaveLength(50)
    expect(c.endsWith(' and 33 more owners: the issue\'s Owners section lists them.\n')).toBe(true)
  })
})

describe('closingComment: owners', () => {
  it('mentions nobody', () => {
    const report = trackedReport([trackedScan({ keys: 3, resolved: [resolvedKey({ userName: '@torvalds' })] })])
    expect(mentions(closingComment(report, ACCOUNT, null))).toEqual([])
  })
})

describe('renderIssueBody: the new kinds and the controls', () => {
  const report = makeReport({
    findings: [
      finding({ kind: 'root-key', status: 'Inactive', accessKeyId: null, userName: '<root_account>', userArn: `arn:aws:iam::${ACCOUNT}:root` }),
      finding({ kind: 'setup-key', userName: 'console-cat', accessKeyId: KEY_A, ageDays: 3 }),
      finding({ kind: 'two-active-keys', userName: 'pair-pat', accessKeyId: KEY_B, ageDays: 22 })
    ]
  })

  it('shows the controls in each heading and says an inactive root key is inactive, within the limit', () => {
    const body = renderIssueBody(report, ACCOUNT, { maskKeyIds: true, runUrl: RUN_URL })
    expect(headings(body)).toEqual([
      'Root user access keys: delete them (critical; CIS 1.4, IAM.4): 1',
      'Keys never used since set-up: delete them (medium; CIS 1.11): 1',
      'Users with two active keys: retire one (low; CIS 1.13): 1'
    ])
    expect(body).toContain('| root-key (inactive) |')
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_MAX)
  })

  it('keeps the new kinds through the state record', () => {
    const keys: BaselineKey[] = report.findings.map((f) => ({
      accessKeyId: f.accessKeyId,
      userName: f.userName,
      kind: f.kind,
      firstSeenAt: '2026-11-01',
      ...(f.accessKeyId ? {} : { createdAt: f.createdAt })
    }))
    const decoded = decodeState(encodeState({ accountId: ACCOUNT, keys }))
    expect(decoded.ok && decoded.state.keys.map((k) => k.kind).sort()).toEqual(['root-key', 'setup-key', 'two-active-keys'])
  })
})
