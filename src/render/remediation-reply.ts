// The one reply comment to a remediation command (DESIGN.md, Remediation): who asked, and per key
// its status before and after, its last use, and what was done or why not. Text from AWS (user
// names, services, reasons that quote them) goes through plain(): it never mentions, links or
// renders HTML. Who asked is named, not mentioned: the reply pings no one.
import { plural } from '../core/plural.js'
import type { KeyStatus } from '../core/model.js'
import { ACCEPTED_SYNTAX, MAX_ERRORS_LISTED, type RemediationVerb } from '../core/remediation-commands.js'
import { code, plain } from './escape.js'
import { cut, day } from './text.js'

export interface KeyOutcome {
  /** The full key id, as the approver named it. */
  accessKeyId: string
  /** From AWS; null when the key was not found. */
  userName: string | null
  /** The key's creation time (ISO, whole seconds), when it was found: what the record keeps. */
  createdAt?: string | null
  verb: RemediationVerb
  dryRun: boolean
  /**
   * `done`: changed; `would`: a dry run that would change it; `unchanged`: already as asked;
   * `refused`: a check failed; `failed`: the AWS call failed; `not-attempted`: an earlier key
   * failed, so this one was left alone.
   */
  result: 'done' | 'would' | 'unchanged' | 'refused' | 'failed' | 'not-attempted'
  /** Status when re-read, before acting; null when the key was not found. */
  before: KeyStatus | null
  /** Status after acting (for `would`: what it would be); null when unknown (a failed call). */
  after: KeyStatus | 'deleted' | null
  /** ISO 8601; null when never used (or not found: `before` null). */
  lastUsedAt: string | null
  lastUsedService: string | null
  /** Why refused, unchanged, failed or not attempted (plain text, may quote AWS); null when done. */
  reason: string | null
}

/** The key ids a result changed, for the `remediated` output and the record. */
export function changedKeys(outcomes: KeyOutcome[], verb?: RemediationVerb): string[] {
  return outcomes.filter((o) => o.result === 'done' && (!verb || o.verb === verb)).map((o) => o.accessKeyId)
}

export interface RemediationReplyInput {
  /** The commenter's login: named, never mentioned. */
  requester: string
  accountId: string
  outcomes: KeyOutcome[]
  /** parseCommands' errors: when there are any, nothing was done. */
  errors: string[]
  runUrl: string | null
}

/** Characters of a reason, an error, a user name and a service shown: 20 keys stay far below GitHub's 65,536. */
export const REPLY_LIMITS = { reason: 300, error: 300, userName: 128, service: 64, requester: 100, approvers: 30 }

const PAST: Record<RemediationVerb, string> = { deactivate: 'deactivated', reactivate: 'reactivated', delete: 'deleted' }

/** `@⁠alice`: the login as text, the `@` escaped so that it mentions no one. */
const person = (login: string) => plain(`@${cut(login.replace(/^@/, ''), REPLY_LIMITS.requester)}`)

const reasonText = (reason: string | null) => (reason ? plain(cut(reason, REPLY_LIMITS.reason)) : '')

function statusCell(o: KeyOutcome): string {
  if (o.before === null) return o.result === 'refused' ? 'not found' : 'unknown'
  if (o.result === 'would') return `${o.before} → ${o.after ?? 'unknown'} (dry run)`
  if (o.result === 'failed' && o.after === null) return `${o.before} → unknown`
  if (o.after === null || o.after === o.before) return o.before
  return `${o.before} → ${o.after}`
}

function lastUsedCell(o: KeyOutcome): string {
  if (!o.lastUsedAt) return o.before === null ? '—' : 'never'
  const service = o.lastUsedService ? ` (${plain(cut(o.lastUsedService, REPLY_LIMITS.service))})` : ''
  return `${day(o.lastUsedAt)}${service}`
}

function resultCell(o: KeyOutcome): string {
  const why = reasonText(o.reason)
  const withWhy = (what: string) => (why ? `${what}: ${why}` : what)
  switch (o.result) {
    case 'done':
      return withWhy(PAST[o.verb])
    case 'would':
      return withWhy(`would be ${PAST[o.verb]}`)
    case 'unchanged':
      return withWhy('unchanged')
    case 'refused':
      return withWhy(`**refused** (/${o.verb})`)
    case 'failed':
      return withWhy(`**failed** (/${o.verb})`)
    case 'not-attempted':
      return withWhy('not attempted')
  }
}

const RESULT_ORDER: KeyOutcome['result'][] = ['done', 'would', 'unchanged', 'refused', 'failed', 'not-attempted']

/** `3 keys: 1 deactivated, 1 refused, 1 unchanged.` */
function countsLine(outcomes: KeyOutcome[]): string {
  const counts = new Map<string, number>()
  for (const result of RESULT_ORDER) {
    for (const o of outcomes.filter((x) => x.result === result)) {
      const label =
        result === 'done' ? PAST[o.verb] : result === 'would' ? `would be ${PAST[o.verb]}` : result === 'not-attempted' ? 'not attempted' : result
      counts.set(label, (counts.get(label) ?? 0) + 1)
    }
  }
  const parts = [...counts].map(([label, n]) => `${n} ${label}`)
  return `${plural(outcomes.length, 'key')}: ${parts.join(', ')}.`
}

const ids = (outcomes: KeyOutcome[]) => outcomes.map((o) => code(o.accessKeyId)).join(', ')

/** A failure half-way: what was done before it, and what was left alone. */
function failureLine(outcomes: KeyOutcome[]): string | null {
  const failed = outcomes.filter((o) => o.result === 'failed')
  if (failed.length === 0) return null
  const done = outcomes.filter((o) => o.result === 'done')
  const left = outcomes.filter((o) => o.result === 'not-attempted')
  const parts = [
    `A call to AWS failed for ${ids(failed)}.`,
    done.length ? `Done before that: ${ids(done)}.` : 'Nothing was done before that.',
    left.length ? `Not attempted: ${ids(left)}.` : null,
    'Nothing is retried: check the keys in AWS (or the rescanned issue) before you comment again.'
  ]
  return parts.filter((p) => p !== null).join(' ')
}

function dryRunLine(outcomes: KeyOutcome[]): string | null {
  const dry = outcomes.filter((o) => o.dryRun)
  if (dry.length === 0) return null
  if (dry.length === outcomes.length) return '**Dry run: nothing was changed.** The table says what would happen.'
  return `**Dry run for ${ids(dry)}: nothing was changed for ${dry.length === 1 ? 'it' : 'them'}.** The table says what would happen.`
}

const TABLE_HEAD = '| key | user | status | last used | result |\n|---|---|---|---|---|'

function row(o: KeyOutcome): string {
  const user = o.userName === null ? '—' : plain(cut(o.userName, REPLY_LIMITS.userName))
  return `| ${code(o.accessKeyId)} | ${user} | ${statusCell(o)} | ${lastUsedCell(o)} | ${resultCell(o)} |`
}

function errorsSection(errors: string[]): string {
  const listed = errors.slice(0, MAX_ERRORS_LISTED)
  const more = errors.length - listed.length
  const items = listed.map((e) => `- ${plain(cut(e, REPLY_LIMITS.error))}`)
  if (more > 0) items.push(`- and ${plural(more, 'more error')}`)
  return [
    `**Nothing was done:** the comment has ${plural(errors.length, 'error')}, and a comment runs whole or not at all.`,
    items.join('\n'),
    'The accepted commands, one a line, with full key ids (as the issue shows them in its commands):',
    `\`\`\`text\n${ACCEPTED_SYNTAX}\n\`\`\``
  ].join('\n\n')
}

/**
 * The reply to a comment with remediation commands. With `errors`, it says nothing was done,
 * lists them and the accepted syntax; with outcomes, a table of the keys. A table row is one line
 * of escaped text: nothing from AWS can end it, link, mention or render HTML.
 */
export function remediationReply(input: RemediationReplyInput): string {
  const run = input.runUrl ? ` ([workflow run](${input.runUrl}))` : ''
  const head = `**IAM Key Sentry** remediation, asked by ${person(input.requester)} for account ${plain(input.accountId)}${run}.`
  const parts = [head]
  if (input.errors.length) parts.push(errorsSection(input.errors))
  if (input.outcomes.length) {
    parts.push(
      [countsLine(input.outcomes), dryRunLine(input.outcomes), failureLine(input.outcomes)].filter((p) => p !== null).join('\n\n'),
      [TABLE_HEAD, ...input.outcomes.map(row)].join('\n')
    )
  } else if (!input.errors.length) {
    parts.push('No command found: nothing was done.')
  }
  return `${parts.join('\n\n')}\n`
}

/** The reply to a commenter who may not give commands: who may, and that nothing happened. */
export function notPermittedReply(input: { requester: string; approvers: string[] }): string {
  const names = input.approvers.map((a) => a.trim().replace(/^@/, '')).filter(Boolean)
  const listed = names.slice(0, REPLY_LIMITS.approvers).map((a) => code(cut(a, REPLY_LIMITS.requester)))
  const more = names.length - listed.length
  const admins = 'people with admin or maintain permission on this repository'
  const who = names.length
    ? `the logins in \`remediation-approvers\` (${listed.join(', ')}${more > 0 ? `, and ${more} more` : ''}), and ${admins}`
    : `${admins} (\`remediation-approvers\` is empty)`
  return `**IAM Key Sentry** remediation: ${person(input.requester)} may not give remediation commands here, so nothing was done. Who may: ${who}.\n`
}
