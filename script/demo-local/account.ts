// The demo's account in moto: one IAM user per thing the scan tells apart, each key made "in the
// past" by moving moto's libfaketime clock, and "used" by a signed call with that key at a past
// time (moto records every request's key as last used, with the service it called).
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { motoClientConfig } from '../../__tests__/integration/support/aws.js'
import type { MotoServer } from '../../__tests__/integration/support/moto.js'
import type { FindingKind } from '../../src/core/model.js'

/** The demo's policy, the same for the CLI (flags) and the action (inputs). */
export const DEMO_POLICY = { 'max-key-age-days': '90', 'warn-key-age-days': '75', 'max-unused-days': '45' } as const

export interface DemoKey {
  /** Days ago the key was made. */
  ageDays: number
  /** Days ago it was last used (a signed sts:GetCallerIdentity then); absent: never used. */
  usedDaysAgo?: number
  inactive?: boolean
}

export interface Expected {
  kind: FindingKind | null
  exempt?: boolean
  owners?: string[]
}

export interface DemoUser {
  userName: string
  path?: string
  tags?: Record<string, string>
  keys: DemoKey[]
  /** What the scan should find on this user (null: healthy), for the demo's own check and its test. */
  expect: Expected
}

export const DEMO_USERS: readonly DemoUser[] = [
  { userName: 'deploy-legacy', keys: [{ ageDays: 200, usedDaysAgo: 3 }], expect: { kind: 'stale' } },
  {
    userName: 'kate',
    path: '/engineering/',
    tags: { owner: '@alice' },
    keys: [{ ageDays: 120, usedDaysAgo: 1 }],
    expect: { kind: 'stale', owners: ['@alice'] }
  },
  { userName: 'ci-bot', keys: [{ ageDays: 60 }], expect: { kind: 'unused' } },
  { userName: 'former-contractor', keys: [{ ageDays: 150, inactive: true }], expect: { kind: 'inactive' } },
  {
    userName: 'svc-backup',
    tags: { 'key-sentry:exempt': 'true' },
    keys: [{ ageDays: 300, usedDaysAgo: 1 }],
    expect: { kind: 'stale', exempt: true }
  },
  {
    userName: 'dana-rotating',
    keys: [
      { ageDays: 40, usedDaysAgo: 2 },
      { ageDays: 2, usedDaysAgo: 0 }
    ],
    expect: { kind: 'two-active-keys' }
  },
  { userName: 'reporting-etl', keys: [{ ageDays: 80, usedDaysAgo: 1 }], expect: { kind: 'expiring' } },
  { userName: 'fresh-carol', keys: [{ ageDays: 10, usedDaysAgo: 0 }], expect: { kind: null } }
]

/** Moto's clock `days` ago, as libfaketime reads it; 0 is now. */
const daysAgo = (days: number) => (days === 0 ? '+0' : `-${days}d`)

/** Every call to moto has a deadline: moto answers in milliseconds, so 10 s means it is stuck. */
const DEADLINES = { requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 }, maxAttempts: 2 }

/** Create the demo's users and keys in moto's default account (123456789012). */
export async function seedDemoAccount(moto: MotoServer): Promise<void> {
  const iam = new IAMClient({ ...motoClientConfig(moto.endpoint), ...DEADLINES })
  const uses: { days: number; accessKeyId: string; secretAccessKey: string }[] = []
  try {
    for (const user of DEMO_USERS) {
      // The user is made with its oldest key, as in a real account.
      moto.setClock(daysAgo(Math.max(...user.keys.map((k) => k.ageDays))))
      const Tags = Object.entries(user.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))
      await iam.send(new CreateUserCommand({ UserName: user.userName, Path: user.path, Tags }))
      for (const key of user.keys) {
        moto.setClock(daysAgo(key.ageDays))
        const made = (await iam.send(new CreateAccessKeyCommand({ UserName: user.userName }))).AccessKey!
        const accessKeyId = made.AccessKeyId!
        if (key.inactive) {
          await iam.send(new UpdateAccessKeyCommand({ UserName: user.userName, AccessKeyId: accessKeyId, Status: 'Inactive' }))
        }
        if (key.usedDaysAgo !== undefined) uses.push({ days: key.usedDaysAgo, accessKeyId, secretAccessKey: made.SecretAccessKey! })
      }
    }
    for (const use of uses) {
      moto.setClock(daysAgo(use.days))
      const credentials = { accessKeyId: use.accessKeyId, secretAccessKey: use.secretAccessKey }
      const sts = new STSClient({ ...motoClientConfig(moto.endpoint, 'us-east-1', credentials), ...DEADLINES })
      try {
        await sts.send(new GetCallerIdentityCommand({}))
      } finally {
        sts.destroy()
      }
    }
  } finally {
    moto.setClock('+0')
    iam.destroy()
  }
}
