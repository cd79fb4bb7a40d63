import { wholeDaysBetween, isoSeconds } from './dates.js'
import { FINDING_KINDS, SEVERITY, type Finding, type FindingKind, type KeyRecord, type Policy } from './model.js'

/**
 * The most severe kind that applies to one key, or null for a healthy key.
 * Inactive keys are never stale: they cannot be used, so the advice is to delete them.
 */
export function classifyKey(key: KeyRecord, policy: Policy, now: Date): FindingKind | null {
  const age = wholeDaysBetween(key.createdAt, now)
  if (key.status !== 'Active') return age >= policy.maxKeyAgeDays ? 'inactive' : null
  if (key.isRoot) return 'root-key'
  if (age >= policy.maxKeyAgeDays) return 'stale'
  if (policy.maxUnusedDays !== null) {
    // A key that was never used counts from its creation.
    const idle = wholeDaysBetween(key.lastUsedAt ?? key.createdAt, now)
    if (idle >= policy.maxUnusedDays) return 'unused'
  }
  if (policy.warnKeyAgeDays !== null && age >= policy.warnKeyAgeDays) return 'expiring'
  return null
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

/** Findings for every key that breaks the policy, most severe first, then oldest first. */
export function evaluate(accountId: string, keys: KeyRecord[], policy: Policy, now: Date): Finding[] {
  const findings: Finding[] = []
  for (const key of keys) {
    const kind = classifyKey(key, policy, now)
    if (kind) findings.push(toFinding(accountId, key, kind, now))
  }
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
