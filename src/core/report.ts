import { controlsFor } from './controls.js'
import { isoSeconds } from './dates.js'
import { sortFindings } from './policy.js'
import type { AccountFailure, AccountScan, BaselineSource, DataSource, Finding, FindingKind, Policy } from './model.js'
import type { ResolvedKey } from './lifecycle.js'

export interface AccountEntry {
  accountId: string
  /** The organization's name for it, when known. */
  name: string | null
  dataSource: DataSource | null
  users: number | null
  keys: number | null
  error: string | null
  /** What a reader should know about how this account was scanned (fallbacks, report age). */
  notes: string[]
  /** Schema 2: where the account's baseline came from; null when it had none (or was not scanned). */
  baseline: BaselineSource | null
  /** Schema 2: counted findings new since the baseline, baseline keys resolved; null without a baseline. */
  new: number | null
  resolved: number | null
}

export interface Totals {
  users: number
  keys: number
  /** Stale keys, exemptions left out. */
  stale: number
  /** Findings of every kind, exemptions left out. */
  findings: number
  exempt: number
  /** Schema 2: summed over the accounts that had a baseline; null when none had one. */
  new: number | null
  resolved: number | null
}

/** The report's schema: 2 is a superset of 1 (DESIGN.md, Report). */
export const SCHEMA_VERSION = 2

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION
  generatedAt: string
  policy: Policy
  accounts: AccountEntry[]
  totals: Totals
  findings: Finding[]
  /** Schema 2: each baseline key that no longer has a counted finding, oldest first. */
  resolved: ResolvedKey[]
  /** Schema 2: what a reader should know about the run as a whole (a previous report that could not be read). */
  notes: string[]
  /** Set only on a copy whose findings list was cut to fit a size limit (SNS). */
  truncated?: true
  findingsOmitted?: number
  /** Accounts scanned without error left out of a copy cut to fit (hundreds of accounts). */
  accountsOmitted?: number
  /** Resolved keys left out of a copy cut to fit. */
  resolvedOmitted?: number
  /** Schema 2: the remediation commands carried out in this run (an issue_comment run), per key. */
  remediation?: RemediationEntry[]
}

/** One key a remediation command named, and what became of it (DESIGN.md, Remediation). */
export interface RemediationEntry {
  accountId: string
  accessKeyId: string
  userName: string | null
  verb: 'deactivate' | 'reactivate' | 'delete'
  dryRun: boolean
  /** done, would (dry run), unchanged, refused, failed, not-attempted. */
  result: string
  before: string | null
  after: string | null
  /** The GitHub login whose comment named the key. */
  requestedBy: string
  /** Why it was refused, unchanged or failed. */
  reason: string | null
}

/** The account id of a failure that happened before the account was known (no credentials). */
export const UNKNOWN_ACCOUNT = 'unknown'

export function buildReport(input: {
  generatedAt: Date
  policy: Policy
  scans: AccountScan[]
  failures?: AccountFailure[]
  notes?: string[]
}): Report {
  const findings = sortFindings(input.scans.flatMap((s) => s.findings.map((f) => withLifecycleFields(f, input.policy))))
  const accounts: AccountEntry[] = [
    ...input.scans.map((s) => ({
      accountId: s.accountId,
      name: s.name ?? null,
      dataSource: s.dataSource,
      users: s.users,
      keys: s.keys,
      error: null,
      notes: s.notes,
      baseline: s.lifecycle?.baseline ?? null,
      new: s.lifecycle?.resolved ? s.findings.filter((f) => f.new === true).length : null,
      resolved: s.lifecycle?.resolved ? s.lifecycle.resolved.length : null
    })),
    ...(input.failures ?? []).map((f) => ({
      accountId: f.accountId ?? UNKNOWN_ACCOUNT,
      name: f.name ?? null,
      dataSource: null,
      users: null,
      keys: null,
      error: f.error,
      notes: [],
      baseline: null,
      new: null,
      resolved: null
    }))
  ]
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: isoSeconds(input.generatedAt),
    policy: input.policy,
    accounts,
    totals: computeTotals(accounts, findings),
    findings,
    resolved: input.scans.flatMap((s) => s.lifecycle?.resolved ?? []),
    notes: input.notes ?? []
  }
}

/**
 * Schema 2 findings always carry the lifecycle fields (null where they are not known) and their
 * controls (set by evaluate; filled in here from the kind and the policy for a finding made
 * elsewhere).
 */
function withLifecycleFields(f: Finding, policy: Policy): Finding {
  return {
    ...f,
    controls: f.controls ?? controlsFor(f.kind, policy),
    firstSeenAt: f.firstSeenAt ?? null,
    new: f.new ?? null,
    overdueDays: f.overdueDays ?? null,
    owners: f.owners ?? []
  }
}

/** Sum of the known counts; null when none is known (never "0 new" by accident). */
function sumKnown(counts: (number | null)[]): number | null {
  const known = counts.filter((n): n is number => n !== null)
  return known.length ? known.reduce((a, b) => a + b, 0) : null
}

/** The totals of some accounts and their findings: the whole report's, or one account's. */
export function computeTotals(accounts: AccountEntry[], findings: Finding[]): Totals {
  const counted = findings.filter((f) => !f.exempt)
  return {
    users: accounts.reduce((n, a) => n + (a.users ?? 0), 0),
    keys: accounts.reduce((n, a) => n + (a.keys ?? 0), 0),
    stale: counted.filter((f) => f.kind === 'stale').length,
    findings: counted.length,
    exempt: findings.length - counted.length,
    new: sumKnown(accounts.map((a) => a.new)),
    resolved: sumKnown(accounts.map((a) => a.resolved))
  }
}

/** The report narrowed to one account: what its tracking issue shows. */
export function accountReport(report: Report, accountId: string): Report {
  const accounts = report.accounts.filter((a) => a.accountId === accountId)
  const findings = report.findings.filter((f) => f.accountId === accountId)
  const resolved = report.resolved.filter((r) => r.accountId === accountId)
  return { ...report, accounts, findings, resolved, totals: computeTotals(accounts, findings) }
}

/** Did every account scan complete? A report with a failed account is never "clean". */
export function isComplete(report: Report): boolean {
  return report.accounts.length > 0 && report.accounts.every((a) => a.error === null)
}

/** Counted (not exempt) findings per kind. */
export function countByKind(findings: Finding[]): Map<FindingKind, number> {
  const counts = new Map<FindingKind, number>()
  for (const f of findings) if (!f.exempt) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1)
  return counts
}

export function accountIds(report: Report): string[] {
  return report.accounts.map((a) => a.accountId)
}

/** The listing path looks up last use only for the unused rule; elsewhere it is unknown, not "never". */
export function lastUseKnown(report: Report, accountId: string): boolean {
  const account = report.accounts.find((a) => a.accountId === accountId)
  return account?.dataSource !== 'api' || report.policy.maxUnusedDays !== null
}
