// Lifecycle (DESIGN.md, Lifecycle v2): what changed since the last run, per account. Pure: the
// baseline comes from the tracking issue's hidden record or an earlier report file, the facts
// about keys that no longer have a finding from a live lookup, both read elsewhere.
import { isoSeconds, wholeDaysBetween } from './dates.js'
import { parseIsoDate } from './exemptions.js'
import { FINDING_KINDS, type AccountScan, type BaselineSource, type Finding, type FindingKind, type KeyStatus, type Policy } from './model.js'

/** One key the baseline remembers: it had a counted finding when last seen. */
export interface BaselineKey {
  /** Null only for a key AWS gives no id for (the root user's, in the credential report). */
  accessKeyId: string | null
  /**
   * The key's creation time (ISO, whole seconds). It identifies a key without an id, and finds a
   * key in the credential report (which has no ids) without another AWS call. Absent only in a
   * record written without it.
   */
  createdAt?: string
  userName: string
  /** The kind of its counted finding when last seen. */
  kind: FindingKind
  /** The UTC day (`YYYY-MM-DD`) it was first seen with a counted finding. */
  firstSeenAt: string
  /** Remediation: the UTC day this action deactivated the key itself. Carried over while the key stays. */
  deactivatedByAction?: string
  /** Remediation: the GitHub login whose comment had it deactivated (with deactivatedByAction). */
  deactivatedBy?: string
}

/** What one account's record remembers: every key that had a counted finding. */
export interface Baseline {
  accountId: string
  keys: BaselineKey[]
}

/** How a baseline key stopped having a counted finding (see resolution() for which applies). */
export const RESOLVED_HOWS = ['rotated', 'deleted', 'exempted', 'deactivated', 'healthy'] as const
export type ResolvedHow = (typeof RESOLVED_HOWS)[number]

/** A baseline key with no counted finding today (the report's top-level `resolved` list, schema 2). */
export interface ResolvedKey {
  accountId: string
  userName: string
  accessKeyId: string | null
  /** The key's creation time, as in BaselineKey. */
  createdAt?: string
  /** The kind it had when last seen. */
  kind: FindingKind
  firstSeenAt: string
  /** Today, `YYYY-MM-DD`. */
  resolvedAt: string
  /** Whole UTC days from firstSeenAt to today. */
  daysOpen: number
  how: ResolvedHow
}

/**
 * What a live lookup (ListAccessKeys, ListUserTags) found about a baseline key that has no
 * finding today, keyed by keyIdentity. The credential report has no key ids, so the scan alone
 * cannot tell a deleted key from a healthy one: the caller looks these keys up.
 */
export interface KeyLookup {
  /** False when the key, or its user, is gone. */
  exists: boolean
  /** Its status now, when it exists. */
  status?: KeyStatus
  /** The user now has a key created after this one that has no finding: the key was rotated. */
  newerKeyWithoutFinding?: boolean
  /** The key's finding would be exempt today (exempt-users, the exemption tag). */
  exempt?: boolean
}

/** What is known about one account today, its scan complete. */
export interface AccountToday {
  accountId: string
  /** Today's findings of the account, counted and exempt (AccountScan.findings). */
  findings: Finding[]
  /**
   * Facts about the baseline keys that have no counted finding today, by keyIdentity. A key
   * with an exempt finding today needs none (the finding says it exists, its status, exempt).
   */
  lookups: ReadonlyMap<string, KeyLookup>
}

/** A baseline key still counted today, with another kind (a stale key deactivated is `inactive`). */
export interface KindChange {
  accessKeyId: string | null
  createdAt?: string
  userName: string
  from: FindingKind
  to: FindingKind
}

export interface AccountDiff {
  accountId: string
  /** False: diffed against no baseline, so new, firstSeenAt, resolved and the counts are null. */
  hasBaseline: boolean
  /** Today's findings, same order, each a copy with firstSeenAt, new and overdueDays set. */
  findings: Finding[]
  /** Baseline keys with no counted finding today, oldest first; null without a baseline. */
  resolved: ResolvedKey[] | null
  /** Baseline keys whose counted finding changed kind; they stay, first seen kept. */
  kindChanges: KindChange[]
  /** Identities of resolved keys that had neither a finding today nor a lookup: told `healthy`, but the caller missed them. */
  unexplained: string[]
  /** The record to store: today's counted findings with the day each was first seen. */
  nextBaseline: Baseline
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The UTC day of a time, `YYYY-MM-DD`. */
export function utcDayOf(now: Date): string {
  return isoSeconds(now).slice(0, 10)
}

/**
 * What identifies a key within one account: its id, or for a key without one (the root user's
 * in the credential report; every key of an offline report) its user and creation time.
 */
export function keyIdentity(key: { accessKeyId: string | null; userName: string; createdAt?: string }): string {
  return key.accessKeyId ?? `${key.userName}@${key.createdAt ?? ''}`
}

/** Stale keys: days past the policy's maximum age (0 on the first stale day); null for other kinds. */
export function overdueDays(finding: Finding, policy: Policy): number | null {
  return finding.kind === 'stale' ? Math.max(0, finding.ageDays - policy.maxKeyAgeDays) : null
}

function baselineKeyOf(finding: Finding, firstSeenAt: string, previous?: BaselineKey): BaselineKey {
  const key: BaselineKey = {
    ...previous,
    accessKeyId: finding.accessKeyId,
    createdAt: finding.createdAt,
    userName: finding.userName,
    kind: finding.kind,
    firstSeenAt
  }
  // Active again (a person reactivated it): it is no longer a key this action deactivated, and
  // /reactivate must not take it should someone deactivate it by hand later.
  if (finding.status === 'Active') {
    delete key.deactivatedByAction
    delete key.deactivatedBy
  }
  return key
}

/**
 * A key this action deactivated that has no finding of its own (younger than the stale cutoff,
 * so its inactive state is no finding): kept in the record while it exists and stays inactive, so
 * that /reactivate still knows it; never resolved (it was resolved the day it was deactivated).
 */
function carriedDeactivated(key: BaselineKey, lookup: KeyLookup | undefined): boolean {
  return key.deactivatedByAction !== undefined && key.kind === 'inactive' && lookup?.exists === true && lookup.status === 'Inactive'
}

/**
 * How a baseline key with no counted finding today was resolved. `today` is its exempt finding
 * today, if any; the finding, being today's scan, wins over the lookup where both speak.
 * Rotating is making a new key and retiring the old one: a key deleted or deactivated while its
 * user has a newer key with no finding was rotated; without one it was only deleted or
 * deactivated. A key still there and active with no finding is exempted, or healthy (the
 * threshold changed, or it was used again).
 */
function resolution(today: Finding | undefined, lookup: KeyLookup | undefined): ResolvedHow {
  const exists = today ? true : lookup?.exists
  const rotated = !today && lookup?.newerKeyWithoutFinding === true
  if (exists === false) return rotated ? 'rotated' : 'deleted'
  if (today?.exempt ?? lookup?.exempt) return 'exempted'
  if ((today?.status ?? lookup?.status) === 'Inactive') return rotated ? 'rotated' : 'deactivated'
  return 'healthy'
}

function compareKeys(a: BaselineKey, b: BaselineKey): number {
  const ka = keyIdentity(a)
  const kb = keyIdentity(b)
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/**
 * Today's findings of one account whose scan completed, against its baseline (null: there is
 * none, which is not the same as an empty one). Linear in keys: every lookup goes through a Map.
 *
 * - A counted finding is `new` when its key is not in the baseline; its firstSeenAt is the
 *   baseline's, else today. Its kind may have changed (kindChanges); first seen is kept.
 * - An exempt finding is not counted: never new (false), not remembered (firstSeenAt null).
 * - overdueDays is set on every stale finding, with or without a baseline.
 * - resolved: each baseline key with no counted finding today; how: gone (rotated when its
 *   user has a newer key with no finding, else deleted), exempted, Inactive (rotated or
 *   deactivated, likewise), else healthy. A key whose finding became `inactive` (deactivated
 *   since) is resolved too, how deactivated, and stays as the inactive key to delete.
 * - Without a baseline: new and firstSeenAt are null, resolved is null, and the next baseline
 *   starts today (every counted finding first seen today); the caller decides to store it.
 */
export function diffAccount(baseline: Baseline | null, today: AccountToday, now: Date, policy: Policy): AccountDiff {
  if (baseline && baseline.accountId !== today.accountId) {
    throw new Error(`The baseline of account ${baseline.accountId} was given to diff account ${today.accountId}`)
  }
  const day = utcDayOf(now)
  const remembered = new Map<string, BaselineKey>()
  for (const key of baseline?.keys ?? []) {
    const id = keyIdentity(key)
    const seen = remembered.get(id)
    // One entry per key; a record listing one twice keeps the earlier first-seen day.
    if (!seen || key.firstSeenAt < seen.firstSeenAt) remembered.set(id, key)
  }

  const counted = new Map<string, Finding>()
  const exempt = new Map<string, Finding>()
  for (const f of today.findings) (f.exempt ? exempt : counted).set(keyIdentity(f), f)

  const kindChanges: KindChange[] = []
  const nextKeys: BaselineKey[] = []
  const findings = today.findings.map((f): Finding => {
    const overdue = overdueDays(f, policy)
    if (f.exempt) return { ...f, firstSeenAt: null, new: baseline ? false : null, overdueDays: overdue }
    const previous = remembered.get(keyIdentity(f))
    const firstSeenAt = previous?.firstSeenAt ?? day
    if (counted.get(keyIdentity(f)) === f) {
      nextKeys.push(baselineKeyOf(f, firstSeenAt, previous))
      if (previous && previous.kind !== f.kind) {
        kindChanges.push({
          accessKeyId: f.accessKeyId,
          createdAt: f.createdAt,
          userName: f.userName,
          from: previous.kind,
          to: f.kind
        })
      }
    }
    if (!baseline) return { ...f, firstSeenAt: null, new: null, overdueDays: overdue }
    return { ...f, firstSeenAt, new: !previous, overdueDays: overdue }
  })

  let resolved: ResolvedKey[] | null = null
  const unexplained: string[] = []
  if (baseline) {
    resolved = []
    for (const [id, key] of remembered) {
      const still = counted.get(id)
      // A key deactivated since (by a person, or by a /deactivate command) is resolved as a
      // stale (unused, …) key: what is left of it is an inactive key to delete, a finding of its own.
      const deactivatedSince = still?.kind === 'inactive' && key.kind !== 'inactive'
      if (still && !deactivatedSince) continue
      const lookup = today.lookups.get(id)
      if (!still && key.deactivatedByAction !== undefined && key.kind === 'inactive') {
        // Kept, silently, while it stays inactive; gone or active again, silently dropped.
        if (carriedDeactivated(key, lookup)) nextKeys.push(key)
        continue
      }
      const exemptToday = exempt.get(id)
      if (!lookup && !exemptToday && !still) unexplained.push(id)
      const firstSeen = parseIsoDate(key.firstSeenAt)
      if (!firstSeen) throw new Error(`The baseline of account ${baseline.accountId} has a key first seen on ${JSON.stringify(key.firstSeenAt)}, not a date`)
      resolved.push({
        accountId: today.accountId,
        userName: exemptToday?.userName ?? key.userName,
        accessKeyId: key.accessKeyId,
        ...(key.createdAt !== undefined ? { createdAt: key.createdAt } : {}),
        kind: key.kind,
        firstSeenAt: key.firstSeenAt,
        resolvedAt: day,
        daysOpen: wholeDaysBetween(firstSeen, now),
        how: still ? 'deactivated' : resolution(exemptToday, lookup)
      })
    }
    resolved.sort(
      (a, b) =>
        a.firstSeenAt.localeCompare(b.firstSeenAt) ||
        a.userName.localeCompare(b.userName) ||
        keyIdentity(a).localeCompare(keyIdentity(b))
    )
  }

  return {
    accountId: today.accountId,
    hasBaseline: baseline !== null,
    findings,
    resolved,
    kindChanges,
    unexplained,
    nextBaseline: { accountId: today.accountId, keys: nextKeys.sort(compareKeys) }
  }
}

/** One key as the scan's inventory saw it (KeyRecord's fields that identify it). */
export interface InventoryKey {
  userName: string
  accessKeyId: string | null
  status: KeyStatus
  createdAt: Date
}

const second = (at: string | Date | undefined): number =>
  at === undefined ? NaN : Math.floor((typeof at === 'string' ? Date.parse(at) : at.getTime()) / 1000)

/**
 * What today's scan already knows about each baseline key with no counted finding: the diff
 * adds no AWS call. Every key of every user is in the inventory, with its id where it was
 * listed (the listing path, and users the credential report flagged) and without one where
 * the report alone saw it; a key is found by its id, else by its user and creation second.
 * A user or key not there is gone.
 */
export function lookupsFromInventory(
  baseline: Baseline,
  inventory: readonly InventoryKey[],
  findings: readonly Finding[]
): Map<string, KeyLookup> {
  const counted = findings.filter((f) => !f.exempt)
  const countedIds = new Set(counted.map((f) => keyIdentity(f)))
  const countedSeconds = new Map<string, Set<number>>()
  for (const f of counted) {
    const seconds = countedSeconds.get(f.userName) ?? new Set<number>()
    seconds.add(second(f.createdAt))
    countedSeconds.set(f.userName, seconds)
  }
  const hasFinding = (k: InventoryKey) =>
    k.accessKeyId !== null ? countedIds.has(k.accessKeyId) : (countedSeconds.get(k.userName)?.has(second(k.createdAt)) ?? false)
  const byUser = new Map<string, InventoryKey[]>()
  for (const k of inventory) byUser.set(k.userName, [...(byUser.get(k.userName) ?? []), k])

  const lookups = new Map<string, KeyLookup>()
  for (const key of baseline.keys) {
    const id = keyIdentity(key)
    if (countedIds.has(id)) continue
    const keys = byUser.get(key.userName) ?? []
    const created = second(key.createdAt)
    const match =
      (key.accessKeyId !== null ? keys.find((k) => k.accessKeyId === key.accessKeyId) : undefined) ??
      keys.find((k) => k.accessKeyId === null && second(k.createdAt) === created)
    // Without its creation time, a key is found by id only: among the user's keys without one, it
    // may still be there. No lookup then, never a false `deleted` (diffAccount names it unexplained).
    if (!match && Number.isNaN(created) && keys.some((k) => k.accessKeyId === null)) continue
    // A record without the creation time cannot tell a newer key: never called rotated then.
    const newerKeyWithoutFinding =
      !Number.isNaN(created) && keys.some((k) => k !== match && second(k.createdAt) > created && !hasFinding(k))
    lookups.set(id, match ? { exists: true, status: match.status, newerKeyWithoutFinding } : { exists: false, newerKeyWithoutFinding })
  }
  return lookups
}

/** Counted findings new since the baseline; null without one. */
export function newCount(diff: AccountDiff): number | null {
  return diff.hasBaseline ? diff.findings.filter((f) => f.new === true).length : null
}

/** Baseline keys resolved since; null without a baseline. */
export function resolvedCount(diff: AccountDiff): number | null {
  return diff.resolved ? diff.resolved.length : null
}

/** The median days open of resolved keys (the mean of the middle two for an even count); null for none. */
export function medianDaysOpen(resolved: readonly ResolvedKey[]): number | null {
  if (resolved.length === 0) return null
  const days = resolved.map((r) => r.daysOpen).sort((a, b) => a - b)
  const mid = Math.floor(days.length / 2)
  return days.length % 2 ? days[mid] : (days[mid - 1] + days[mid]) / 2
}

/** The baselines an earlier report file gives, or why it cannot serve as one. */
export type ReportBaselines =
  | {
      ok: true
      schemaVersion: 1 | 2
      generatedAt: string
      /** One per account that report scanned to the end, even with no findings (an empty baseline). */
      baselines: Map<string, Baseline>
      /** Accounts whose scan failed in that report: they have no baseline (not an empty one). */
      failedAccounts: string[]
    }
  | { ok: false; error: string }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const KINDS: ReadonlySet<string> = new Set(FINDING_KINDS)

/** The report file's text, parsed and read as baselines (see baselinesFromReport). */
export function baselinesFromReportText(text: string): ReportBaselines {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { ok: false, error: `the previous report is not JSON: ${(error as Error).message}` }
  }
  return baselinesFromReport(json)
}

/**
 * An earlier report (schema 1 or 2) as baselines: each account it scanned to the end remembers
 * its counted findings; exempt ones are not remembered. A schema 2 finding's firstSeenAt is
 * kept; otherwise (schema 1, or a schema 2 run that had no baseline) the key was first seen on
 * the report's generatedAt day. Anything unexpected is an error, never an empty baseline: that
 * would make every finding new, or, worse, none resolved.
 */
export function baselinesFromReport(json: unknown): ReportBaselines {
  const fail = (error: string): ReportBaselines => ({ ok: false, error: `the previous report ${error}` })
  if (!isRecord(json)) return fail('is not a JSON object')
  const version = json.schemaVersion
  if (version !== 1 && version !== 2) return fail(`has schemaVersion ${JSON.stringify(version) ?? 'missing'}; 1 and 2 are read`)
  if (json.truncated === true) return fail('was cut to fit a size limit (truncated): its findings are incomplete')
  const generatedAt = json.generatedAt
  if (typeof generatedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(generatedAt) || Number.isNaN(Date.parse(generatedAt))) {
    return fail(`has no valid generatedAt (${JSON.stringify(generatedAt) ?? 'missing'})`)
  }
  const reportDay = utcDayOf(new Date(generatedAt))
  if (!Array.isArray(json.accounts)) return fail('has no accounts list')
  if (!Array.isArray(json.findings)) return fail('has no findings list')

  const baselines = new Map<string, Baseline>()
  const failedAccounts: string[] = []
  for (const [i, account] of json.accounts.entries()) {
    if (!isRecord(account) || typeof account.accountId !== 'string') return fail(`has an account without an id (accounts[${i}])`)
    if (account.error !== null && typeof account.error !== 'string') return fail(`has an account with a malformed error (accounts[${i}])`)
    if (account.error === null) baselines.set(account.accountId, { accountId: account.accountId, keys: [] })
    else failedAccounts.push(account.accountId)
  }

  const byAccount = new Map<string, Map<string, BaselineKey>>()
  for (const [i, f] of json.findings.entries()) {
    const where = `findings[${i}]`
    if (!isRecord(f)) return fail(`has a finding that is not an object (${where})`)
    if (typeof f.accountId !== 'string') return fail(`has a finding without an accountId (${where})`)
    if (typeof f.userName !== 'string') return fail(`has a finding without a userName (${where})`)
    if (typeof f.kind !== 'string' || !KINDS.has(f.kind)) return fail(`has a finding of unknown kind ${JSON.stringify(f.kind)} (${where})`)
    if (typeof f.exempt !== 'boolean') return fail(`has a finding without exempt true or false (${where})`)
    if (f.accessKeyId !== null && (typeof f.accessKeyId !== 'string' || f.accessKeyId === '')) {
      return fail(`has a finding with a malformed accessKeyId (${where})`)
    }
    if (typeof f.createdAt !== 'string' || Number.isNaN(Date.parse(f.createdAt))) return fail(`has a finding without a valid createdAt (${where})`)
    let firstSeenAt = reportDay
    if (version === 2 && f.firstSeenAt !== undefined && f.firstSeenAt !== null) {
      if (typeof f.firstSeenAt !== 'string' || !DAY.test(f.firstSeenAt) || !parseIsoDate(f.firstSeenAt)) {
        return fail(`has a finding first seen on ${JSON.stringify(f.firstSeenAt)}, not a YYYY-MM-DD date (${where})`)
      }
      firstSeenAt = f.firstSeenAt
    }
    if (f.exempt) continue
    const baseline = baselines.get(f.accountId)
    // A finding of an account that failed (or is not listed) in that report: no baseline to add to.
    if (!baseline) continue
    const key: BaselineKey = {
      accessKeyId: f.accessKeyId as string | null,
      createdAt: f.createdAt,
      userName: f.userName,
      kind: f.kind as FindingKind,
      firstSeenAt
    }
    let keys = byAccount.get(f.accountId)
    if (!keys) byAccount.set(f.accountId, (keys = new Map()))
    const seen = keys.get(keyIdentity(key))
    if (!seen || key.firstSeenAt < seen.firstSeenAt) keys.set(keyIdentity(key), key)
  }
  for (const [accountId, keys] of byAccount) {
    const baseline = baselines.get(accountId)
    if (baseline) baseline.keys = [...keys.values()].sort(compareKeys)
  }
  return { ok: true, schemaVersion: version, generatedAt, baselines, failedAccounts }
}

/** An account's baseline and where it came from; null: it has none. */
export interface ChosenBaseline {
  source: BaselineSource
  baseline: Baseline
}

/**
 * One account scanned to the end, compared with its baseline: its findings annotated (new,
 * first seen, overdue), what was resolved, and the record to keep. Every complete scan goes
 * through here, with or without a baseline, so overdue days are always told. Looks resolved
 * keys up in the scan's own inventory: no AWS call.
 */
export function compareWithBaseline(scan: AccountScan, chosen: ChosenBaseline | null, now: Date, policy: Policy): AccountScan {
  const baseline = chosen?.baseline ?? null
  const lookups = baseline ? lookupsFromInventory(baseline, scan.inventory ?? [], scan.findings) : new Map<string, KeyLookup>()
  const diff = diffAccount(baseline, { accountId: scan.accountId, findings: scan.findings, lookups }, now, policy)
  return {
    ...scan,
    findings: diff.findings,
    lifecycle: { baseline: chosen?.source ?? null, resolved: diff.resolved, next: diff.nextBaseline }
  }
}
