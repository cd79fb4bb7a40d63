import { controlsFor } from './controls.js'
import { wholeDaysBetween, isoSeconds } from './dates.js'
import { FINDING_KINDS, SEVERITY, type Finding, type FindingKind, type KeyRecord, type Policy } from './model.js'

/** A key made this close to its user is made at set-up (CIS AWS 1.11): within 24 hours. */
export const SETUP_WINDOW_MS = 24 * 60 * 60 * 1000

/**
 * Was the key made at its user's set-up: created within 24 hours of the user (exactly 24 hours
 * is within; either side, so that rounding of the two times to seconds never matters)? False
 * when the user's creation time is not known.
 */
export function createdAtSetup(key: KeyRecord): boolean {
  if (!key.userCreatedAt) return false
  return Math.abs(key.createdAt.getTime() - key.userCreatedAt.getTime()) <= SETUP_WINDOW_MS
}

/**
 * The most severe kind that applies to one key on its own (every kind but two-active-keys, which
 * depends on the user's other key: see classifyKeys), or null for a healthy key.
 * Inactive keys are never stale: they cannot be used, so the advice is to delete them. The root
 * user's keys are root-key findings whether active or inactive (Security Hub IAM.4 and CIS v5
 * count both).
 */
export function classifyKey(key: KeyRecord, policy: Policy, now: Date): FindingKind | null {
  if (key.isRoot) return 'root-key'
  const age = wholeDaysBetween(key.createdAt, now)
  if (key.status !== 'Active') return age >= policy.maxKeyAgeDays ? 'inactive' : null
  if (age >= policy.maxKeyAgeDays) return 'stale'
  if (policy.maxUnusedDays !== null) {
    // A key that was never used counts from its creation.
    const idle = wholeDaysBetween(key.lastUsedAt ?? key.createdAt, now)
    if (idle >= policy.maxUnusedDays) return 'unused'
  }
  // Never used, on a console user, made at the user's set-up. A null passwordEnabled is not
  // known (not looked up): never a finding.
  if (key.passwordEnabled === true && key.lastUsedAt === null && createdAtSetup(key)) return 'setup-key'
  if (policy.warnKeyAgeDays !== null && age >= policy.warnKeyAgeDays) return 'expiring'
  return null
}

/** Does kind `a` come before (is it more severe than) kind `b` in FINDING_KINDS? */
export function moreSevere(a: FindingKind, b: FindingKind): boolean {
  return FINDING_KINDS.indexOf(a) < FINDING_KINDS.indexOf(b)
}

/**
 * The kind of each of `keys` (same order), two-active-keys included: when a user has two
 * active keys, the older one (the first listed when both were made in the same millisecond) is a
 * two-active-keys finding unless it already has a more severe kind. The root user's keys are
 * root-key findings, never two-active-keys. One kind per key: its most severe.
 */
export function classifyKeys(keys: readonly KeyRecord[], policy: Policy, now: Date): (FindingKind | null)[] {
  const kinds = keys.map((k) => classifyKey(k, policy, now))
  const byUser = new Map<string, number[]>()
  keys.forEach((k, i) => {
    if (k.isRoot || k.status !== 'Active') return
    const id = `${k.userArn}\n${k.userName}`
    byUser.set(id, [...(byUser.get(id) ?? []), i])
  })
  for (const active of byUser.values()) {
    if (active.length < 2) continue
    // IAM allows two keys a user; should a listing give more, the oldest still carries it.
    const oldest = active.reduce((a, b) => (keys[b].createdAt.getTime() < keys[a].createdAt.getTime() ? b : a))
    const kind = kinds[oldest]
    if (kind === null || moreSevere('two-active-keys', kind)) kinds[oldest] = 'two-active-keys'
  }
  return kinds
}

/**
 * A finding about the root user's key: the root user is not an IAM user, so no name or tag
 * exempts it, and AWS gives no id for its keys.
 */
export function isRootFinding(f: Finding): boolean {
  return f.kind === 'root-key' || f.userArn.endsWith(':root')
}

export function toFinding(accountId: string, key: KeyRecord, kind: FindingKind, now: Date): Finding {
  return {
    accountId,
    kind,
    severity: SEVERITY[kind],
    userName: key.userName,
    userArn: key.userArn,
    accessKeyId: key.accessKeyId,
    status: key.status,
    createdAt: isoSeconds(key.createdAt),
    ageDays: wholeDaysBetween(key.createdAt, now),
    lastUsedAt: key.lastUsedAt ? isoSeconds(key.lastUsedAt) : null,
    lastUsedService: key.lastUsedService,
    exempt: false,
    exemptReason: null
  }
}

/**
 * Findings for every key that breaks the policy, most severe first, then oldest first; each with
 * the controls it fails (core/controls.ts).
 */
export function evaluate(accountId: string, keys: KeyRecord[], policy: Policy, now: Date): Finding[] {
  const findings: Finding[] = []
  classifyKeys(keys, policy, now).forEach((kind, i) => {
    if (kind) findings.push({ ...toFinding(accountId, keys[i], kind, now), controls: controlsFor(kind, policy) })
  })
  return sortFindings(findings)
}

/** Counted findings before exempt ones, each most severe first, then oldest first: every list and cut agrees. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      Number(a.exempt) - Number(b.exempt) ||
      FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) ||
      b.ageDays - a.ageDays ||
      a.accountId.localeCompare(b.accountId) ||
      a.userName.localeCompare(b.userName) ||
      (a.accessKeyId ?? '').localeCompare(b.accessKeyId ?? '')
  )
}
