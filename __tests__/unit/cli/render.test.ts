import { describe, expect, it } from '@jest/globals'
import { renderTerminal } from '../../../src/cli/render.js'
import { keyCell } from '../../../src/render/text.js'
import { ACCOUNT, OTHER_ACCOUNT, accountScan, finding, makeReport } from '../helpers.js'

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
      'Root user access keys: delete them (critical): 1',
      'Stale keys: rotate them (high): 1',
      'Unused keys: deactivate or delete them (medium): 1',
      'Exempt (listed, not counted): 1'
    ])
    expect(plain.indexOf('svc-backup')).toBeGreaterThan(plain.indexOf('ci-bot'))
  })

  it('fits the columns to their content', () => {
    const at = lines.indexOf('Stale keys: rotate them (high): 1')
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
    expect(coloured).toContain('\u001b[1m\u001b[31mRoot user access keys: delete them (critical): 1\u001b[39m\u001b[22m')
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
    const several = makeReport({
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

describe('keyCell', () => {
  it('says a key id is not in the report, and that root keys have none', () => {
    expect(keyCell(finding({ accessKeyId: null }), true)).toBe('(not in report)')
    expect(keyCell(finding({ kind: 'root-key', accessKeyId: null }), false)).toBe('(root key, no id)')
  })
})
