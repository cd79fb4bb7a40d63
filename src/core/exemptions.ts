// Exemptions: user-name globs and a dated IAM user tag. Pure: the tags are read elsewhere.
import { minimatch } from 'minimatch'
import type { Finding } from './model.js'
import { plural } from './plural.js'
import { isRootFinding } from './policy.js'

export interface ExemptionRules {
  /** Names and globs (`svc-*`); IAM user names are unique regardless of case. */
  userPatterns: string[]
  /** The tag key whose value `true` or `YYYY-MM-DD` exempts a user; null: tags are not read. */
  tagKey: string | null
}

export type ExemptTagReading =
  | { exempt: true; reason: string }
  | { exempt: false; problem: string | null }

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** A real calendar date `YYYY-MM-DD` as midnight UTC, or null. */
export function parseIsoDate(value: string): Date | null {
  const m = ISO_DATE.exec(value)
  if (!m) return null
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().startsWith(value) ? date : null
}

/** `true` exempts; a date exempts through that UTC day; anything else does not, and says so. */
export function readExemptTag(tagKey: string, value: string | undefined, now: Date): ExemptTagReading {
  if (value === undefined) return { exempt: false, problem: null }
  const v = value.trim()
  if (/^true$/i.test(v)) return { exempt: true, reason: `tag ${tagKey}=true` }
  const until = parseIsoDate(v)
  if (!until) {
    return { exempt: false, problem: `tag ${tagKey}="${value}" is neither true nor a date (YYYY-MM-DD), so it exempts nothing` }
  }
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  return today.getTime() <= until.getTime()
    ? { exempt: true, reason: `tag ${tagKey} until ${v}` }
    : { exempt: false, problem: null }
}

export function matchingPattern(userName: string, patterns: string[]): string | null {
  return patterns.find((p) => minimatch(userName, p, { nocase: true, dot: true })) ?? null
}

/** The users whose tags must be read: those with findings not already exempt by name. */
export function usersNeedingTags(findings: Finding[], rules: ExemptionRules): string[] {
  if (!rules.tagKey) return []
  const names = findings
    .filter((f) => !isRootFinding(f) && !matchingPattern(f.userName, rules.userPatterns))
    .map((f) => f.userName)
  return [...new Set(names)]
}

export interface Exempted {
  findings: Finding[]
  /** Tag values that were not understood, one line per user. */
  notes: string[]
}

/** Mark exempt findings. They stay in the list; counts and fail-on leave them out. */
export function applyExemptions(
  findings: Finding[],
  rules: ExemptionRules,
  tags: Map<string, string | undefined>,
  now: Date
): Exempted {
  const notes = new Set<string>()
  const marked = findings.map((f) => {
    // The root user is not an IAM user: no name or tag exempts a root access key.
    if (isRootFinding(f)) return f
    const pattern = matchingPattern(f.userName, rules.userPatterns)
    if (pattern) return { ...f, exempt: true, exemptReason: `exempt-users ${pattern}` }
    if (!rules.tagKey) return f
    const reading = readExemptTag(rules.tagKey, tags.get(f.userName), now)
    if (reading.exempt) return { ...f, exempt: true, exemptReason: reading.reason }
    if (reading.problem) notes.add(`user ${f.userName}: ${reading.problem}`)
    return f
  })
  return { findings: marked, notes: [...notes] }
}

// Names with nothing in common: a pattern that matches them all matches any IAM user name.
const UNRELATED_NAMES = ['a', 'Z', '0', '_', 'svc-deploy', 'Build.Bot@example.com', `x${'9'.repeat(63)}`]

/** `*`, `**`, `?*` and the like: patterns that exempt whatever user has a finding. */
export function matchesEveryName(pattern: string): boolean {
  return UNRELATED_NAMES.every((name) => matchingPattern(name, [pattern]) !== null)
}

/**
 * A warning when exempt-users hides every finding rather than a few service users: a pattern
 * that matches any name (`*`) and exempted a finding, or patterns that exempted each of two or
 * more users with findings (one such user can be a deliberate exemption). Root keys are never
 * exempt, so they do not count. Null: nothing to warn about.
 */
export function sweepingExemption(findings: Finding[], patterns: string[]): string | null {
  const users = [...new Set(findings.filter((f) => !isRootFinding(f)).map((f) => f.userName))]
  const used = [...new Set(users.map((u) => matchingPattern(u, patterns)).filter((p) => p !== null))]
  const exempted = users.filter((u) => matchingPattern(u, patterns)).length
  if (exempted === 0) return null
  const quoted = (list: string[]) => list.map((p) => `"${p}"`).join(', ')
  const catchAll = patterns.filter(matchesEveryName)
  if (catchAll.length) {
    return (
      `exempt-users ${quoted(catchAll)} matches every user name: every user with findings is exempt (${plural(exempted, 'user')}), ` +
      'never counted or failed on; name the users to exempt instead, or set fail-on: none to report without failing'
    )
  }
  if (exempted === users.length && exempted >= 2) {
    return (
      `exempt-users ${quoted(used)} exempts every user with findings (${plural(exempted, 'user')}): none is counted or failed on; ` +
      'check that the patterns are not broader than meant'
    )
  }
  return null
}
