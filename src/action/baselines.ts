// Which baseline each scanned account is compared with (DESIGN.md, Lifecycle): its open
// tracking issue's record when create-issue is on, else the previous-report file, else none.
import type { ChosenBaseline } from '../core/lifecycle.js'
import { forAccount } from '../core/logger.js'
import type { Logger } from '../core/model.js'
import type { DecodedState } from '../render/issue-state.js'
import type { OpenIssue } from '../sinks/tracking-issue.js'
import type { PreviousReport } from '../scan/previous-report.js'

// The previous report file is read in scan/, where the CLI reads its --baseline too.
export { readPreviousReport, type PreviousReport } from '../scan/previous-report.js'

export interface BaselineChoice {
  /** Every scanned account: its baseline, or null when it has none. */
  byAccount: Map<string, ChosenBaseline | null>
  /** What a reader of the summary should know about the run's baselines. */
  notes: string[]
  /** Per account, what its summary row and issue should say (a record that could not be read). */
  accountNotes: Map<string, string[]>
}

export interface ChooseBaselinesInput {
  accountIds: string[]
  /** create-issue on: each account's open issues of ours, oldest first; null when they could not be listed. */
  issues: Map<string, OpenIssue[]> | null
  /** The issue listing's error, when it failed. */
  issuesError?: string
  /** The kept open issue's record (sinks/tracking-issue.ts readIssueRecord, read with the listing). */
  record: (issue: OpenIssue, accountId: string) => DecodedState
  previous: PreviousReport | null
  log: Logger
}

/**
 * Each account's baseline. With create-issue on, the open issue's record wins; an account with
 * no open issue was clean (or is new) and has an empty baseline, so its findings are new. An
 * issue whose record is missing (written before v2) or unreadable falls back to the previous
 * report, else has none. An account a listing failure left unknown has none.
 */
export function chooseBaselines(input: ChooseBaselinesInput): BaselineChoice {
  const byAccount = new Map<string, ChosenBaseline | null>()
  const notes: string[] = []
  const accountNotes = new Map<string, string[]>()
  const noteFor = (accountId: string, note: string) => {
    accountNotes.set(accountId, [...(accountNotes.get(accountId) ?? []), note])
    forAccount(input.log, accountId).warning(note)
  }
  if (input.previous && !input.previous.ok) {
    notes.push(input.previous.note)
    input.log.info(input.previous.note)
  }
  const fromReport = (accountId: string): ChosenBaseline | null => {
    if (!input.previous?.ok) return null
    const baseline = input.previous.baselines.baselines.get(accountId)
    return baseline ? { source: 'previous-report', baseline } : null
  }
  if (input.issues === null && input.issuesError) {
    notes.push(`The tracking issues could not be read (${input.issuesError}): no baseline from them`)
  }
  for (const accountId of input.accountIds) {
    if (!input.issues) {
      byAccount.set(accountId, input.issuesError ? null : fromReport(accountId))
      continue
    }
    const [issue] = input.issues.get(accountId) ?? []
    if (!issue) {
      byAccount.set(accountId, { source: 'no-open-issue', baseline: { accountId, keys: [] } })
      continue
    }
    const decoded = input.record(issue, accountId)
    if (decoded.ok) {
      byAccount.set(accountId, { source: 'tracking-issue', baseline: decoded.state })
      continue
    }
    const fallback = fromReport(accountId)
    const instead = fallback ? 'the previous report is the baseline' : 'no baseline, so nothing is marked new or resolved; this run starts a new record'
    if (decoded.reason === 'missing') {
      forAccount(input.log, accountId).info(`tracking issue #${issue.number} has no record yet (written before v2): ${instead}`)
    } else {
      noteFor(accountId, `the record in tracking issue #${issue.number} could not be read (${decoded.error}): ${instead}`)
    }
    byAccount.set(accountId, fallback)
  }
  return { byAccount, notes, accountNotes }
}
