// The built action (dist/index.js) against moto, run as the runner runs it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import type { Report } from '../../src/core/report.js'
import { seedKeys, topicWithQueue, type SeededKey } from './support/aws.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { DIST, motoEnv, runAction } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

describeMoto('the built action against a moto account', () => {
  let moto: MotoServer
  let keys: SeededKey[]
  const idOf = (user: string, status = 'Active') =>
    keys.find((k) => k.userName === user && k.status === status)!.accessKeyId

  beforeAll(async () => {
    if (!existsSync(DIST)) throw new Error('dist/index.js is missing: run `npm run build` first')
    moto = await startMoto()
    // More than 100 users (one ListUsers page) and keys of every age that matters.
    const fresh = Array.from({ length: 104 }, (_, i) => ({ userName: `fresh-${String(i).padStart(3, '0')}`, age: '+0' }))
    keys = await seedKeys(
      moto,
      [
        ...fresh,
        { userName: 'old-alice', age: '-200d' },
        { userName: 'boundary-90', age: '-90d' },
        { userName: 'boundary-89', age: '-89d' },
        { userName: 'old-inactive', age: '-300d', inactive: true },
        { userName: 'rotating-bob', age: '-120d' },
        { userName: 'rotating-bob', age: '-3d' }
      ],
      ['no-keys-carol']
    )
  }, 120_000)

  afterAll(async () => {
    await moto?.stop()
  })

  const expectedStale = () => [idOf('old-alice'), idOf('rotating-bob', 'Active'), idOf('boundary-90')].sort()

  it('reports exactly the stale keys, writes outputs and summary, and publishes one SNS message to SQS', async () => {
    // The topic lives in eu-west-1 while the action's region is us-east-1.
    const topic = await topicWithQueue(moto, 'eu-west-1', 'secops')
    const run = await runAction({ 'sns-topic-arn': topic.topicArn }, motoEnv(moto.endpoint))

    // fail-on defaults to stale,root-key: the step fails, after everything was written.
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('::error::Failing: 3 stale')
    expect(run.outputs['stale-count']).toBe('3')
    expect(run.outputs['finding-count']).toBe('4') // + the old inactive key
    expect(run.outputs['users-scanned']).toBe('110')
    expect(run.outputs['keys-scanned']).toBe(String(keys.length))
    expect(run.outputs['account-id']).toBe('123456789012')
    expect(run.outputs['sns-message-id']).toMatch(/\S+/)

    const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
    expect(run.outputs['report-file'].startsWith(run.runnerTemp)).toBe(true)
    expect(report.schemaVersion).toBe(2)
    expect(report.accounts).toEqual([
      expect.objectContaining({ accountId: '123456789012', dataSource: 'credential-report', users: 110, error: null })
    ])
    const stale = report.findings.filter((f) => f.kind === 'stale')
    expect(stale.map((f) => f.accessKeyId).sort()).toEqual(expectedStale())
    expect(stale.find((f) => f.userName === 'boundary-90')!.ageDays).toBe(90)
    expect(report.findings.filter((f) => f.kind !== 'stale')).toEqual([
      expect.objectContaining({ kind: 'inactive', userName: 'old-inactive', accessKeyId: idOf('old-inactive', 'Inactive') })
    ])

    // The summary lists findings with masked ids; healthy keys are not listed.
    expect(run.summary).toContain('## IAM Key Sentry: 4 findings (3 stale, 1 inactive) in account 123456789012')
    const aliceId = idOf('old-alice')
    expect(run.summary).toContain(`${aliceId.slice(0, 4)}…${aliceId.slice(-4)}`)
    expect(run.summary).not.toContain(aliceId)
    expect(run.summary).not.toMatch(/boundary-89|fresh-0|no-keys-carol/)
    // Written after every sink: why the step failed, and the SNS message it published.
    expect(run.summary).toContain(
      '## IAM Key Sentry: 4 findings (3 stale, 1 inactive) in account 123456789012\n\n' +
        '**This step failed:**\n\n- fail-on stale,root-key: the scan found 3 stale.\n\n' +
        `Published to SNS topic ${topic.topicArn} (message id \`${run.outputs['sns-message-id']}\`).\n\n`
    )

    // One message; the SQS subscriber gets the JSON report as the message.
    const messages = await topic.receiveAll()
    topic.close()
    expect(messages).toHaveLength(1)
    expect(messages[0].Subject).toBe('IAM Key Sentry: 4 findings (3 stale, 1 inactive) in account 123456789012')
    expect(messages[0].MessageAttributes?.staleCount).toEqual({ Type: 'Number', Value: '3' })
    const delivered = JSON.parse(messages[0].Message) as Report
    expect(delivered.findings.filter((f) => f.kind === 'stale').map((f) => f.accessKeyId).sort()).toEqual(expectedStale())
    expect(delivered.totals).toEqual(report.totals)
  }, 60_000)

  it('finds the same stale keys by listing users and keys (data-source: api)', async () => {
    const run = await runAction({ 'data-source': 'api', 'fail-on': 'none' }, motoEnv(moto.endpoint))
    expect(run.exitCode).toBe(0)
    const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
    expect(report.accounts[0].dataSource).toBe('api')
    expect(report.findings.filter((f) => f.kind === 'stale').map((f) => f.accessKeyId).sort()).toEqual(expectedStale())
    expect(run.outputs['users-scanned']).toBe('110')
    expect(run.outputs['stale-count']).toBe('3')
  }, 60_000)

  it('passes at a cutoff no key reaches, and publishes nothing when clean', async () => {
    const topic = await topicWithQueue(moto, 'us-east-1', 'clean-quiet')
    // rotating-bob's two active keys are a two-active-keys finding once the older is not stale:
    // exempted here, so that the run is clean (exempt findings are listed, not counted).
    const run = await runAction(
      { 'max-key-age-days': '400', 'sns-topic-arn': topic.topicArn, 'exempt-users': 'rotating-bob' },
      motoEnv(moto.endpoint)
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs['stale-count']).toBe('0')
    expect(run.outputs['finding-count']).toBe('0')
    expect(run.outputs['sns-message-id']).toBeUndefined()
    expect(run.summary).toContain('no findings in account 123456789012')
    expect(await topic.receiveAll()).toHaveLength(0)
    topic.close()
  }, 60_000)

  it('publishes a clean report as a heartbeat with notify-when: always', async () => {
    const topic = await topicWithQueue(moto, 'us-east-1', 'heartbeat')
    const run = await runAction(
      { 'max-key-age-days': '400', 'sns-topic-arn': topic.topicArn, 'notify-when': 'always', 'exempt-users': 'rotating-bob' },
      motoEnv(moto.endpoint)
    )
    expect(run.exitCode).toBe(0)
    const messages = await topic.receiveAll()
    topic.close()
    expect(messages).toHaveLength(1)
    expect((JSON.parse(messages[0].Message) as Report).totals.findings).toBe(0)
  }, 60_000)

  it('fails honestly when the topic does not exist, and still writes outputs, report and summary', async () => {
    const run = await runAction(
      { 'sns-topic-arn': 'arn:aws:sns:eu-west-1:123456789012:no-such-topic', 'fail-on': 'none' },
      motoEnv(moto.endpoint)
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::Could not publish to SNS: sns:Publish on arn:aws:sns:eu-west-1:123456789012:no-such-topic failed/)
    expect(run.outputs['stale-count']).toBe('3')
    expect(run.outputs['sns-message-id']).toBeUndefined()
    expect(existsSync(run.outputs['report-file'])).toBe(true)
    expect(run.summary).toContain('3 stale')
    expect(run.summary).toContain('**This step failed:**\n\n- Could not publish to SNS: sns:Publish on arn:aws:sns:eu-west-1:123456789012:no-such-topic failed')
    expect(run.summary).not.toContain('Published to SNS')
  }, 60_000)
})
