// The Octokit factory: a deadline on every GitHub request (cut, retried, then a clear error)
// and a bounded total wait on rate limits. A local server stands in for GitHub;
// IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS shortens the 30 s deadline to 200 ms.
import { createServer, type Server } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import type { Logger } from '../../../src/core/model.js'
import { RequestTimeoutError } from '../../../src/core/deadline.js'
import { fetchWithDeadline, rateLimitHandlers } from '../../../src/sinks/octokit.js'
import { createOctokit } from '../../../src/sinks/octokit-client.js'
import { VERSION } from '../../../src/core/user-agent.js'
import { listenLocally } from '../helpers.js'

const logger = (): Logger & { lines: string[] } => {
  const lines: string[] = []
  return { lines, info: (m) => lines.push(m), warning: (m) => lines.push(m), debug: () => {} }
}

describe('fetchWithDeadline', () => {
  /** A fetch that never answers, but gives up when its signal is aborted, as fetch does. */
  const silent: typeof fetch = (_input, init) =>
    new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))

  it('cuts a request at the deadline, naming it', async () => {
    const err = await fetchWithDeadline(silent, 50)('https://api.github.com/repos/acme/infra/issues?page=2', { method: 'GET' }).catch((e) => e)
    expect(err).toBeInstanceOf(RequestTimeoutError)
    expect((err as Error).message).toBe('GET /repos/acme/infra/issues timed out after 0.1 s')
  })

  it('passes an answer through whole: status, headers, body, url', async () => {
    const answer = new Response('{"number":1}', { status: 201, headers: { 'content-type': 'application/json', link: '<x>; rel="next"' } })
    Object.defineProperty(answer, 'url', { value: 'https://api.github.com/repos/acme/infra/issues' })
    const response = await fetchWithDeadline(async () => answer, 1_000)('https://api.github.com/repos/acme/infra/issues')
    expect(response.status).toBe(201)
    expect(response.headers.get('link')).toBe('<x>; rel="next"')
    expect(response.url).toBe('https://api.github.com/repos/acme/infra/issues')
    expect(await response.json()).toEqual({ number: 1 })
    const empty = await fetchWithDeadline(async () => new Response(null, { status: 204 }), 1_000)('https://api.github.com/x')
    expect(empty.status).toBe(204)
  })

  it('passes other failures on as they are', async () => {
    const refused = new TypeError('fetch failed')
    await expect(fetchWithDeadline(() => Promise.reject(refused), 1_000)('https://api.github.com/x')).rejects.toBe(refused)
  })
})

describe('rateLimitHandlers', () => {
  const options = { method: 'GET', url: 'https://api.github.com/repos/acme/infra/issues?state=open' }

  it('waits while the run’s total wait stays within the budget, then gives up', () => {
    const log = logger()
    const { onRateLimit, onSecondaryRateLimit } = rateLimitHandlers(log, 60)
    expect(onRateLimit(20, options, null, 0)).toBe(true)
    expect(onSecondaryRateLimit(30, options, null, 0)).toBe(true)
    expect(onRateLimit(11, options, null, 0)).toBe(false) // 10 s left
    expect(onRateLimit(10, options, null, 1)).toBe(true)
    expect(onRateLimit(0, options, null, 0)).toBe(true)
    expect(log.lines).toContain('GitHub primary rate limit on GET /repos/acme/infra/issues: not waiting 11 s (10 s left of this run\'s 60 s)')
  })

  it('never waits for a reset past the budget, and retries a request at most twice', () => {
    const { onRateLimit } = rateLimitHandlers(logger(), 60)
    expect(onRateLimit(300, options, null, 0)).toBe(false)
    expect(onRateLimit(1, options, null, 2)).toBe(false)
  })
})

describe('createOctokit against a GitHub that does not answer at first', () => {
  let server: Server
  let hang = 0
  let requests: string[] = []
  let userAgents: (string | undefined)[] = []
  const saved = { ...process.env }

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`)
      userAgents.push(req.headers['user-agent'])
      if (hang-- > 0) return
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify([{ number: 7 }]))
    })
    process.env.GITHUB_API_URL = await listenLocally(server)
    process.env.IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS = '200'
  })

  afterEach(() => {
    requests = []
    userAgents = []
    server.closeAllConnections()
  })

  afterAll(async () => {
    process.env = saved
    await new Promise((resolve) => server.close(resolve))
  })

  // getOctokit reads GITHUB_API_URL when @actions/github is loaded: pass it explicitly.
  const octokit = () => {
    const client = createOctokit('token', logger())
    return client.request('GET /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'infra', baseUrl: process.env.GITHUB_API_URL })
  }

  it('cuts a hung request and succeeds on the retry', async () => {
    hang = 1
    const { data } = await octokit()
    expect(data).toEqual([{ number: 7 }])
    expect(requests).toEqual(['GET /repos/acme/infra/issues', 'GET /repos/acme/infra/issues'])
  }, 10_000)

  it('names the action, its version and the workflow run in the User-Agent, before Octokit’s own', async () => {
    process.env.GITHUB_RUN_ID = '4242'
    await octokit()
    expect(userAgents).toHaveLength(1)
    expect(userAgents[0]?.split(' ').slice(0, 3)).toEqual([`iam-key-sentry/${VERSION}`, 'github-run/4242', expect.stringMatching(/^octokit-core\.js\//)])
  })

  // Every attempt hanging (4 attempts, 1 + 4 + 9 s between them): __tests__/integration/deadlines.test.ts.
})
