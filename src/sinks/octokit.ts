// How the Octokit client (built in octokit-client.ts) behaves: a deadline on every request, and
// GitHub's rate limits respected for at most RATE_LIMIT_WAIT_S a run (then the request fails,
// saying when the limit resets). Nothing here loads Octokit: the tracking issue's code imports
// this file at start-up, while @actions/github and its plugins are loaded only when a run uses GitHub.
import type { getOctokit } from '@actions/github'
import { RequestTimeoutError, requestTimeoutMs } from '../core/deadline.js'
import type { Logger } from '../core/model.js'

export type Octokit = ReturnType<typeof getOctokit>

/**
 * The longest a run waits, in all, for GitHub's rate limits. A primary limit can reset an
 * hour ahead: waiting for it would hold the job (and its runner) for that hour, while the
 * tracking issues can as well be brought up to date by the next run.
 */
export const RATE_LIMIT_WAIT_S = 60

/** `GET /repos/acme/infra/issues`: a request as the log and errors name it (no host, no query). */
export function requestLabel(method: string | undefined, url: string): string {
  return `${method ?? 'GET'} ${URL.canParse(url) ? new URL(url).pathname : url.replace(/\?.*$/, '')}`
}

// Statuses whose answer has no body; a Response built with one throws.
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/**
 * fetch with a deadline over the whole exchange, the body included: GitHub's answers are
 * small JSON pages, read here in full, so neither a silent server nor a stalled body holds
 * the step. On the deadline it throws RequestTimeoutError naming the request.
 */
export function fetchWithDeadline(fetch: typeof globalThis.fetch, timeoutMs: number): typeof globalThis.fetch {
  return async (input, init = {}) => {
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(), timeoutMs)
    const signal = init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal
    try {
      const response = await fetch(input, { ...init, signal })
      const body = NULL_BODY.has(response.status) ? null : await response.arrayBuffer()
      const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: [...response.headers] })
      Object.defineProperty(copy, 'url', { value: response.url })
      return copy
    } catch (err) {
      if (!deadline.signal.aborted) throw err
      throw new RequestTimeoutError(requestLabel(init.method, input instanceof Request ? input.url : String(input)), timeoutMs)
    } finally {
      clearTimeout(timer)
    }
  }
}

const withDeadline = new WeakSet<typeof globalThis.fetch>()

/**
 * A plugin putting fetchWithDeadline under every request. Each fetch call (each attempt,
 * retries included) gets its own deadline. The options are changed in place: a hook's
 * inner hooks see the options it was given, not new ones.
 */
export function deadlines(octokit: { hook: Octokit['hook'] }): void {
  const timeoutMs = requestTimeoutMs(process.env)
  octokit.hook.before('request', (options) => {
    const fetch = (options.request.fetch as typeof globalThis.fetch | undefined) ?? globalThis.fetch
    if (withDeadline.has(fetch)) return
    options.request.fetch = fetchWithDeadline(fetch, timeoutMs)
    withDeadline.add(options.request.fetch)
  })
}

/**
 * plugin-throttling's onRateLimit and onSecondaryRateLimit: wait and retry while the run's
 * total wait stays within budgetS, else give up (the request fails with GitHub's answer).
 */
export function rateLimitHandlers(log: Logger, budgetS = RATE_LIMIT_WAIT_S) {
  let left = budgetS
  const onLimit = (kind: string) => (retryAfter: number, options: object, _octokit: unknown, retryCount: number) => {
    const { method, url = '' } = options as { method?: string; url?: string }
    const request = requestLabel(method, url)
    if (retryCount >= 2 || retryAfter > left) {
      log.info(`GitHub ${kind} rate limit on ${request}: not waiting ${retryAfter} s (${left} s left of this run's ${budgetS} s)`)
      return false
    }
    left -= retryAfter
    log.warning(`GitHub ${kind} rate limit on ${request}; retrying in ${retryAfter} s`)
    return true
  }
  return { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') }
}
