import { describe, expect, it } from '@jest/globals'
import {
  findingRow,
  firstSeenCell,
  groupFindings,
  overdueCell,
  renderFindingSections,
  renderFindingsTable,
  tableHeader
} from '../../../src/render/findings-table.js'
import { OWNER_TABLE_HEADER, TABLE_HEADER, finding, keyId, manyFindings, tableRows } from '../helpers.js'
import { activeParts, html, visibleText, withoutJoiner } from './hostile.js'

const HEADER =
  '| Kind | User | Access key | Status | Age (days) | Overdue (days) | First seen | Last used |\n|---|---|---|---|--:|--:|---|---|\n'
/** A section of one kind: its heading names the kind, so no Kind column. */
const SECTION_HEADER =
  '| User | Access key | Status | Age (days) | Overdue (days) | First seen | Last used |\n|---|---|---|--:|--:|---|---|\n'
const KEY = 'AKIA1234567890ABWXYZ'
const bytes = (s: string) => Buffer.byteLength(s)
/** Column separators: pipes not escaped with a backslash. */
const separators = (row: string) => row.replace(/\\\|/g, '').split('|').length - 1

describe('findingRow', () => {
  const f = finding({
    userName: 'old-alice',
    accessKeyId: KEY,
    ageDays: 200,
    lastUsedAt: '2026-11-20T08:15:02Z',
    lastUsedService: 's3'
  })

  it('masks the key id as first 4 … last 4', () => {
    expect(findingRow(f, true)).toBe('| stale | old-alice | `AKIA…WXYZ` | Active | 200 |  |  | 2026-11-20 (s3) |\n')
  })

  it('shows the full key id when masking is off', () => {
    expect(findingRow(f, false)).toBe(`| stale | old-alice | \`${KEY}\` | Active | 200 |  |  | 2026-11-20 (s3) |\n`)
  })

  it('names a root key without an id in both modes', () => {
    const root = finding({ kind: 'root-key', userName: '<root_account>', accessKeyId: null, ageDays: 3 })
    expect(findingRow(root, true)).toBe('| root-key | \\<root_account\\> | `(root key, no id)` | Active | 3 |  |  | never |\n')
    expect(findingRow(root, false)).toBe('| root-key | \\<root_account\\> | `(root key, no id)` | Active | 3 |  |  | never |\n')
  })

  it('says a user key without an id (a credential report file has none) is not in the report', () => {
    const offline = finding({ userName: 'old-alice', accessKeyId: null, ageDays: 200 })
    expect(findingRow(offline, true)).toBe('| stale | old-alice | `(not in report)` | Active | 200 |  |  | never |\n')
    expect(findingRow(offline, false)).toBe('| stale | old-alice | `(not in report)` | Active | 200 |  |  | never |\n')
  })

  it('marks exempt findings with the reason, and shows a last use without a service as its date', () => {
    const row = findingRow(
      finding({ kind: 'inactive', exempt: true, exemptReason: 'tag key-sentry:exempt until 2026-12-31', ageDays: 400, lastUsedAt: '2025-01-02T03:04:05Z' }),
      true
    )
    expect(row).toBe('| inactive, exempt (tag key-sentry:exempt until 2026-12-31) | alice | `AKIA…MPLE` | Inactive | 400 |  |  | 2025-01-02 |\n')
  })

  it('escapes the exempt reason and names an exemption without a reason', () => {
    expect(findingRow(finding({ exempt: true, exemptReason: 'exempt-users a|b' }), true)).toBe(
      '| stale, exempt (exempt-users a\\|b) | alice | `AKIA…MPLE` | Active | 207 |  |  | never |\n'
    )
    expect(findingRow(finding({ exempt: true, exemptReason: null }), true)).toMatch(/^\| stale, exempt \(exempt\) \| alice \|/)
  })

  it('escapes pipes so that a cell cannot add columns', () => {
    const row = findingRow(finding({ userName: 'evil|user', lastUsedAt: '2026-01-01T00:00:00Z', lastUsedService: 'a|b' }), true)
    expect(row).toBe('| stale | evil\\|user | `AKIA…MPLE` | Active | 207 |  |  | 2026-01-01 (a\\|b) |\n')
    expect(separators(row)).toBe(9)
  })

  it('escapes backslashes, backticks and angle brackets, and folds line breaks', () => {
    const row = findingRow(finding({ userName: 'a\\b`c<script>\r\nd' }), true)
    expect(row).toBe('| stale | a\\\\b\\`c\\<script\\> d | `AKIA…MPLE` | Active | 207 |  |  | never |\n')
    expect(row.split('\n')).toHaveLength(2)
  })
})

describe('findingRow: lifecycle columns', () => {
  it('shows the days past the cutoff and the day first seen', () => {
    const f = finding({ accessKeyId: KEY, ageDays: 200, overdueDays: 110, firstSeenAt: '2026-10-01', new: false })
    expect(findingRow(f, true)).toBe('| stale | alice | `AKIA…WXYZ` | Active | 200 | 110 | 2026-10-01 | never |\n')
  })

  it('marks a finding new since the last run after its first-seen day, in our own bold', () => {
    const f = finding({ accessKeyId: KEY, ageDays: 90, overdueDays: 0, firstSeenAt: '2026-11-24', new: true })
    expect(findingRow(f, true)).toBe('| stale | alice | `AKIA…WXYZ` | Active | 90 | 0 | 2026-11-24 **new** | never |\n')
    expect(html(HEADER + findingRow(f, true))).toContain('<td>2026-11-24 <strong>new</strong></td>')
  })

  it('leaves both cells blank when not known (no baseline; not stale; a v1 finding)', () => {
    expect(findingRow(finding({ kind: 'unused', overdueDays: null, firstSeenAt: null, new: null }), true)).toBe(
      '| unused | alice | `AKIA…MPLE` | Active | 207 |  |  | never |\n'
    )
    expect(overdueCell(finding())).toBe('')
    expect(firstSeenCell(finding())).toBe('')
  })

  it('shows an exempt finding with no first-seen day (it is not remembered)', () => {
    const f = finding({ exempt: true, exemptReason: 'exempt-users svc-*', overdueDays: 117, firstSeenAt: null, new: false })
    expect(findingRow(f, true)).toBe('| stale, exempt (exempt-users svc-\\*) | alice | `AKIA…MPLE` | Active | 207 | 117 |  | never |\n')
  })

  it('cells: overdue as a number, first seen as a day, new alone when the day is missing', () => {
    expect(overdueCell(finding({ overdueDays: 0 }))).toBe('0')
    expect(overdueCell(finding({ overdueDays: 3650 }))).toBe('3650')
    expect(firstSeenCell(finding({ firstSeenAt: '2025-01-31', new: false }))).toBe('2025-01-31')
    expect(firstSeenCell(finding({ firstSeenAt: null, new: true }))).toBe('**new**')
  })

  it('renders eight columns', () => {
    const rendered = html(HEADER + findingRow(finding({ overdueDays: 1, firstSeenAt: '2026-11-24', new: true }), true))
    expect(rendered.match(/<th[ >]/g)).toHaveLength(8)
    expect(rendered.match(/<td[ >]/g)).toHaveLength(8)
  })
})

describe('renderFindingsTable', () => {
  it('renders the header and one row per finding, in the given order', () => {
    const findings = [finding({ userName: 'a', accessKeyId: keyId(1) }), finding({ kind: 'inactive', userName: 'b' })]
    const table = renderFindingsTable(findings, { maskKeyIds: true, maxBytes: 10_000 })
    expect(table).toEqual({
      markdown: HEADER + findingRow(findings[0], true) + findingRow(findings[1], true),
      shown: 2,
      omitted: 0
    })
  })

  it('renders only the header for no findings', () => {
    expect(renderFindingsTable([], { maskKeyIds: true, maxBytes: 10_000 })).toEqual({ markdown: HEADER, shown: 0, omitted: 0 })
  })

  it('cuts at the byte budget, keeping the first rows and counting the rest', () => {
    const findings = manyFindings(100)
    const rows = findings.map((f) => findingRow(f, true))
    const maxBytes = bytes(HEADER + rows.slice(0, 10).join(''))
    const table = renderFindingsTable(findings, { maskKeyIds: true, maxBytes })
    expect(table.shown).toBe(10)
    expect(table.omitted).toBe(90)
    expect(table.markdown).toBe(HEADER + rows.slice(0, 10).join(''))
    expect(bytes(table.markdown)).toBe(maxBytes)

    const oneLess = renderFindingsTable(findings, { maskKeyIds: true, maxBytes: maxBytes - 1 })
    expect(oneLess.shown).toBe(9)
    expect(oneLess.omitted).toBe(91)
  })

  it('counts UTF-8 bytes, not characters', () => {
    const findings = Array.from({ length: 20 }, (_, i) => finding({ userName: `ユーザー${i}`, accessKeyId: keyId(i) }))
    const maxBytes = 1_000
    const table = renderFindingsTable(findings, { maskKeyIds: true, maxBytes })
    expect(bytes(table.markdown)).toBeLessThanOrEqual(maxBytes)
    expect(table.markdown.length).toBeLessThan(bytes(table.markdown))
    expect(table.shown + table.omitted).toBe(20)
    expect(tableRows(table.markdown)).toHaveLength(table.shown)
    // One more row would not have fit.
    expect(bytes(table.markdown) + bytes(findingRow(findings[table.shown], true))).toBeGreaterThan(maxBytes)
  })
})

describe('findingRow: an inactive root key', () => {
  it('says inactive in the Kind column (still a root-key finding)', () => {
    const root = finding({ kind: 'root-key', status: 'Inactive', accessKeyId: null, userName: '<root_account>', userArn: 'arn:aws:iam::123456789012:root' })
    expect(findingRow(root, true)).toMatch(/^\| root-key \(inactive\) \| \\<root_account\\> \| `\(root key, no id\)` \| Inactive \|/)
    expect(findingRow({ ...root, status: 'Active' }, true)).toMatch(/^\| root-key \| /)
  })
})

describe('groupFindings', () => {
  it('groups counted findings by kind, most severe first, then the exempt ones; empty groups left out', () => {
    const findings = [
      finding({ kind: 'inactive', userName: 'i1' }),
      finding({ kind: 'stale', userName: 's1' }),
      finding({ kind: 'stale', userName: 'x1', exempt: true }),
      finding({ kind: 'root-key', userName: 'r1', accessKeyId: null }),
      finding({ kind: 'stale', userName: 's2' }),
      finding({ kind: 'inactive', userName: 'x2', exempt: true })
    ]
    expect(groupFindings(findings).map((g) => [g.title, g.findings.map((f) => f.userName)])).toEqual([
      ['Root user access keys: delete them (critical)', ['r1']],
      ['Stale keys: rotate them (high)', ['s1', 's2']],
      ['Inactive keys: delete them (low)', ['i1']],
      ['Exempt (listed, not counted)', ['x1', 'x2']]
    ])
  })

  it('names the advice for every kind', () => {
    const kinds = ['root-key', 'stale', 'unused', 'setup-key', 'two-active-keys', 'expiring', 'inactive'] as const
    expect(groupFindings(kinds.map((kind) => finding({ kind }))).map((g) => g.title)).toEqual([
      'Root user access keys: delete them (critical)',
      'Stale keys: rotate them (high)',
      'Unused keys: deactivate or delete them (medium)',
      'Keys never used since set-up: delete them (medium)',
      'Users with two active keys: retire one (low)',
      'Expiring keys: rotate them soon (low)',
      'Inactive keys: delete them (low)'
    ])
    expect(groupFindings([])).toEqual([])
  })

  it('names the controls of each kind after its severity, each once', () => {
    const findings = [
      finding({ kind: 'setup-key', userName: 'a', controls: ['CIS 1.11'] }),
      finding({ kind: 'setup-key', userName: 'b', controls: ['CIS 1.11'] }),
      finding({ kind: 'two-active-keys', userName: 'c', controls: ['CIS 1.13'] }),
      finding({ kind: 'expiring', userName: 'd', controls: [] })
    ]
    expect(groupFindings(findings).map((g) => g.title)).toEqual([
      'Keys never used since set-up: delete them (medium; CIS 1.11)',
      'Users with two active keys: retire one (low; CIS 1.13)',
      'Expiring keys: rotate them soon (low)'
    ])
  })

  it('shows only well-formed control ids: text from a hand-edited report stays out of the heading', () => {
    const f = finding({ kind: 'stale', controls: ['CIS 1.14', '@alice', '[x](https://evil.example)', '<b>IAM.3</b>', 'IAM.3'] })
    expect(groupFindings([f])[0].title).toBe('Stale keys: rotate them (high; CIS 1.14, IAM.3)')
  })
})

describe('renderFindingSections', () => {
  const findings = [
    finding({ kind: 'stale', userName: 's1', accessKeyId: keyId(1) }),
    finding({ kind: 'stale', userName: 's2', accessKeyId: keyId(2) }),
    finding({ kind: 'inactive', userName: 'i1', accessKeyId: keyId(3) }),
    finding({ kind: 'stale', userName: 'x1', accessKeyId: keyId(4), exempt: true })
  ]
  // The exempt section (3) keeps the Kind column: its findings are of any kind.
  const row = (i: number) => findingRow(findings[i], true, true, false, false, i === 3)

  it('renders one titled table per group, without kindColumn a Kind column only where the group mixes kinds', () => {
    const out = renderFindingSections(findings, { maskKeyIds: true, maxBytes: 100_000, kindColumn: false })
    expect(row(0)).toBe('| s1 | `AKIA…0001` | Active | 207 |  |  | never |\n')
    expect(row(3)).toMatch(/^\| stale, exempt \(exempt-users svc-\\\*\) \| x1 \| /)
    expect(out).toEqual({
      markdown:
        `### Stale keys: rotate them (high): 2\n\n${SECTION_HEADER}${row(0)}${row(1)}\n` +
        `### Inactive keys: delete them (low): 1\n\n${SECTION_HEADER}${row(2)}\n` +
        `### Exempt (listed, not counted): 1\n\n${HEADER}${row(3)}\n`,
      shown: 4,
      omitted: 0
    })
  })

  it('keeps the Kind column in every section by default (the issue body)', () => {
    const out = renderFindingSections(findings, { maskKeyIds: true, maxBytes: 100_000 })
    expect(out.markdown.split(HEADER)).toHaveLength(4)
    expect(tableRows(out.markdown)).toEqual([0, 1, 2, 3].map((i) => findingRow(findings[i], true).trimEnd()))
  })

  it('stops at the budget and counts what is left out, across groups', () => {
    const full = renderFindingSections(findings, { maskKeyIds: true, maxBytes: 100_000, kindColumn: false }).markdown
    for (let maxBytes = 0; maxBytes <= bytes(full) + 10; maxBytes += 7) {
      const out = renderFindingSections(findings, { maskKeyIds: true, maxBytes, kindColumn: false })
      expect(bytes(out.markdown)).toBeLessThanOrEqual(maxBytes)
      expect(out.shown + out.omitted).toBe(4)
      expect(tableRows(out.markdown)).toHaveLength(out.shown)
      // The rows shown are always the first ones, in group order.
      expect(tableRows(out.markdown)).toEqual([0, 1, 2, 3].slice(0, out.shown).map((i) => row(i).trimEnd()))
    }
    // Everything fits in the size of the whole output plus a few bytes of headroom.
    expect(renderFindingSections(findings, { maskKeyIds: true, maxBytes: bytes(full) + 8, kindColumn: false })).toMatchObject({ shown: 4, omitted: 0 })
  })

  it('does not show a later, smaller group once a group was cut (the table stays in severity order)', () => {
    const big = [
      finding({ kind: 'stale', userName: `long-${'x'.repeat(300)}`, accessKeyId: keyId(1) }),
      finding({ kind: 'stale', userName: `long-${'y'.repeat(300)}`, accessKeyId: keyId(2) }),
      finding({ kind: 'inactive', userName: 'i', accessKeyId: keyId(3) })
    ]
    const first = `### Stale keys: rotate them (high): 2\n\n${SECTION_HEADER}${findingRow(big[0], true, true, false, false, false)}\n`
    // Room for the first stale row and a whole small inactive section, not for the second stale row.
    const out = renderFindingSections(big, { maskKeyIds: true, maxBytes: bytes(first) + 250, kindColumn: false })
    expect(out.shown).toBe(1)
    expect(out.omitted).toBe(2)
    expect(out.markdown).not.toContain('Inactive keys')
  })

  it('never leaves a heading without rows', () => {
    const maxBytes = bytes(`### Stale keys: rotate them (high): 2\n\n${SECTION_HEADER}${row(0)}${row(1)}\n`) + 80
    const out = renderFindingSections(findings, { maskKeyIds: true, maxBytes, kindColumn: false })
    expect(out.shown).toBe(2)
    expect(out.markdown).not.toContain('Inactive keys')
  })
})

describe('the Owner column', () => {
  const f = finding({ userName: 'svc-billing', accessKeyId: KEY, ageDays: 150, owners: ['@acme/platform', 'platform-oncall@example.com'] })

  it('comes after User, owners inert in code spans, only when asked for', () => {
    expect(findingRow(f, true, true, true)).toBe(
      '| stale | svc-billing | `@acme/platform`, `platform-oncall@example.com` | `AKIA…WXYZ` | Active | 150 |  |  | never |\n'
    )
    expect(findingRow(f, true)).toBe('| stale | svc-billing | `AKIA…WXYZ` | Active | 150 |  |  | never |\n')
    expect(tableHeader(true).split('\n')[0]).toBe(OWNER_TABLE_HEADER)
    expect(tableHeader(false).split('\n')[0]).toBe(TABLE_HEADER)
    expect(tableHeader(true).split('\n')[1]).toBe('|---|---|---|---|---|--:|--:|---|---|')
  })

  it('shows — for a finding without owners, and for a v1 finding without the field', () => {
    expect(findingRow(finding({ owners: [] }), true, true, true)).toBe('| stale | alice | — | `AKIA…MPLE` | Active | 207 |  |  | never |\n')
    expect(findingRow(finding(), true, true, true)).toBe('| stale | alice | — | `AKIA…MPLE` | Active | 207 |  |  | never |\n')
  })

  it('keeps every row at the header\'s column count, and renders one cell', () => {
    const hostile = finding({ owners: ['a|b', '@torvalds', 'x\\|y', '`tick`'] })
    const table = renderFindingsTable([f, hostile], { maskKeyIds: true, maxBytes: 10_000, ownerColumn: true })
    expect(table.markdown.startsWith(tableHeader(true))).toBe(true)
    for (const row of table.markdown.trimEnd().split('\n')) expect(separators(row)).toBe(10)
    expect(html(table.markdown).match(/<td/g)).toHaveLength(18)
  })

  it('never mentions, links or renders HTML, whatever the owners are', () => {
    const owners = ['@torvalds', '@acme/secops', 'user@example.com', '<img src=x onerror=alert(1)>', '[x](https://evil)', '::error::boom', '#42']
    const table = renderFindingsTable([finding({ owners })], { maskKeyIds: true, maxBytes: 10_000, ownerColumn: true })
    const rendered = html(table.markdown)
    expect(activeParts(rendered).filter((p) => p !== '<code>')).toEqual([])
    expect(withoutJoiner(visibleText(rendered))).toContain(owners.join(', '))
  })

  it('counts the column in the byte budget', () => {
    const findings = Array.from({ length: 50 }, (_, i) => finding({ userName: `u${i}`, accessKeyId: keyId(i), owners: [`@owner-${i}`, `team${i}@example.com`] }))
    for (const maxBytes of [500, 2_000, 5_000]) {
      const table = renderFindingsTable(findings, { maskKeyIds: true, maxBytes, ownerColumn: true })
      expect(bytes(table.markdown)).toBeLessThanOrEqual(maxBytes)
      expect(tableRows(table.markdown)).toHaveLength(table.shown)
      expect(table.shown + table.omitted).toBe(50)
      const sections = renderFindingSections(findings, { maskKeyIds: true, maxBytes, ownerColumn: true })
      expect(bytes(sections.markdown)).toBeLessThanOrEqual(maxBytes)
      expect(tableRows(sections.markdown)).toHaveLength(sections.shown)
    }
  })
})
