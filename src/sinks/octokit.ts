// The one place an Octokit client is built: retries for 5xx and network errors, and
// GitHub's rate limits respected (wait and retry twice, then give up).
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Logger } from '../model.js'

export type Octokit = ReturnType<typeof getOctokit>

export function createOctokit(token: string, log: Logger): Octokit {
  const onLimit = (kind: string) => (retryAfter: number, options: object, _octokit: unknown, retryCount: number) => {
    const { method, url } = options as { method?: string; url?: string }
    log.warning(`GitHub ${kind} rate limit on ${method} ${url}; retrying in ${retryAfter} s`)
    return retryCount < 2
  }
  return getOctokit(
    token,
    {
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
      // 4xx are answers, not accidents: a missing permission does not heal on retry.
      retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] }
    },
    retry,
    throttling
  )
}
