// The live checks before a remediation command touches a key (DESIGN.md, Remediation): the key is
// re-read from AWS just before, and acted on only when every check holds. Pure: the caller reads
// the key (with the read-only scan session) and acts on the decision.
import { isoSeconds, wholeDaysBetween } from './dates.js'
import type { KeyStatus } from './model.js'
import { plural } from './plural.js'
import type { RemediationVerb } from './remediation-commands.js'

/** One access key as AWS tells it now. */
export interface LiveKey {
  accessKeyId: string
  /** The account the key belongs to (the account whose session listed it). */
  accountId: string
  userName: string
  isRoot: boolean
  status: KeyStatus
  createdAt: Date
  lastUsedAt: Date | null
  lastUsedService: string | null
  /** Why the key's user is exempt (exempt-users, the exempt tag), as core/exemptions.ts says it; null when not. */
  exemptReason: string | null
}

export type KeyDecision =
  | { kind: 'act'; verb: RemediationVerb; from: KeyStatus; to: KeyStatus | 'deleted' }
  /** Already as asked (a second run on the same comment, /deactivate on an inactive key): nothing to do, not an error. */
  | { kind: 'unchanged'; reason: string }
  | { kind: 'refused'; check: RemediationCheck; reason: string }

/** The checks, in the order they are made; a refusal names the one that failed. */
export const REMEDIATION_CHECKS = ['exists', 'account', 'root', 'exempt', 'quiet', 'inactive-first', 'ours'] as const
export type RemediationCheck = (typeof REMEDIATION_CHECKS)[number]

export interface DecideOptions {
  /** `--force` (only /deactivate reads it): deactivate a key used within quietDays. */
  force: boolean
  /** remediation-quiet-days: a key used within this many whole UTC days is not quiet. */
  quietDays: number
  now: Date
  /** The issue's record says this action deactivated the key (what /reactivate needs). */
  deactivatedByAction: boolean
}

/** `last used 2026-12-02 (s3)`, `last used 2026-12-02`, or `never used`. */
export function lastUse(live: Pick<LiveKey, 'lastUsedAt' | 'lastUsedService'>): string {
  if (!live.lastUsedAt) return 'never used'
  const day = isoSeconds(live.lastUsedAt).slice(0, 10)
  return live.lastUsedService ? `last used ${day} (${live.lastUsedService})` : `last used ${day}`
}

/** Whole UTC days since the key was last used, or null when it never was. */
function daysSinceUse(live: LiveKey, now: Date): number | null {
  return live.lastUsedAt ? wholeDaysBetween(live.lastUsedAt, now) : null
}

/**
 * Used within `quietDays` whole UTC days (used today is 0 days ago): with 7, a key used 6 days
 * ago is not quiet, one used 7 days ago is. A key never used is quiet.
 */
export function usedWithin(live: LiveKey, quietDays: number, now: Date): boolean {
  const days = daysSinceUse(live, now)
  return days !== null && days < quietDays
}

/** `used 1 day ago (2026-12-02, s3)`, `used today (2026-12-03)`. */
function recentUse(live: LiveKey, now: Date): string {
  const days = daysSinceUse(live, now)!
  const when = days === 0 ? 'today' : `${plural(days, 'day')} ago`
  const day = isoSeconds(live.lastUsedAt!).slice(0, 10)
  return `used ${when} (${live.lastUsedService ? `${day}, ${live.lastUsedService}` : day})`
}

/**
 * What to do with one key named in a command, from the key as AWS tells it now (null: not found
 * in the issue's account). The checks, in order: it exists; it is the issue's account's; it is not
 * the root user's (never touched); its user is not exempt; then per verb:
 * - /deactivate: an inactive key is left as it is (`unchanged`); a key used within quietDays needs `--force`;
 * - /delete: only an inactive key (deactivate it first), unused for quietDays (`--force` does not help);
 * - /reactivate: an active key is left as it is; only a key this action deactivated.
 * Every refusal says the key's last use, where the key was found.
 */
export function decide(verb: RemediationVerb, options: DecideOptions, live: LiveKey | null, issueAccountId: string): KeyDecision {
  if (!live) {
    return {
      kind: 'refused',
      check: 'exists',
      reason: `not found in account ${issueAccountId}: it is another account's key, or it was deleted`
    }
  }
  const used = lastUse(live)
  const refuse = (check: RemediationCheck, why: string): KeyDecision => ({ kind: 'refused', check, reason: `${why}; ${used}` })
  if (live.accountId !== issueAccountId) {
    return refuse('account', `belongs to account ${live.accountId}, not to this issue's account ${issueAccountId}`)
  }
  if (live.isRoot) return refuse('root', "the root user's keys are never touched")
  if (live.exemptReason !== null) return refuse('exempt', `the key is exempt (${live.exemptReason})`)
  const { force, quietDays, now } = options
  const recent = usedWithin(live, quietDays, now)
  switch (verb) {
    case 'deactivate':
      if (live.status === 'Inactive') return { kind: 'unchanged', reason: `already inactive; ${used}` }
      if (recent && !force) {
        return {
          kind: 'refused',
          check: 'quiet',
          reason: `${recentUse(live, now)}; add --force to deactivate it anyway (remediation-quiet-days is ${quietDays})`
        }
      }
      return { kind: 'act', verb, from: 'Active', to: 'Inactive' }
    case 'delete':
      if (live.status === 'Active') return refuse('inactive-first', 'the key is active: deactivate it first, and delete it once it stays unused')
      if (recent) {
        return {
          kind: 'refused',
          check: 'quiet',
          reason: `${recentUse(live, now)}; a key is deleted only once unused for ${plural(quietDays, 'day')} (remediation-quiet-days), --force or not`
        }
      }
      return { kind: 'act', verb, from: 'Inactive', to: 'deleted' }
    case 'reactivate':
      if (live.status === 'Active') return { kind: 'unchanged', reason: `already active; ${used}` }
      if (!options.deactivatedByAction) {
        return refuse('ours', "only a key this action deactivated is reactivated, and the issue's record has no such deactivation of this key")
      }
      return { kind: 'act', verb, from: 'Inactive', to: 'Active' }
  }
}
