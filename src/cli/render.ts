// The scan as a terminal shows it: the headline and counts, what changed since the baseline,
// then one table per finding kind, most severe first, exempt ones last, and what was resolved.
// Pure: colour is an option, not a TTY check.
import type { ResolvedKey } from '../core/lifecycle.js'
import type { Finding, Severity } from '../core/model.js'
import { isComplete, lastUseKnown, UNKNOWN_ACCOUNT, type Report } from '../core/report.js'
import { logLine } from '../render/escape.js'
import { groupFindings } from '../render/findings-table.js'
import { anyOwned, findingOwners, NO_OWNER } from '../render/owners.js'
import { plural } from '../core/plural.js'
import { dataSourceName, keyCell, lastUsedCell, maskKeyId, policyLine, title, withinPolicy } from '../render/text.js'
import { styler, type StyleName, type Styler } from './style.js'
import { renderTable, type Column } from './table.js'

export interface TerminalOptions {
  maskKeyIds: boolean
  color: boolean
  /** The baseline file (--baseline), named in the line that counts what changed since it. */
  baseline?: string | null
}

const SEVERITY_STYLE: Record<Severity, StyleName[]> = {
  critical: ['red', 'bold'],
  high: ['red'],
  medium: ['yellow'],
  low: ['cyan']
}

// Text from AWS on a terminal or in a CI log: one line, control characters shown (no escape
// sequence reaches the terminal), never a workflow command.
const text = logLine

function accountLines(report: Report, style: Styler): string[] {
  return report.accounts.map((a) => {
    const label = a.accountId === UNKNOWN_ACCOUNT ? 'The scan' : `Account ${text(a.accountId)}${a.name ? ` (${text(a.name)})` : ''}`
    if (a.error !== null) return style(`${label}: not scanned: ${text(a.error)}`, 'red')
    return `${label}: ${plural(a.users ?? 0, 'user')}, ${plural(a.keys ?? 0, 'key')} (${dataSourceName(a.dataSource)}).`
  })
}

/** Some account was compared with a baseline: new and resolved are known (totals not null). */
const hasBaseline = (report: Report) => report.totals.new !== null

function findingTable(findings: Finding[], report: Report, options: TerminalOptions, style: Styler, exempt: boolean): string[] {
  const several = report.accounts.length > 1
  // With a baseline: new rows marked, and since when each was known; exempt ones are neither.
  const lifecycle = hasBaseline(report) && !exempt
  const mark = lifecycle && findings.some((f) => f.new === true)
  const overdue = lifecycle && findings.some((f) => f.overdueDays != null)
  // Owners where any finding of the run has one, in every table alike.
  const owners = anyOwned(report.findings)
  const columns: Column[] = [
    ...(mark ? [{ header: '', style: ['bold', 'magenta'] as StyleName[] }] : []),
    ...(several ? [{ header: 'Account' }] : []),
    ...(exempt ? [{ header: 'Kind' }] : []),
    { header: 'User' },
    ...(owners ? [{ header: 'Owner' }] : []),
    { header: 'Access key' },
    { header: 'Status' },
    { header: 'Age (days)', align: 'right' as const },
    ...(overdue ? [{ header: 'Overdue', align: 'right' as const }] : []),
    ...(lifecycle ? [{ header: 'First seen' }] : []),
    { header: 'Last used' },
    ...(exempt ? [{ header: 'Exempt by' }] : [])
  ]
  const rows = findings.map((f) => [
    ...(mark ? [f.new === true ? 'new' : ''] : []),
    ...(several ? [text(f.accountId)] : []),
    ...(exempt ? [f.kind] : []),
    text(f.userName),
    ...(owners ? [ownerText(f)] : []),
    text(keyCell(f, options.maskKeyIds)),
    f.status,
    String(f.ageDays),
    ...(overdue ? [f.overdueDays != null ? `${f.overdueDays}d` : ''] : []),
    // An account the baseline did not cover has no first-seen day.
    ...(lifecycle ? [f.firstSeenAt ?? '—'] : []),
    lastUsedCell(f, lastUseKnown(report, f.accountId), text),
    ...(exempt ? [text(f.exemptReason ?? 'exempt')] : [])
  ])
  return renderTable(columns, rows, style)
}

/** A finding's owners as plain text (`@alice, ops@example.com`), `—` when it has none. */
function ownerText(f: Finding): string {
  const owners = findingOwners(f)
  return owners.length ? text(owners.map((o) => o.value).join(', ')) : NO_OWNER
}

/** `1 new, 2 resolved since yesterday.json.` */
function sinceLine(report: Report, baseline: string | null | undefined): string {
  const { new: added, resolved } = report.totals
  return `${added ?? 0} new, ${resolved ?? 0} resolved since ${baseline ? text(baseline) : 'the baseline'}.`
}

/** A resolved key's id: a credential report has none, nor has a root key. */
function resolvedKeyCell(r: ResolvedKey, maskKeyIds: boolean): string {
  if (!r.accessKeyId) return r.kind === 'root-key' || r.userName === '<root_account>' ? '(root key, no id)' : '(not in report)'
  return maskKeyIds ? maskKeyId(r.accessKeyId) : r.accessKeyId
}

function resolvedTable(report: Report, options: TerminalOptions, style: Styler): string[] {
  const several = report.accounts.length > 1
  const columns: Column[] = [
    ...(several ? [{ header: 'Account' }] : []),
    { header: 'User' },
    { header: 'Access key' },
    { header: 'Had' },
    { header: 'Days open', align: 'right' as const },
    { header: 'How' }
  ]
  const rows = report.resolved.map((r) => [
    ...(several ? [text(r.accountId)] : []),
    text(r.userName),
    text(resolvedKeyCell(r, options.maskKeyIds)),
    r.kind,
    String(r.daysOpen),
    r.how
  ])
  return renderTable(columns, rows, style)
}

function notes(report: Report): string[] {
  const several = report.accounts.length > 1
  return [
    ...report.notes.map((n) => `- ${text(n)}`),
    ...report.accounts.flatMap((a) => a.notes.map((n) => `- ${several ? `${text(a.accountId)}: ` : ''}${text(n)}`))
  ]
}

export function renderTerminal(report: Report, options: TerminalOptions): string {
  const style = styler(options.color)
  const complete = isComplete(report)
  const clean = complete && report.totals.findings === 0
  const out: string[] = [
    style(`IAM Key Sentry: ${title(report)}`, 'bold', clean ? 'green' : complete ? 'yellow' : 'red'),
    ...accountLines(report, style),
    policyLine(report)
  ]
  if (hasBaseline(report)) out.push(style(sinceLine(report, options.baseline), 'bold'))
  if (report.totals.exempt > 0) out.push(`${plural(report.totals.exempt, 'exempt finding')} listed, not counted.`)
  if (report.findings.length === 0 && complete) out.push(style(`${withinPolicy(report.totals.keys)}.`, 'green'))
  for (const group of groupFindings(report.findings)) {
    const exempt = group.findings[0].exempt
    const heading = `${group.title}: ${group.findings.length}`
    out.push('', exempt ? style(heading, 'dim') : style(heading, ...SEVERITY_STYLE[group.findings[0].severity]))
    out.push(...findingTable(group.findings, report, options, style, exempt))
  }
  if (report.resolved.length) {
    out.push('', style(`Resolved since the last run: ${report.resolved.length}`, 'green'), ...resolvedTable(report, options, style))
  }
  const noteLines = notes(report)
  if (noteLines.length) out.push('', style('Notes:', 'dim'), ...noteLines.map((n) => style(n, 'dim')))
  return `${out.join('\n')}\n`
}
