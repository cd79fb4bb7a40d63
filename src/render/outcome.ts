// What became of the run, said at the top of the job summary: why the step failed, and where
// the report went. The summary is written last, once every sink has had its turn.
import { failingKinds } from '../core/fail-on.js'
import type { FindingKind } from '../core/model.js'
import { plural } from '../core/plural.js'
import type { Report } from '../core/report.js'
import { code, plain } from './escape.js'
import { cut } from './text.js'

export interface RunOutcome {
  /** The fail-on kinds: counted findings of them fail the step. */
  failOn: readonly FindingKind[]
  /** The report was published to SNS: the topic and the message id SNS gave. */
  sns?: { topicArn: string; messageId: string } | null
  /** What else failed the step, each one line (a sink that could not be written; they quote AWS and GitHub). */
  problems?: readonly string[]
}

/** Problems told, each cut to this many characters; the rest are counted (the step's error has them all). */
const PROBLEMS = { lines: 10, chars: 500 }

/**
 * `**This step failed:**` and a list of why (the fail-on kinds found, with counts; accounts not
 * scanned; sinks that failed), then where the report was published. Empty when the step passed
 * and nothing was published.
 */
export function renderOutcome(report: Report, outcome: RunOutcome): string {
  const reasons: string[] = []
  const failing = failingKinds(report, outcome.failOn)
  if (failing) reasons.push(`fail-on ${outcome.failOn.join(',')}: the scan found ${failing}.`)
  const unscanned = report.accounts.filter((a) => a.error !== null).length
  if (unscanned > 0) {
    reasons.push(report.accounts.length === 1 ? 'the scan did not complete (below).' : `${plural(unscanned, 'account')} could not be scanned (below).`)
  }
  const problems = outcome.problems ?? []
  // Problems quote AWS and GitHub: plain text, one line each.
  for (const p of problems.slice(0, PROBLEMS.lines)) reasons.push(plain(cut(p, PROBLEMS.chars)))
  if (problems.length > PROBLEMS.lines) reasons.push(`${plural(problems.length - PROBLEMS.lines, 'more problem')}: the step's error lists them all.`)
  let text = reasons.length ? `**This step failed:**\n\n${reasons.map((r) => `- ${r}`).join('\n')}\n\n` : ''
  // The topic ARN comes from the inputs, the id from SNS: plain text, the id in a code span to copy (no word joiners in it).
  if (outcome.sns) text += `Published to SNS topic ${plain(outcome.sns.topicArn)} (message id ${code(outcome.sns.messageId)}).\n\n`
  return text
}
