// The action adapter: inputs -> scan -> sinks -> exit status. The only place that reads inputs.
import * as core from '@actions/core'
import {
  createIamClient,
  createOrganizationsClient,
  createSnsClient,
  createStsClient,
  type AwsClientConfig
} from './aws/clients.js'
import { errorMessage } from './aws/errors.js'
import { assumeRoleWithOidc } from './aws/oidc.js'
import { parseInputs, type ActionOptions } from './inputs.js'
import { FINDING_KINDS, type Logger } from './model.js'
import { buildReport, countByKind, isComplete, UNKNOWN_ACCOUNT, type Report } from './report.js'
import { buildSnsMessage } from './render/sns-message.js'
import { renderSummary } from './render/summary.js'
import { maskKeyId, plural, title } from './render/text.js'
import { callerIdentity } from './scan.js'
import { scanAccounts, type ScanResults } from './scan-accounts.js'
import { assumeMemberRole, partitionOf, targetAccounts, type TargetAccount } from './aws/accounts.js'
import { writeReportFile } from './sinks/report-file.js'
import { publishReport, topicRegion } from './sinks/sns.js'
import { createOctokit } from './sinks/octokit.js'
import { describeGithubError, syncTrackingIssues } from './sinks/tracking-issue.js'
import { context } from '@actions/github'

/** IAM calls in flight at once within one account: IAM throttles, moto serialises. */
const IAM_CONCURRENCY = 8

const log: Logger = { info: core.info, warning: core.warning, debug: core.debug }

/** The clients' configuration: the OIDC session when role-to-assume is set, else the default chain. */
async function authenticate(options: ActionOptions): Promise<AwsClientConfig> {
  const region = options.awsRegion
  if (!options.oidc) return { region }
  const credentials = await assumeRoleWithOidc(options.oidc, {
    getIdToken: (audience) => core.getIDToken(audience),
    mask: (value) => core.setSecret(value),
    sts: createStsClient({ region })
  })
  core.info(`Assumed ${options.oidc.roleArn} with the workflow's OIDC token`)
  return { region, credentials }
}

/** Role chaining caps a member account's session at one hour. */
const MEMBER_SESSION_SECONDS = 3600

async function scan(options: ActionOptions, aws: AwsClientConfig, now: Date): Promise<ScanResults> {
  const sts = createStsClient(aws)
  let caller: { accountId: string; arn: string }
  try {
    caller = await callerIdentity(sts)
  } catch (err) {
    return { scans: [], failures: [{ accountId: null, error: errorMessage(err) }] }
  }
  let targets: TargetAccount[]
  try {
    targets = await targetAccounts(options.accounts, caller.accountId, () => createOrganizationsClient(aws))
  } catch (err) {
    return { scans: [], failures: [{ accountId: caller.accountId, error: errorMessage(err) }] }
  }
  if (targets.length > 1) core.info(`Scanning ${targets.length} accounts, ${options.maxConcurrency} at a time`)
  // The caller's own account with its own session; every other one through the member role.
  const clientsFor = async (target: TargetAccount) => {
    if (target.id === caller.accountId) return { iam: createIamClient(aws), sts }
    const credentials = await assumeMemberRole(
      sts,
      partitionOf(caller.arn),
      target.id,
      { roleName: options.memberRoleName, sessionName: options.roleSessionName, durationSeconds: MEMBER_SESSION_SECONDS },
      (value) => core.setSecret(value)
    )
    const member = { region: aws.region, credentials }
    return { iam: createIamClient(member), sts: createStsClient(member) }
  }
  return scanAccounts(
    targets,
    clientsFor,
    {
      dataSource: options.dataSource,
      policy: options.policy,
      exemptions: options.exemptions,
      now,
      concurrency: IAM_CONCURRENCY,
      log
    },
    options.maxConcurrency
  )
}

function logFindings(report: Report, mask: boolean): void {
  for (const f of report.findings) {
    const id = mask ? maskKeyId(f.accessKeyId) : (f.accessKeyId ?? '(root key)')
    core.info(`${f.kind}${f.exempt ? ' (exempt)' : ''}: ${f.userName} ${id}, ${f.ageDays} days old`)
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
}

async function writeSummary(report: Report, options: ActionOptions): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set (not on a runner): no job summary written')
    return
  }
  await core.summary.addRaw(renderSummary(report, { maskKeyIds: options.maskKeyIds })).write({ overwrite: false })
}

async function notify(report: Report, topicArn: string, aws: AwsClientConfig): Promise<void> {
  const message = buildSnsMessage(report)
  if (message.omitted > 0) core.warning(`SNS message: ${plural(message.omitted, 'finding')} left out to fit 256 KB`)
  const sns = createSnsClient({ ...aws, region: topicRegion(topicArn) })
  const id = await publishReport(sns, topicArn, message)
  core.setOutput('sns-message-id', id)
  core.info(`Published the report to ${topicArn} (message ${id})`)
}

async function track(report: Report, options: ActionOptions): Promise<void> {
  const tracking = options.trackingIssue
  if (!tracking) return
  core.setSecret(tracking.token)
  const runUrl = context.runId ? `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}` : null
  const results = await syncTrackingIssues(createOctokit(tracking.token, log), context.repo, report, {
    labels: tracking.labels,
    assignees: tracking.assignees,
    maskKeyIds: options.maskKeyIds,
    runUrl,
    log
  })
  const open = results.flatMap((r) => (r.open ? [r.open] : []))
  if (open.length) {
    core.setOutput('issue-number', open.map((o) => o.number).join(','))
    core.setOutput('issue-url', open.map((o) => o.url).join(','))
  }
}

/** Which findings fail the step under `fail-on`, as a sentence; null when none do. */
export function failOnVerdict(report: Report, failOn: ActionOptions['failOn']): string | null {
  const counts = countByKind(report.findings)
  const failing = FINDING_KINDS.filter((k) => failOn.includes(k) && counts.has(k)) // most severe first
  if (failing.length === 0) return null
  const what = failing.map((k) => `${counts.get(k)} ${k}`).join(', ')
  return `Failing: ${what} in ${report.accounts.map((a) => a.accountId).join(', ')} (fail-on: ${failOn.join(',')}).`
}

export async function run(): Promise<void> {
  const parsed = parseInputs((name) => core.getInput(name))
  if (!parsed.ok) {
    core.setFailed(`Invalid input (${parsed.errors.length}):\n- ${parsed.errors.join('\n- ')}`)
    return
  }
  const options = parsed.options
  const now = new Date()
  let aws: AwsClientConfig | null = null
  let scanned: ScanResults
  try {
    aws = await authenticate(options)
    scanned = await scan(options, aws, now)
  } catch (err) {
    scanned = { scans: [], failures: [{ accountId: null, error: errorMessage(err) }] }
  }
  const { scans, failures } = scanned
  const report = buildReport({ generatedAt: now, policy: options.policy, scans, failures })
  const problems: string[] = failures.map(
    (f) => `The scan${f.accountId ? ` of account ${f.accountId}` : ''} did not complete: ${f.error}`
  )
  core.info(`IAM Key Sentry: ${title(report)}`)
  logFindings(report, options.maskKeyIds)

  // Every sink gets the result even when another fails; problems are reported together.
  let reportFile: string | null = null
  try {
    reportFile = await writeReportFile(report)
  } catch (err) {
    problems.push(`Could not write the report file: ${errorMessage(err)}`)
  }
  setOutputs(report, reportFile)
  try {
    await writeSummary(report, options)
  } catch (err) {
    problems.push(`Could not write the job summary: ${errorMessage(err)}`)
  }
  // A scan that did not complete is news for security operations too. Without credentials
  // (the OIDC exchange failed) there is nothing to publish with.
  const newsworthy = report.totals.findings > 0 || !isComplete(report) || options.notifyWhen === 'always'
  if (aws && options.snsTopicArn && newsworthy) {
    try {
      await notify(report, options.snsTopicArn, aws)
    } catch (err) {
      problems.push(`Could not publish to SNS: ${errorMessage(err)}`)
    }
  }
  // An account that was not scanned keeps its issue as it is; with none scanned there is nothing to sync.
  if (options.trackingIssue && report.accounts.some((a) => a.error === null)) {
    try {
      await track(report, options)
    } catch (err) {
      problems.push(describeGithubError(err))
    }
  }
  const verdict = failOnVerdict(report, options.failOn)
  if (verdict) problems.push(verdict)
  if (problems.length) core.setFailed(problems.join('\n'))
}
