import { FINDING_KINDS, SEVERITY, type Finding, type FindingKind } from '../core/model.js'
import { code, plain } from './escape.js'
import { ownerCell } from './owners.js'
import { commandCell } from './remediation-hint.js'
import { controlsText, keyCell, kindLabel, lastUsedCell, userWithPath } from './text.js'

export interface TableOptions {
  maskKeyIds: boolean
  /** Bytes the table may take (UTF-8); rows past it are left out and counted. */
  maxBytes: number
  /** False where last use was not looked up (listing without max-unused-days). */
  lastUseKnown?: (f: Finding) => boolean
  /** Markdown heading level of each kind's section (3: `###`). */
  headingLevel?: number
  /**
   * An Owner column after User: each finding's owners, inert (a table never notifies anyone),
   * `—` when it has none. Set where any finding of the rendering has an owner.
   */
  ownerColumn?: boolean
  /** A Command column last: the remediation command for each key (remediation: comment). */
  commandColumn?: boolean
  /**
   * The Kind column first (default). False: none, and in renderFindingSections none in a section
   * of one kind, whose heading names it; the exempt section, of every kind, keeps it (with each
   * finding's reason).
   */
  kindColumn?: boolean
}

export interface RenderedTable {
  markdown: string
  shown: number
  omitted: number
}

const HEADER =
  '| Kind | User | Access key | Status | Age (days) | Overdue (days) | First seen | Last used |\n|---|---|---|---|--:|--:|---|---|\n'
const OWNER_HEADER =
  '| Kind | User | Owner | Access key | Status | Age (days) | Overdue (days) | First seen | Last used |\n|---|---|---|---|---|--:|--:|---|---|\n'

/** The findings table's header: the Owner and Command columns or not, the Kind column or not. */
export function tableHeader(ownerColumn = false, commandColumn = false, kindColumn = true): string {
  let [names, rule] = (ownerColumn ? OWNER_HEADER : HEADER).trimEnd().split('\n')
  if (!kindColumn) [names, rule] = [names.replace(/^\| Kind /, ''), rule.replace(/^\|---/, '')]
  return commandColumn ? `${names} Command |\n${rule}---|\n` : `${names}\n${rule}\n`
}

/** Days past the cutoff (stale keys); blank for other kinds and where not known. */
export function overdueCell(f: Finding): string {
  return f.overdueDays === null || f.overdueDays === undefined ? '' : String(f.overdueDays)
}

/** The day the key was first seen with a finding, `**new**` after it when it is new since the last run; blank without a baseline. */
export function firstSeenCell(f: Finding): string {
  // The day comes from a record (the issue's, an earlier report): escaped like text from AWS.
  const seen = f.firstSeenAt ? plain(f.firstSeenAt) : ''
  return f.new === true ? (seen ? `${seen} **new**` : '**new**') : seen
}

export function findingRow(
  f: Finding,
  maskKeyIds: boolean,
  lastUseKnown = true,
  ownerColumn = false,
  commandColumn = false,
  kindColumn = true
): string {
  // Every value from AWS goes through plain() or code(): a user name is never a mention or a link.
  const key = code(keyCell(f, maskKeyIds))
  const kind = f.exempt ? `${kindLabel(f)}, exempt (${plain(f.exemptReason ?? 'exempt')})` : kindLabel(f)
  // Owners inert: the table is in the job summary and the issue body, which notify nobody.
  const owner = ownerColumn ? ` ${ownerCell(f)} |` : ''
  return (
    `|${kindColumn ? ` ${kind} |` : ''} ${plain(userWithPath(f))} |${owner} ${key} | ${plain(f.status)} | ${f.ageDays} | ${overdueCell(f)} | ${firstSeenCell(f)} | ` +
    `${lastUsedCell(f, lastUseKnown, plain)} |${commandColumn ? ` ${commandCell(f)} |` : ''}\n`
  )
}

/** The findings table, cut to a byte budget: GitHub drops or rejects oversized text whole. */
export function renderFindingsTable(findings: Finding[], options: TableOptions): RenderedTable {
  const header = tableHeader(options.ownerColumn, options.commandColumn, options.kindColumn)
  let markdown = header
  let bytes = Buffer.byteLength(header)
  let shown = 0
  for (const f of findings) {
    const row = findingRow(f, options.maskKeyIds, options.lastUseKnown?.(f) ?? true, options.ownerColumn, options.commandColumn, options.kindColumn)
    const size = Buffer.byteLength(row)
    if (bytes + size > options.maxBytes) break
    markdown += row
    bytes += size
    shown++
  }
  return { markdown, shown, omitted: findings.length - shown }
}

const ADVICE: Record<FindingKind, string> = {
  'root-key': 'Root user access keys: delete them',
  stale: 'Stale keys: rotate them',
  unused: 'Unused keys: deactivate or delete them',
  'setup-key': 'Keys never used since set-up: delete them',
  'two-active-keys': 'Users with two active keys: retire one',
  expiring: 'Expiring keys: rotate them soon',
  inactive: 'Inactive keys: delete them'
}

export interface FindingGroup {
  title: string
  findings: Finding[]
  /** The exempt findings, of any kind; every other group is of one kind. */
  exempt?: boolean
}

/**
 * Counted findings by kind, most severe first, then the exempt ones (listed, not counted). Each
 * kind's title names its severity and the controls its findings fail (`(high; CIS 1.14, IAM.3)`):
 * one footnote per section rather than a column on every row, so the byte budgets hardly move.
 */
export function groupFindings(findings: Finding[]): FindingGroup[] {
  const groups: FindingGroup[] = FINDING_KINDS.map((kind) => {
    const ofKind = findings.filter((f) => f.kind === kind && !f.exempt)
    const controls = controlsText(ofKind)
    return { title: `${ADVICE[kind]} (${SEVERITY[kind]}${controls ? `; ${controls}` : ''})`, findings: ofKind }
  })
  groups.push({ title: 'Exempt (listed, not counted)', findings: findings.filter((f) => f.exempt), exempt: true })
  return groups.filter((g) => g.findings.length > 0)
}

/** One table per group under a heading, all within one byte budget. */
export function renderFindingSections(findings: Finding[], options: TableOptions): RenderedTable {
  let markdown = ''
  let shown = 0
  let left = options.maxBytes
  for (const group of groupFindings(findings)) {
    const heading = `${'#'.repeat(options.headingLevel ?? 3)} ${group.title}: ${group.findings.length}\n\n`
    const headingBytes = Buffer.byteLength(heading) + 2
    if (left <= headingBytes) break
    const kindColumn = options.kindColumn !== false || group.exempt === true
    const table = renderFindingsTable(group.findings, { ...options, maxBytes: left - headingBytes, kindColumn })
    if (table.shown === 0) break
    markdown += `${heading}${table.markdown}\n`
    left -= headingBytes + Buffer.byteLength(table.markdown)
    shown += table.shown
    if (table.omitted > 0) break
  }
  return { markdown, shown, omitted: findings.length - shown }
}
