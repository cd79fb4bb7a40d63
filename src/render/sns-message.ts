import type { MessageAttributeValue } from '@aws-sdk/client-sns'
import { SEVERITY, FINDING_KINDS, type Finding } from '../model.js'
import { countByKind, isComplete, type Report } from '../report.js'
import { groupFindings } from './findings-table.js'
import { day, kindCounts, plural, policyLine, title } from './text.js'

/** SNS takes 256 KB per message, every protocol's text and the attributes included. */
export const SNS_MAX_BYTES = 262_144
const SUBJECT_MAX = 99
const EMAIL_MAX_FINDINGS = 100

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

function emailLine(f: Finding): string {
  const exempt = f.exempt ? ` (exempt: ${f.exemptReason ?? 'yes'})` : ''
  return `- ${f.kind}${exempt}: ${f.userName} ${f.accessKeyId ?? '(root key)'} ${f.status}, ${f.ageDays} days old, last used ${day(f.lastUsedAt)} [account ${f.accountId}]`
}

function emailText(report: Report): string {
  const lines = [`IAM Key Sentry: ${title(report)}.`, '']
  for (const a of report.accounts) {
    lines.push(
      a.error === null
        ? `Account ${a.accountId}: ${a.users} users, ${a.keys} keys scanned (${a.dataSource}).`
        : `Account ${a.accountId}: SCAN FAILED: ${a.error}`
    )
  }
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
  return `IAM Key Sentry: ${kindCounts(report)} in ${report.accounts.map((a) => a.accountId).join(', ')}`.slice(0, 140)
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
    accountIds: string(report.accounts.map((a) => a.accountId).join(','))
  }
}

function size(m: Omit<SnsMessage, 'omitted'>): number {
  let n = Buffer.byteLength(m.message) + Buffer.byteLength(m.subject)
  for (const [name, v] of Object.entries(m.attributes)) {
    n += Buffer.byteLength(name) + Buffer.byteLength(v.DataType ?? '') + Buffer.byteLength(v.StringValue ?? '')
  }
  return n
}

function compose(report: Report, keep: number): Omit<SnsMessage, 'omitted'> {
  const omitted = report.findings.length - keep
  const body: Report =
    omitted > 0 ? { ...report, findings: report.findings.slice(0, keep), truncated: true, findingsOmitted: omitted } : report
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
  let lo = 0
  let hi = report.findings.length - 1
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (size(compose(report, mid)) <= budget) lo = mid
    else hi = mid - 1
  }
  const cut = compose(report, lo)
  if (size(cut) > budget) throw new Error('the SNS message does not fit 256 KB even without findings')
  return { ...cut, omitted: report.findings.length - lo }
}
