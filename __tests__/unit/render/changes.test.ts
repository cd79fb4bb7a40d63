import { describe, expect, it } from '@jest/globals'
import {
  NEW_HEADER,
  NOTHING_CHANGED,
  NO_BASELINE,
  RESOLVED_HEADER,
  cutTable,
  medianLine,
  newRow,
  renderChanges,
  renderNotes,
  resolvedKeyCell,
  resolvedRow
} from '../../../src/render/changes.js'
import { ACCOUNT, OTHER_ACCOUNT, finding, keyId, makeReport } from '../helpers.js'
import { html } from './hostile.js'
import { knownFinding, newFinding, resolvedKey, trackedReport, trackedScan } from './lifecycle-reports.js'

const KEY_A = 'AKIA1234567890ABWXYZ'
const KEY_B = 'AKIAZZZZZZZZZZZZ0042'
const bytes = (s: string) => Buffer.byteLength(s)
const masked = { maskKeyIds: true, maxBytes: 100_000 }
/** Rows of the Markdown tables in `md`, header and rule lines left out. */
const rows = (md: string) => md.split('\n').filter((l) => l.startsWith('| ') && !/^\| (Account \| )?User \|/.test(l))

describe('renderChanges without a baseline', () => {
  it('says in one line that there was nothing to compare with', () => {
    expect(renderChanges(makeReport({ findings: [finding()] }), masked)).toEqual({ markdown: `${NO_BASELINE}\n\n`, omitted: 0 })
    expect(NO_BASELINE).toBe(
      'There was no earlier record to compare with, so nothing is marked new or resolved; this run starts the record where a tracking issue is kept.'
    )
  })

  it('is the same line for a scan with a lifecycle but no baseline', () => {
    const report = trackedReport([trackedScan({ baseline: null, findings: [finding()] })])
    expect(report.totals.new).toBeNull()
    expect(renderChanges(report, masked).markdown).toBe(`${NO_BASELINE}\n\n`)
  })

  it('adds the run notes as text, after the line', () => {
    const report = trackedReport([trackedScan({ baseline: null })], {
      notes: ['the previous report could not be read: it is not JSON', 'second <b>note</b> @torvalds']
    })
    expect(renderChanges(report, masked).markdown).toBe(
      `${NO_BASELINE}\n\n` +
        '_Note:_ the previous report could not be read: it is not JSON\n\n' +
        '_Note:_ second \\<b\\>note\\</b\\> \\@\u2060torvalds\n\n'
    )
  })

  it('says nothing about changes when no account was scanned, but keeps the notes', () => {
    const failed = trackedReport([], { failures: [{ accountId: ACCOUNT, error: 'denied' }] })
    expect(renderChanges(failed, masked)).toEqual({ markdown: '', omitted: 0 })
    const noted = trackedReport([], { failures: [{ accountId: ACCOUNT, error: 'denied' }], notes: ['n'] })
    expect(renderChanges(noted, masked).markdown).toBe('_Note:_ n\n\n')
  })
})

describe('renderChanges with a baseline, one account', () => {
  const report = trackedReport([
    trackedScan({
      findings: [
        newFinding({ userName: 'old-alice', accessKeyId: KEY_A, ageDays: 200 }),
        knownFinding({ userName: 'old-bob', accessKeyId: KEY_B, ageDays: 95 }),
        knownFinding({ userName: 'idle', kind: 'unused', accessKeyId: keyId(3), ageDays: 40 }),
        { ...finding({ userName: 'svc-ci', exempt: true }), new: false, firstSeenAt: null }
      ],
      resolved: [resolvedKey({ userName: 'carol', daysOpen: 84, how: 'rotated' })]
    })
  ])

  it('lists the new and the resolved, each under its heading, then the median days open', () => {
    expect(renderChanges(report, masked)).toEqual({
      markdown:
        '### New since the last run: 1\n\n' +
        NEW_HEADER +
        '| old-alice | `AKIA…WXYZ` | stale | 2026-11-24 | 110 |\n\n' +
        '### Resolved since the last run: 1\n\n' +
        RESOLVED_HEADER +
        '| carol | `AKIA…0007` | stale | 2026-09-01 | 84 | rotated |\n\n' +
        'Median days open: 84.\n\n',
      omitted: 0
    })
  })

  it('has the documented columns', () => {
    expect(NEW_HEADER).toBe('| User | Access key | Kind | First seen | Overdue (days) |\n|---|---|---|---|--:|\n')
    expect(RESOLVED_HEADER).toBe('| User | Access key | Kind it had | First seen | Days open | How |\n|---|---|---|---|--:|---|\n')
  })

  it('shows full key ids when masking is off', () => {
    const md = renderChanges(report, { ...masked, maskKeyIds: false }).markdown
    expect(rows(md)).toEqual([
      `| old-alice | \`${KEY_A}\` | stale | 2026-11-24 | 110 |`,
      '| carol | `AKIACCCCCCCCCCCC0007` | stale | 2026-09-01 | 84 | rotated |'
    ])
    expect(md).not.toContain('…')
  })

  it('uses the heading level it is given', () => {
    const md = renderChanges(report, { ...masked, headingLevel: 4 }).markdown
    expect(md.split('\n').filter((l) => l.startsWith('#'))).toEqual(['#### New since the last run: 1', '#### Resolved since the last run: 1'])
  })

  it('renders as two tables of the columns named', () => {
    const rendered = html(renderChanges(report, masked).markdown)
    expect(rendered.match(/<table>/g)).toHaveLength(2)
    expect(rendered.match(/<th[ >]/g)).toHaveLength(5 + 6)
    expect(rendered).toContain('<td>old-alice</td>')
    expect(rendered).toContain('<td>rotated</td>')
  })

  it('leaves a blank overdue cell for a new finding that is not stale', () => {
    const other = trackedReport([
      trackedScan({ findings: [knownFinding({ userName: 'a' }), newFinding({ userName: 'idle', kind: 'unused', ageDays: 40 })] })
    ])
    expect(rows(renderChanges(other, masked).markdown)).toEqual(['| idle | `AKIA…MPLE` | unused | 2026-11-24 |  |'])
  })
})

describe('renderChanges: the cases with little to say', () => {
  it('says so in one line when nothing is new or resolved', () => {
    const report = trackedReport([trackedScan({ findings: [knownFinding()] })])
    expect(renderChanges(report, masked)).toEqual({ markdown: `${NOTHING_CHANGED}\n\n`, omitted: 0 })
    expect(NOTHING_CHANGED).toBe('Nothing new or resolved since the last run.')
    // A clean account with an empty baseline too.
    expect(renderChanges(trackedReport([trackedScan({ baseline: 'no-open-issue' })]), masked).markdown).toBe(`${NOTHING_CHANGED}\n\n`)
  })

  it('shows a heading with 0 for the side that has nothing', () => {
    const report = trackedReport([
      trackedScan({
        resolved: [
          resolvedKey({ userName: 'a', accessKeyId: keyId(1), daysOpen: 10, how: 'deleted' }),
          resolvedKey({ userName: 'b', accessKeyId: keyId(2), daysOpen: 15, how: 'deactivated', kind: 'unused' })
        ]
      })
    ])
    expect(renderChanges(report, masked).markdown).toBe(
      '### New since the last run: 0\n\n' +
        '### Resolved since the last run: 2\n\n' +
        RESOLVED_HEADER +
        '| a | `AKIA…0001` | stale | 2026-09-01 | 10 | deleted |\n' +
        '| b | `AKIA…0002` | unused | 2026-09-01 | 15 | deactivated |\n\n' +
        'Median days open: 12.5.\n\n'
    )
  })

  it('does not list the findings twice when every counted finding is new (an empty baseline)', () => {
    const report = trackedReport([
      trackedScan({ baseline: 'no-open-issue', findings: [newFinding({ userName: 'a' }), newFinding({ userName: 'b', accessKeyId: keyId(2) })] })
    ])
    expect(renderChanges(report, masked)).toEqual({
      markdown:
        '### New since the last run: 2\n\n' +
        "All 2 findings below are new: the last run's record had none of them.\n\n" +
        '### Resolved since the last run: 0\n\n',
      omitted: 0
    })
    const one = trackedReport([trackedScan({ findings: [newFinding()] })])
    expect(renderChanges(one, masked).markdown).toContain("\n\nThe finding below is new: the last run's record had none of them.\n\n")
  })
})

describe('renderChanges for several accounts', () => {
  const report = trackedReport(
    [
      trackedScan({
        accountId: ACCOUNT,
        findings: [newFinding({ userName: 'alice', accessKeyId: KEY_A }), knownFinding({ userName: 'bob', accessKeyId: KEY_B })],
        resolved: [resolvedKey({ userName: 'carol' })]
      }),
      trackedScan({
        accountId: OTHER_ACCOUNT,
        findings: [newFinding({ accountId: OTHER_ACCOUNT, userName: 'dave', kind: 'inactive', accessKeyId: keyId(4), ageDays: 300 })]
      }),
      trackedScan({ accountId: '333333333333', baseline: null, findings: [finding({ accountId: '333333333333', userName: 'erin' })] })
    ],
    { failures: [{ accountId: '444444444444', error: 'denied' }] }
  )

  it('adds an Account column and says which accounts had nothing to compare with (failed ones not counted)', () => {
    expect(renderChanges(report, masked).markdown).toBe(
      '### New since the last run: 2\n\n' +
        '| Account | User | Access key | Kind | First seen | Overdue (days) |\n|---|---|---|---|---|--:|\n' +
        '| 123456789012 | alice | `AKIA…WXYZ` | stale | 2026-11-24 | 117 |\n' +
        '| 210987654321 | dave | `AKIA…0004` | inactive | 2026-11-24 |  |\n\n' +
        '### Resolved since the last run: 1\n\n' +
        '| Account | User | Access key | Kind it had | First seen | Days open | How |\n|---|---|---|---|---|--:|---|\n' +
        '| 123456789012 | carol | `AKIA…0007` | stale | 2026-09-01 | 84 | rotated |\n\n' +
        'Median days open: 84.\n\n' +
        '1 account had no earlier record to compare with: nothing in it is marked new or resolved.\n\n'
    )
  })

  it('renders the Account column as a table column', () => {
    const rendered = html(renderChanges(report, masked).markdown)
    expect(rendered.match(/<th[ >]/g)).toHaveLength(6 + 7)
    expect(rendered).toContain('<td>210987654321</td>')
  })
})

describe('renderChanges: size', () => {
  const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`)
  const report = trackedReport([
    trackedScan({
      findings: [
        knownFinding({ userName: 'kept', accessKeyId: keyId(99_999) }),
        ...many(2_000, 'new').map((u, i) => newFinding({ userName: u, accessKeyId: keyId(i) }))
      ],
      resolved: many(2_000, 'gone').map((u, i) => resolvedKey({ userName: u, accessKeyId: keyId(10_000 + i), daysOpen: i }))
    })
  ])
  const newLine = (n: number) => `_${n} more new finding${n === 1 ? '' : 's'} not shown; the JSON report (\`report-file\` output) lists them all._`
  const resolvedLine = (n: number) => `_${n} more resolved key${n === 1 ? '' : 's'} not shown; the JSON report (\`report-file\` output) lists them all._`

  it('shows everything when it fits', () => {
    const out = renderChanges(report, { maskKeyIds: true, maxBytes: 1_000_000 })
    expect(out.omitted).toBe(0)
    expect(rows(out.markdown)).toHaveLength(4_000)
    expect(out.markdown).not.toContain('not shown')
    expect(out.markdown).toContain('\nMedian days open: 999.5.\n')
  })

  it.each([2_000, 10_000, 60_000, 200_000])('stays within %i bytes, shares them, and counts what is left out', (maxBytes) => {
    const out = renderChanges(report, { maskKeyIds: true, maxBytes })
    expect(bytes(out.markdown)).toBeLessThanOrEqual(maxBytes)
    const [newPart, resolvedPart] = out.markdown.split('### Resolved since the last run: 2000\n\n')
    const newRows = rows(newPart)
    const resolvedRows = rows(resolvedPart)
    // The first rows, in order.
    expect(newRows).toEqual(report.findings.filter((f) => f.new).slice(0, newRows.length).map((f) => newRow(f, true).trimEnd()))
    expect(resolvedRows).toEqual(report.resolved.slice(0, resolvedRows.length).map((r) => resolvedRow(r, true).trimEnd()))
    expect(newPart).toContain(`\n${newLine(2_000 - newRows.length)}\n`)
    expect(resolvedPart).toContain(`\n${resolvedLine(2_000 - resolvedRows.length)}\n`)
    expect(out.omitted).toBe(4_000 - newRows.length - resolvedRows.length)
    // Each table gets about half: neither is starved.
    expect(Math.abs(newRows.length - resolvedRows.length)).toBeLessThanOrEqual(Math.max(10, newRows.length / 5))
  })

  it('gives the other table the room one does not need', () => {
    const lopsided = trackedReport([
      trackedScan({
        findings: [knownFinding({ userName: 'kept' }), newFinding({ userName: 'only-new', accessKeyId: keyId(1) })],
        resolved: many(2_000, 'gone').map((u, i) => resolvedKey({ userName: u, accessKeyId: keyId(10_000 + i) }))
      })
    ])
    const out = renderChanges(lopsided, { maskKeyIds: true, maxBytes: 20_000 })
    expect(bytes(out.markdown)).toBeLessThanOrEqual(20_000)
    expect(bytes(out.markdown)).toBeGreaterThan(19_000)
    expect(rows(out.markdown)[0]).toBe('| only-new | `AKIA…0001` | stale | 2026-11-24 | 117 |')
    expect(out.markdown).not.toContain('more new finding')
    expect(out.omitted).toBe(2_000 - (rows(out.markdown).length - 1))
  })

  it('keeps the headings and counts when no row fits', () => {
    const out = renderChanges(report, { maskKeyIds: true, maxBytes: 0 })
    expect(out.omitted).toBe(4_000)
    expect(rows(out.markdown)).toEqual([])
    expect(out.markdown).toBe(
      `### New since the last run: 2000\n\n${newLine(2_000)}\n\n### Resolved since the last run: 2000\n\n${resolvedLine(2_000)}\n\n` +
        'Median days open: 999.5.\n\n'
    )
  })
})

describe('rows and cells', () => {
  it('escapes user names and keeps each row one row', () => {
    const f = newFinding({ userName: 'evil|user\n| x | y |', accessKeyId: 'AKIA`x|y' })
    expect(newRow(f, false)).toBe('| evil\\|user \\| x \\| y \\| | AKIA\\`x\\|y | stale | 2026-11-24 | 117 |\n')
    const r = resolvedKey({ userName: '@torvalds <b>', accessKeyId: null, kind: 'stale' })
    expect(resolvedRow(r, true)).toBe('| \\@\u2060torvalds \\<b\\> | `(not in report)` | stale | 2026-09-01 | 84 | rotated |\n')
  })

  it('names a resolved key without an id', () => {
    expect(resolvedKeyCell(resolvedKey({ accessKeyId: null, kind: 'root-key', userName: '<root_account>' }), true)).toBe('(root key, no id)')
    expect(resolvedKeyCell(resolvedKey({ accessKeyId: null, kind: 'inactive', userName: '<root_account>' }), false)).toBe('(root key, no id)')
    expect(resolvedKeyCell(resolvedKey({ accessKeyId: null }), false)).toBe('(not in report)')
    expect(resolvedKeyCell(resolvedKey({ accessKeyId: KEY_A }), true)).toBe('AKIA…WXYZ')
    expect(resolvedKeyCell(resolvedKey({ accessKeyId: KEY_A }), false)).toBe(KEY_A)
  })

  it('adds the account first when asked', () => {
    expect(resolvedRow(resolvedKey({ accountId: OTHER_ACCOUNT }), true, true)).toBe(
      '| 210987654321 | carol | `AKIA…0007` | stale | 2026-09-01 | 84 | rotated |\n'
    )
  })

  it('tells the median, or nothing for no keys', () => {
    expect(medianLine([])).toBe('')
    expect(medianLine([resolvedKey({ daysOpen: 3 }), resolvedKey({ daysOpen: 1 }), resolvedKey({ daysOpen: 100 })])).toBe('Median days open: 3.')
  })

  it('cuts notes to 1,000 characters', () => {
    const md = renderNotes(['x'.repeat(5_000)])
    expect(md).toBe(`_Note:_ ${'x'.repeat(999)}…\n\n`)
  })
})

describe('cutTable', () => {
  const header = '| A |\n|---|\n'
  const lines = ['| 1 |\n', '| 2 |\n', '| 3 |\n']

  it('keeps the rows that fit with the header, and counts the rest', () => {
    expect(cutTable(header, lines, 100)).toEqual({ markdown: header + lines.join(''), shown: 3, omitted: 0 })
    expect(cutTable(header, lines, bytes(header) + 12)).toEqual({ markdown: `${header}| 1 |\n| 2 |\n`, shown: 2, omitted: 1 })
    expect(cutTable(header, lines, bytes(header) + 11)).toEqual({ markdown: `${header}| 1 |\n`, shown: 1, omitted: 2 })
  })

  it('is empty, header and all, when not one row fits', () => {
    expect(cutTable(header, lines, bytes(header) + 5)).toEqual({ markdown: '', shown: 0, omitted: 3 })
    expect(cutTable(header, [], 100)).toEqual({ markdown: '', shown: 0, omitted: 0 })
  })
})
