import { isoSeconds } from './dates.js'
import { sortFindings } from './policy.js'
import type { AccountFailure, AccountScan, DataSource, Finding, FindingKind, Policy } from './model.js'

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
}

export interface Totals {
  users: number
  keys: number
  /** Stale keys, exemptions left out. */
  stale: number
  /** Findings of every kind, exemptions left out. */
  findings: number
  exempt: number
}

export interface Report {
  schemaVersion: 1
  generatedAt: string
  policy: Policy
  accounts: AccountEntry[]
  totals: Totals
  findings: Finding[]
  /** Set only on a copy whose findings list was cut to fit a size limit (SNS). */
  truncated?: true
  findingsOmitted?: number
  /** Accounts scanned without error left out of a copy cut to fit (hundreds of accounts). */
  accountsOmitted?: number
}

/** The account id of a failure that happened before the account was known (no credentials). */
export const UNKNOWN_ACCOUNT = 'unknown'

export function buildReport(input: {
  generatedAt: Date
  policy: Policy
  scans: AccountScan[]
  failures?: AccountFailure[]
}): Report {
  const findings = sortFindings(input.scans.flatMap((s) => s.findings))
  const accounts: AccountEntry[] = [
    ...input.scans.map((s) => ({
      accountId: s.accountId,
      name: s.name ?? null,
      dataSource: s.dataSource,
      users: s.users,
      keys: s.keys,
      error: null,
      notes: s.notes
    })),
    ...(input.failures ?? []).map((f) => ({
      accountId: f.accountId ?? UNKNOWN_ACCOUNT,
      name: f.name ?? null,
      dataSource: null,
      users: null,
      keys: null,
      error: f.error,
      notes: []
    }))
  ]
  return {
    schemaVersion: 1,
    generatedAt: isoSeconds(input.generatedAt),
    policy: input.policy,
    accounts,
    totals: computeTotals(accounts, findings),
    findings
  }
}

/** The totals of some accounts and their findings: the whole report's, or one account's. */
export function computeTotals(accounts: AccountEntry[], findings: Finding[]): Totals {
  const counted = findings.filter((f) => !f.exempt)
  return {
    users: accounts.reduce((n, a) => n + (a.users ?? 0), 0),
    keys: accounts.reduce((n, a) => n + (a.keys ?? 0), 0),
    stale: counted.filter((f) => f.kind === 'stale').length,
    findings: counted.length,
    exempt: findings.length - counted.length
  }
}

/** The report narrowed to one account: what its tracking issue shows. */
export function accountReport(report: Report, accountId: string): Report {
  const accounts = report.accounts.filter((a) => a.accountId === accountId)
  const findings = report.findings.filter((f) => f.accountId === accountId)
  return { ...report, accounts, findings, totals: computeTotals(accounts, findings) }
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
