// The action adapter: inputs -> scan -> sinks -> exit status. The only place that reads inputs.
import * as core from '@actions/core'
import { context } from '@actions/github'
import { createSnsClient, createStsClient, type AwsClientConfig } from '../aws/clients.js'
import { errorMessage } from '../aws/errors.js'
import { assumeRoleWithOidc } from '../aws/oidc.js'
import { parseInputs, type ActionOptions } from './inputs.js'
import type { Logger, ScanResults } from '../core/model.js'
import { buildReport, isComplete, UNKNOWN_ACCOUNT, type Report } from '../core/report.js'
import { logLine } from '../render/escape.js'
import { describeFailures } from '../render/failures.js'
import { buildSnsMessage } from '../render/sns-message.js'
import { renderSummary } from '../render/summary.js'
import { plural } from '../core/plural.js'
import { keyCell, title } from '../render/text.js'
import { scanWithOptions } from '../scan/accounts.js'
import { writeReportFile } from '../sinks/report-file.js'
import { publishReport, topicRegion } from '../sinks/sns.js'
import { createOctokit } from '../sinks/octokit.js'
import { describeGithubError, syncTrackingIssues } from '../sinks/tracking-issue.js'
import { failOnMessage } from '../core/fail-on.js'

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
  if (!options.oidc) return { region }
  const credentials = await assumeRoleWithOidc(options.oidc, {
    getIdToken: (audience) => core.getIDToken(audience),
    mask: (value) => core.setSecret(value),
    sts: createStsClient({ region })
  })
  log.info(`Assumed ${options.oidc.roleArn} with the workflow's OIDC token`)
  return { region, credentials }
}

function logFindings(report: Report, mask: boolean): void {
  for (const f of report.findings) {
    log.info(`${f.kind}${f.exempt ? ' (exempt)' : ''}: ${f.userName} ${keyCell(f, mask)}, ${f.ageDays} days old`)
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
    log.info('GITHUB_STEP_SUMMARY is not set (not on a runner): no job summary written')
    return
  }
  await core.summary.addRaw(renderSummary(report, { maskKeyIds: options.maskKeyIds })).write({ overwrite: false })
}

async function notify(report: Report, topicArn: string, aws: AwsClientConfig): Promise<void> {
  const message = buildSnsMessage(report)
  if (message.omitted > 0) log.warning(`SNS message: ${plural(message.omitted, 'finding')} left out to fit 256 KB`)
  const sns = createSnsClient({ ...aws, region: topicRegion(topicArn) })
  const id = await publishReport(sns, topicArn, message)
  core.setOutput('sns-message-id', id)
  log.info(`Published the report to ${topicArn} (message ${id})`)
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
    scanned = await scanWithOptions(options, aws, now, { log, mask: (value) => core.setSecret(value) })
  } catch (err) {
    scanned = { scans: [], failures: [{ accountId: null, error: errorMessage(err) }] }
  }
  const { scans, failures } = scanned
  const report = buildReport({ generatedAt: now, policy: options.policy, scans, failures })
  // One line per distinct error, however many accounts failed; the report file has each one.
  const problems: string[] = describeFailures(failures)
  log.info(`IAM Key Sentry: ${title(report)}`)
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
  const failing = failOnMessage(report, options.failOn)
  if (failing) problems.push(failing)
  // setFailed escapes its message (`::error::` data): line breaks in it, ours or AWS's, command nothing.
  if (problems.length) core.setFailed(problems.join('\n'))
}
