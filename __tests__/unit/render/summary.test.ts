import { describe, expect, it } from '@jest/globals'
import { SUMMARY_MAX_BYTES, renderSummary } from '../../../src/render/summary.js'
import { findingRow } from '../../../src/render/findings-table.js'
import { sortFindings } from '../../../src/core/policy.js'
import { activeParts, html } from './hostile.js'
import { plain } from '../../../src/render/escape.js'
import { ID_TOKEN_PERMISSION_HINT } from '../../../src/aws/oidc.js'
import { ACCOUNT, OTHER_ACCOUNT, OWNER_SECTION_TABLE_HEADER, OWNER_TABLE_HEADER, SECTION_TABLE_HEADER, accountScan, finding, keyId, manyFindings, makeReport, tableRows } from '../helpers.js'
import { knownFinding, newFinding, resolvedKey, trackedReport, trackedScan } from './lifecycle-reports.js'

const KEY_A = 'AKIA1234567890ABWXYZ'
const KEY_B = 'AKIAZZZZZZZZZZZZ0042'
const bytes = (s: string) => Buffer.byteLength(s)

describe('renderSummary: findings', () => {
  const report = makeReport({
    users: 149,
    keys: 160,
    findings: [
      finding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200, lastUsedAt: '2026-11-20T08:15:02Z', lastUsedService: 's3' }),
      finding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95 })
    ]
  })
  const masked = renderSummary(report, { maskKeyIds: true })

  it('starts with a heading that names the count and the account', () => {
    expect(masked.split('\n')[0]).toBe('## IAM Key Sentry: 2 stale keys in account 123456789012')
  })

  it('describes the account, the policy and the scan time', () => {
    expect(masked).toContain('Account 123456789012: 149 users, 160 keys (data source: credential report).')
    expect(masked).toContain('Policy: active keys are stale at 90 days. Scanned at 2026-11-24T12:00:00Z.')
  })

  it('renders exactly the findings as table rows (healthy keys never listed), with masked ids', () => {
    expect(masked).toContain(`### Stale keys: rotate them (high; CIS 1.14, IAM.3): 2\n\n${SECTION_TABLE_HEADER}\n|---|---|---|--:|--:|---|---|\n`)
    expect(tableRows(masked)).toEqual([
      '| old-alice | `AKIA…WXYZ` | Active | 200 |  |  | 2026-11-20 (s3) |',
      '| old-bob | `AKIA…0042` | Active | 95 |  |  | never |'
    ])
    expect(masked).not.toContain(KEY_A)
    expect(masked).not.toContain(KEY_B)
    expect(masked).not.toContain('not shown')
  })

  it('shows full key ids when masking is off', () => {
    const full = renderSummary(report, { maskKeyIds: false })
    expect(tableRows(full)).toEqual([
      `| old-alice | \`${KEY_A}\` | Active | 200 |  |  | 2026-11-20 (s3) |`,
      `| old-bob | \`${KEY_B}\` | Active | 95 |  |  | never |`
    ])
    expect(full).not.toContain('…')
  })

  it('does not say the keys are within policy', () => {
    expect(masked).not.toContain('within policy')
  })

  it('shows a user under an IAM path with its path, as its ARN has it', () => {
    const kate = finding({ userName: 'kate', userArn: 'arn:aws:iam::123456789012:user/engineering/kate' })
    const md = renderSummary(makeReport({ findings: [kate] }), { maskKeyIds: true })
    expect(tableRows(md)).toEqual(['| /engineering/kate | `AKIA…MPLE` | Active | 207 |  |  | never |'])
    // A path is text from AWS like the name: escaped the same way.
    const odd = finding({ userName: 'x', userArn: 'arn:aws:iam::123456789012:user/a_*b*/@team/x' })
    const oddRow = tableRows(renderSummary(makeReport({ findings: [odd] }), { maskKeyIds: true }))[0]
    expect(oddRow.startsWith(`| ${plain('/a_*b*/@team/x')} | `)).toBe(true)
    expect(activeParts(html(oddRow))).toEqual(['<code>'])
  })

  it('escapes markdown in user names', () => {
    const md = renderSummary(makeReport({ findings: [finding({ userName: 'evil|user' })] }), { maskKeyIds: true })
    expect(tableRows(md)).toEqual(['| evil\\|user | `AKIA…MPLE` | Active | 207 |  |  | never |'])
  })

  it('names mixed kinds in the heading and gives each kind its own section, most severe first', () => {
    const mixed = makeReport({
      findings: [finding({ kind: 'inactive' }), finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null })]
    })
    const md = renderSummary(mixed, { maskKeyIds: true })
    expect(md.split('\n')[0]).toBe('## IAM Key Sentry: 2 findings (1 root-key, 1 inactive) in account 123456789012')
    expect(md.split('\n').filter((l) => l.startsWith('### '))).toEqual([
      '### Root user access keys: delete them (critical; CIS 1.4, IAM.4): 1',
      '### Inactive keys: delete them (low): 1'
    ])
    expect(tableRows(md)).toEqual([
      '| \\<root_account\\> | `(root key, no id)` | Active | 207 |  |  | never |',
      '| alice | `AKIA…MPLE` | Inactive | 207 |  |  | never |'
    ])
  })

  it('lists exempt findings last, with their reason, and says they are not counted', () => {
    const md = renderSummary(
      makeReport({ findings: [finding({ userName: 'svc-deploy', exempt: true, ageDays: 900 }), finding({ userName: 'real' })] }),
      { maskKeyIds: true }
    )
    expect(md.split('\n')[0]).toBe('## IAM Key Sentry: 1 stale key in account 123456789012')
    expect(md).toContain('\n1 exempt finding listed, not counted.\n')
    expect(md.split('\n').filter((l) => l.startsWith('### '))).toEqual([
      '### Stale keys: rotate them (high; CIS 1.14, IAM.3): 1',
      '### Exempt (listed, not counted): 1'
    ])
    // The stale section's heading names its kind; the exempt one, of every kind, keeps a Kind column.
    expect(tableRows(md).map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| real | `AKIA…MPLE`',
      '| stale, exempt (exempt-users svc-\\*) | svc-deploy'
    ])
  })

  it('lists a report with only exempt findings, without calling it clean or failing', () => {
    const md = renderSummary(makeReport({ findings: [finding({ exempt: true })] }), { maskKeyIds: true })
    expect(md.split('\n')[0]).toBe('## IAM Key Sentry: no findings in account 123456789012')
    expect(tableRows(md)).toHaveLength(1)
    expect(md).not.toContain('within policy')
  })
})

describe('renderSummary: clean and incomplete', () => {
  it('says a clean report has all keys within policy, with no table', () => {
    const md = renderSummary(makeReport({ users: 12, keys: 14 }), { maskKeyIds: true })
    expect(md).toBe(
      '## IAM Key Sentry: no findings in account 123456789012\n\n' +
        'There was no earlier record to compare with, so nothing is marked new or resolved; this run starts the record where a tracking issue is kept.\n\n' +
        'Account 123456789012: 12 users, 14 keys (data source: credential report).\n\n' +
        'Policy: active keys are stale at 90 days. Scanned at 2026-11-24T12:00:00Z.\n\n' +
        'All 14 keys are within policy.\n'
    )
  })

  it('uses the singular for one key and one user', () => {
    const md = renderSummary(makeReport({ users: 1, keys: 1 }), { maskKeyIds: true })
    expect(md).toContain('Account 123456789012: 1 user, 1 key (data source: credential report).')
    expect(md.endsWith('\n\nThe one key is within policy.\n')).toBe(true)
  })

  it('does not say "All 0 keys" for an account without keys', () => {
    const md = renderSummary(makeReport({ users: 3, keys: 0 }), { maskKeyIds: true })
    expect(md).toContain('Account 123456789012: 3 users, 0 keys (data source: credential report).')
    expect(md).not.toContain('All 0')
    expect(tableRows(md)).toEqual([])
  })

  it('never renders an incomplete scan without findings as clean', () => {
    const report = makeReport({
      scans: [accountScan({ dataSource: 'api', notes: ['the credential report was denied; listed users instead'] })],
      failures: [{ accountId: OTHER_ACCOUNT, error: 'AccessDenied: iam:GenerateCredentialReport' }]
    })
    const md = renderSummary(report, { maskKeyIds: true })
    expect(md.split('\n')[0]).toBe('## IAM Key Sentry: scan incomplete, no findings in 2 accounts')
    // Several accounts: one table row each, the unreachable one named with its error.
    expect(md).toContain('| 123456789012 |  | 12 | 14 | 0 | IAM listing (the credential report was denied; listed users instead) |')
    expect(md).toContain('| 210987654321 |  | – | – | – | **not scanned**: AccessDenied: iam:GenerateCredentialReport |')
    expect(md).not.toContain('within policy')
    expect(md).not.toMatch(/^## IAM Key Sentry: no findings/)
  })

  it('never renders a report whose only account failed as clean', () => {
    const md = renderSummary(makeReport({ scans: [], failures: [{ accountId: ACCOUNT, error: 'ExpiredToken' }] }), {
      maskKeyIds: true
    })
    expect(md.split('\n')[0]).toBe('## IAM Key Sentry: scan failed for account 123456789012')
    expect(md).toContain('**Account 123456789012: the scan did not complete.** ExpiredToken')
    expect(md).not.toContain('within policy')
    expect(md).not.toContain('no findings')
    // A failed scan says nothing about what changed.
    expect(md).not.toContain('earlier record')
    expect(md).not.toContain('since the last run')
  })

  it('says the scan did not complete when the account is not even known', () => {
    const md = renderSummary(makeReport({ scans: [], failures: [{ accountId: null, error: 'no AWS credentials' }] }), {
      maskKeyIds: true
    })
    expect(md.split('\n')[0]).toBe('## IAM Key Sentry: scan failed')
    expect(md).toContain('\n**The scan did not complete.** no AWS credentials\n')
    expect(md).not.toContain('within policy')
  })

  it('shows the permissions the OIDC exchange needs as a code block to paste, not one run-on line', () => {
    const error =
      'role-to-assume is set, but the runner offers no OIDC token: the workflow or job lacks the permission id-token: write. ' +
      `Add to the job (or the workflow):\n${ID_TOKEN_PERMISSION_HINT}`
    const md = renderSummary(makeReport({ scans: [], failures: [{ accountId: null, error }] }), { maskKeyIds: true })
    const rendered = html(md)
    expect(rendered).toContain('<pre><code class="language-yaml">permissions:\n  id-token: write\n  contents: read\n</code></pre>')
    expect(rendered).toContain('<p><strong>The scan did not complete.</strong> role-to-assume is set')
    expect(md).not.toContain('permissions:   id-token')
  })

  it('marks an incomplete scan with findings in the heading too', () => {
    const report = makeReport({
      scans: [accountScan({ findings: [finding()] })],
      failures: [{ accountId: OTHER_ACCOUNT, error: 'boom' }]
    })
    expect(renderSummary(report, { maskKeyIds: true }).split('\n')[0]).toBe(
      '## IAM Key Sentry: scan incomplete, 1 stale key in 2 accounts'
    )
  })
})

describe('renderSummary: what changed since the last run', () => {
  const report = trackedReport([
    trackedScan({
      users: 149,
      keys: 160,
      findings: [
        newFinding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200 }),
        knownFinding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95, firstSeenAt: '2026-10-01' })
      ],
      resolved: [resolvedKey({ userName: 'carol', daysOpen: 84, how: 'rotated' })]
    })
  ])

  it('comes first, after the heading: new and resolved, then the account, the policy and the findings with first seen', () => {
    expect(renderSummary(report, { maskKeyIds: true })).toBe(
      '## IAM Key Sentry: 2 stale keys in account 123456789012\n\n' +
        '### New since the last run: 1\n\n' +
        '| User | Access key | Kind | First seen | Overdue (days) |\n|---|---|---|---|--:|\n' +
        '| old-alice | `AKIA…WXYZ` | stale | 2026-11-24 | 110 |\n\n' +
        '### Resolved since the last run: 1\n\n' +
        '| User | Access key | Kind it had | First seen | Days open | How |\n|---|---|---|---|--:|---|\n' +
        '| carol | `AKIA…0007` | stale | 2026-09-01 | 84 | rotated |\n\n' +
        'Median days open: 84.\n\n' +
        'Account 123456789012: 149 users, 160 keys (data source: credential report).\n\n' +
        'Policy: active keys are stale at 90 days. Scanned at 2026-11-24T12:00:00Z.\n\n' +
        '### Stale keys: rotate them (high; CIS 1.14, IAM.3): 2\n\n' +
        `${SECTION_TABLE_HEADER}\n|---|---|---|--:|--:|---|---|\n` +
        '| old-alice | `AKIA…WXYZ` | Active | 200 | 110 | 2026-11-24 **new** | never |\n' +
        '| old-bob | `AKIA…0042` | Active | 95 | 5 | 2026-10-01 | never |\n\n'
    )
  })

  it('lists what was resolved in a clean account, and says the keys are within policy', () => {
    const clean = trackedReport([trackedScan({ keys: 14, resolved: [resolvedKey()] })])
    const md = renderSummary(clean, { maskKeyIds: false })
    expect(md).toContain('\n### New since the last run: 0\n\n### Resolved since the last run: 1\n\n')
    expect(md).toContain('\n| carol | `AKIACCCCCCCCCCCC0007` | stale | 2026-09-01 | 84 | rotated |\n')
    expect(md.endsWith('\n\nAll 14 keys are within policy.\n')).toBe(true)
  })

  it('says in one line when nothing changed', () => {
    const md = renderSummary(trackedReport([trackedScan({ findings: [knownFinding()] })]), { maskKeyIds: true })
    expect(md.split('\n\n').slice(0, 3)).toEqual([
      '## IAM Key Sentry: 1 stale key in account 123456789012',
      'Nothing new or resolved since the last run.',
      'Account 123456789012: 12 users, 14 keys (data source: credential report).'
    ])
  })

  it('shows the run notes as text', () => {
    const md = renderSummary(trackedReport([trackedScan({ baseline: null })], { notes: ['previous-report: not JSON <b>'] }), {
      maskKeyIds: true
    })
    expect(md).toContain('\n_Note:_ previous-report: not JSON \\<b\\>\n\n')
  })

  it('gives several accounts an Account column, before the account table', () => {
    const several = trackedReport([
      trackedScan({ accountId: ACCOUNT, findings: [newFinding({ userName: 'alice' }), knownFinding({ userName: 'bob', accessKeyId: keyId(2) })] }),
      trackedScan({ accountId: OTHER_ACCOUNT, resolved: [resolvedKey({ userName: 'carol' })] })
    ])
    const md = renderSummary(several, { maskKeyIds: true })
    const at = (text: string) => {
      expect(md).toContain(text)
      return md.indexOf(text)
    }
    expect(at('### New since the last run: 1\n\n| Account | User |')).toBeLessThan(at('| Account | Name | Users |'))
    expect(md).toContain('\n| 123456789012 | alice | `AKIA…MPLE` | stale | 2026-11-24 | 117 |\n')
    expect(md).toContain('\n| 210987654321 | carol | `AKIA…0007` | stale | 2026-09-01 | 84 | rotated |\n')
    expect(md).toContain('\n| alice | `AKIA…MPLE` | Active | 207 | 117 | 2026-11-24 **new** | never |\n')
  })

  describe('size', () => {
    const big = trackedReport([
      trackedScan({
        findings: manyFindings(5_000).map((f, i) => ({
          ...f,
          firstSeenAt: i % 2 ? '2026-11-24' : '2026-01-01',
          new: i % 2 === 1,
          overdueDays: f.kind === 'stale' ? f.ageDays - 90 : null
        })),
        resolved: Array.from({ length: 3_000 }, (_, i) => resolvedKey({ userName: `gone-${i}`, accessKeyId: keyId(90_000 + i) }))
      })
    ])
    // Rows of the findings tables: their third cell is the key's status (what changed has none).
    const findingRows = (md: string) => md.split('\n').filter((l) => /^\| [^|]+ \| `[^`]+` \| (Active|Inactive) \|/.test(l))

    it('fits whole in the default budget: 5,000 findings, 2,500 new, 3,000 resolved', () => {
      const md = renderSummary(big, { maskKeyIds: true })
      expect(bytes(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
      expect(md).not.toContain('not shown')
      expect(findingRows(md)).toHaveLength(5_000)
      expect(md.split('\n').filter((l) => l.endsWith(' | 2026-09-01 | 84 | rotated |'))).toHaveLength(3_000)
      expect(md.split('\n').filter((l) => l.includes(' **new** |'))).toHaveLength(2_500)
    })

    it.each([20_000, 100_000, 400_000])('stays within %i bytes; what changed takes at most a third', (maxBytes) => {
      const md = renderSummary(big, { maskKeyIds: true, maxBytes })
      expect(bytes(md)).toBeLessThanOrEqual(maxBytes)
      const changes = md.slice(md.indexOf('### New since'), md.indexOf('Account 123456789012:'))
      expect(bytes(changes)).toBeLessThanOrEqual(maxBytes / 3)
      expect(changes).toMatch(/more new findings not shown/)
      expect(changes).toMatch(/more resolved keys not shown/)
      const shown = findingRows(md).length
      expect(shown).toBeGreaterThan(0)
      expect(md).toContain(`\n_${5_000 - shown} more findings not shown to keep this summary under GitHub's 1 MiB limit;`)
      // The findings get the rest: more bytes than what changed.
      expect(bytes(md.slice(md.indexOf('### Root user')))).toBeGreaterThan(bytes(changes))
    })
  })
})

describe('renderSummary: policy', () => {
  it('names every policy limit that is set', () => {
    const md = renderSummary(makeReport({ policy: { maxKeyAgeDays: 180, warnKeyAgeDays: 150, maxUnusedDays: 45 } }), {
      maskKeyIds: true
    })
    expect(md).toContain(
      '\nPolicy: active keys are stale at 180 days, expiring from 150 days, unused after 45 days without use. Scanned at 2026-11-24T12:00:00Z.\n'
    )
  })
})

describe('renderSummary: size', () => {
  const findings = manyFindings(5_000)
  const report = makeReport({ findings, users: 5_000, keys: 6_000 })

  it('SUMMARY_MAX_BYTES is 900 KiB', () => {
    expect(SUMMARY_MAX_BYTES).toBe(921_600)
  })

  it('with the default budget, 5,000 findings fit whole under 900 KiB', () => {
    const md = renderSummary(report, { maskKeyIds: true })
    expect(bytes(md)).toBeLessThan(900 * 1024)
    expect(tableRows(md)).toHaveLength(5_000)
    expect(md).not.toContain('not shown')
  })

  for (const maxBytes of [4_000, 20_000, 100_000]) {
    it(`with maxBytes ${maxBytes}, cuts the table, stays within it and says how many findings are not shown`, () => {
      const md = renderSummary(report, { maskKeyIds: true, maxBytes })
      expect(bytes(md)).toBeLessThanOrEqual(maxBytes)
      const rows = tableRows(md)
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.length).toBeLessThan(5_000)
      const omitted = 5_000 - rows.length
      expect(md).toContain(
        `\n_${omitted} more findings not shown to keep this summary under GitHub's 1 MiB limit; the JSON report (\`report-file\` output) has them all._\n`
      )
      // The rows kept are the most severe ones, in report order.
      const sorted = sortFindings(findings)
      expect(rows).toEqual(sorted.slice(0, rows.length).map((f) => findingRow(f, true, true, false, false, false).trimEnd()))
      expect(md).toMatch(/\n### Root user access keys: delete them [^\n]*\n\n\| User \| /)
    })
  }

  it('stays within a small budget with unmasked ids and multi-byte user names', () => {
    const wide = makeReport({
      findings: Array.from({ length: 2_000 }, (_, i) => finding({ userName: `ユーザー-${i}`, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }))
    })
    const md = renderSummary(wide, { maskKeyIds: false, maxBytes: 10_000 })
    expect(bytes(md)).toBeLessThanOrEqual(10_000)
    const shown = tableRows(md).length
    expect(md).toContain(`_${2_000 - shown} more findings not shown`)
  })
})

describe('renderSummary for thousands of accounts', () => {
  it('keeps the account table within its share, unreachable accounts first, and says how many are left out', () => {
    const scans = Array.from({ length: 5000 }, (_, n) => accountScan({ accountId: String(300000000000 + n), findings: [] }))
    const failures = Array.from({ length: 5000 }, (_, n) => ({
      accountId: String(400000000000 + n),
      error: `sts:AssumeRole into arn:aws:iam::${400000000000 + n}:role/IAMKeySentryAudit was denied (AccessDenied: not authorized).`
    }))
    const md = renderSummary(makeReport({ scans, failures }), { maskKeyIds: true })
    expect(Buffer.byteLength(md)).toBeLessThan(400 * 1024)
    const rows = md.split('\n').filter((l) => /^\| \d{12} \|/.test(l))
    expect(rows[0]).toContain('**not scanned**')
    expect(md).toContain(`_${10000 - rows.length} more accounts not shown; the JSON report`)
    // The same refusal 5,000 times is told once, with the first account ids and a count.
    expect(md.split('was denied').length - 1).toBe(1)
    expect(md).toContain('The scan of 5000 accounts did not complete')
    expect(md).toContain('and 4980 more)')
  })
})
describe('renderSummary: owners', () => {
  const report = makeReport({
    scans: [
      accountScan({
        findings: [
          finding({ userName: 'alice-cli', accessKeyId: KEY_A, ageDays: 212, owners: ['@alice'] }),
          finding({ userName: 'svc-billing', accessKeyId: keyId(1), ageDays: 150, owners: ['@acme/platform', 'platform-oncall@example.com'] }),
          finding({ userName: 'svc-deploy', accessKeyId: keyId(2), ageDays: 120, owners: ['@acme/platform'] }),
          finding({ userName: 'bob', accessKeyId: KEY_B, ageDays: 95, owners: [] }),
          finding({ userName: 'svc-ci', accessKeyId: keyId(3), exempt: true, owners: ['@alice'] })
        ]
      }),
      accountScan({ accountId: OTHER_ACCOUNT, findings: [finding({ accountId: OTHER_ACCOUNT, userName: 'carol', owners: ['@alice'] })] })
    ]
  })
  const md = renderSummary(report, { maskKeyIds: true })

  it('counts the counted findings per owner of every account in one line, exempt ones left out', () => {
    expect(md).toContain(
      '\n\nOwners: `@acme/platform` 2 · `@alice` 2 · `platform-oncall@example.com` 1 · unowned 1.\n\n'
    )
    // After the accounts and the policy, before the findings.
    expect(md.indexOf('Owners: ')).toBeGreaterThan(md.indexOf('Policy: '))
    expect(md.indexOf('Owners: ')).toBeLessThan(md.indexOf('### Account'))
  })

  it('has an Owner column in every table, — for the unowned', () => {
    expect(md).not.toContain(`${SECTION_TABLE_HEADER}\n`)
    expect(md.split(`${OWNER_SECTION_TABLE_HEADER}\n`)).toHaveLength(4)
    expect(tableRows(md)).toContain('| bob | — | `AKIA…0042` | Active | 95 |  |  | never |')
    expect(tableRows(md)).toContain('| carol | `@alice` | `AKIA…MPLE` | Active | 207 |  |  | never |')
  })

  it('mentions nobody', () => {
    expect(activeParts(html(md)).filter((p) => !['<strong>', '<em>', '<code>', 'heading'].includes(p))).toEqual([])
  })

  it('is as it was when no finding has an owner', () => {
    const none = renderSummary(makeReport({ findings: [finding({ owners: [] }), finding({ userName: 'b' })] }), { maskKeyIds: true })
    expect(none).not.toContain('Owners:')
    expect(none).not.toContain(OWNER_SECTION_TABLE_HEADER)
    expect(none).toContain(SECTION_TABLE_HEADER)
  })

  it('has no owner line when only exempt findings have owners, but shows their owners in the table', () => {
    const exemptOnly = renderSummary(
      makeReport({ findings: [finding({ owners: [] }), finding({ userName: 'x', exempt: true, owners: ['@alice'] })] }),
      { maskKeyIds: true }
    )
    expect(exemptOnly).not.toContain('Owners:')
    expect(exemptOnly).toContain(OWNER_TABLE_HEADER)
  })

  it('stays within its budget with owners on every row', () => {
    const many = makeReport({
      findings: manyFindings(5_000).map((f, i) => ({ ...f, owners: i % 4 ? [`@owner-${i % 30}`, `team-${i % 7}@example.com`] : [] }))
    })
    for (const maxBytes of [20_000, 100_000]) {
      const cut = renderSummary(many, { maskKeyIds: true, maxBytes })
      expect(bytes(cut)).toBeLessThanOrEqual(maxBytes)
      expect(cut).toContain(`_${5_000 - tableRows(cut).length} more findings not shown`)
      expect(cut).toMatch(/\nOwners: `team-0@example.com` 536 · `team-1@example.com` 536 · /)
      // 30 logins and 7 addresses: 20 named, the rest counted.
      expect(cut).toContain(' · … 17 more owners · unowned 1250.\n')
    }
    expect(tableRows(renderSummary(many, { maskKeyIds: true }))).toHaveLength(5_000)
  })
})

describe('renderSummary: the new kinds and the controls', () => {
  const root = finding({
    kind: 'root-key',
    status: 'Inactive',
    accessKeyId: null,
    userName: '<root_account>',
    userArn: `arn:aws:iam::${ACCOUNT}:root`
  })
  const report = makeReport({
    findings: [
      root,
      finding({ kind: 'setup-key', userName: 'console-cat', accessKeyId: keyId(1), ageDays: 3 }),
      finding({ kind: 'two-active-keys', userName: 'pair-pat', accessKeyId: keyId(2), ageDays: 22 })
    ]
  })
  const md = renderSummary(report, { maskKeyIds: true })

  it('gives each new kind its advice, severity and controls, in severity order', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('### '))
    expect(headings).toEqual([
      '### Root user access keys: delete them (critical; CIS 1.4, IAM.4): 1',
      '### Keys never used since set-up: delete them (medium; CIS 1.11): 1',
      '### Users with two active keys: retire one (low; CIS 1.13): 1'
    ])
  })

  it('says an inactive root key is inactive', () => {
    // Its section names the kind; the row's status says it is inactive.
    expect(tableRows(md)[0]).toMatch(/^\| \\<root_account\\> \| `\(root key, no id\)` \| Inactive \| /)
    expect(md).toContain('1 root-key, 1 setup-key, 1 two-active-keys')
  })

  it('keeps within its byte budget with the controls in the headings', () => {
    const many = makeReport({ findings: manyFindings(20_000), policy: { maxKeyAgeDays: 90, warnKeyAgeDays: 60, maxUnusedDays: 120 } })
    const big = renderSummary(many, { maskKeyIds: true })
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(big).toContain('Unused keys: deactivate or delete them (medium; CIS 1.12, IAM.22, IAM.8)')
  })
})
