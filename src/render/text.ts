// Small text helpers shared by the summary, the SNS message and (later) the issue body.
import { plural } from '../core/plural.js'
import { FINDING_KINDS, type DataSource, type Finding, type FindingKind } from '../core/model.js'
import { isRootFinding } from '../core/policy.js'
import { countByKind, isComplete, UNKNOWN_ACCOUNT, type Report } from '../core/report.js'

/** `AKIAIOSFODNN7EXAMPLE` -> `AKIA…MPLE`: enough to find the key, not to quote it. */
export function maskKeyId(id: string | null): string {
  if (!id) return '(root key, no id)'
  if (id.length <= 8) return id
  return `${id.slice(0, 4)}…${id.slice(-4)}`
}

/** AWS gives no id for root keys; a credential report file has none for any key. */
export function keyCell(f: Finding, maskKeyIds: boolean): string {
  if (!f.accessKeyId) return isRootFinding(f) ? '(root key, no id)' : '(not in report)'
  return maskKeyIds ? maskKeyId(f.accessKeyId) : f.accessKeyId
}

/** `user/engineering/kate` in an ARN: the path (`/engineering`) and the name. Names hold no `/`; paths start and end with one. */
const USER_PATH = /^arn:[^:]+:iam::[^:]*:user(\/.+)\/([^/]+)$/

/**
 * `/engineering/kate` for a user under an IAM path (its ARN `…:user/engineering/kate`): two
 * users of one name under different paths tell apart. The name alone for the default path `/`,
 * the root user, and an ARN that does not end in the user's name.
 */
export function userWithPath(f: Pick<Finding, 'userName' | 'userArn'>): string {
  const match = USER_PATH.exec(f.userArn ?? '')
  return match && match[2] === f.userName ? `${match[1]}/${f.userName}` : f.userName
}

/**
 * The finding's kind as the tables say it: `root-key (inactive)` for an inactive root key (still a
 * finding: Security Hub IAM.4 and CIS v5 count it), else the kind.
 */
export function kindLabel(f: Pick<Finding, 'kind' | 'status'>): string {
  return f.kind === 'root-key' && f.status === 'Inactive' ? 'root-key (inactive)' : f.kind
}

/** Control ids as core/controls.ts writes them: anything else (a hand-edited report) is not shown. */
const CONTROL_ID = /^(?:CIS \d{1,2}\.\d{1,2}|[A-Z][A-Za-z]{1,15}\.\d{1,3})$/

/**
 * The controls of some findings, each once in the order first met: `CIS 1.14, IAM.3`; empty when
 * none. Only well-formed ids are kept, so the text is inert wherever it goes.
 */
export function controlsText(findings: readonly Pick<Finding, 'controls'>[]): string {
  const ids = new Set<string>()
  for (const f of findings) for (const id of f.controls ?? []) if (CONTROL_ID.test(id)) ids.add(id)
  return [...ids].join(', ')
}

/** `123456789012`, or `3 accounts`. */
export function accountLabel(report: Report): string {
  const ids = report.accounts.map((a) => a.accountId)
  return ids.length === 1 ? `account ${ids[0]}` : `${ids.length} accounts`
}

/** `5 stale, 1 inactive` in severity order; `no findings` when clean. */
export function kindCounts(report: Report): string {
  const counts = countByKind(report.findings)
  const parts = FINDING_KINDS.filter((k) => counts.has(k)).map((k: FindingKind) => `${counts.get(k)} ${k}`)
  return parts.length ? parts.join(', ') : 'no findings'
}

/** One line for subjects, SMS and headings. */
export function headline(report: Report): string {
  const { stale, findings } = report.totals
  if (findings === 0) return `no findings in ${accountLabel(report)}`
  const what = stale === findings ? plural(stale, 'stale key') : `${plural(findings, 'finding')} (${kindCounts(report)})`
  return `${what} in ${accountLabel(report)}`
}

/**
 * `6 users, 8 keys, 6 findings (2 exempt)`: one account's scan as its progress line says it. The
 * findings are counted as the headline counts them (exempt ones said apart, never in the count).
 */
export function scanCounts(scan: { users: number; keys: number; findings: readonly Pick<Finding, 'exempt'>[] }): string {
  const exempt = scan.findings.filter((f) => f.exempt).length
  const counted = scan.findings.length - exempt
  return `${plural(scan.users, 'user')}, ${plural(scan.keys, 'key')}, ${plural(counted, 'finding')}${exempt ? ` (${exempt} exempt)` : ''}`
}

/** At most `max` characters, the last one `…` when cut. */
export const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

export function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : 'never'
}

/**
 * `2026-10-01 (s3)`, `never`, or `not looked up` where last use was not asked for (`known`
 * false). `escape` makes the service name, which comes from AWS, safe where the cell goes.
 */
export function lastUsedCell(f: Finding, known: boolean, escape: (text: string) => string): string {
  // A setup-key finding is a key seen never used (its last use is looked up wherever the rule applies).
  if (!f.lastUsedAt) return known || f.kind === 'setup-key' ? 'never' : 'not looked up'
  return f.lastUsedService ? `${day(f.lastUsedAt)} (${escape(f.lastUsedService)})` : day(f.lastUsedAt)
}

/** What an account was scanned with, in words: `credential report`, `IAM listing`, `none` (not scanned). */
export function dataSourceName(source: DataSource | null): string {
  return source === 'credential-report' ? 'credential report' : source === 'api' ? 'IAM listing' : 'none'
}

/** The headline, marked when some account was not scanned: never mistaken for clean. */
export function title(report: Report): string {
  if (isComplete(report)) return headline(report)
  const scanned = report.accounts.filter((a) => a.error === null)
  if (scanned.length === 0) {
    const known = report.accounts.map((a) => a.accountId).filter((id) => id !== UNKNOWN_ACCOUNT)
    return known.length ? `scan failed for ${known.length === 1 ? `account ${known[0]}` : `${known.length} accounts`}` : 'scan failed'
  }
  return `scan incomplete, ${headline(report)}`
}

export function policyLine(report: Report): string {
  const p = report.policy
  const parts = [`active keys are stale at ${p.maxKeyAgeDays} days`]
  if (p.warnKeyAgeDays !== null) parts.push(`expiring from ${p.warnKeyAgeDays} days`)
  if (p.maxUnusedDays !== null) parts.push(`unused after ${p.maxUnusedDays} days without use`)
  return `Policy: ${parts.join(', ')}.`
}

/** `All 14 access keys are within policy`, `The one access key is…`, `There are no access keys`. */
export function withinPolicy(n: number, noun = 'access key'): string {
  if (n === 0) return `There are no ${noun}s`
  return n === 1 ? `The one ${noun} is within policy` : `All ${n} ${noun}s are within policy`
}
