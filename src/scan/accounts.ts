// Several accounts at once, each with its own clients; one that cannot be reached is reported
// as a failure and never hides the others.
import type { IAMClient } from '@aws-sdk/client-iam'
import { assumeMemberRole, partitionOf, targetAccounts, type AccountsChoice, type TargetAccount } from '../aws/accounts.js'
import { createStsClient, type AwsClientConfig } from '../aws/clients.js'
import { errorMessage } from '../aws/errors.js'
import { mapLimit } from '../core/concurrency.js'
import type { DataSourceChoice, Policy } from '../core/model.js'
import type { ExemptionRules } from '../core/exemptions.js'
import type { OwnerSetup } from '../core/owners.js'
import type { Logger, ScanResults } from '../core/model.js'
import { forAccount } from '../core/logger.js'
import { describeFailures, describeWarnings } from '../render/failures.js'
import { scanCounts } from '../render/text.js'
import { callerIdentity } from '../aws/identity.js'
import type { AccountClients, ScanOptions } from './account.js'

/**
 * The per-account scan and IAM's client, with IAM's SDK package (a chunk of their own in dist/):
 * scanTargets starts loading them as its first call, sts:GetCallerIdentity, goes out, so that they
 * load while that call is on the wire rather than before it.
 */
async function loadScan() {
  const [account, iam] = await Promise.all([import('./account.js'), import('../aws/iam-client.js')])
  return { scanAccount: account.scanAccount, createIamClient: iam.createIamClient }
}

/** IAM calls in flight at once within one account: IAM throttles, moto serialises. */
export const IAM_CONCURRENCY = 8

/** Where one account's lines go, and what is done with them when its scan ends (the action's log group). */
export interface AccountLog {
  log: Logger
  end(): void
}

export type AccountLogFor = (account: TargetAccount, several: boolean) => AccountLog

export async function scanAccounts(
  targets: TargetAccount[],
  clientsFor: (account: TargetAccount) => Promise<AccountClients>,
  options: ScanOptions,
  maxConcurrency: number,
  accountLog: AccountLogFor = () => ({ log: options.log, end: () => {} })
): Promise<ScanResults> {
  const several = targets.length > 1
  const { scanAccount } = await loadScan()
  const results = await mapLimit(targets, maxConcurrency, async (target) => {
    const lines = accountLog(target, several)
    const log = forAccount(lines.log, target.id)
    try {
      const scan = await scanAccount(await clientsFor(target), { ...options, log: lines.log }, target.id)
      log.info(scanCounts(scan))
      return { scan: { ...scan, name: target.name } }
    } catch (err) {
      const error = errorMessage(err)
      log.debug(`${target.name ? `(${target.name}) ` : ''}could not be scanned: ${error}`)
      return { failure: { accountId: target.id, name: target.name, error } }
    } finally {
      lines.end()
    }
  })
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : []))
  const scans = results.flatMap((r) => (r.scan ? [r.scan] : []))
  // One line per distinct mistake or error, not per account: 10,000 accounts with the same
  // catch-all exempt-users, or unreachable the same way, are a few lines. Failures are told
  // here as plain lines: the step's failure (the action's ::error) names them once more.
  const warnings = scans.flatMap((s) => (s.warnings ?? []).map((warning) => ({ accountId: s.accountId, warning })))
  for (const line of describeWarnings(warnings)) options.log.warning(line)
  for (const line of describeFailures(failures)) options.log.info(line)
  return { scans, failures }
}

/** Role chaining caps a member account's session at one hour. */
const MEMBER_SESSION_SECONDS = 3600

export interface ScanTargetsOptions {
  /** The caller's session: the default chain, or the OIDC session. */
  aws: AwsClientConfig
  accounts: AccountsChoice
  memberRoleName: string
  sessionName: string
  maxConcurrency: number
  scan: ScanOptions
  /** Hide member-session credentials from the log (core.setSecret in the action; the CLI, no log to hide them from, passes a no-op). */
  mask: (value: string) => void
  /** Sees each account's IAM client before use (the CLI's progress). */
  observe?: (iam: IAMClient, account: TargetAccount, several: boolean) => void
  status?: (phase: string) => void
  /** Where each account's lines go; by default scan.log, as they come. */
  accountLog?: AccountLogFor
}

/** The session an account was scanned with: what a sink that writes into that account (Security Hub) uses. */
export interface AccountSession {
  accountId: string
  /** `aws`, `aws-cn`, `aws-us-gov`: the caller's, which its member accounts share. */
  partition: string
  /** The caller's own configuration, or the member role's session (at most an hour, chained). */
  config: AwsClientConfig
  /**
   * A member account's session anew: the member role assumed again the same way, for a sink that
   * runs after the scan (Security Hub) and may find the first session ended. None for the
   * caller's own account.
   */
  refresh?: () => Promise<AwsClientConfig>
}

/** The results, and the session of each account whose clients were made (every scanned account). */
export interface TargetScanResults extends ScanResults {
  sessions: Map<string, AccountSession>
}

/**
 * The accounts the inputs name, each scanned with a session of its own: the caller's account
 * with the caller's session, every other one through the member role chained from it.
 */
export async function scanTargets(o: ScanTargetsOptions): Promise<TargetScanResults> {
  const sessions = new Map<string, AccountSession>()
  const sts = createStsClient(o.aws)
  o.status?.('Checking the AWS credentials…')
  let caller: { accountId: string; arn: string }
  const identity = callerIdentity(sts)
  const scanCode = loadScan()
  // Awaited where it is used; a failure to load is reported there.
  scanCode.catch(() => {})
  try {
    caller = await identity
  } catch (err) {
    return { scans: [], failures: [{ accountId: null, error: errorMessage(err) }], sessions }
  }
  let targets: TargetAccount[]
  try {
    if (o.accounts.kind === 'organization') o.status?.('Listing the organization’s accounts…')
    targets = await targetAccounts(o.accounts, caller.accountId, o.aws)
  } catch (err) {
    return { scans: [], failures: [{ accountId: caller.accountId, error: errorMessage(err) }], sessions }
  }
  const partition = partitionOf(caller.arn)
  const several = targets.length > 1
  if (several) o.scan.log.info(`Scanning ${targets.length} accounts, ${o.maxConcurrency} at a time`)
  const clientsFor = async (target: TargetAccount): Promise<AccountClients> => {
    let config = o.aws
    let accountSts = sts
    let refresh: AccountSession['refresh']
    if (target.id !== caller.accountId) {
      const role = { roleName: o.memberRoleName, sessionName: o.sessionName, durationSeconds: MEMBER_SESSION_SECONDS }
      const assume = async (): Promise<AwsClientConfig> => ({
        region: o.aws.region,
        credentials: await assumeMemberRole(sts, partition, target.id, role, o.mask)
      })
      config = await assume()
      refresh = assume
      accountSts = createStsClient(config)
    }
    sessions.set(target.id, { accountId: target.id, partition, config, ...(refresh ? { refresh } : {}) })
    const iam = (await scanCode).createIamClient(config)
    o.observe?.(iam, target, several)
    return { iam, sts: accountSts }
  }
  const results = await scanAccounts(targets, clientsFor, o.scan, o.maxConcurrency, o.accountLog)
  return { ...results, sessions }
}

/** The scan the parsed inputs ask for: the same for the action and the CLI. */
/**
 * What to scan, as both adapters' options hold it (the action's and the CLI's parsed inputs
 * satisfy it as they are): the scan depends on no adapter.
 */
export interface ScanRequest {
  accounts: AccountsChoice
  memberRoleName: string
  roleSessionName: string
  maxConcurrency: number
  dataSource: DataSourceChoice
  policy: Policy
  exemptions: ExemptionRules
  /** Where owners come from (the owner tag is read with the exemption tag). */
  owners: OwnerSetup
}

export function scanWithOptions(
  options: ScanRequest,
  aws: AwsClientConfig,
  now: Date,
  hooks: { log: Logger; mask: ScanTargetsOptions['mask'] } & Pick<ScanTargetsOptions, 'observe' | 'status' | 'accountLog'>
): Promise<TargetScanResults> {
  return scanTargets({
    aws,
    accounts: options.accounts,
    memberRoleName: options.memberRoleName,
    sessionName: options.roleSessionName,
    maxConcurrency: options.maxConcurrency,
    scan: {
      dataSource: options.dataSource,
      policy: options.policy,
      exemptions: options.exemptions,
      owners: { tagKey: options.owners.tagKey, rules: options.owners.rules },
      now,
      concurrency: IAM_CONCURRENCY,
      log: hooks.log
    },
    mask: hooks.mask,
    observe: hooks.observe,
    status: hooks.status,
    accountLog: hooks.accountLog
  })
}
