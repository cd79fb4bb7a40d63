// The Security Hub sink (DESIGN.md, Security Hub): in each scanned account, with that account's
// session, in aws-region, this run's findings are imported (one per key), the findings this
// action imported earlier that are gone are archived as PASSED, and the workflow of findings
// whose exemption changed is set with BatchUpdateFindings (a new finding gets its workflow from
// the import that creates it). Each account's failure is a problem of its own; the other
// accounts still go in.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub'
import type { AwsClientConfig } from '../aws/clients.js'
import { createSecurityHubClient } from '../aws/security-hub-client.js'
import { errorMessage, errorName, isExpiredToken } from '../aws/errors.js'
import {
  ImportInterruptedError,
  importFindings,
  MAX_PAGES,
  previousFindings,
  updateWorkflow,
  type FailedFinding,
  type WorkflowUpdate
} from '../aws/security-hub.js'
import { mapLimit } from '../core/concurrency.js'
import type { Finding, FindingKind, Logger } from '../core/model.js'
import { plural } from '../core/plural.js'
import { archivedAsff, EXEMPT_FIELD, GENERATOR_PREFIX, productArn, toAsff, type AsffFinding } from '../render/asff.js'

/** One account scanned to the end, with the session it was scanned with. */
export interface SecurityHubAccount {
  accountId: string
  partition: string
  config: AwsClientConfig
  /** The account's findings in this run, exempt ones included (they go in SUPPRESSED). */
  findings: Finding[]
  /** Whether last use was read (report.ts lastUseKnown): the description says "never used" only then. */
  lastUseKnown: boolean
  /**
   * Kinds this run could not see (root keys on the listing path; set-up keys when GetLoginProfile
   * was denied): their earlier findings are kept as they are, never archived as fixed.
   */
  unseen?: FindingKind[]
  /**
   * A new session in the account (the member role assumed again), for a member account: its
   * chained session lasts at most an hour, which a large organization's scan can outlast.
   */
  refresh?: () => Promise<AwsClientConfig>
}

export interface SecurityHubOutcome {
  accountId: string
  imported: number
  archived: number
  failed: FailedFinding[]
  /** Findings updated with BatchUpdateFindings: workflow and exemption mark, or the mark alone. */
  workflowUpdated: number
  /** Findings BatchUpdateFindings did not update, with its error. */
  workflowFailed: FailedFinding[]
  /** The account could not be written (not enabled, denied): nothing, or not everything, went in. */
  error: string | null
}

export interface SecurityHubOptions {
  /** aws-region: where the findings go, in every account. */
  region: string
  now: Date
  log: Logger
  maxConcurrency: number
  /** The client for an account's session; by default the action's client factory. */
  clientFor?: (config: AwsClientConfig) => SecurityHubClient
  /** The time as each account starts (a session's expiry is judged by it); by default the system clock. */
  clock?: () => Date
}

/** At most this many refused findings are named in a problem; the log has them all. */
const NAMED_FAILURES = 5

/** A session that ends sooner than this is renewed before the account's calls. */
export const SESSION_MARGIN_MS = 5 * 60_000

/** When the session's static credentials end; null when unknown or renewed by the SDK (a provider). */
function expiration(config: AwsClientConfig): Date | null {
  const c = config.credentials
  if (!c || typeof c === 'function') return null
  return c.expiration ?? null
}

/**
 * The updates to make, for findings read back only: a finding not read back is either new (the
 * import that creates it sets its workflow and mark) or one this run could not see (GetFindings
 * denied or cut), whose workflow may be a person's. Read back, the mark (written with the
 * workflow) says whether the exemption changed since this action last set the workflow: then the
 * workflow is set again, with the new mark. A finding with no mark was imported before the mark
 * existed: its workflow is taken for the person's and left alone, and only the mark is recorded,
 * so that later changes are seen. A changed exemption leaves alone nothing a person did since
 * the last change; an unchanged one leaves the workflow as people in the console set it.
 */
function workflowUpdates(findings: Finding[], current: AsffFinding[], before: Map<string, AsffFinding>, refused: Set<string>): WorkflowUpdate[] {
  return findings.flatMap((f, i) => {
    const asff = current[i]
    const earlier = before.get(asff.Id)
    if (!earlier || refused.has(asff.Id)) return []
    const mark = earlier.UserDefinedFields?.[EXEMPT_FIELD]
    if (mark === String(f.exempt)) return []
    return [{ id: asff.Id, productArn: asff.ProductArn, exempt: f.exempt, setWorkflow: mark !== undefined }]
  })
}

/**
 * After an import that stopped part-way: what went in, by position in the list sent (this run's
 * findings first, then the ones archived), less what Security Hub refused.
 */
function interrupted(err: ImportInterruptedError, current: AsffFinding[], gone: AsffFinding[]): Pick<SecurityHubOutcome, 'imported' | 'archived' | 'failed'> & { said: string } {
  const refused = new Set(err.failed.map((f) => f.id))
  const imported = current.slice(0, err.sent).filter((c) => !refused.has(c.Id)).length
  const archived = gone.slice(0, Math.max(0, err.sent - current.length)).filter((g) => !refused.has(g.Id)).length
  const said =
    `Before this failure, ${imported} of ${plural(current.length, 'finding')} had been imported and ${archived} of ${gone.length} archived, ` +
    `in ${plural(err.calls - 1, 'earlier call')}.`
  return { imported, archived, failed: err.failed, said }
}

function emptyOutcome(accountId: string): SecurityHubOutcome {
  return { accountId, imported: 0, archived: 0, failed: [], workflowUpdated: 0, workflowFailed: [], error: null }
}

/** One pass over the account with one session; `expired` says the session's token was refused. */
async function syncOnce(account: SecurityHubAccount, config: AwsClientConfig, o: SecurityHubOptions): Promise<{ outcome: SecurityHubOutcome; expired: boolean }> {
  const outcome = emptyOutcome(account.accountId)
  const where = { accountId: account.accountId, region: o.region }
  const client = (o.clientFor ?? createSecurityHubClient)({ ...config, region: o.region })
  const target = { partition: account.partition, region: o.region, accountId: account.accountId }
  const product = productArn(target)
  const errors: string[] = []
  let expired = false
  /** What an import that stopped part-way had done: said after its error. */
  let partial = ''
  try {
    let previous: AsffFinding[] = []
    try {
      const read = await previousFindings(client, product, where)
      previous = read.findings
      if (!read.complete) {
        // What was not read is never taken for fixed: only the findings read can be archived.
        o.log.warning(
          `Account ${account.accountId}: GetFindings stopped after ${MAX_PAGES} pages (${plural(previous.length, 'finding')} read); ` +
            'the findings of fixed keys among those not read were not archived, and exemption changes among them may be missed'
        )
      }
    } catch (err) {
      // Not enabled, or the session expired: importing would fail the same way. Otherwise
      // (GetFindings denied) this run's findings still go in; only the archiving of fixed keys
      // is missed, and said.
      const cause = (err as { cause?: unknown }).cause
      if (errorName(cause) === 'InvalidAccessException' || isExpiredToken(err)) throw err
      errors.push(`${errorMessage(err)} Fixed keys' findings were not archived.`)
    }
    const before = new Map(previous.map((p) => [p.Id, p]))
    const current = account.findings.map((f) => {
      const asff = toAsff(f, target, { now: o.now, lastUseKnown: account.lastUseKnown })
      const earlier = before.get(asff.Id)
      return earlier ? toAsff(f, target, { now: o.now, lastUseKnown: account.lastUseKnown, previous: earlier }) : asff
    })
    const ids = new Set(current.map((c) => c.Id))
    const unseen = new Set((account.unseen ?? []).map((kind) => `${GENERATOR_PREFIX}${kind}`))
    const gone = previous.filter((p) => !ids.has(p.Id) && !unseen.has(p.GeneratorId)).map((p) => archivedAsff(p, o.now))
    if (current.length + gone.length === 0) {
      o.log.info(`Account ${account.accountId}: no findings to import, none to archive`)
      outcome.error = errors.length ? errors.join(' ') : null
      return { outcome, expired }
    }
    let result
    try {
      result = await importFindings(client, [...current, ...gone], where)
    } catch (err) {
      if (!(err instanceof ImportInterruptedError)) throw err
      const { said, ...counts } = interrupted(err, current, gone)
      Object.assign(outcome, counts)
      for (const f of counts.failed) o.log.warning(`Account ${account.accountId}: Security Hub refused ${f.id}: ${f.error}`)
      partial = ` ${said}`
      throw err
    }
    const failed = new Set(result.failed.map((f) => f.id))
    outcome.failed = result.failed
    outcome.archived = gone.filter((g) => !failed.has(g.Id)).length
    outcome.imported = current.filter((c) => !failed.has(c.Id)).length
    o.log.info(
      `Account ${account.accountId}: imported ${plural(outcome.imported, 'finding')}, archived ${outcome.archived} ` +
        `into ${product} (${plural(result.calls, 'BatchImportFindings call')})`
    )
    for (const f of result.failed) o.log.warning(`Account ${account.accountId}: Security Hub refused ${f.id}: ${f.error}`)
    const updates = workflowUpdates(account.findings, current, before, failed)
    if (updates.length) {
      const workflow = await updateWorkflow(client, updates, where)
      outcome.workflowUpdated = workflow.updated
      outcome.workflowFailed = workflow.unprocessed
      const set = updates.filter((u) => u.setWorkflow)
      const suppressed = set.filter((u) => u.exempt).length
      o.log.info(
        `Account ${account.accountId}: workflow set for ${plural(set.length, 'finding')} whose exemption changed ` +
          `(${suppressed} SUPPRESSED, ${set.length - suppressed} NEW), exemption recorded for ${updates.length - set.length} imported before it was ` +
          `(${plural(workflow.calls, 'BatchUpdateFindings call')})`
      )
      for (const f of workflow.unprocessed) o.log.warning(`Account ${account.accountId}: BatchUpdateFindings did not update ${f.id}: ${f.error}`)
    }
  } catch (err) {
    expired = isExpiredToken(err)
    const message = errorMessage(err)
    errors.push(partial ? `${message}${message.endsWith('.') ? '' : '.'}${partial}` : message)
  }
  outcome.error = errors.length ? errors.join(' ') : null
  return { outcome, expired }
}

/**
 * One account: renewed first when its session ends within SESSION_MARGIN_MS, and once more, then
 * retried, when a call says its token expired. A retry imports the same ids again: harmless; it
 * reads the findings back again, so a workflow update the first pass did not make is seen again
 * (its mark was not written) and made. Only one renewal is tried: the first that fails is said.
 */
async function syncAccount(account: SecurityHubAccount, o: SecurityHubOptions): Promise<SecurityHubOutcome> {
  let config = account.config
  let renewal: 'not tried' | 'done' | string = 'not tried'
  const renew = async (why: string): Promise<string | null> => {
    if (!account.refresh) return 'no new session can be had'
    if (renewal !== 'not tried') return renewal === 'done' ? 'the session renewed once already expired too' : renewal
    o.log.info(`Account ${account.accountId}: ${why}; assuming the member role again for Security Hub`)
    try {
      config = await account.refresh()
      renewal = 'done'
      return null
    } catch (err) {
      renewal = `could not renew the account's session (${errorMessage(err)})`
      return renewal
    }
  }
  const ends = expiration(config)
  const now = (o.clock ?? (() => new Date()))()
  if (account.refresh && ends && ends.getTime() - now.getTime() < SESSION_MARGIN_MS) {
    const failure = await renew(`its session ends at ${ends.toISOString()}`)
    // The old session still works until it ends: the account's calls may well fit in it.
    if (failure && ends.getTime() <= now.getTime()) return { ...emptyOutcome(account.accountId), error: `${failure}; nothing was imported.` }
    if (failure) o.log.warning(`Account ${account.accountId}: ${failure}; going on with its session, which ends at ${ends.toISOString()}`)
  }
  const first = await syncOnce(account, config, o)
  if (!first.expired || !account.refresh) return first.outcome
  const failure = await renew('its session expired')
  if (failure) return { ...first.outcome, error: `${first.outcome.error} And ${failure}.` }
  return (await syncOnce(account, config, o)).outcome
}

function refusedLine(accountId: string, failed: FailedFinding[], what: string): string {
  const named = failed.slice(0, NAMED_FAILURES).map((f) => `${f.id} (${f.error})`)
  const more = failed.length > NAMED_FAILURES ? `, and ${failed.length - NAMED_FAILURES} more` : ''
  return `Security Hub, account ${accountId}: ${plural(failed.length, 'finding')} ${what}: ${named.join('; ')}${more}`
}

/** Every account's findings into its Security Hub; one problem line per account that failed. */
export async function syncSecurityHub(
  accounts: SecurityHubAccount[],
  o: SecurityHubOptions
): Promise<{ outcomes: SecurityHubOutcome[]; problems: string[] }> {
  const outcomes = await mapLimit(accounts, o.maxConcurrency, (a) => syncAccount(a, o))
  const problems = outcomes.flatMap((out) => {
    const lines: string[] = []
    if (out.error) lines.push(`Security Hub, account ${out.accountId}: ${out.error}`)
    if (out.failed.length) lines.push(refusedLine(out.accountId, out.failed, 'refused by BatchImportFindings'))
    if (out.workflowFailed.length) lines.push(refusedLine(out.accountId, out.workflowFailed, 'not updated by BatchUpdateFindings (workflow status)'))
    return lines
  })
  return { outcomes, problems }
}
