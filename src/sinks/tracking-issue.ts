// One open GitHub issue per AWS account, found by a hidden marker, kept current every run.
import type { Logger } from '../model.js'
import { isComplete, type Report } from '../report.js'
import {
  accountReport,
  closingComment,
  issueMarker,
  issueTitle,
  renderIssueBody,
  TITLE_PREFIX
} from '../render/issue-body.js'
import { GithubTimeoutError, RATE_LIMIT_WAIT_S, requestLabel, type Octokit } from './octokit.js'
import { isoSeconds } from '../dates.js'
import { plural } from '../render/text.js'

export interface Repo {
  owner: string
  repo: string
}

export interface TrackingOptions {
  labels: string[]
  assignees: string[]
  maskKeyIds: boolean
  runUrl: string | null
  log: Logger
}

export interface OpenIssue {
  number: number
  title: string
  body: string
  url: string
}

export type IssueAction = 'create' | 'update' | 'close' | 'none'

export interface TrackingResult {
  accountId: string
  action: IssueAction
  /** The issue left open, if any. */
  open: { number: number; url: string } | null
}

/**
 * What to do for one account. An account that was not scanned completely is never
 * taken for clean: its issue is left as it is.
 */
export function decideIssueAction(hasFindings: boolean, complete: boolean, existing: OpenIssue | null): IssueAction {
  if (!complete) return 'none'
  if (hasFindings) return existing ? 'update' : 'create'
  return existing ? 'close' : 'none'
}

const LABEL_COLOR = 'b60205'

interface IssueItem {
  number: number
  title: string
  body?: string | null
  html_url: string
  pull_request?: unknown
}

function asOpenIssue(item: IssueItem): OpenIssue {
  return { number: item.number, title: item.title, body: item.body ?? '', url: item.html_url }
}

/**
 * Open issues carrying the account's marker, through the REST issues endpoints (the search
 * API's index lags, so a just-created issue would be missed). First by each label; when a
 * person removed our labels, every open issue is looked at.
 */
export async function findOpenIssues(octokit: Octokit, repo: Repo, labels: string[], accountIds: string[]) {
  const found = new Map<string, OpenIssue>()
  const scan = (items: IssueItem[]) => {
    for (const item of items) {
      if (item.pull_request) continue
      for (const id of accountIds) {
        if (!found.has(id) && (item.body ?? '').includes(issueMarker(id))) found.set(id, asOpenIssue(item))
      }
    }
  }
  const list = (extra: { labels?: string }) =>
    octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', per_page: 100, ...extra })
  for (const label of labels) {
    scan((await list({ labels: label })) as IssueItem[])
    if (found.size === accountIds.length) return found
  }
  scan((await list({})) as IssueItem[])
  return found
}

async function ensureLabels(octokit: Octokit, repo: Repo, labels: string[]): Promise<void> {
  for (const name of labels) {
    try {
      await octokit.rest.issues.createLabel({ ...repo, name, color: LABEL_COLOR })
    } catch (err) {
      // 422: the label exists already.
      if ((err as { status?: number }).status !== 422) throw err
    }
  }
}

/** Create, update or close each scanned account's issue. */
export async function syncTrackingIssues(
  octokit: Octokit,
  repo: Repo,
  report: Report,
  options: TrackingOptions
): Promise<TrackingResult[]> {
  const ids = report.accounts.map((a) => a.accountId)
  const existing = await findOpenIssues(octokit, repo, options.labels, ids)
  const results: TrackingResult[] = []
  for (const accountId of ids) {
    const account = accountReport(report, accountId)
    const issue = existing.get(accountId) ?? null
    const action = decideIssueAction(account.totals.findings > 0, isComplete(account), issue)
    const body = () => renderIssueBody(account, accountId, { maskKeyIds: options.maskKeyIds, runUrl: options.runUrl })
    let open = issue ? { number: issue.number, url: issue.url } : null
    if (action === 'create') {
      await ensureLabels(octokit, repo, options.labels)
      const { data } = await octokit.rest.issues.create({
        ...repo,
        title: issueTitle(account, accountId),
        body: body(),
        labels: options.labels,
        assignees: options.assignees
      })
      open = { number: data.number, url: data.html_url }
      options.log.info(`Opened tracking issue #${data.number} for account ${accountId}`)
    } else if (action === 'update' && issue) {
      // A title a person chose is kept; ours is kept current.
      const title = issue.title.startsWith(TITLE_PREFIX) ? issueTitle(account, accountId) : undefined
      await octokit.rest.issues.update({ ...repo, issue_number: issue.number, body: body(), ...(title ? { title } : {}) })
      options.log.info(`Updated tracking issue #${issue.number} for account ${accountId}`)
    } else if (action === 'close' && issue) {
      await octokit.rest.issues.createComment({
        ...repo,
        issue_number: issue.number,
        body: closingComment(account, accountId, options.runUrl)
      })
      await octokit.rest.issues.update({ ...repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' })
      open = null
      options.log.info(`Closed tracking issue #${issue.number}: account ${accountId} is clean`)
    }
    results.push({ accountId, action, open })
  }
  return results
}

interface GithubErrorLike {
  status?: number
  message?: string
  cause?: unknown
  request?: { method?: string; url?: string }
  response?: { headers?: Record<string, string | undefined> }
}

/** The request an Octokit error came from. */
function requestName(e: GithubErrorLike): string {
  return e.request?.url ? requestLabel(e.request.method, e.request.url) : 'a request'
}

/**
 * When a rate limit answer (403 or 429) says it resets: x-ratelimit-reset (seconds since the
 * epoch) when the primary limit is spent, else retry-after (seconds, or an HTTP date).
 * undefined: not a rate limit; null: a rate limit that does not say.
 */
export function rateLimitReset(err: unknown, now: Date): Date | null | undefined {
  const e = (err ?? {}) as GithubErrorLike
  if (e.status !== 403 && e.status !== 429) return undefined
  const headers = e.response?.headers ?? {}
  const reset = Number(headers['x-ratelimit-reset'])
  if (headers['x-ratelimit-remaining'] === '0' && reset > 0) return new Date(reset * 1000)
  const retryAfter = headers['retry-after']
  if (retryAfter) {
    const date = /^\d+$/.test(retryAfter) ? new Date(now.getTime() + Number(retryAfter) * 1000) : new Date(retryAfter)
    return Number.isNaN(date.getTime()) ? null : date
  }
  return e.status === 429 || /rate limit/i.test(e.message ?? '') ? null : undefined
}

/** GitHub's answer, told as what to change. */
export function describeGithubError(err: unknown, now = new Date()): string {
  const e = (err ?? {}) as GithubErrorLike
  const detail = `${e.status ?? ''} ${e.message ?? String(err)}`.trim()
  if (e.cause instanceof GithubTimeoutError) {
    const tries = (e.request as { request?: { retryCount?: number } } | undefined)?.request?.retryCount
    return `GitHub tracking issue failed: ${e.cause.message} (no answer to ${plural((tries ?? 0) + 1, 'attempt')})`
  }
  const reset = rateLimitReset(err, now)
  if (reset !== undefined) {
    const when = reset ? `; it resets at ${isoSeconds(reset)}` : ''
    return (
      `GitHub's API rate limit was reached on ${requestName(e)} (${detail})${when}. The run waits at most ` +
      `${RATE_LIMIT_WAIT_S} s for it; the tracking issues are brought up to date by a run after the reset.`
    )
  }
  if (e.status === 403 && /not accessible by integration|permission/i.test(e.message ?? '')) {
    return `The GitHub token may not write issues (${detail}). Give the job:\npermissions:\n  issues: write`
  }
  if (e.status === 401) return `The GitHub token was refused (${detail}); check github-token`
  if (e.status === 404) return `GitHub answered 404 (${detail}): the repository is not visible to the token, or issues are disabled`
  return `GitHub tracking issue failed (${detail})`
}
