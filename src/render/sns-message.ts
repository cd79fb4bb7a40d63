import { SEVERITY, FINDING_KINDS, type Finding } from '../core/model.js'
import { countByKind, isComplete, type Report } from '../core/report.js'
import type { ResolvedKey } from '../core/lifecycle.js'
import { oneLine, unlinked } from './escape.js'
import { groupFindings } from './findings-table.js'
import { plural } from '../core/plural.js'
import { cut, day, kindCounts, policyLine, title } from './text.js'

/** An SNS message attribute, in the shape SNS's Publish takes (render/ imports no AWS SDK). */
export interface MessageAttributeValue {
  DataType: 'String' | 'Number' | 'String.Array'
  StringValue: string
}

/** SNS takes 256 KB per message, every protocol's text and the attributes included. */
export const SNS_MAX_BYTES = 262_144
const SUBJECT_MAX = 99
const EMAIL_MAX_FINDINGS = 100
const EMAIL_MAX_ACCOUNTS = 50
const EMAIL_MAX_CHANGES = 50
/** Resolved keys kept in a report cut to fit (the report file has them all). */
const RESOLVED_KEPT = 100
/** Per-account text (errors, notes) in a report cut to fit. */
const ACCOUNT_TEXT_MAX = 200

export interface SnsMessage {
  subject: string
  /** The MessageStructure=json body: { default, email, sms }. */
  message: string
  attributes: Record<string, MessageAttributeValue>
  /** Findings left out of the JSON report to fit the size limit. */
  omitted: number
}

/** SNS subjects: printable ASCII, no line breaks, under 100 characters. */
export function snsSubject(text: string): string {
  // Line breaks and tabs become spaces first, so words stay apart; then anything not printable ASCII goes.
  const ascii = text.replace(/…/g, '...').replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '').replace(/ +/g, ' ').trim()
  return ascii.length > SUBJECT_MAX ? `${ascii.slice(0, SUBJECT_MAX - 3)}...` : ascii
}

// The e-mail is plain text, not rendered, but mail clients link addresses, URLs and names:
// values from AWS stay on their line and link nothing.
const emailSafe = (text: string) => unlinked(oneLine(text))

function emailLine(f: Finding): string {
  const exempt = f.exempt ? ` (exempt: ${f.exemptReason ?? 'yes'})` : ''
  return emailSafe(
    `- ${f.kind}${exempt}: ${f.userName} ${f.accessKeyId ?? '(root key)'} ${f.status}, ${f.ageDays} days old, last used ${day(f.lastUsedAt)} [account ${f.accountId}]`
  )
}

function resolvedLine(r: ResolvedKey): string {
  return emailSafe(
    `- ${r.userName} ${r.accessKeyId ?? '(root key)'} (${r.kind}): ${r.how} after ${plural(r.daysOpen, 'day')} open [account ${r.accountId}]`
  )
}

/** What changed since the last run, first: on a quiet day a reader stops after these lines. */
function changeLines(report: Report): string[] {
  const { new: fresh, resolved } = report.totals
  if (fresh === null) return []
  const newFindings = report.findings.filter((f) => f.new === true)
  const lines = [`New since the last run: ${fresh}. Resolved since the last run: ${resolved ?? 0}.`, '']
  if (newFindings.length) {
    lines.push(`New: ${newFindings.length}`, ...newFindings.slice(0, EMAIL_MAX_CHANGES).map(emailLine))
    if (newFindings.length > EMAIL_MAX_CHANGES) lines.push(`...and ${plural(newFindings.length - EMAIL_MAX_CHANGES, 'more new finding')}.`)
    lines.push('')
  }
  if (report.resolved.length) {
    lines.push(`Resolved: ${report.resolved.length}`, ...report.resolved.slice(0, EMAIL_MAX_CHANGES).map(resolvedLine))
    if (report.resolved.length > EMAIL_MAX_CHANGES) lines.push(`...and ${plural(report.resolved.length - EMAIL_MAX_CHANGES, 'more resolved key')}.`)
    lines.push('')
  }
  return lines
}

function emailText(report: Report): string {
  const lines = [`IAM Key Sentry: ${emailSafe(title(report))}.`, '', ...changeLines(report)]
  // Accounts that failed first: with hundreds of accounts, those are the lines that matter.
  const accounts = [...report.accounts].sort((a, b) => Number(a.error === null) - Number(b.error === null))
  for (const a of accounts.slice(0, EMAIL_MAX_ACCOUNTS)) {
    lines.push(
      emailSafe(
        a.error === null
          ? `Account ${a.accountId}: ${a.users} users, ${a.keys} keys scanned (${a.dataSource}).`
          : `Account ${a.accountId}: SCAN FAILED: ${cut(a.error, ACCOUNT_TEXT_MAX)}`
      )
    )
  }
  if (accounts.length > EMAIL_MAX_ACCOUNTS) lines.push(`...and ${plural(accounts.length - EMAIL_MAX_ACCOUNTS, 'more account')}.`)
  lines.push(`${policyLine(report)} Scanned at ${report.generatedAt}.`, '')
  let left = EMAIL_MAX_FINDINGS
  for (const group of groupFindings(report.findings)) {
    if (left <= 0) break
    const shown = group.findings.slice(0, left)
    lines.push(`${group.title}: ${group.findings.length}`, ...shown.map(emailLine), '')
    left -= shown.length
  }
  const rest = report.findings.length - Math.min(report.findings.length, EMAIL_MAX_FINDINGS)
  if (rest > 0) lines.push(`...and ${plural(rest, 'more finding')}: see the JSON report.`)
  return lines.join('\n')
}

function smsText(report: Report): string {
  return oneLine(`IAM Key Sentry: ${kindCounts(report)} in ${report.accounts.map((a) => a.accountId).join(', ')}`).slice(0, 140)
}

function maxSeverity(report: Report): string {
  const counts = countByKind(report.findings)
  const worst = FINDING_KINDS.find((k) => counts.has(k))
  return worst ? SEVERITY[worst] : 'none'
}

/** Attributes for subscription filter policies (route critical findings to a pager, say). */
function attributes(report: Report): Record<string, MessageAttributeValue> {
  const number = (n: number): MessageAttributeValue => ({ DataType: 'Number', StringValue: String(n) })
  const string = (s: string): MessageAttributeValue => ({ DataType: 'String', StringValue: s })
  return {
    staleCount: number(report.totals.stale),
    findingCount: number(report.totals.findings),
    exemptCount: number(report.totals.exempt),
    maxSeverity: string(maxSeverity(report)),
    complete: string(String(isComplete(report))),
    // Only with a baseline: a filter policy on newCount must not take "no comparison" for "nothing new".
    ...(report.totals.new !== null ? { newCount: number(report.totals.new) } : {}),
    ...(report.totals.resolved !== null ? { resolvedCount: number(report.totals.resolved) } : {}),
    // Ids for a filter policy; past a few dozen accounts only the count says anything.
    accountIds: string(report.accounts.length <= 20 ? report.accounts.map((a) => a.accountId).join(',') : `${report.accounts.length} accounts`)
  }
}

function size(m: Omit<SnsMessage, 'omitted'>): number {
  let n = Buffer.byteLength(m.message) + Buffer.byteLength(m.subject)
  for (const [name, v] of Object.entries(m.attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? '') + Buffer.byteLength(v.StringValue ?? '')
  }
  return n
}

type Level = 0 | 1 | 2 | 3
/** Failed accounts kept at the last level; the report file and the summary have them all. */
const FAILED_ACCOUNTS_KEPT = 200

/**
 * Smaller per-account detail, for organizations of hundreds of accounts: 1 cuts errors and
 * notes and keeps the first resolved keys, 2 also leaves out the accounts that were scanned without error (the totals stay),
 * 3 keeps only the first failed accounts.
 */
function compactAccounts(report: Report, level: Level): Report {
  if (level === 0) return report
  const failed = report.accounts.filter((a) => a.error !== null)
  const kept = level === 1 ? report.accounts : level === 2 ? failed : failed.slice(0, FAILED_ACCOUNTS_KEPT)
  const accounts = kept.map((a) => ({
    ...a,
    error: a.error === null ? null : cut(a.error, ACCOUNT_TEXT_MAX),
    notes: a.notes.map((n) => cut(n, ACCOUNT_TEXT_MAX))
  }))
  const omitted = report.accounts.length - accounts.length
  const resolvedOmitted = Math.max(0, report.resolved.length - RESOLVED_KEPT)
  return {
    ...report,
    accounts,
    truncated: true,
    ...(omitted ? { accountsOmitted: omitted } : {}),
    ...(resolvedOmitted ? { resolved: report.resolved.slice(0, RESOLVED_KEPT), resolvedOmitted } : {})
  }
}

function compose(report: Report, keep: number, level: Level = 0): Omit<SnsMessage, 'omitted'> {
  const omitted = report.findings.length - keep
  const compact = compactAccounts(report, level)
  const body: Report =
    omitted > 0 ? { ...compact, findings: report.findings.slice(0, keep), truncated: true, findingsOmitted: omitted } : compact
  return {
    subject: snsSubject(`IAM Key Sentry: ${title(report)}`),
    message: JSON.stringify({ default: JSON.stringify(body), email: emailText(report), sms: smsText(report) }),
    attributes: attributes(report)
  }
}

/**
 * The message for MessageStructure=json. The report goes in once, as `default`; when the
 * whole message would pass the limit, the findings list is cut (most severe kept) and the
 * report says so.
 */
export function buildSnsMessage(report: Report, maxBytes = SNS_MAX_BYTES): SnsMessage {
  const budget = maxBytes - 1024 // headroom for the request's own framing
  const full = compose(report, report.findings.length)
  if (size(full) <= budget) return { ...full, omitted: 0 }
  // The least per-account cutting with which the message fits at all, then as many findings as fit.
  const level = ([0, 1, 2, 3] as const).find((l) => size(compose(report, 0, l)) <= budget)
  if (level === undefined) throw new Error('the SNS message does not fit 256 KB even without findings and account details')
  let lo = 0
  let hi = report.findings.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (size(compose(report, mid, level)) <= budget) lo = mid
    else hi = mid - 1
  }
  return { ...compose(report, lo, level), omitted: report.findings.length - lo }
}
