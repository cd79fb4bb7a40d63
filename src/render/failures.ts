// Accounts that could not be scanned, told in a bounded number of lines: an organization of
// 10,000 unreachable accounts is one line per distinct error, not 10,000 lines (or one of 4 MB).
// The report file keeps every account and its own error.
import type { AccountFailure } from '../core/model.js'
import { plural } from '../core/plural.js'
import { cut } from './text.js'

export interface FailureGroup {
  /** The error with each account's own id replaced by `<account>`, so that the same fault groups. */
  error: string
  /** Accounts that failed with it, in the order they failed; null for a failure before any account was known. */
  accountIds: (string | null)[]
  /** The first account's error as it was, account id and all. */
  first: string
}

const ACCOUNT = '<account>'

/** Failures grouped by their message, account ids taken out (a role ARN names its account); the largest group first. */
export function groupFailures(failures: AccountFailure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>()
  for (const f of failures) {
    const error = f.accountId ? f.error.split(f.accountId).join(ACCOUNT) : f.error
    const group = groups.get(error) ?? { error, accountIds: [], first: f.error }
    group.accountIds.push(f.accountId)
    groups.set(error, group)
  }
  // Array.prototype.sort is stable: equal groups keep the order they first failed in.
  return [...groups.values()].sort((a, b) => b.accountIds.length - a.accountIds.length)
}

export interface FailureLimits {
  /** Account ids named per error; the rest are counted. */
  ids: number
  /** Distinct errors told; the rest are counted. */
  groups: number
  /** Characters of each error. */
  errorChars: number
}

/** About 10 KB at most: within what a log line or an annotation shows whole. */
export const FAILURE_LIMITS: FailureLimits = { ids: 20, groups: 10, errorChars: 500 }

/**
 * One line per distinct error: `The scan of account 1 did not complete: …` for one account, its
 * own error as it is; `The scan of 10000 accounts did not complete: … (accounts 1, 2, …, and 9980
 * more)` for several. Past `groups` errors, one line counts the accounts and errors left.
 */
export function describeFailures(failures: AccountFailure[], limits: FailureLimits = FAILURE_LIMITS): string[] {
  const groups = groupFailures(failures)
  const lines = groups.slice(0, limits.groups).map((g) => {
    const ids = g.accountIds.filter((id): id is string => id !== null)
    if (g.accountIds.length === 1) {
      return `The scan${ids.length ? ` of account ${ids[0]}` : ''} did not complete: ${cut(g.first, limits.errorChars)}`
    }
    const named = ids.slice(0, limits.ids).join(', ')
    const more = g.accountIds.length - Math.min(ids.length, limits.ids)
    const list = named ? ` (accounts ${named}${more ? `, and ${more} more` : ''})` : ''
    return `The scan of ${g.accountIds.length} accounts did not complete: ${cut(g.error, limits.errorChars)}${list}`
  })
  const rest = groups.slice(limits.groups)
  if (rest.length) {
    const accounts = rest.reduce((n, g) => n + g.accountIds.length, 0)
    lines.push(
      `The scan of ${plural(accounts, 'more account')} did not complete, with ${plural(rest.length, 'other error')}; the report file has every account and its error.`
    )
  }
  return lines
}

/** A warning about one account: a mistake in its exemptions, tags that could not be read. */
export interface AccountWarning {
  accountId: string
  warning: string
}

/**
 * One line per distinct warning, whatever the number of accounts: `[123] …` for one account,
 * `… (accounts 1, 2, …, and 9980 more)` for several. One account's warnings are all told (each
 * bad tag value is a warning of its own); across several accounts, past `groups` warnings, one
 * line counts the rest, which the summary and the report file still list per account.
 */
export function describeWarnings(warnings: AccountWarning[], limits: FailureLimits = FAILURE_LIMITS): string[] {
  // Grouped as the failures are, by the text with the account's own id taken out: AWS's denials
  // quote the caller's ARN, which names its account, so the same denial differs in every account.
  const byText = new Map<string, { first: string; ids: string[] }>()
  for (const w of warnings) {
    const key = w.accountId ? w.warning.split(w.accountId).join(ACCOUNT) : w.warning
    const group = byText.get(key)
    if (group) group.ids.push(w.accountId)
    else byText.set(key, { first: w.warning, ids: [w.accountId] })
  }
  const groups = [...byText].sort((a, b) => b[1].ids.length - a[1].ids.length)
  const oneAccount = new Set(warnings.map((w) => w.accountId)).size === 1
  const shown = oneAccount ? groups.length : limits.groups
  const lines = groups.slice(0, shown).map(([warning, { first, ids }]) => {
    const text = cut(warning, limits.errorChars)
    if (ids.length === 1) return `[${ids[0]}] ${cut(first, limits.errorChars)}`
    const more = ids.length - Math.min(ids.length, limits.ids)
    return `${text} (accounts ${ids.slice(0, limits.ids).join(', ')}${more ? `, and ${more} more` : ''})`
  })
  const rest = groups.slice(shown)
  if (rest.length) {
    lines.push(`${plural(rest.length, 'more warning')}: the job summary and the report file have each account's notes.`)
  }
  return lines
}
