// Which findings fail the run under `fail-on`: shared by the action (a failed step) and the CLI (exit 1).
import { FINDING_KINDS, type FindingKind } from './model.js'
import { countByKind, type Report } from './report.js'

/** `Failing: 1 root-key, 3 stale in 123456789012 (fail-on: stale,root-key).`, or null when nothing fails. */
export function failOnMessage(report: Report, failOn: readonly FindingKind[]): string | null {
  const counts = countByKind(report.findings)
  const failing = FINDING_KINDS.filter((k) => failOn.includes(k) && counts.has(k)) // most severe first
  if (failing.length === 0) return null
  const what = failing.map((k) => `${counts.get(k)} ${k}`).join(', ')
  return `Failing: ${what} in ${report.accounts.map((a) => a.accountId).join(', ')} (fail-on: ${failOn.join(',')}).`
}
