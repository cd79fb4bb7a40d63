import { lastUseKnown, type Report } from '../core/report.js'
import { oneLine, plain } from './escape.js'
import { renderFindingSections } from './findings-table.js'
import { plural } from '../core/plural.js'
import { kindCounts, policyLine, withinPolicy } from './text.js'

/** GitHub rejects an issue body over 65,536 characters (422); bytes are a safe upper bound. */
export const ISSUE_BODY_MAX = 65_536

/** The hidden marker that finds an account's issue, whatever its title or labels become. */
export function issueMarker(accountId: string): string {
  // An id is 12 digits; anything else from AWS is percent-encoded so that it cannot close the comment.
  const id = accountId.replace(/[^\w.-]/gu, (c) => `%${c.codePointAt(0)!.toString(16)}`)
  return `<!-- iam-key-sentry:account=${id} -->`
}

export const TITLE_PREFIX = 'IAM Key Sentry:'

export function issueTitle(report: Report, accountId: string): string {
  const { stale, findings } = report.totals
  const what = stale === findings ? plural(stale, 'stale access key') : `${plural(findings, 'IAM access key finding')}`
  // A title is not Markdown, but it is one line.
  return `${TITLE_PREFIX} ${what} in account ${oneLine(accountId)}`
}

export interface IssueBodyOptions {
  maskKeyIds: boolean
  runUrl: string | null
  maxBytes?: number
}

/** The tracking issue's body for one account: rewritten whole on every run. */
export function renderIssueBody(report: Report, accountId: string, options: IssueBodyOptions): string {
  const maxBytes = options.maxBytes ?? ISSUE_BODY_MAX
  const run = options.runUrl ? ` by [this workflow run](${options.runUrl})` : ''
  const head =
    `${issueMarker(accountId)}\n` +
    `## IAM access keys to fix in account ${plain(accountId)}\n\n` +
    `**${kindCounts(report)}** as of ${report.generatedAt}${run}. ${policyLine(report)}\n\n` +
    `This issue is kept current by IAM Key Sentry: its body is rewritten on every scan, and it is closed when the account is clean. ` +
    `Rotate or delete the keys below; the next scan updates this list.\n\n`
  const tail = (omitted: number) =>
    omitted > 0
      ? `_${plural(omitted, 'more finding')} not shown: GitHub limits an issue to 65,536 characters. ` +
        `The full list is in the JSON report of ${options.runUrl ? `[the workflow run](${options.runUrl})` : 'the workflow run'} (\`report-file\` output, and the SNS message)._\n`
      : ''
  const budget = maxBytes - Buffer.byteLength(head) - Buffer.byteLength(tail(report.findings.length)) - 64
  const table = renderFindingSections(report.findings, {
    maskKeyIds: options.maskKeyIds,
    maxBytes: budget,
    lastUseKnown: (f) => lastUseKnown(report, f.accountId)
  })
  return `${head}${table.markdown}${tail(table.omitted)}`
}

export function closingComment(report: Report, accountId: string, runUrl: string | null): string {
  const run = runUrl ? ` ([workflow run](${runUrl}))` : ''
  return `${withinPolicy(report.totals.keys)} in account ${plain(accountId)} as of ${report.generatedAt}${run}. Closing.`
}

/** GitHub reads "Duplicate of #N" in a comment and links the two issues. */
export function duplicateComment(keptNumber: number): string {
  return `Duplicate of #${keptNumber}\n\nTwo runs of IAM Key Sentry opened an issue for this account at the same time; the older one, #${keptNumber}, is kept current.`
}
