// Several accounts through scanAccounts: each account's lines carry its id and go where the
// caller's accountLog says, and a failed account is reported without hiding the others.
import { GetAccountAuthorizationDetailsCommand, IAMClient, ListAccessKeysCommand, ListUserTagsCommand, ListUsersCommand } from '@aws-sdk/client-iam'
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import type { TargetAccount } from '../../../src/aws/accounts.js'
import type { Logger } from '../../../src/core/model.js'
import { scanAccounts, scanTargets, type AccountLogFor } from '../../../src/scan/accounts.js'
import type { ScanOptions } from '../../../src/scan/account.js'
import { awsError, recording } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const PROD: TargetAccount = { id: '111111111111', name: 'prod' }
const DEV: TargetAccount = { id: '222222222222', name: null }

function options(log: Logger): ScanOptions {
  return {
    dataSource: 'api',
    policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null },
    now: new Date('2026-11-24T12:00:00Z'),
    concurrency: 2,
    log,
    exemptions: { userPatterns: [], tagKey: null }
  }
}

const clients = async () => ({ iam: new IAMClient({ region: 'us-east-1' }), sts: new STSClient({ region: 'us-east-1' }) })

beforeEach(() => {
  iamMock.reset()
  iamMock.on(ListUsersCommand).resolves({ Users: [] })
})

afterAll(() => iamMock.restore())

describe('scanAccounts', () => {
  it('starts every line about an account with its id, by default in the scan’s own log', async () => {
    const { lines, log } = recording()

    await scanAccounts([PROD], clients, options(log), 1)

    expect(lines).toEqual(['info [111111111111] ListUsers: 0 users', 'info [111111111111] 0 users, 0 keys, 0 findings'])
  })

  it('writes each account’s lines to the log accountLog gives it, ends it once the account is done, failed or not', async () => {
    const scanLog = recording()
    const perAccount = new Map<string, ReturnType<typeof recording>>()
    const events: string[] = []
    const accountLog: AccountLogFor = (account, several) => {
      const r = recording()
      perAccount.set(account.id, r)
      events.push(`start ${account.id} several=${several}`)
      return { log: r.log, end: () => events.push(`end ${account.id}`) }
    }
    const failing = async (account: TargetAccount) => {
      if (account.id === DEV.id) throw new Error('sts:AssumeRole was denied')
      return clients()
    }

    const results = await scanAccounts([PROD, DEV], failing, options(scanLog.log), 1, accountLog)

    expect(results.failures).toEqual([{ accountId: DEV.id, name: null, error: 'sts:AssumeRole was denied' }])
    expect(perAccount.get(PROD.id)?.lines).toEqual(['info [111111111111] ListUsers: 0 users', 'info [111111111111] 0 users, 0 keys, 0 findings'])
    expect(perAccount.get(DEV.id)?.lines).toEqual(['debug [222222222222] could not be scanned: sts:AssumeRole was denied'])
    expect(events).toEqual(['start 111111111111 several=true', 'end 111111111111', 'start 222222222222 several=true', 'end 222222222222'])
    // What is about no one account (the failures, one line per distinct error) stays in the scan's log.
    expect(scanLog.lines).toEqual(['info The scan of account 222222222222 did not complete: sts:AssumeRole was denied'])
  })

  it('names the account in a failure line when it has a name', async () => {
    const { lines, log } = recording()
    await scanAccounts([PROD], async () => Promise.reject(new Error('boom')), options(log), 1)
    expect(lines[0]).toBe('debug [111111111111] (prod) could not be scanned: boom')
  })

  // exempt-users: * across an organization is one mistake, not one warning per account.
  it('warns once about the same mistake in many accounts, naming them, instead of once per account', async () => {
    const { lines, log } = recording()
    iamMock.on(ListUsersCommand).resolves({ Users: [{ UserName: 'old-alice', Arn: 'arn:aws:iam::111111111111:user/old-alice', UserId: 'A', Path: '/', CreateDate: new Date('2020-01-01') }] })
    iamMock.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [{ UserName: 'old-alice', AccessKeyId: 'AKIAOLDALICE00000001', Status: 'Active', CreateDate: new Date('2026-01-01T00:00:00Z') }]
    })
    const accounts: TargetAccount[] = Array.from({ length: 30 }, (_, n) => ({ id: String(100000000000 + n), name: null }))

    await scanAccounts(accounts, clients, { ...options(log), exemptions: { userPatterns: ['*'], tagKey: null } }, 4)

    const warnings = lines.filter((l) => l.startsWith('warning '))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^warning exempt-users "\*" .*\(accounts 100000000000, 100000000001, .*, and 10 more\)$/)
  })
})

describe('scanAccounts: the bulk tag read denied in every account', () => {
  // AWS's AccessDenied quotes the caller's ARN, which names its account: grouped by the exact
  // text, the same denial was one warning per account.
  it('is one warning naming both accounts, not one per account', async () => {
    const { lines, log } = recording()
    // Each account's IAM client in a region of its own, so that its denial can name its own caller.
    const region = new Map([[PROD.id, 'us-east-1'], [DEV.id, 'eu-west-1']])
    const accountIn = new Map([...region].map(([id, r]) => [r, id]))
    const perAccount = async (account: TargetAccount) => ({
      iam: new IAMClient({ region: region.get(account.id) }),
      sts: new STSClient({ region: 'us-east-1' })
    })
    const users = Array.from({ length: 150 }, (_, n) => `user-${n}`)
    iamMock.on(ListUsersCommand).resolves({ Users: users.map((u) => ({ UserName: u, Arn: `arn:aws:iam::111111111111:user/${u}`, UserId: u, Path: '/', CreateDate: new Date('2020-01-01') })) })
    iamMock.on(ListAccessKeysCommand).callsFake((input: { UserName: string }) => ({
      AccessKeyMetadata: [{ UserName: input.UserName, AccessKeyId: 'AKIAOLDALICE00000001', Status: 'Active', CreateDate: new Date('2026-01-01T00:00:00Z') }]
    }))
    iamMock.on(GetAccountAuthorizationDetailsCommand).callsFake(async (_input: unknown, getClient: () => IAMClient) => {
      const account = accountIn.get(await getClient().config.region())
      throw awsError('AccessDenied', `User: arn:aws:sts::${account}:assumed-role/iam-key-sentry/run is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: *`)
    })
    iamMock.on(ListUserTagsCommand).resolves({ Tags: [], IsTruncated: false })

    await scanAccounts([PROD, DEV], perAccount, { ...options(log), exemptions: { userPatterns: [], tagKey: 'key-sentry:exempt' } }, 2)

    const warnings = lines.filter((l) => l.startsWith('warning '))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^warning user tags were read one user at a time: iam:GetAccountAuthorizationDetails was denied .*arn:aws:sts::<account>:assumed-role/)
    expect(warnings[0]).toMatch(/\(accounts (111111111111, 222222222222|222222222222, 111111111111)\)$/)
  })
})

describe('scanTargets: the sessions it leaves for the sinks', () => {
  const stsMock = mockClient(STSClient)
  afterAll(() => stsMock.restore())

  it("a member account's session can be had anew, the member role assumed again the same way; the caller's own has no refresh", async () => {
    stsMock.reset()
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: PROD.id, Arn: `arn:aws:sts::${PROD.id}:assumed-role/ci/run` })
    let issued = 0
    stsMock.on(AssumeRoleCommand).callsFake(() => {
      issued++
      return { Credentials: { AccessKeyId: `ASIA${issued}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2026-11-24T13:00:00Z') } }
    })
    const masked: string[] = []
    const { sessions } = await scanTargets({
      aws: { region: 'eu-west-1' },
      accounts: { kind: 'list', ids: [PROD.id, DEV.id] },
      memberRoleName: 'KeySentry',
      sessionName: 'iam-key-sentry',
      maxConcurrency: 1,
      scan: options(recording().log),
      mask: (value) => masked.push(value)
    })
    expect(sessions.get(PROD.id)?.refresh).toBeUndefined()
    const member = sessions.get(DEV.id)!
    expect(member.config.credentials).toMatchObject({ accessKeyId: 'ASIA1' })
    const renewed = await member.refresh!()
    expect(renewed).toEqual({ region: 'eu-west-1', credentials: expect.objectContaining({ accessKeyId: 'ASIA2' }) })
    const calls = stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input)
    expect(calls).toHaveLength(2)
    expect(calls[1]).toEqual(calls[0])
    expect(calls[1]).toEqual({ RoleArn: `arn:aws:iam::${DEV.id}:role/KeySentry`, RoleSessionName: 'iam-key-sentry', DurationSeconds: 3600 })
    // The new session's secrets are masked too.
    expect(masked).toEqual(expect.arrayContaining(['ASIA2']))
  })
})
