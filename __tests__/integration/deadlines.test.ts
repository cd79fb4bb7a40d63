// Deadlines: a hung AWS or GitHub request is cut and retried; one that keeps hanging fails
// its sink saying which call timed out, and a GitHub rate limit is waited on only briefly.
// IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS shortens the per-attempt deadline (30 s) to 1 s here;
// the hangs are endless, so any finish at all proves the hang was cut.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import type { Report } from '../../src/core/report.js'
import { TWO_STALE_ONE_FRESH, generateCredentialReport, seedKeys, topicWithQueue, type SeededKey } from './support/aws.js'
import { startFaultProxy, type FaultProxy, type FaultRule } from './support/fault-proxy.js'
import { startFakeGitHub, type FakeGitHub, type GitHubFault } from './support/github-api.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction, type ActionRun } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

describeMoto('deadlines on AWS and GitHub calls, and a bounded rate-limit wait', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let github: FakeGitHub
  let keys: SeededKey[]

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
    github = await startFakeGitHub()
    keys = await seedKeys(moto, [...TWO_STALE_ONE_FRESH])
    await generateCredentialReport(moto)
  }, 60_000)

  afterAll(async () => {
    await proxy?.close()
    await github?.close()
    await moto?.stop()
  })

  beforeEach(() => {
    proxy.reset()
    github.faults.length = 0
    github.issues.length = 0
    github.requests.length = 0
  })

  const run = async (rules: FaultRule[], faults: GitHubFault[], inputs: Record<string, string> = {}) => {
    proxy.rules.push(...rules)
    github.faults.push(...faults)
    const started = Date.now()
    const result = await runAction(
      { 'fail-on': 'none', ...inputs },
      {
        ...motoEnv(proxy.endpoint),
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/infra',
        IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS: '1000'
      }
    )
    return { ...result, seconds: (Date.now() - started) / 1000 }
  }
  const withIssue = { 'create-issue': 'true', 'github-token': 'good-token' }

  const staleIds = (result: ActionRun) => {
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as Report
    return report.findings.filter((f) => f.kind === 'stale').map((f) => f.accessKeyId).sort()
  }
  const expected = () => keys.filter((k) => k.userName.startsWith('old-')).map((k) => k.accessKeyId).sort()
  /** The scan's sinks got their results: the report file, the outputs and the summary. */
  const reported = (result: ActionRun) => {
    expect(existsSync(result.outputs['report-file'])).toBe(true)
    expect(staleIds(result)).toEqual(expected())
    expect(result.outputs['stale-count']).toBe('2')
    expect(result.summary).toContain('2 stale keys')
  }
  const errors = (result: ActionRun) => result.stdout.split('\n').filter((l) => l.startsWith('::error'))

  it('cuts a hung GetCredentialReport, GetCallerIdentity and Publish, and succeeds on the retry', async () => {
    const topic = await topicWithQueue(moto, 'us-east-1', 'deadlines')
    const result = await run(
      [
        { action: 'GetCallerIdentity', fault: 'hang', times: 1 },
        { action: 'GetCredentialReport', fault: 'hang', times: 1 },
        { action: 'Publish', fault: 'hang', times: 1 }
      ],
      [],
      { 'sns-topic-arn': topic.topicArn }
    )
    const messages = await topic.receiveAll()
    topic.close()
    expect(errors(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    reported(result)
    expect(proxy.injected.sort()).toEqual(['GetCallerIdentity', 'GetCredentialReport', 'Publish'])
    expect(proxy.count('GetCredentialReport')).toBe(2)
    expect(messages).toHaveLength(1)
  }, 60_000)

  it('fails naming the call and the deadline when GetCredentialReport keeps hanging', async () => {
    const result = await run([{ action: 'GetCredentialReport', fault: 'hang', times: Infinity }], [], {
      'data-source': 'credential-report'
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(/iam:GetCredentialReport timed out after 1 s \(no answer to 3 attempts\)/)
    expect(proxy.count('GetCredentialReport')).toBe(3)
    expect(result.seconds).toBeLessThan(45) // endless hang; 3 x 1 s and the backoff
  }, 60_000)

  it('cuts a hung GitHub request and succeeds on the retry', async () => {
    const result = await run([], [{ fault: 'hang', times: 1 }], withIssue)
    expect(errors(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(github.issues).toHaveLength(1)
    expect(github.requests[0]).toBe(github.requests[1]) // the hung request, then its retry
  }, 60_000)

  it('fails the GitHub sink naming the request when GitHub keeps hanging; the other sinks keep their results', async () => {
    const result = await run([], [{ fault: 'hang', times: Infinity }], withIssue)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /::error::GitHub tracking issue failed: GET \/\S+ timed out after 1 s \(no answer to 4 attempts\)/
    )
    expect(github.issues).toHaveLength(0)
    reported(result)
    expect(result.seconds).toBeLessThan(45) // endless hang; 4 x 1 s and 1 + 4 + 9 s between
  }, 60_000)

  it('waits for a rate limit that resets within the budget of the run, then succeeds', async () => {
    const result = await run([], [{ fault: 'rate-limit', status: 403, times: 1, resetInSeconds: 1 }], withIssue)
    expect(errors(result)).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/GitHub primary rate limit on GET \/\S+; retrying in/)
    expect(github.issues).toHaveLength(1)
  }, 60_000)

  for (const status of [403, 429] as const) {
    it(`gives up at once on a ${status} rate limit that resets in 300 s, saying when; the other sinks keep their results`, async () => {
      const fault: GitHubFault = { fault: 'rate-limit', status, times: Infinity, resetInSeconds: 300 }
      const result = await run([], [fault], withIssue)
      expect(result.exitCode).toBe(1)
      const resetAt = new Date(fault.resetAt! * 1000).toISOString().replace(/\.000Z$/, 'Z')
      expect(result.stdout).toContain(`GitHub's API rate limit was reached`)
      expect(result.stdout).toContain(`it resets at ${resetAt}`)
      expect(github.requests).toHaveLength(1) // no wait, no retry
      reported(result)
      expect(result.seconds).toBeLessThan(45) // 300 s before the fix
    }, 60_000)
  }
})
