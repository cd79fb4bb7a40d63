// The built action under injected faults (a proxy in front of moto): it either reports exactly
// the right findings or fails saying what is missing, and never reports an unscanned account clean.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { get } from 'node:http'
import type { Report } from '../../src/core/report.js'
import { TWO_STALE_ONE_FRESH, generateCredentialReport, seedKeys, topicWithQueue, type SeededKey } from './support/aws.js'
import { startFaultProxy, type FaultProxy, type FaultRule } from './support/fault-proxy.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction, type ActionRun } from './support/run-action.js'

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

describeMoto('the built action under injected faults', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let keys: SeededKey[]

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint, 2)
    keys = await seedKeys(moto, [...TWO_STALE_ONE_FRESH, { userName: 'fresh-dan', age: '-5d' }])
    // A report exists already, as in an account scanned earlier today.
    await generateCredentialReport(moto)
  }, 60_000)

  afterAll(async () => {
    await proxy?.close()
    await moto?.stop()
  })

  beforeEach(() => proxy.reset())

  const scan = (rules: FaultRule[], inputs: Record<string, string> = {}): Promise<ActionRun> => {
    proxy.rules.push(...rules)
    return runAction({ 'fail-on': 'none', ...inputs }, motoEnv(proxy.endpoint))
  }

  const staleIds = (run: ActionRun) => {
    const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
    return report.findings.filter((f) => f.kind === 'stale').map((f) => f.accessKeyId).sort()
  }
  const expected = () => keys.filter((k) => k.userName.startsWith('old-')).map((k) => k.accessKeyId).sort()

  const reportsExactly = (run: ActionRun) => {
    expect(run.stdout).not.toContain('::error::')
    expect(run.exitCode).toBe(0)
    expect(staleIds(run)).toEqual(expected())
    expect(run.outputs['stale-count']).toBe('2')
  }

  it('keeps client connections open, as AWS endpoints do, whatever moto answers', async () => {
    // Otherwise every call through the proxy would pay a new connection, in tests and the benchmark.
    const connectionHeader = (url: string) =>
      new Promise<string | undefined>((resolve, reject) => {
        get(url, (res) => {
          res.resume()
          resolve(res.headers.connection)
        }).on('error', reject)
      })
    expect(await connectionHeader(`${proxy.endpoint}/moto-api/`)).toBe('keep-alive')
  })

  it('retries throttled ListAccessKeys calls and reports the right keys', async () => {
    const run = await scan([{ action: 'ListAccessKeys', fault: 'throttle', times: 3 }])
    reportsExactly(run)
    expect(proxy.injected).toEqual(['ListAccessKeys', 'ListAccessKeys', 'ListAccessKeys'])
  }, 60_000)

  it('retries a 503 from GetCredentialReport', async () => {
    const run = await scan([{ action: 'GetCredentialReport', fault: '503', times: 2 }])
    reportsExactly(run)
    expect(proxy.count('GetCredentialReport')).toBe(3)
  }, 60_000)

  it('retries a dropped connection', async () => {
    const run = await scan([
      { action: 'GenerateCredentialReport', fault: 'drop', times: 1 },
      { action: 'ListAccessKeys', fault: 'drop', times: 1 }
    ])
    reportsExactly(run)
    expect(proxy.injected).toEqual(['GenerateCredentialReport', 'ListAccessKeys'])
  }, 60_000)

  it('uses the existing report when GenerateCredentialReport answers LimitExceeded, and says so', async () => {
    const run = await scan([{ action: 'GenerateCredentialReport', fault: 'limit-exceeded', times: 1 }])
    reportsExactly(run)
    expect(proxy.count('GenerateCredentialReport')).toBe(1) // LimitExceeded is not retried
    expect(run.summary).toContain('the existing credential report')
  }, 60_000)

  it('falls back to listing when the credential report is denied, and says which source it used', async () => {
    const run = await scan([{ action: 'GenerateCredentialReport', fault: 'denied', times: Infinity }])
    reportsExactly(run)
    expect(proxy.count('GenerateCredentialReport')).toBe(1) // AccessDenied is not retried
    expect(proxy.count('ListUsers')).toBe(1)
    const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
    expect(report.accounts[0].dataSource).toBe('api')
    expect(report.accounts[0].notes[0]).toMatch(/^fell back to listing users and keys: iam:GenerateCredentialReport was denied/)
    expect(run.summary).toContain('data source: IAM listing')
  }, 60_000)

  it('fails naming the permission, with no counts, when the report and the listing are denied', async () => {
    const run = await scan([
      { action: 'GenerateCredentialReport', fault: 'denied', times: Infinity },
      { action: 'ListUsers', fault: 'denied', times: Infinity }
    ])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('iam:ListUsers was denied')
    for (const output of ['stale-count', 'finding-count', 'users-scanned', 'keys-scanned']) {
      expect(run.outputs[output]).toBeUndefined()
    }
    expect(run.summary).toContain('scan failed for account 123456789012')
  }, 60_000)

  it('fails when the flagged users cannot be confirmed, rather than reporting fewer keys', async () => {
    const run = await scan([{ action: 'ListAccessKeys', fault: 'denied', times: Infinity }])
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('iam:ListAccessKeys was denied')
    expect(run.outputs['stale-count']).toBeUndefined()
  }, 60_000)

  it('keeps the other sinks when SNS is denied, and fails saying so', async () => {
    const topic = await topicWithQueue(moto, 'us-east-1', 'faults')
    const run = await scan([{ action: 'Publish', fault: 'sns-denied', times: Infinity }], { 'sns-topic-arn': topic.topicArn })
    topic.close()
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::Could not publish to SNS: sns:Publish on arn:aws:sns:us-east-1:123456789012:faults was denied/)
    expect(proxy.count('Publish')).toBe(1)
    expect(staleIds(run)).toEqual(expected())
    expect(run.outputs['stale-count']).toBe('2')
    expect(run.summary).toContain('2 stale keys')
  }, 60_000)

  it('names itself in every AWS call, as CloudTrail records it, and tells its story in groups', async () => {
    const run = await runAction({ 'fail-on': 'none' }, { ...motoEnv(proxy.endpoint), GITHUB_RUN_ID: '777' })
    reportsExactly(run)
    expect(proxy.userAgents).toHaveLength(proxy.actions.length)
    for (const userAgent of proxy.userAgents) expect(userAgent).toContain(`iam-key-sentry/${VERSION} github-run/777`)
    const groups = run.stdout.split('\n').filter((line) => line.startsWith('::group::') || line === '::endgroup::')
    expect(groups).toEqual([
      '::group::Scan account 123456789012',
      '::endgroup::',
      '::group::Findings',
      '::endgroup::',
      '::group::Report file',
      '::endgroup::',
      '::group::Job summary',
      '::endgroup::'
    ])
  }, 60_000)

  it('retries a 503 from SNS and publishes once', async () => {
    const topic = await topicWithQueue(moto, 'us-east-1', 'flaky')
    const run = await scan([{ action: 'Publish', fault: '503', times: 1 }], { 'sns-topic-arn': topic.topicArn })
    const messages = await topic.receiveAll()
    topic.close()
    reportsExactly(run)
    expect(proxy.count('Publish')).toBe(2)
    expect(messages).toHaveLength(1)
    expect(run.outputs['sns-message-id']).toMatch(/\S/)
  }, 60_000)
})
