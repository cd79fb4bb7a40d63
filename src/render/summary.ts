import { isComplete, lastUseKnown, UNKNOWN_ACCOUNT, type Report } from '../report.js'
import { renderFindingSections } from './findings-table.js'
import { plural, policyLine, title, withinPolicy } from './text.js'

/** GitHub drops a step summary over 1 MiB whole; stay well under it. */
export const SUMMARY_MAX_BYTES = 900 * 1024

export interface SummaryOptions {
  maskKeyIds: boolean
  maxBytes?: number
}


function dataSourceName(source: string | null): string {
  return source === 'credential-report' ? 'credential report' : source === 'api' ? 'IAM listing' : 'none'
}

function accountLines(report: Report): string {
  return report.accounts
    .map((a) =>
      a.error === null
        ? `Account ${a.accountId}: ${plural(a.users ?? 0, 'user')}, ${plural(a.keys ?? 0, 'key')} (data source: ${dataSourceName(a.dataSource)}).` +
          a.notes.map((n) => ` _Note: ${n}._`).join('')
        : `**${a.accountId === UNKNOWN_ACCOUNT ? 'The scan' : `Account ${a.accountId}: the scan`} did not complete.** ${a.error}`
    )
    .join('\n\n')
}

/** The job summary: a heading with the counts, the policy, and the findings table. */
export function renderSummary(report: Report, options: SummaryOptions): string {
  const maxBytes = options.maxBytes ?? SUMMARY_MAX_BYTES
  const complete = isComplete(report)
  let head = `## IAM Key Sentry: ${title(report)}\n\n${accountLines(report)}\n\n${policyLine(report)} Scanned at ${report.generatedAt}.\n\n`
  if (report.totals.exempt > 0) head += `${plural(report.totals.exempt, 'exempt finding')} listed, not counted.\n\n`
  if (report.findings.length === 0) {
    return head + (complete ? `${withinPolicy(report.totals.keys, 'key')}.\n` : '')
  }
  const tail = (omitted: number) =>
    omitted > 0
      ? `_${plural(omitted, 'more finding')} not shown to keep this summary under GitHub's 1 MiB limit; the JSON report (\`report-file\` output) has them all._\n`
      : ''
  // Reserve room for the longest possible footer before cutting the table.
  const budget = maxBytes - Buffer.byteLength(head) - Buffer.byteLength(tail(report.findings.length)) - 64
  const table = renderFindingSections(report.findings, {
    maskKeyIds: options.maskKeyIds,
    maxBytes: budget,
    lastUseKnown: (f) => lastUseKnown(report, f.accountId)
  })
  return `${head}${table.markdown}${tail(table.omitted)}`
}
