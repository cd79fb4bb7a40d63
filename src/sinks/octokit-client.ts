// The one place an Octokit client is built: octokit.ts's deadlines and rate-limit handlers, and
// retries for 5xx, network errors and requests cut at the deadline. With the runner's context
// (the workflow's repository, the run's URL), the only code that loads @actions/github and the
// Octokit plugins: main.ts imports this file on demand, when a run keeps tracking issues or
// obeys a comment, so that the other runs do not load them before their first AWS call.
import { context, getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Logger } from '../core/model.js'
import { userAgent } from '../core/user-agent.js'
import { deadlines, rateLimitHandlers, type Octokit } from './octokit.js'
import type { Repo } from './tracking-issue.js'

export function createOctokit(token: string, log: Logger): Octokit {
  return getOctokit(
    token,
    {
      // Before Octokit's own: `iam-key-sentry/0.1.0 github-run/… octokit-core.js/…`.
      userAgent: userAgent(process.env),
      throttle: rateLimitHandlers(log),
      // 4xx are answers, not accidents: a missing permission does not heal on retry. 429 is a
      // rate limit: plugin-throttling waits for it, within the run's budget.
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] }
    },
    deadlines,
    retry,
    throttling
  )
}

/** The workflow's repository (from GITHUB_REPOSITORY; throws without it). */
export function workflowRepo(): Repo {
  return context.repo
}

/** The run's URL, for replies and comments; null off a runner. */
export function runUrl(): string | null {
  return context.runId ? `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}` : null
}
