// Which findings fail the run under `fail-on`: shared by the action (a failed step) and the CLI (exit 1).
import { FINDING_KINDS, type FindingKind } from './model.js'
import { countByKind, type Report } from './report.js'

/** The counted findings of the fail-on kinds, `1 root-key, 3 stale` (most severe first); empty when nothing fails. */
export function failingKinds(report: Report, failOn: readonly FindingKind[]): string {
  const counts = countByKind(report.findings)
  return FINDING_KINDS.filter((k) => failOn.includes(k) && counts.has(k))
    .map((k) => `${counts.get(k)} ${k}`)
    .join(', ')
}

/** `Failing: 1 root-key, 3 stale in 123456789012 (fail-on: stale,root-key).`, or null when nothing fails. */
export function failOnMessage(report: Report, failOn: readonly FindingKind[]): string | null {
  const what = failingKinds(report, failOn)
  if (!what) return null
  return `Failing: ${what} in ${report.accounts.map((a) => a.accountId).join(', ')} (fail-on: ${failOn.join(',')}).`
}
