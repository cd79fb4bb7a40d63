// The action adapter: inputs -> scan -> sinks -> exit status. The only place that reads inputs.
import * as core from '@actions/core'
import { createStsClient, type AwsClientConfig } from '../aws/clients.js'
import { errorMessage } from '../aws/errors.js'
import { assumeRoleWithOidc } from '../aws/oidc.js'
import { requestTimeoutMs } from '../core/deadline.js'
import { fetchIdToken } from './id-token.js'
import { parseInputs, type ActionOptions } from './inputs.js'
import { OWNERS_FILE, readInput, type InputGetter } from './input-spec.js'
import { readOwnersFile } from './owners-file.js'
import type { FindingKind, Logger, ScanResults } from '../core/model.js'
import { buildReport, isComplete, lastUseKnown, UNKNOWN_ACCOUNT, type Report } from '../core/report.js'
import { logLine } from '../render/escape.js'
import { describeFailures } from '../render/failures.js'
import { buildSnsMessage } from '../render/sns-message.js'
import { renderSummary } from '../render/summary.js'
import type { RunOutcome } from '../render/outcome.js'
import { plural } from '../core/plural.js'
import { keyCell, title } from '../render/text.js'
import type { TargetAccount } from '../aws/accounts.js'
import { forAccount, heldLogger } from '../core/logger.js'
import { scanWithOptions, type AccountLog, type AccountSession } from '../scan/accounts.js'
import type { syncSecurityHub as SyncSecurityHub } from '../sinks/security-hub.js'
import { writeReportFile } from '../sinks/report-file.js'
import type { SnsTopic } from '../sinks/sns.js'
import {
  describeGithubError,
  readTrackingIssues,
  syncTrackingIssues,
  type Repo,
  type TrackingRead
} from '../sinks/tracking-issue.js'
import type { Octokit } from '../sinks/octokit.js'
import { compareWithBaseline, type Baseline, type BaselineKey } from '../core/lifecycle.js'
import { chooseBaselines, readPreviousReport, type BaselineChoice } from './baselines.js'
import { failOnMessage } from '../core/fail-on.js'
import { unownedCount } from '../core/owners.js'
import { utcDayOf } from '../core/lifecycle.js'
import type { RemediationEntry } from '../core/report.js'
import type { AccountsChoice } from '../aws/accounts.js'
import { changedKeys, type KeyOutcome } from '../render/remediation-reply.js'
import { readCommentEvent } from './events.js'
import type { remediate as Remediate } from './remediate.js'

// The sinks only some runs use are imported where they are used (`await import()`, a chunk of
// its own in dist/): SNS, Security Hub and GitHub (Octokit and its plugins). Every run of every
// workflow loads what the entry imports before its first AWS call (bench/cold-start.ts).
const syncSecurityHub: typeof SyncSecurityHub = async (...args) => (await import('../sinks/security-hub.js')).syncSecurityHub(...args)
const github = () => import('../sinks/octokit-client.js')
// Remediation (issue_comment runs only) uses IAM's client, which the scan loads after the first call.
const remediate: typeof Remediate = async (...args) => (await import('./remediate.js')).remediate(...args)

// core.info writes the line as it is, and the runner obeys a line that starts with `::` (or holds
// `##[`): every message that may quote AWS goes through logLine, one line and never a command.
const log: Logger = {
  info: (message) => core.info(logLine(message)),
  warning: (message) => core.warning(logLine(message)),
  debug: (message) => core.debug(logLine(message))
}

/** The clients' configuration: the OIDC session when role-to-assume is set, else the default chain. */
async function authenticate(options: ActionOptions): Promise<AwsClientConfig> {
  const region = options.awsRegion
  const oidc = options.oidc
  if (!oidc) return { region }
  return core.group('AWS credentials (OIDC)', async () => {
    const credentials = await assumeRoleWithOidc(oidc, {
      getIdToken: (audience) => fetchIdToken(audience, requestTimeoutMs(process.env)),
      mask: (value) => core.setSecret(value),
      sts: createStsClient({ region })
    })
    log.info(`Assumed ${oidc.roleArn} with the workflow's OIDC token`)
    return { region, credentials }
  })
}

/**
 * Each account's lines as one group of the log, `Scan account 123456789012 (prod)`. Groups do
 * not nest, so the scan is no group of its own: its accounts are. Several accounts are scanned
 * at once and their lines would interleave inside any open group: each account's lines are
 * held and written as one group when its scan ends. A single account's are written as they come.
 * An account with only debug lines (one that could not be reached) gets no group: 10,000
 * unreachable accounts stay a few lines, the failures said once after the scan.
 */
function accountGroup(account: TargetAccount, several: boolean): AccountLog {
  const title = logLine(`Scan account ${account.id}${account.name ? ` (${account.name})` : ''}`)
  if (!several) {
    core.startGroup(title)
    return { log, end: () => core.endGroup() }
  }
  const held = heldLogger()
  const write = () => {
    heldGroups.delete(write)
    if (held.quiet()) return held.release(log)
    // Synchronous from start to end: no other account's lines can come in between.
    core.startGroup(title)
    try {
      held.release(log)
    } finally {
      core.endGroup()
    }
  }
  heldGroups.add(write)
  return { log: held, end: write }
}

/** Groups of accounts still being scanned, their lines held: written, not lost, if the run is cancelled. */
const heldGroups = new Set<() => void>()

/**
 * The lines of every account still being scanned, written out now. The runner cancels a step
 * with SIGINT, then SIGTERM: an account that hangs then is the one whose lines matter.
 */
export function writeHeldGroups(): void {
  for (const write of [...heldGroups]) write()
}

/** Said in the job summary written on cancel: the sinks after the one running may not have had their turn. */
export const STOPPED_BEFORE_SINKS = 'The run was stopped (cancelled or timed out) before its sinks finished: the report file, SNS, Security Hub and the tracking issue may not have been written.'

/**
 * The job summary of the run under way, once its report is built and until it is written.
 * The summary is written last, after the sinks: a run cancelled while one runs would have none.
 */
let unwrittenSummary: ((stopped: boolean) => Promise<void>) | null = null

/** The job summary, unless already written (or being written); `stopped` says the run was cut short. */
async function writeSummaryOnce(stopped: boolean): Promise<void> {
  const write = unwrittenSummary
  unwrittenSummary = null
  if (write) await write(stopped)
}

/**
 * What a cancelled run can still say: the held lines of the accounts being scanned, and the job
 * summary with what is known (the report, the sinks' problems so far), when it is not written yet.
 */
export async function writeOnCancel(): Promise<void> {
  writeHeldGroups()
  try {
    await writeSummaryOnce(true)
  } catch (err) {
    log.warning(`Could not write the job summary: ${errorMessage(err)}`)
  }
}

let cancelHandled = false
function writeOnCancelSignals(): void {
  if (cancelHandled) return
  cancelHandled = true
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      void writeOnCancel().finally(() => process.exit(code))
    })
  }
}

function logFindings(report: Report, mask: boolean): void {
  for (const f of report.findings) {
    forAccount(log, f.accountId).info(`${f.kind}${f.exempt ? ' (exempt)' : ''}: ${f.userName} ${keyCell(f, mask)}, ${f.ageDays} days old`)
  }
}

/** Outputs describe a scan that happened: counts only when every account was scanned. */
function setOutputs(report: Report, reportFile: string | null): void {
  const known = report.accounts.map((a) => a.accountId).filter((id) => id !== UNKNOWN_ACCOUNT)
  if (known.length) core.setOutput('account-id', known.join(','))
  if (reportFile) core.setOutput('report-file', reportFile)
  if (!isComplete(report)) return
  core.setOutput('stale-count', report.totals.stale)
  core.setOutput('finding-count', report.totals.findings)
  core.setOutput('users-scanned', report.totals.users)
  core.setOutput('keys-scanned', report.totals.keys)
  // Unset without a baseline: "0 new" would claim a comparison that was not made.
  if (report.totals.new !== null) core.setOutput('new-count', report.totals.new)
  if (report.totals.resolved !== null) core.setOutput('resolved-count', report.totals.resolved)
  core.setOutput('unowned-count', unownedCount(report.findings))
}

async function writeSummary(report: Report, options: ActionOptions, outcome: RunOutcome): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    log.info('GITHUB_STEP_SUMMARY is not set (not on a runner): no job summary written')
    return
  }
  await core.summary.addRaw(renderSummary(report, { maskKeyIds: options.maskKeyIds, outcome })).write({ overwrite: false })
}

/** Publishes the report; the message id SNS gave. */
async function notify(report: Report, topic: SnsTopic, aws: AwsClientConfig): Promise<string> {
  const message = buildSnsMessage(report)
  if (message.omitted > 0) log.warning(`SNS message: ${plural(message.omitted, 'finding')} left out to fit 256 KB`)
  if (message.ownersOmitted > 0) {
    log.warning(`SNS message: ${plural(message.ownersOmitted, 'owner')} left out of its owners attribute: their subscriptions miss this message`)
  }
  const { createSnsClient, publishReport } = await import('../sinks/sns.js')
  const sns = createSnsClient({ ...aws, region: topic.region })
  const id = await publishReport(sns, topic.arn, message)
  core.setOutput('sns-message-id', id)
  log.info(`Published the report to ${topic.arn} (message ${id})`)
  return id
}

/**
 * security-hub: each account scanned to the end gets its findings (exempt ones SUPPRESSED) in its
 * own Security Hub, with the session it was scanned with; an account that failed is left as it is
 * (its earlier findings are not archived on a scan that did not happen). The problems, one per account.
 */
/**
 * The kinds an account's scan could not see, so a finding of them imported before is not taken
 * for fixed: root keys on the listing path (only the credential report has them), set-up keys
 * for users GetLoginProfile was denied for.
 */
export function unseenKinds(account: Report['accounts'][number]): FindingKind[] {
  const kinds: FindingKind[] = []
  if (account.dataSource !== 'credential-report') kinds.push('root-key')
  if (account.notes.some((n) => n.startsWith('setup-key was not checked'))) kinds.push('setup-key')
  return kinds
}

async function importToSecurityHub(report: Report, options: ActionOptions, sessions: Map<string, AccountSession>, now: Date): Promise<string[]> {
  const accounts = report.accounts.flatMap((a) => {
    const session = a.error === null ? sessions.get(a.accountId) : undefined
    if (!session) return []
    return [
      {
        accountId: a.accountId,
        partition: session.partition,
        config: session.config,
        findings: report.findings.filter((f) => f.accountId === a.accountId),
        lastUseKnown: lastUseKnown(report, a.accountId),
        unseen: unseenKinds(a),
        ...(session.refresh ? { refresh: session.refresh } : {})
      }
    ]
  })
  if (!accounts.length) {
    log.info('Security Hub: no account was scanned to the end; nothing imported')
    return []
  }
  const { problems } = await syncSecurityHub(accounts, { region: options.awsRegion, now, log, maxConcurrency: options.maxConcurrency })
  return problems
}

/** The tracking issues' GitHub side: one client, and what was read before the diff. */
interface Tracking {
  octokit: Octokit
  repo: Repo
  labels: string[]
  assignees: string[]
  runUrl: string | null
  found: TrackingRead | null
  /** The listing failed: the issues are not written this run (a record it could not read is never overwritten). */
  readError: string | null
}

/**
 * Each scanned account's baseline, read before the results are compared: the open tracking
 * issues (their bodies hold the records, or point to the comments that do when a record is too
 * big for a body; the same listing serves the sink afterwards), and the previous-report file.
 */
async function readBaselines(options: ActionOptions, scanned: ScanResults): Promise<{ choice: BaselineChoice; tracking: Tracking | null }> {
  const accountIds = scanned.scans.map((s) => s.accountId)
  let tracking: Tracking | null = null
  const issueOptions = options.trackingIssue
  if (issueOptions && accountIds.length) {
    core.setSecret(issueOptions.token)
    const gh = await github()
    tracking = {
      octokit: gh.createOctokit(issueOptions.token, log),
      repo: gh.workflowRepo(),
      labels: issueOptions.labels,
      assignees: issueOptions.assignees,
      runUrl: gh.runUrl(),
      found: null,
      readError: null
    }
    const t = tracking
    await core.group('Tracking issues: read', async () => {
      try {
        t.found = await readTrackingIssues(t.octokit, t.repo, t.labels, accountIds, log)
      } catch (err) {
        t.readError = describeGithubError(err)
      }
    })
  }
  const previous = options.previousReport ? await readPreviousReport(options.previousReport) : null
  const choice = chooseBaselines({
    accountIds,
    issues: tracking ? (tracking.found?.ours ?? null) : null,
    issuesError: tracking?.readError ?? undefined,
    // Read with the listing (readTrackingIssues): the kept issue's record, from its body or its comments.
    record: (issue, accountId) =>
      tracking?.found?.records.get(accountId)?.decoded ?? { ok: false, reason: 'missing', error: `issue #${issue.number} was not read` },
    previous,
    log
  })
  return { choice, tracking }
}

async function track(report: Report, options: ActionOptions, tracking: Tracking, records: Map<string, Baseline>): Promise<void> {
  const results = await syncTrackingIssues(tracking.octokit, tracking.repo, report, {
    labels: tracking.labels,
    assignees: tracking.assignees,
    assignOwners: options.owners.assign,
    commands: options.remediation.mode === 'comment',
    maskKeyIds: options.maskKeyIds,
    runUrl: tracking.runUrl,
    log,
    records,
    found: tracking.found ?? undefined
  })
  const open = results.flatMap((r) => (r.open ? [r.open] : []))
  if (open.length) {
    core.setOutput('issue-number', open.map((o) => o.number).join(','))
    core.setOutput('issue-url', open.map((o) => o.url).join(','))
  }
}

/**
 * Whether SNS hears of this run. A scan that did not complete is news for security operations
 * too. `changes`: only what is new or resolved since the last run; the findings of an account
 * with no baseline to tell that are news (a first run is never silent).
 */
export function isNewsworthy(report: Report, notifyWhen: ActionOptions['notifyWhen']): boolean {
  if (!isComplete(report) || notifyWhen === 'always') return true
  if (notifyWhen !== 'changes') return report.totals.findings > 0
  // An account without a baseline cannot say what changed: its findings are news, as with `findings`.
  const unknown = new Set(report.accounts.filter((a) => a.new === null).map((a) => a.accountId))
  if (report.findings.some((f) => !f.exempt && unknown.has(f.accountId))) return true
  return (report.totals.new ?? 0) > 0 || (report.totals.resolved ?? 0) > 0
}

/** What the inputs need from the runner: a tracking issue is kept in the workflow's repository. */
function runnerErrors(get: InputGetter): string[] {
  const createIssue = readInput('create-issue', get)
  if ('value' in createIssue && createIssue.value && !process.env.GITHUB_REPOSITORY) {
    return ['create-issue: true, but GITHUB_REPOSITORY is not set, so there is no repository to keep the issue in']
  }
  return []
}

/**
 * The options; null when the step failed on its inputs, every problem at once (the owners file's
 * too, read from the checked-out workspace), before any AWS call.
 */
async function readOptions(): Promise<ActionOptions | null> {
  const get: InputGetter = (name) => core.getInput(name)
  const parsed = parseInputs(get)
  const errors = [...(parsed.ok ? [] : parsed.errors), ...runnerErrors(get)]
  const file = readInput('owners-file', get)
  if ('value' in file) {
    const owners = await readOwnersFile(file.value, file.value !== OWNERS_FILE, process.env.GITHUB_WORKSPACE || process.cwd())
    if (!owners.ok) errors.push(...owners.errors.map((e) => (e.startsWith('owners-file:') ? e : `owners-file: ${e}`)))
    else if (parsed.ok && errors.length === 0) {
      return { ...parsed.options, owners: { ...parsed.options.owners, rules: owners.rules, notes: owners.notes } }
    }
  }
  core.setFailed(`Invalid input (${errors.length}):\n- ${errors.join('\n- ')}`)
  return null
}

/**
 * The action, start to end. An error that escapes it is a bug, not a finding: the step fails
 * with its message (the stack in the debug log), never with a bare stack trace.
 */
export async function run(): Promise<void> {
  try {
    await scanAndReport()
  } catch (err) {
    if (err instanceof Error && err.stack) core.debug(err.stack)
    core.setFailed(`IAM Key Sentry stopped on an unexpected error: ${errorMessage(err)}`)
  } finally {
    // A run that ended has nothing for a later cancel to write.
    unwrittenSummary = null
  }
}

/** Keys a remediation command changed in this run: the rescan of their account reports them. */
interface Remediated {
  accountId: string
  /** Whether the account is the read session's own (else a member account, through its role). */
  own: boolean
  outcomes: KeyOutcome[]
  requester: string
  /** What went wrong in it (keys not changed, the reply not posted): the step fails with them, and the job summary says them. */
  problems: string[]
}

/**
 * remediation: comment on an issue_comment event: obey the comment. 'stop' when it was answered
 * without a change (or failed): the run ends there. null when there is nothing to obey: the run
 * scans as usual. Otherwise what changed, for the rescan.
 */
async function remediationStep(options: ActionOptions, now: Date): Promise<Remediated | 'stop' | null> {
  const event = await readCommentEvent(process.env)
  if (event.kind === 'ignored') {
    log.info(`Remediation: ${event.why}; scanning as usual`)
    return null
  }
  if (event.kind === 'unreadable') {
    log.warning(`Remediation: ${event.error}; no command is obeyed, scanning as usual`)
    return null
  }
  const issueOptions = options.trackingIssue!
  core.setSecret(issueOptions.token)
  let readSession: Promise<AwsClientConfig> | null = null
  let writeSession: Promise<AwsClientConfig> | null = null
  try {
    const gh = await github()
    return await core.group('Remediation', async () => {
      const result = await remediate(
        options,
        event.comment,
        {
          octokit: gh.createOctokit(issueOptions.token, log),
          repo: gh.workflowRepo(),
          log,
          now,
          runUrl: gh.runUrl(),
          readSession: () => (readSession ??= authenticate(options)),
          writeSession: () => (writeSession ??= authenticateForRemediation(options, () => (readSession ??= authenticate(options))))
        },
        (value) => core.setSecret(value)
      )
      if (result.kind === 'not-ours') {
        log.info(`Remediation: ${result.why}; scanning as usual`)
        return null
      }
      const failed = result.outcomes.filter((o) => o.result === 'failed')
      const problems = failed.map((o) => `Remediation: ${o.accessKeyId}: ${o.reason}`)
      if (result.kind === 'answered') {
        // No scan follows (and no job summary): the step fails here.
        if (problems.length) core.setFailed(problems.join('\n'))
        return 'stop'
      }
      if (result.replyError) problems.push(`Remediation: ${result.replyError}; what was done is in the report, the record and the SNS message`)
      // The scan follows: its end fails the step with these and the sinks' problems, and the job summary lists them.
      return { accountId: result.accountId, own: result.own, outcomes: result.outcomes, requester: result.requester, problems }
    })
  } catch (err) {
    core.setFailed(`Remediation failed before any key was changed: ${errorMessage(err)}`)
    return 'stop'
  }
}

/** The write session: the remediation role through OIDC, unless it is the scan's own role (then that session). */
async function authenticateForRemediation(options: ActionOptions, read: () => Promise<AwsClientConfig>): Promise<AwsClientConfig> {
  const oidc = options.remediation.oidc
  if (!oidc || oidc.roleArn === options.oidc?.roleArn) return read()
  const region = options.awsRegion
  const credentials = await assumeRoleWithOidc(oidc, {
    getIdToken: (audience) => fetchIdToken(audience, requestTimeoutMs(process.env)),
    mask: (value) => core.setSecret(value),
    sts: createStsClient({ region })
  })
  log.info(`Assumed ${oidc.roleArn} for remediation with the workflow's OIDC token`)
  return { region, credentials }
}

/**
 * The record after a remediation: the day this action deactivated a key, gone once it
 * reactivated it. A deactivated key with no finding of its own (younger than the stale cutoff)
 * is added as an inactive key, so that /reactivate still knows it (core/lifecycle.ts carries it).
 */
function withRemediation(record: Baseline, remediated: Remediated, now: Date): Baseline {
  const deactivated = new Set(changedKeys(remediated.outcomes, 'deactivate'))
  const reactivated = new Set(changedKeys(remediated.outcomes, 'reactivate'))
  const day = utcDayOf(now)
  const known = new Set(record.keys.map((k) => k.accessKeyId))
  // From the live read before acting: the credential report knows no id for a key without a finding.
  const added: BaselineKey[] = remediated.outcomes
    .filter((o) => o.result === 'done' && o.verb === 'deactivate' && !known.has(o.accessKeyId) && o.userName && o.createdAt)
    .map((o) => ({
      accessKeyId: o.accessKeyId,
      createdAt: o.createdAt!,
      userName: o.userName!,
      kind: 'inactive' as const,
      firstSeenAt: day,
      deactivatedByAction: day,
      deactivatedBy: remediated.requester
    }))
  return {
    ...record,
    keys: [...added, ...record.keys.map((k) => {
      if (k.accessKeyId && deactivated.has(k.accessKeyId)) return { ...k, deactivatedByAction: day, deactivatedBy: remediated.requester }
      if (k.accessKeyId && reactivated.has(k.accessKeyId)) {
        const rest = { ...k }
        delete rest.deactivatedByAction
        delete rest.deactivatedBy
        return rest
      }
      return k
    })]
  }
}

function remediationEntries(remediated: Remediated): RemediationEntry[] {
  return remediated.outcomes.map((o) => ({
    accountId: remediated.accountId,
    accessKeyId: o.accessKeyId,
    userName: o.userName,
    verb: o.verb,
    dryRun: o.dryRun,
    result: o.result,
    before: o.before,
    after: o.after,
    requestedBy: remediated.requester,
    reason: o.reason
  }))
}

async function scanAndReport(): Promise<void> {
  const read = await readOptions()
  if (!read) return
  writeOnCancelSignals()
  const now = new Date()
  let options = read
  let remediated: Remediated | null = null
  if (options.remediation.mode === 'comment') {
    const step = await remediationStep(options, now)
    if (step === 'stop') return
    remediated = step
    if (remediated) {
      core.setOutput('remediated', changedKeys(remediated.outcomes).join(','))
      // Only the account whose keys changed is rescanned, and its issue rewritten.
      const accounts: AccountsChoice = remediated.own ? { kind: 'self' } : { kind: 'list', ids: [remediated.accountId] }
      options = { ...options, accounts }
    }
  }
  let aws: AwsClientConfig | null = null
  let scanned: ScanResults
  // Each scanned account's session: the Security Hub sink writes into each account with its own.
  let sessions = new Map<string, AccountSession>()
  try {
    aws = await authenticate(options)
    const results = await scanWithOptions(options, aws, now, { log, mask: (value) => core.setSecret(value), accountLog: accountGroup })
    scanned = results
    sessions = results.sessions
  } catch (err) {
    scanned = { scans: [], failures: [{ accountId: null, error: errorMessage(err) }] }
  }
  const { choice, tracking } = await readBaselines(options, scanned)
  // Only complete scans are compared: a failed account keeps its record as it is.
  const scans = scanned.scans.map((scan) => {
    const notes = [...scan.notes, ...(choice.accountNotes.get(scan.accountId) ?? [])]
    return compareWithBaseline({ ...scan, notes }, choice.byAccount.get(scan.accountId) ?? null, now, options.policy)
  })
  const { failures } = scanned
  const records = new Map(
    scans.flatMap((s) => {
      if (!s.lifecycle) return []
      const next =
        remediated?.accountId === s.accountId ? withRemediation(s.lifecycle.next, remediated, now) : s.lifecycle.next
      return [[s.accountId, next] as const]
    })
  )
  // A plain name in the owners file is kept and said once, for the run.
  const notes = [...options.owners.notes, ...choice.notes]
  const report: Report = {
    ...buildReport({ generatedAt: now, policy: options.policy, scans, failures, notes }),
    ...(remediated ? { remediation: remediationEntries(remediated) } : {})
  }
  // One line per distinct error, however many accounts failed; the report file has each one.
  const failed: string[] = describeFailures(failures)
  // The remediation's and the sinks' problems: the job summary, written last, says them too.
  const problems: string[] = [...(remediated?.problems ?? [])]
  let sns: RunOutcome['sns'] = null
  // What is known when it is written: on cancel, the sinks' problems so far and a line saying so.
  unwrittenSummary = (stopped) =>
    writeSummary(report, options, { failOn: options.failOn, sns, problems: stopped ? [...problems, STOPPED_BEFORE_SINKS] : [...problems] })
  log.info(`IAM Key Sentry: ${title(report)}`)
  if (report.findings.length) await core.group('Findings', async () => logFindings(report, options.maskKeyIds))

  // Every sink gets the result even when another fails; problems are reported together.
  await core.group('Report file', async () => {
    let reportFile: string | null = null
    try {
      reportFile = await writeReportFile(report)
      log.info(`Wrote the report file ${reportFile}`)
    } catch (err) {
      problems.push(`Could not write the report file: ${errorMessage(err)}`)
    }
    setOutputs(report, reportFile)
  })
  // A scan that did not complete is news for security operations too. Without credentials
  // (the OIDC exchange failed) there is nothing to publish with.
  // A remediation is always news: security operations hear of every key this action changed.
  const newsworthy = remediated !== null || isNewsworthy(report, options.notifyWhen)
  if (aws && options.snsTopic && newsworthy) {
    const topic = options.snsTopic
    await core.group('SNS', async () => {
      try {
        sns = { topicArn: topic.arn, messageId: await notify(report, topic, aws) }
      } catch (err) {
        problems.push(`Could not publish to SNS: ${errorMessage(err)}`)
      }
    })
  }
  if (options.securityHub) {
    await core.group('Security Hub', async () => {
      try {
        problems.push(...(await importToSecurityHub(report, options, sessions, now)))
      } catch (err) {
        problems.push(`Security Hub: ${errorMessage(err)}`)
      }
    })
  }
  // An account that was not scanned keeps its issue as it is; with none scanned there is nothing to sync.
  if (tracking?.readError) problems.push(tracking.readError)
  else if (tracking && report.accounts.some((a) => a.error === null)) {
    await core.group('Tracking issues', async () => {
      try {
        await track(report, options, tracking, records)
      } catch (err) {
        problems.push(describeGithubError(err))
      }
    })
  }
  // Last, so that it can say why the step failed and where the report went.
  await core.group('Job summary', async () => {
    try {
      await writeSummaryOnce(false)
    } catch (err) {
      problems.push(`Could not write the job summary: ${errorMessage(err)}`)
    }
  })
  const failing = failOnMessage(report, options.failOn)
  const all = [...failed, ...problems, ...(failing ? [failing] : [])]
  // setFailed escapes its message (`::error::` data): line breaks in it, ours or AWS's, command nothing.
  if (all.length) core.setFailed(all.join('\n'))
}
