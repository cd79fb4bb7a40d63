// The Security Hub sink (DESIGN.md, Security Hub): in each scanned account, with that account's
// session, in aws-region, this run's findings are imported (one per key), and the findings this
// action imported earlier that are gone are archived as PASSED. Each account's failure is a
// problem of its own; the other accounts still go in.
import type { SecurityHubClient } from '@aws-sdk/client-securityhub'
import type { AwsClientConfig } from '../aws/clients.js'
import { createSecurityHubClient } from '../aws/security-hub-client.js'
import { errorMessage, errorName } from '../aws/errors.js'
import { importFindings, previousFindings, type FailedFinding } from '../aws/security-hub.js'
import { mapLimit } from '../core/concurrency.js'
import type { Finding, FindingKind, Logger } from '../core/model.js'
import { plural } from '../core/plural.js'
import { archivedAsff, GENERATOR_PREFIX, productArn, toAsff, type AsffFinding } from '../render/asff.js'

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
}

export interface SecurityHubOutcome {
  accountId: string
  imported: number
  archived: number
  failed: FailedFinding[]
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
}

/** At most this many refused findings are named in a problem; the log has them all. */
const NAMED_FAILURES = 5

async function syncAccount(account: SecurityHubAccount, o: SecurityHubOptions): Promise<SecurityHubOutcome> {
  const outcome: SecurityHubOutcome = { accountId: account.accountId, imported: 0, archived: 0, failed: [], error: null }
  const where = { accountId: account.accountId, region: o.region }
  const client = (o.clientFor ?? createSecurityHubClient)({ ...account.config, region: o.region })
  const target = { partition: account.partition, region: o.region, accountId: account.accountId }
  const product = productArn(target)
  const errors: string[] = []
  try {
    let previous: AsffFinding[] = []
    try {
      previous = await previousFindings(client, product, where)
    } catch (err) {
      // Not enabled: importing would fail the same way. Otherwise (GetFindings denied) this run's
      // findings still go in; only the archiving of fixed keys is missed, and said.
      if (errorName((err as { cause?: unknown }).cause) === 'InvalidAccessException') throw err
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
    } else {
      const result = await importFindings(client, [...current, ...gone], where)
      const failed = new Set(result.failed.map((f) => f.id))
      outcome.failed = result.failed
      outcome.archived = gone.filter((g) => !failed.has(g.Id)).length
      outcome.imported = current.filter((c) => !failed.has(c.Id)).length
      o.log.info(
        `Account ${account.accountId}: imported ${plural(outcome.imported, 'finding')}, archived ${outcome.archived} ` +
          `into ${product} (${plural(result.calls, 'BatchImportFindings call')})`
      )
      for (const f of result.failed) o.log.warning(`Account ${account.accountId}: Security Hub refused ${f.id}: ${f.error}`)
    }
  } catch (err) {
    errors.push(errorMessage(err))
  }
  outcome.error = errors.length ? errors.join(' ') : null
  return outcome
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
    if (out.failed.length) {
      const named = out.failed.slice(0, NAMED_FAILURES).map((f) => `${f.id} (${f.error})`)
      const more = out.failed.length > NAMED_FAILURES ? `, and ${out.failed.length - NAMED_FAILURES} more` : ''
      lines.push(`Security Hub, account ${out.accountId}: ${plural(out.failed.length, 'finding')} refused by BatchImportFindings: ${named.join('; ')}${more}`)
    }
    return lines
  })
  return { outcomes, problems }
}
