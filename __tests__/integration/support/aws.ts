// Real SDK clients against moto, for seeding accounts and reading what the action sent.
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GenerateCredentialReportCommand,
  IAMClient,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient
} from '@aws-sdk/client-sqs'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import type { MotoServer } from './moto.js'
import { motoEnv } from './run-action.js'

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** Config for a real SDK client talking to moto: its endpoint, a region, and dummy or given credentials. */
export function motoClientConfig(endpoint: string, region = 'us-east-1', credentials?: Credentials) {
  const env = motoEnv(endpoint)
  return {
    region,
    endpoint,
    credentials: credentials ?? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
  }
}

/**
 * Credentials for another moto account: moto keeps a separate state per account and maps
 * an assumed role's session to the role's account.
 */
export async function accountCredentials(moto: MotoServer, accountId: string, role = 'seeder'): Promise<Credentials> {
  const sts = new STSClient(motoClientConfig(moto.endpoint, 'us-east-1'))
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${role}`, RoleSessionName: 'seed' })
  )
  sts.destroy()
  const c = out.Credentials!
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }
}

export interface SeededKey {
  userName: string
  accessKeyId: string
  status: 'Active' | 'Inactive'
}

export interface KeySpec {
  userName: string
  /** libfaketime offset at creation: `-200d`; `+0` for now. */
  age: string
  inactive?: boolean
}

/** Create users and keys; each key is made with moto's clock set to `age`. */
export async function seedKeys(
  moto: MotoServer,
  specs: KeySpec[],
  users: string[] = [],
  credentials?: Credentials
): Promise<SeededKey[]> {
  const iam = new IAMClient(motoClientConfig(moto.endpoint, 'us-east-1', credentials))
  const created = new Set<string>()
  const keys: SeededKey[] = []
  try {
    for (const name of users) {
      await iam.send(new CreateUserCommand({ UserName: name }))
      created.add(name)
    }
    for (const spec of specs) {
      if (!created.has(spec.userName)) {
        await iam.send(new CreateUserCommand({ UserName: spec.userName }))
        created.add(spec.userName)
      }
      moto.setClock(spec.age)
      const out = await iam.send(new CreateAccessKeyCommand({ UserName: spec.userName }))
      moto.setClock('+0')
      const id = out.AccessKey!.AccessKeyId!
      if (spec.inactive) {
        await iam.send(new UpdateAccessKeyCommand({ UserName: spec.userName, AccessKeyId: id, Status: 'Inactive' }))
      }
      keys.push({ userName: spec.userName, accessKeyId: id, status: spec.inactive ? 'Inactive' : 'Active' })
    }
  } finally {
    moto.setClock('+0')
    iam.destroy()
  }
  return keys
}

/** The account most tests scan: two stale users (200 and 120 days) and a fresh one. */
export const TWO_STALE_ONE_FRESH: readonly KeySpec[] = [
  { userName: 'old-alice', age: '-200d' },
  { userName: 'old-bob', age: '-120d' },
  { userName: 'fresh-carol', age: '+0' }
]

/** Keys in another moto account, created through a role in it; its credentials come back too. */
export async function seedAccountKeys(
  moto: MotoServer,
  accountId: string,
  specs: KeySpec[]
): Promise<{ credentials: Credentials; keys: SeededKey[] }> {
  const credentials = await accountCredentials(moto, accountId)
  return { credentials, keys: await seedKeys(moto, specs, [], credentials) }
}

/** A credential report made now, as in an account scanned earlier today (the default account unless given). */
export async function generateCredentialReport(moto: MotoServer, credentials?: Credentials): Promise<void> {
  const iam = new IAMClient(motoClientConfig(moto.endpoint, 'us-east-1', credentials))
  try {
    await iam.send(new GenerateCredentialReportCommand({}))
  } finally {
    iam.destroy()
  }
}

/** An SNS topic with an SQS queue subscribed to it, both in `region`. */
export async function topicWithQueue(moto: MotoServer, region: string, name: string) {
  const sns = new SNSClient(motoClientConfig(moto.endpoint, region))
  const sqs = new SQSClient(motoClientConfig(moto.endpoint, region))
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-queue` }))).QueueUrl!
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }))
  sns.destroy()
  return {
    topicArn,
    /** Every message the queue holds now (SNS envelopes, parsed). */
    async receiveAll(): Promise<{ Message: string; Subject?: string; MessageAttributes?: Record<string, { Type: string; Value: string }> }[]> {
      const all = []
      for (;;) {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 })
        )
        if (!out.Messages?.length) break
        all.push(...out.Messages.map((m) => JSON.parse(m.Body!)))
      }
      return all
    },
    close: () => sqs.destroy()
  }
}

/** Runs `f` with an IAM client on moto (the default account, or `credentials`'), then closes it. */
export async function iamDo<T>(moto: MotoServer, f: (iam: IAMClient) => Promise<T>, credentials?: Credentials): Promise<T> {
  const iam = new IAMClient(motoClientConfig(moto.endpoint, 'us-east-1', credentials))
  try {
    return await f(iam)
  } finally {
    iam.destroy()
  }
}
