import type { Finding } from '../core/model.js'
import { isComplete, lastUseKnown, UNKNOWN_ACCOUNT, type Report } from '../core/report.js'
import { plain, plainWithSnippet } from './escape.js'
import { renderChanges } from './changes.js'
import { describeFailures } from './failures.js'
import { renderOutcome, type RunOutcome } from './outcome.js'
import { renderFindingSections } from './findings-table.js'
import { anyOwned, ownersLine } from './owners.js'
import { plural } from '../core/plural.js'
import { dataSourceName, policyLine, title, withinPolicy } from './text.js'

/** GitHub drops a step summary over 1 MiB whole; stay well under it. */
export const SUMMARY_MAX_BYTES = 900 * 1024

export interface SummaryOptions {
  maskKeyIds: boolean
  maxBytes?: number
  /** What became of the run (why the step failed, SNS), said after the heading. */
  outcome?: RunOutcome
}

/** The account table's share of the summary: hundreds of accounts must leave room for findings. */
const ACCOUNT_TABLE_MAX_BYTES = 300 * 1024

/**
 * Several accounts: one row each, the unreachable ones first. One failed account is named with
 * its error in its row; several are told once per distinct error above the table (10,000
 * accounts refused the same way are one line, not 10,000 copies of the error).
 */
function accountTable(report: Report): string {
  const accounts = [...report.accounts].sort((a, b) => Number(a.error === null) - Number(b.error === null))
  const failed = accounts.filter((a) => a.error !== null)
  const grouped =
    failed.length > 1
      ? describeFailures(
          failed.map((a) => ({ accountId: a.accountId === UNKNOWN_ACCOUNT ? null : a.accountId, error: a.error ?? '' }))
        )
      : []
  const errors = grouped.map((line) => `- ${plain(line)}\n`).join('')
  let table = `${errors ? `${errors}\n` : ''}| Account | Name | Users | Keys | Findings | Scan |\n|---|---|--:|--:|--:|---|\n`
  let shown = 0
  for (const a of accounts) {
    const counted = report.findings.filter((f) => f.accountId === a.accountId && !f.exempt).length
    // Ids, names, notes and errors come from AWS (or quote it): plain text, never Markdown.
    const id = plain(a.accountId)
    const name = plain(a.name ?? '')
    const row =
      a.error === null
        ? `| ${id} | ${name} | ${a.users} | ${a.keys} | ${counted} | ${dataSourceName(a.dataSource)}${a.notes.length ? ` (${plain(a.notes.join('; '))})` : ''} |\n`
        : `| ${id} | ${name} | – | – | – | **not scanned**${grouped.length ? '' : `: ${plain(a.error)}`} |\n`
    if (Buffer.byteLength(table) + Buffer.byteLength(row) > ACCOUNT_TABLE_MAX_BYTES) break
    table += row
    shown++
  }
  const rest = accounts.length - shown
  return rest > 0 ? `${table}\n_${plural(rest, 'more account')} not shown; the JSON report (\`report-file\` output) has them all._` : table.trimEnd()
}

function accountLines(report: Report): string {
  if (report.accounts.length > 1) return accountTable(report)
  return report.accounts
    .map((a) =>
      a.error === null
        ? `Account ${plain(a.accountId)}: ${plural(a.users ?? 0, 'user')}, ${plural(a.keys ?? 0, 'key')} (data source: ${dataSourceName(a.dataSource)}).` +
          a.notes.map((n) => ` _Note: ${plain(n)}._`).join('')
        : // A snippet to paste (the permissions the OIDC exchange needs) as a code block, not one run-on line.
          `**${a.accountId === UNKNOWN_ACCOUNT ? 'The scan' : `Account ${plain(a.accountId)}: the scan`} did not complete.** ${plainWithSnippet(a.error)}`
    )
    .join('\n\n')
}

/** The job summary: a heading with the counts, what changed since the last run, the accounts, the policy, and the findings. */
export function renderSummary(report: Report, options: SummaryOptions): string {
  const maxBytes = options.maxBytes ?? SUMMARY_MAX_BYTES
  const complete = isComplete(report)
  // The title names account ids, which come from AWS.
  const heading = `## IAM Key Sentry: ${plain(title(report))}\n\n${options.outcome ? renderOutcome(report, options.outcome) : ''}`
  let about = `${accountLines(report)}\n\n${policyLine(report)} Scanned at ${report.generatedAt}.\n\n`
  if (report.totals.exempt > 0) about += `${plural(report.totals.exempt, 'exempt finding')} listed, not counted.\n\n`
  // Counted findings per owner, inert: the summary notifies nobody.
  const owners = ownersLine(report.findings)
  if (owners) about += `${owners}\n\n`
  const tail = (omitted: number) =>
    omitted > 0
      ? `_${plural(omitted, 'more finding')} not shown to keep this summary under GitHub's 1 MiB limit; the JSON report (\`report-file\` output) has them all._\n`
      : ''
  // Reserve room for the longest possible footer. What changed gets what the findings leave, and
  // at least a third of the room when both do not fit.
  const room = maxBytes - Buffer.byteLength(heading) - Buffer.byteLength(about) - Buffer.byteLength(tail(report.findings.length)) - 64
  const findingsNeed = Buffer.byteLength(renderFindings(report, options.maskKeyIds, Infinity).markdown)
  const changes = renderChanges(report, { maskKeyIds: options.maskKeyIds, maxBytes: Math.max(0, Math.floor(room / 3), room - findingsNeed) })
  const head = heading + changes.markdown + about
  if (report.findings.length === 0) {
    return head + (complete ? `${withinPolicy(report.totals.keys, 'key')}.\n` : '')
  }
  const findings = renderFindings(report, options.maskKeyIds, room - Buffer.byteLength(changes.markdown))
  return `${head}${findings.markdown}${tail(findings.omitted)}`
}

/** The findings by kind (several accounts: by account, then by kind), cut to `budget` bytes. */
function renderFindings(report: Report, maskKeyIds: boolean, budget: number): { markdown: string; omitted: number } {
  // Each kind's section names its kind: no Kind column but in the exempt section, of every kind.
  const table = {
    maskKeyIds,
    lastUseKnown: (f: Finding) => lastUseKnown(report, f.accountId),
    ownerColumn: anyOwned(report.findings),
    kindColumn: false
  }
  if (report.accounts.length === 1) {
    const sections = renderFindingSections(report.findings, { ...table, maxBytes: budget })
    return { markdown: sections.markdown, omitted: sections.omitted }
  }
  let body = ''
  let shown = 0
  for (const account of report.accounts) {
    const findings = report.findings.filter((f) => f.accountId === account.accountId)
    if (findings.length === 0) continue
    const heading = `### Account ${plain(account.accountId)}${account.name ? ` (${plain(account.name)})` : ''}\n\n`
    budget -= Buffer.byteLength(heading)
    if (budget <= 0) break
    const sections = renderFindingSections(findings, { ...table, maxBytes: budget, headingLevel: 4 })
    if (sections.shown === 0) break
    body += heading + sections.markdown
    budget -= Buffer.byteLength(sections.markdown)
    shown += sections.shown
    if (sections.omitted > 0) break
  }
  return { markdown: body, omitted: report.findings.length - shown }
}
