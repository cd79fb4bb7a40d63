import { describe, expect, it } from '@jest/globals'
import { renderTerminal } from '../../../src/cli/render.js'
import { compareWithBaseline, type BaselineKey } from '../../../src/core/lifecycle.js'
import type { AccountScan } from '../../../src/core/model.js'
import { buildReport } from '../../../src/core/report.js'
import { keyCell } from '../../../src/render/text.js'
import { ACCOUNT, DEFAULT_POLICY, NOW, OTHER_ACCOUNT, accountScan, finding, makeReport } from '../helpers.js'

const KEY = 'AKIA1234567890ABWXYZ'
const ANSI = '\u001b['
/** The text without its SGR escape codes (`ESC[31m`). */
const plainText = (s: string) => s.split(ANSI).map((part, i) => (i === 0 ? part : part.replace(/^\d+m/, ''))).join('')

const report = makeReport({
  users: 9,
  keys: 11,
  findings: [
    finding({ userName: 'svc-backup', kind: 'stale', exempt: true, accessKeyId: 'AKIASVCBACKUP0000001', ageDays: 900 }),
    finding({ userName: 'old-alice', kind: 'stale', accessKeyId: KEY, ageDays: 200, lastUsedAt: '2026-11-20T08:15:02Z', lastUsedService: 's3' }),
    finding({ userName: '<root_account>', kind: 'root-key', accessKeyId: null, ageDays: 2000, userArn: `arn:aws:iam::${ACCOUNT}:root` }),
    finding({ userName: 'ci-bot', kind: 'unused', accessKeyId: 'AKIACIBOT00000000007', ageDays: 60 })
  ]
})

describe('renderTerminal', () => {
  const plain = renderTerminal(report, { maskKeyIds: true, color: false })
  const lines = plain.split('\n')

  it('starts with the headline, the account and the policy, with no colour when told', () => {
    expect(plain).not.toContain(ANSI)
    expect(lines.slice(0, 4)).toEqual([
      'IAM Key Sentry: 3 findings (1 root-key, 1 stale, 1 unused) in account 123456789012',
      'Account 123456789012: 9 users, 11 keys (credential report).',
      'Policy: active keys are stale at 90 days.',
      '1 exempt finding listed, not counted.'
    ])
  })

  it('has one table per kind, most severe first, exempt ones last', () => {
    const headings = lines.filter((l) => /^\S.*: \d+$/.test(l))
    expect(headings).toEqual([
      'Root user access keys: delete them (critical; CIS 1.4, IAM.4): 1',
      'Stale keys: rotate them (high; CIS 1.14, IAM.3): 1',
      'Unused keys: deactivate or delete them (medium; CIS 1.12, IAM.22): 1',
      'Exempt (listed, not counted): 1'
    ])
    expect(plain.indexOf('svc-backup')).toBeGreaterThan(plain.indexOf('ci-bot'))
  })

  it('fits the columns to their content', () => {
    const at = lines.indexOf('Stale keys: rotate them (high; CIS 1.14, IAM.3): 1')
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '  User       Access key  Status  Age (days)  Last used',
      '  old-alice  AKIA…WXYZ   Active         200  2026-11-20 (s3)'
    ])
    const exempt = lines.indexOf('Exempt (listed, not counted): 1')
    expect(lines.slice(exempt + 1, exempt + 3)).toEqual([
      '  Kind   User        Access key  Status  Age (days)  Last used  Exempt by',
      '  stale  svc-backup  AKIA…0001   Active         900  never      exempt-users svc-*'
    ])
  })

  it('masks key ids unless told not to', () => {
    expect(plain).not.toContain(KEY)
    const full = renderTerminal(report, { maskKeyIds: false, color: false })
    expect(full).toContain(`old-alice  ${KEY}  Active`)
    expect(full).toContain('(root key, no id)')
  })

  it('colours the headline and the kinds when colour is on', () => {
    const coloured = renderTerminal(report, { maskKeyIds: true, color: true })
    expect(coloured).toContain(ANSI)
    expect(coloured).toContain('\u001b[1m\u001b[31mRoot user access keys: delete them (critical; CIS 1.4, IAM.4): 1\u001b[39m\u001b[22m')
    // Without the escape codes it is the plain text: colour never shifts a column.
    expect(plainText(coloured)).toBe(plain)
  })

  it('says when everything is within policy', () => {
    const clean = renderTerminal(makeReport({ keys: 14 }), { maskKeyIds: true, color: false })
    expect(clean).toBe(
      'IAM Key Sentry: no findings in account 123456789012\n' +
        'Account 123456789012: 12 users, 14 keys (credential report).\n' +
        'Policy: active keys are stale at 90 days.\n' +
        'All 14 access keys are within policy.\n'
    )
  })

  it('names an account that was not scanned, and adds an account column for several', () => {
    const several = buildReport({
      generatedAt: NOW,
      policy: DEFAULT_POLICY,
      scans: [accountScan({ findings: [finding({ userName: 'bob', accessKeyId: KEY })], notes: ['fell back to listing'] })],
      failures: [{ accountId: OTHER_ACCOUNT, error: 'sts:AssumeRole was denied' }]
    })
    const text = renderTerminal(several, { maskKeyIds: true, color: false })
    expect(text.split('\n')[0]).toBe('IAM Key Sentry: scan incomplete, 1 stale key in 2 accounts')
    expect(text).toContain(`Account ${OTHER_ACCOUNT}: not scanned: sts:AssumeRole was denied`)
    expect(text).toContain(`  Account       User  Access key  Status  Age (days)  Last used\n  ${ACCOUNT}  bob   AKIA…WXYZ`)
    expect(text).toContain(`Notes:\n- ${ACCOUNT}: fell back to listing\n`)
  })
})

describe('renderTerminal: owners', () => {
  const owned = makeReport({
    findings: [
      finding({ userName: 'alice-cli', accessKeyId: KEY, ageDays: 200, owners: ['@alice', 'alice@example.com'] }),
      finding({ userName: 'bob', kind: 'unused', accessKeyId: 'AKIABOB0000000000009', ageDays: 60, owners: [] }),
      finding({ userName: 'svc-ci', exempt: true, accessKeyId: 'AKIASVCCI00000000001', ageDays: 900, owners: ['Team Billing'] })
    ]
  })
  const text = renderTerminal(owned, { maskKeyIds: true, color: false })
  const lines = text.split('\n')

  it('has an Owner column after User in every table, as plain text, — for none', () => {
    const stale = lines.indexOf('Stale keys: rotate them (high; CIS 1.14, IAM.3): 1')
    expect(lines.slice(stale + 1, stale + 3)).toEqual([
      '  User       Owner                      Access key  Status  Age (days)  Last used',
      '  alice-cli  @alice, alice@example.com  AKIA…WXYZ   Active         200  never'
    ])
    const unused = lines.indexOf('Unused keys: deactivate or delete them (medium; CIS 1.12, IAM.22): 1')
    expect(lines.slice(unused + 1, unused + 3)).toEqual([
      '  User  Owner  Access key  Status  Age (days)  Last used',
      '  bob   —      AKIA…0009   Active          60  never'
    ])
    const exempt = lines.indexOf('Exempt (listed, not counted): 1')
    expect(lines[exempt + 2]).toBe('  stale  svc-ci  Team Billing  AKIA…0001   Active         900  never      exempt-users svc-*')
  })

  it('has no Owner column when no finding has an owner', () => {
    expect(renderTerminal(report, { maskKeyIds: true, color: false })).not.toContain('Owner')
  })

  it('never lets an owner write an escape sequence or a workflow command', () => {
    const hostile = makeReport({ findings: [finding({ owners: ['x\u001b[31m', '::error::boom', '##[error]x'] })] })
    const out = renderTerminal(hostile, { maskKeyIds: true, color: false })
    expect(out).not.toContain('\u001b')
    // core/owners.ts already made the control character a space.
    expect(out).toContain('x [31m, ::error::boom, ##\\[error]x')
  })
})

describe('renderTerminal with a baseline', () => {
  const OLD = 'AKIAOLDALICE0000OLD1'
  const NEW = 'AKIANEWNORA00000NEW2'
  const GONE = 'AKIAGONEGARY000GONE3'
  const remembered = (userName: string, accessKeyId: string | null, kind: BaselineKey['kind'], firstSeenAt: string): BaselineKey => ({
    userName,
    accessKeyId,
    createdAt: '2025-01-01T00:00:00Z',
    kind,
    firstSeenAt
  })
  const findings = [
    finding({ userName: 'old-alice', accessKeyId: OLD, ageDays: 207, lastUsedAt: '2026-11-20T08:15:02Z', lastUsedService: 's3' }),
    finding({ userName: 'new-nora', accessKeyId: NEW, ageDays: 115 }),
    finding({ userName: 'ci-bot', kind: 'unused', accessKeyId: 'AKIACIBOT00000000007', ageDays: 60 }),
    finding({ userName: 'svc-backup', exempt: true, accessKeyId: 'AKIASVCBACKUP0000001', ageDays: 900 })
  ]
  const inventory = findings.map((f) => ({ userName: f.userName, accessKeyId: f.accessKeyId, status: f.status, createdAt: new Date(f.createdAt) }))
  const compared = (scan: AccountScan, keys: BaselineKey[] | null) =>
    compareWithBaseline(
      { ...scan, inventory },
      keys && { source: 'previous-report', baseline: { accountId: scan.accountId, keys } },
      NOW,
      DEFAULT_POLICY
    )
  const baseline = [
    remembered('old-alice', OLD, 'stale', '2026-10-01'),
    remembered('ci-bot', 'AKIACIBOT00000000007', 'unused', '2026-11-01'),
    remembered('gone-gary', GONE, 'stale', '2026-09-15'),
    remembered('<root_account>', null, 'root-key', '2026-11-20')
  ]
  const report = makeReport({ scans: [compared(accountScan({ findings, users: 9, keys: 11 }), baseline)] })
  const text = (r = report, maskKeyIds = true) => renderTerminal(r, { maskKeyIds, color: false, baseline: 'yesterday.json' })
  const lines = text().split('\n')
  const table = (heading: string, rows: number) => lines.slice(lines.indexOf(heading) + 1, lines.indexOf(heading) + 2 + rows)

  it('says what changed since the baseline file, after the policy', () => {
    expect(lines.slice(0, 5)).toEqual([
      'IAM Key Sentry: 3 findings (2 stale, 1 unused) in account 123456789012',
      'Account 123456789012: 9 users, 11 keys (credential report).',
      'Policy: active keys are stale at 90 days.',
      '1 new, 2 resolved since yesterday.json.',
      '1 exempt finding listed, not counted.'
    ])
  })

  it('marks new findings, with overdue days on stale keys and the day each was first seen', () => {
    expect(table('Stale keys: rotate them (high; CIS 1.14, IAM.3): 2', 2)).toEqual([
      '       User       Access key  Status  Age (days)  Overdue  First seen  Last used',
      '       old-alice  AKIA…OLD1   Active         207     117d  2026-10-01  2026-11-20 (s3)',
      '  new  new-nora   AKIA…NEW2   Active         115      25d  2026-11-24  never'
    ])
    // No new finding of the kind: no mark column; not stale: no overdue column.
    expect(table('Unused keys: deactivate or delete them (medium; CIS 1.12, IAM.22): 1', 1)).toEqual([
      '  User    Access key  Status  Age (days)  First seen  Last used',
      '  ci-bot  AKIA…0007   Active          60  2026-11-01  never'
    ])
    // Exempt findings are never new nor remembered: their table is as without a baseline.
    expect(table('Exempt (listed, not counted): 1', 1)).toEqual([
      '  Kind   User        Access key  Status  Age (days)  Last used  Exempt by',
      '  stale  svc-backup  AKIA…0001   Active         900  never      exempt-users svc-*'
    ])
  })

  it('lists what was resolved since the last run: user, key, the kind it had, days open, how', () => {
    expect(table('Resolved since the last run: 2', 2)).toEqual([
      '  User            Access key         Had       Days open  How',
      '  gone-gary       AKIA…ONE3          stale            70  deleted',
      '  <root_account>  (root key, no id)  root-key          4  deleted'
    ])
    expect(text(report, false)).toContain(`  gone-gary       ${GONE}  stale`)
  })

  it('says a clean account is within policy, and still lists what was resolved', () => {
    // old-alice's key is still there, active, with no finding today (the policy changed): healthy.
    const clean = makeReport({ scans: [compared(accountScan({ keys: 3 }), [remembered('old-alice', OLD, 'stale', '2026-10-01')])] })
    expect(renderTerminal(clean, { maskKeyIds: true, color: false, baseline: 'b.json' })).toBe(
      'IAM Key Sentry: no findings in account 123456789012\n' +
        'Account 123456789012: 12 users, 3 keys (credential report).\n' +
        'Policy: active keys are stale at 90 days.\n' +
        '0 new, 1 resolved since b.json.\n' +
        'All 3 access keys are within policy.\n' +
        '\n' +
        'Resolved since the last run: 1\n' +
        '  User       Access key  Had    Days open  How\n' +
        '  old-alice  AKIA…OLD1   stale         54  healthy\n'
    )
  })

  it('shows no first-seen day for an account the baseline did not cover, and names accounts when several', () => {
    const several = buildReport({
      generatedAt: NOW,
      policy: DEFAULT_POLICY,
      scans: [
        compared(accountScan({ findings: findings.slice(0, 2) }), baseline),
        compared(accountScan({ accountId: OTHER_ACCOUNT, findings: [finding({ accountId: OTHER_ACCOUNT, userName: 'bob', ageDays: 100 })] }), null)
      ],
      notes: ['--baseline yesterday.json has no complete scan of account 210987654321: its findings are not marked new or resolved']
    })
    const out = renderTerminal(several, { maskKeyIds: true, color: false, baseline: 'yesterday.json' }).split('\n')
    const at = out.indexOf('Stale keys: rotate them (high; CIS 1.14, IAM.3): 3')
    expect(out.slice(at + 1, at + 5)).toEqual([
      '       Account       User       Access key  Status  Age (days)  Overdue  First seen  Last used',
      '       123456789012  old-alice  AKIA…OLD1   Active         207     117d  2026-10-01  2026-11-20 (s3)',
      '  new  123456789012  new-nora   AKIA…NEW2   Active         115      25d  2026-11-24  never',
      '       210987654321  bob        AKIA…MPLE   Active         100      10d  —           never'
    ])
    expect(out).toContain('  123456789012  gone-gary       AKIA…ONE3          stale            70  deleted')
    expect(out.slice(out.indexOf('Notes:'))).toEqual([
      'Notes:',
      '- --baseline yesterday.json has no complete scan of account 210987654321: its findings are not marked new or resolved',
      ''
    ])
  })

  it('colours the mark and the resolved heading, never shifting a column', () => {
    const coloured = renderTerminal(report, { maskKeyIds: true, color: true, baseline: 'yesterday.json' })
    expect(coloured).toContain('  \u001b[35m\u001b[1mnew\u001b[22m\u001b[39m  new-nora')
    expect(coloured).toContain('\u001b[32mResolved since the last run: 2\u001b[39m')
    expect(plainText(coloured)).toBe(text())
  })
})

describe('keyCell', () => {
  it('says a key id is not in the report, and that root keys have none', () => {
    expect(keyCell(finding({ accessKeyId: null }), true)).toBe('(not in report)')
    expect(keyCell(finding({ kind: 'root-key', accessKeyId: null }), false)).toBe('(root key, no id)')
  })
})
