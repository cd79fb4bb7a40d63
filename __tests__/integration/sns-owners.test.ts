// The SNS owners attribute (issue 16) against moto: a subscription per owner, with a filter
// policy on `owners`, gets only the messages that name that owner. First the message the code
// builds, published directly (moto honours String.Array filter policies); then the built action
// scanning users with owner tags.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { IAMClient, TagUserCommand } from '@aws-sdk/client-iam'
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { SEVERITY, type Finding } from '../../src/core/model.js'
import { buildReport, type Report } from '../../src/core/report.js'
import { buildSnsMessage } from '../../src/render/sns-message.js'
import { publishReport } from '../../src/sinks/sns.js'
import { motoClientConfig, seedKeys, type SeededKey } from './support/aws.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { DIST, motoEnv, runAction } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const REGION = 'us-east-1'
const ACCOUNT = '123456789012'

interface Envelope {
  Message: string
  Subject?: string
  MessageAttributes?: Record<string, { Type: string; Value: string }>
}

interface Queue {
  /** Every message the queue holds now (SNS envelopes, parsed). */
  receiveAll(): Promise<Envelope[]>
}

/** A topic, and a way to subscribe a new SQS queue to it with a filter policy on the message attributes. */
async function topicWithFilteredQueues(moto: MotoServer, name: string) {
  const sns = new SNSClient(motoClientConfig(moto.endpoint, REGION))
  const sqs = new SQSClient(motoClientConfig(moto.endpoint, REGION))
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!
  return {
    topicArn,
    sns,
    async queue(queueName: string, filterPolicy: object | null): Promise<Queue> {
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${queueName}` }))).QueueUrl!
      const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!
        .QueueArn!
      await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queueArn,
          Attributes: filterPolicy ? { FilterPolicy: JSON.stringify(filterPolicy), FilterPolicyScope: 'MessageAttributes' } : {}
        })
      )
      return {
        async receiveAll() {
          const all: Envelope[] = []
          for (;;) {
            const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))
            if (!out.Messages?.length) break
            all.push(...out.Messages.map((m) => JSON.parse(m.Body!) as Envelope))
          }
          return all
        }
      }
    },
    close() {
      sns.destroy()
      sqs.destroy()
    }
  }
}

function ownedFinding(userName: string, owners: string[], exempt = false): Finding {
  return {
    accountId: ACCOUNT,
    kind: 'stale',
    severity: SEVERITY.stale,
    userName,
    userArn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
    accessKeyId: `AKIA${userName.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(16, '0').slice(0, 16)}`,
    status: 'Active',
    createdAt: '2026-01-01T00:00:00Z',
    ageDays: 200,
    lastUsedAt: null,
    lastUsedService: null,
    exempt,
    exemptReason: exempt ? 'exempt-users svc-*' : null,
    owners
  }
}

function reportOf(findings: Finding[]): Report {
  return buildReport({
    generatedAt: new Date(),
    policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null },
    scans: [{ accountId: ACCOUNT, dataSource: 'credential-report', users: findings.length, keys: findings.length, findings, notes: [] }]
  })
}

describeMoto('the SNS owners attribute against moto', () => {
  let moto: MotoServer

  beforeAll(async () => {
    moto = await startMoto()
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
  })

  it('reaches only the subscriptions whose filter policy names an owner in it (the message as the action builds and publishes it)', async () => {
    const topic = await topicWithFilteredQueues(moto, 'owners-direct')
    const alice = await topic.queue('alice', { owners: ['alice@example.com'] })
    const carol = await topic.queue('carol', { owners: ['carol@example.com'] })
    const team = await topic.queue('platform', { owners: ['@acme/platform'] })
    const unowned = await topic.queue('unowned', { owners: [{ exists: false }] })
    const everything = await topic.queue('secops', null)

    const messages = {
      aliceAndBob: buildSnsMessage(reportOf([ownedFinding('old-alice', ['alice@example.com']), ownedFinding('old-bob', ['@bob', 'bob@example.com'])])),
      // carol's only finding is exempt: her subscription must not get this one.
      platformOnly: buildSnsMessage(reportOf([ownedFinding('svc-deploy', ['@Acme/Platform']), ownedFinding('svc-carol', ['carol@example.com'], true)])),
      nobody: buildSnsMessage(reportOf([ownedFinding('old-nobody', [])]))
    }
    expect(messages.aliceAndBob.attributes.owners).toEqual({
      DataType: 'String.Array',
      StringValue: '["alice@example.com","@bob","bob@example.com"]'
    })
    expect(messages.platformOnly.attributes.owners.StringValue).toBe('["@acme/platform"]')
    expect(messages.nobody.attributes.owners).toBeUndefined()

    const ids: Record<string, string> = {}
    for (const [name, message] of Object.entries(messages)) ids[name] = await publishReport(topic.sns, topic.topicArn, message)

    const received = async (q: Queue) => (await q.receiveAll()).map((e) => e.Message)
    const defaultOf = (name: keyof typeof messages) => (JSON.parse(messages[name].message) as { default: string }).default

    const toAlice = await alice.receiveAll()
    expect(toAlice.map((e) => e.Message)).toEqual([defaultOf('aliceAndBob')])
    // The attribute reaches the subscriber as SNS sends it.
    expect(toAlice[0].MessageAttributes?.owners).toEqual({ Type: 'String.Array', Value: '["alice@example.com","@bob","bob@example.com"]' })
    expect(await received(carol)).toEqual([])
    expect(await received(team)).toEqual([defaultOf('platformOnly')])
    expect(await received(unowned)).toEqual([defaultOf('nobody')])
    expect((await received(everything)).sort()).toEqual([defaultOf('aliceAndBob'), defaultOf('platformOnly'), defaultOf('nobody')].sort())
    expect(Object.values(ids).every((id) => id.length > 0)).toBe(true)
    topic.close()
  }, 60_000)

  describe('the built action, with owners from the users\' owner tags', () => {
    let keys: SeededKey[]

    beforeAll(async () => {
      if (!existsSync(DIST)) throw new Error('dist/index.js is missing: run `npm run build` first')
      keys = await seedKeys(moto, [
        { userName: 'old-alice', age: '-200d' },
        { userName: 'old-bob', age: '-150d' },
        { userName: 'old-nobody', age: '-120d' },
        { userName: 'fresh-dave', age: '+0' }
      ])
      const iam = new IAMClient(motoClientConfig(moto.endpoint, REGION))
      try {
        await iam.send(new TagUserCommand({ UserName: 'old-alice', Tags: [{ Key: 'owner', Value: 'alice@example.com' }] }))
        await iam.send(new TagUserCommand({ UserName: 'old-bob', Tags: [{ Key: 'owner', Value: '@bob bob@example.com' }] }))
        // A fresh key has no finding: its owner must not reach SNS.
        await iam.send(new TagUserCommand({ UserName: 'fresh-dave', Tags: [{ Key: 'owner', Value: 'carol@example.com' }] }))
      } finally {
        iam.destroy()
      }
    }, 60_000)

    it('publishes one message that the alice subscription gets and the carol subscription does not', async () => {
      const topic = await topicWithFilteredQueues(moto, 'owners-action')
      const alice = await topic.queue('alice', { owners: ['alice@example.com'] })
      const carol = await topic.queue('carol', { owners: ['carol@example.com'] })
      const everything = await topic.queue('secops', null)

      const run = await runAction({ 'sns-topic-arn': topic.topicArn, 'fail-on': 'none' }, motoEnv(moto.endpoint))
      expect(run.exitCode).toBe(0)
      expect(run.outputs['sns-message-id']).toMatch(/\S+/)

      const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
      const ownersOf = (user: string) => report.findings.find((f) => f.userName === user)?.owners
      expect(report.findings.map((f) => f.accessKeyId).sort()).toEqual(
        keys.filter((k) => k.userName.startsWith('old-')).map((k) => k.accessKeyId).sort()
      )
      expect(ownersOf('old-alice')).toEqual(['alice@example.com'])
      expect(ownersOf('old-bob')).toEqual(['@bob', 'bob@example.com'])
      expect(ownersOf('old-nobody')).toEqual([])

      const all = await everything.receiveAll()
      expect(all).toHaveLength(1)
      expect(JSON.parse(all[0].MessageAttributes?.owners?.Value ?? 'null')).toEqual(['alice@example.com', '@bob', 'bob@example.com'])

      const toAlice = await alice.receiveAll()
      expect(toAlice).toHaveLength(1)
      expect(toAlice[0].Message).toBe(all[0].Message)
      expect(await carol.receiveAll()).toEqual([])
      topic.close()
    }, 60_000)
  })
})
