// The exit code: 2 when the scan did not complete (never mistaken for clean), 1 for findings of
// the fail-on kinds, else 0; with the sentence that explains it.
import type { FindingKind } from '../core/model.js'
import { isComplete, type Report } from '../core/report.js'
import { plural } from '../core/plural.js'
import { failOnMessage } from '../core/fail-on.js'

export const EXIT = { ok: 0, findings: 1, error: 2 } as const

export interface ExitDecision {
  code: 0 | 1 | 2
  message: string | null
}

export function exitDecision(report: Report, failOn: FindingKind[]): ExitDecision {
  if (!isComplete(report)) {
    const failed = report.accounts.filter((a) => a.error !== null).length
    return { code: EXIT.error, message: `The scan did not complete (${plural(failed, 'account')} not scanned).` }
  }
  const failing = failOnMessage(report, failOn)
  if (failing) return { code: EXIT.findings, message: failing }
  const rule = `fail-on: ${failOn.length ? failOn.join(',') : 'none'}`
  if (report.totals.findings > 0) return { code: EXIT.ok, message: `Passing: no findings of the fail-on kinds (${rule}).` }
  return { code: EXIT.ok, message: null }
}
