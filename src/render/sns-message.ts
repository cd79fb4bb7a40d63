import { SEVERITY, FINDING_KINDS, type Finding } from '../core/model.js'
import { parseOwner } from '../core/owners.js'
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
/** A finding's owners on its e-mail line: an owners-file rule may name 20 long addresses. */
const EMAIL_OWNERS_MAX = 200

/**
 * The `owners` attribute holds at most this many owners, and at most OWNERS_MAX_BYTES of JSON.
 * SNS documents no limit on a String.Array's length, but the attribute counts toward the one
 * 256 KB message (name, type and value), where every byte it takes is a byte less for the
 * report's findings list: 16 KiB is 1/16 of the message, and holds 250 addresses of a usual
 * length (about 30 bytes) or 63 of the longest (254). Past either, the owners of the most severe
 * findings are kept (the findings are in severity order) and the rest counted in `ownersOmitted`:
 * their subscriptions miss this message, which the caller must say.
 */
export const OWNERS_MAX = 250
export const OWNERS_MAX_BYTES = 16_384

export interface SnsMessage {
  subject: string
  /** The MessageStructure=json body: { default, email, sms }. */
  message: string
  attributes: Record<string, MessageAttributeValue>
  /** Findings left out of the JSON report to fit the size limit. */
  omitted: number
  /** Owners left out of the `owners` attribute (OWNERS_MAX, OWNERS_MAX_BYTES): their filtered subscriptions miss this message. */
  ownersOmitted: number
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

/**
 * `, owners alice@example.com, @bob`, or nothing for an unowned (or v1) finding. Every kind of
 * owner is shown, plain names too: a person reads them. As text: the line is made inert below,
 * so an address is not linked and a login mentions no one.
 */
function ownersText(f: Finding): string {
  const owners = f.owners ?? []
  return owners.length ? `, owners ${cut(owners.join(', '), EMAIL_OWNERS_MAX)}` : ''
}

function emailLine(f: Finding): string {
  const exempt = f.exempt ? ` (exempt: ${f.exemptReason ?? 'yes'})` : ''
  return emailSafe(
    `- ${f.kind}${exempt}: ${f.userName} ${f.accessKeyId ?? '(root key)'} ${f.status}, ${f.ageDays} days old, last used ${day(f.lastUsedAt)}${ownersText(f)} [account ${f.accountId}]`
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

function emailText(report: Report, owners: OwnersAttribute): string {
  const lines = [`IAM Key Sentry: ${emailSafe(title(report))}.`, '', ...changeLines(report)]
  if (owners.omitted > 0) {
    lines.push(
      `Owners: ${owners.owners.length + owners.omitted}; the owners message attribute names the first ${owners.owners.length}: subscriptions filtered on the other ${plural(owners.omitted, 'owner')} do not get this message.`,
      ''
    )
  }
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

export interface OwnersAttribute {
  owners: string[]
  omitted: number
}

/**
 * The distinct owners of the counted findings, for the `owners` attribute, so that a
 * subscription with the filter policy `{"owners": ["alice@example.com"]}` gets only the runs
 * that concern alice. Exempt findings are not counted, and their owners are left out.
 *
 * Owners of the whole run, not only of the findings the JSON report keeps when it is cut to fit:
 * the message is about the run, and an owner whose keys were cut from the list still has to act.
 *
 * GitHub logins, teams and e-mail addresses go in, in lower case (addresses are already; logins
 * and teams ignore case on GitHub), because filter policies match exact, case-sensitive strings
 * and these have one spelling. Plain names do not: a name is whatever the owner tag or file held
 * that is none of those (often a mistyped address, `alice@example`, which the summary notes so
 * that someone fixes it), free Unicode text with no canonical spelling that no subscription
 * could rely on matching, and text from an AWS tag. Keeping to the three syntaxes also keeps
 * the value ASCII from a strict grammar (no quote, backslash or control character), whatever
 * the tags say. Nobody loses a name: the report lists each finding's owners as written.
 *
 * In the order of the findings (most severe first), so the cap keeps the owners with the most
 * urgent keys.
 */
export function ownersAttribute(findings: readonly Finding[]): OwnersAttribute {
  const seen = new Set<string>()
  const owners: string[] = []
  let omitted = 0
  let bytes = 2 // []
  for (const f of findings) {
    if (f.exempt) continue
    for (const text of f.owners ?? []) {
      const owner = parseOwner(text)
      if (owner.kind === 'name') continue
      const value = owner.value.toLowerCase()
      if (seen.has(value)) continue
      seen.add(value)
      const more = Buffer.byteLength(JSON.stringify(value)) + (owners.length ? 1 : 0)
      if (owners.length >= OWNERS_MAX || bytes + more > OWNERS_MAX_BYTES) {
        omitted++
        continue
      }
      owners.push(value)
      bytes += more
    }
  }
  return { owners, omitted }
}

/**
 * Attributes for subscription filter policies (route critical findings to a pager, say).
 * Ten at most: SNS drops a message with more than 10 attributes bound for an SQS subscription
 * with raw message delivery. There are 10 at most (the two baseline counts and `owners` are
 * optional): a new one must replace one of these.
 */
function attributes(report: Report, owners: OwnersAttribute): Record<string, MessageAttributeValue> {
  const number = (n: number): MessageAttributeValue => ({ DataType: 'Number', StringValue: String(n) })
  const string = (s: string): MessageAttributeValue => ({ DataType: 'String', StringValue: s })
  return {
    staleCount: number(report.totals.stale),
    findingCount: number(report.totals.findings),
    exemptCount: number(report.totals.exempt),
    maxSeverity: string(maxSeverity(report)),
    complete: string(String(isComplete(report))),
    // What the message is about: a scan, or keys a remediation command changed (then rescanned).
    event: string(report.remediation?.length ? 'remediation' : 'scan'),
    // Only with a baseline: a filter policy on newCount must not take "no comparison" for "nothing new".
    ...(report.totals.new !== null ? { newCount: number(report.totals.new) } : {}),
    ...(report.totals.resolved !== null ? { resolvedCount: number(report.totals.resolved) } : {}),
    // Ids for a filter policy; past a few dozen accounts only the count says anything.
    accountIds: string(report.accounts.length <= 20 ? report.accounts.map((a) => a.accountId).join(',') : `${report.accounts.length} accounts`),
    // Absent when no counted finding has an owner: SNS takes no empty attribute value, and a
    // filter policy `{"owners": [{"exists": false}]}` then picks the runs nobody owns.
    ...(owners.owners.length ? { owners: { DataType: 'String.Array', StringValue: JSON.stringify(owners.owners) } } : {})
  }
}

function size(m: Omit<SnsMessage, 'omitted' | 'ownersOmitted'>): number {
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

// The attributes and the e-mail depend on the whole report, never on how much of it is kept:
// size() counts them in every candidate, so the findings list is cut to what is left of the budget.
function compose(report: Report, owners: OwnersAttribute, keep: number, level: Level = 0): Omit<SnsMessage, 'omitted' | 'ownersOmitted'> {
  const omitted = report.findings.length - keep
  const compact = compactAccounts(report, level)
  const body: Report =
    omitted > 0 ? { ...compact, findings: report.findings.slice(0, keep), truncated: true, findingsOmitted: omitted } : compact
  return {
    subject: snsSubject(`IAM Key Sentry: ${title(report)}`),
    message: JSON.stringify({ default: JSON.stringify(body), email: emailText(report, owners), sms: smsText(report) }),
    attributes: attributes(report, owners)
  }
}

/**
 * The message for MessageStructure=json. The report goes in once, as `default`; when the
 * whole message would pass the limit, the findings list is cut (most severe kept) and the
 * report says so.
 */
export function buildSnsMessage(report: Report, maxBytes = SNS_MAX_BYTES): SnsMessage {
  const budget = maxBytes - 1024 // headroom for the request's own framing
  const owners = ownersAttribute(report.findings)
  const ownersOmitted = owners.omitted
  const full = compose(report, owners, report.findings.length)
  if (size(full) <= budget) return { ...full, omitted: 0, ownersOmitted }
  // The least per-account cutting with which the message fits at all, then as many findings as fit.
  const level = ([0, 1, 2, 3] as const).find((l) => size(compose(report, owners, 0, l)) <= budget)
  if (level === undefined) throw new Error('the SNS message does not fit 256 KB even without findings and account details')
  let lo = 0
  let hi = report.findings.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (size(compose(report, owners, mid, level)) <= budget) lo = mid
    else hi = mid - 1
  }
  return { ...compose(report, owners, lo, level), omitted: report.findings.length - lo, ownersOmitted }
}
