// accounts: organization, through the built action: every ACTIVE account scanned through its
// member role, findings attributed, one denied account neither hiding the others nor passing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient
} from '@aws-sdk/client-organizations'
import { readFileSync } from 'node:fs'
import type { Report } from '../../src/core/report.js'
import { motoClientConfig, seedAccountKeys, seedKeys, topicWithQueue } from './support/aws.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip
const MANAGEMENT = '123456789012'

describeMoto('scanning an AWS Organization', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let github: FakeGitHub
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
    github = await startFakeGitHub()
    const org = new OrganizationsClient(motoClientConfig(moto.endpoint))
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
    for (const name of ['prod', 'dev', 'denied', 'closed']) {
      await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }))
    }
    for (const a of (await org.send(new ListAccountsCommand({}))).Accounts ?? []) ids[a.Name!] = a.Id!
    await org.send(new CloseAccountCommand({ AccountId: ids.closed }))
    org.destroy()

    await seedKeys(moto, [{ userName: 'mgmt-old', age: '-100d' }])
    await seedAccountKeys(moto, ids.prod, [{ userName: 'prod-old', age: '-200d' }, { userName: 'prod-new', age: '+0' }])
    await seedAccountKeys(moto, ids.dev, [{ userName: 'dev-old', age: '-95d' }, { userName: 'dev-older', age: '-300d' }])
    await seedAccountKeys(moto, ids.closed, [{ userName: 'closed-old', age: '-400d' }])
  }, 120_000)

  afterAll(async () => {
    await proxy?.close()
    await github?.close()
    await moto?.stop()
  })

  it('reports every reachable account, names the denied one, and fails', async () => {
    proxy.reset()
    proxy.rules.push({ action: 'AssumeRole', fault: 'denied', times: Infinity, match: ids.denied })
    const topic = await topicWithQueue(moto, 'us-east-1', 'org')
    const run = await runAction(
      {
        accounts: 'organization',
        'max-concurrency': '2',
        'fail-on': 'none',
        'sns-topic-arn': topic.topicArn,
        'create-issue': 'true',
        'github-token': 'good-token'
      },
      { ...motoEnv(proxy.endpoint), GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '7' }
    )
    const messages = await topic.receiveAll()
    topic.close()

    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Scanning 4 accounts, 2 at a time')
    expect(run.stdout).toMatch(new RegExp(`::error::The scan of account ${ids.denied} did not complete: sts:AssumeRole into arn:aws:iam::${ids.denied}:role/IAMKeySentryAudit`))
    // The closed account is not ACTIVE; the management account is scanned with the caller's own session.
    const assumed = proxy.actions.filter((a) => a === 'AssumeRole').length
    expect(assumed).toBe(3) // prod, dev, denied

    const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
    const byAccount = Object.fromEntries(report.accounts.map((a) => [a.accountId, a]))
    expect(Object.keys(byAccount).sort()).toEqual([MANAGEMENT, ids.prod, ids.dev, ids.denied].sort())
    expect(byAccount[ids.prod]).toMatchObject({ name: 'prod', users: 2, keys: 2, error: null })
    expect(byAccount[ids.denied]).toMatchObject({ name: 'denied', users: null, error: expect.stringContaining('was denied') })
    expect(report.findings.map((f) => `${f.accountId}:${f.kind}:${f.userName}`).sort()).toEqual(
      [`${MANAGEMENT}:stale:mgmt-old`, `${ids.prod}:stale:prod-old`, `${ids.dev}:stale:dev-old`, `${ids.dev}:stale:dev-older`].sort()
    )
    for (const f of report.findings) expect(f.userArn).toContain(`::${f.accountId}:user/`)

    // Counts are not set for an incomplete scan; the accounts are.
    expect(run.outputs['stale-count']).toBeUndefined()
    expect(run.outputs['account-id'].split(',').sort()).toEqual([MANAGEMENT, ids.prod, ids.dev, ids.denied].sort())

    // The summary: a table of accounts, then the findings grouped by account.
    expect(run.summary).toContain(`| ${ids.prod} | prod | 2 | 2 | 1 | credential report |`)
    expect(run.summary).toContain(`| ${ids.denied} | denied | – | – | – | **not scanned**: sts:AssumeRole`)
    expect(run.summary).toContain(`### Account ${ids.dev} (dev)`)
    expect(run.summary).toContain('#### Stale keys: rotate them (high; CIS 1.14, IAM.3): 2')

    // One SNS message for the whole run; one tracking issue per account with findings.
    expect(messages).toHaveLength(1)
    expect((JSON.parse(messages[0].Message) as Report).accounts).toHaveLength(4)
    const bodies = github.issues.map((i) => i.body)
    for (const id of [MANAGEMENT, ids.prod, ids.dev]) {
      expect(bodies.filter((b) => b.startsWith(`<!-- iam-key-sentry:account=${id} -->`))).toHaveLength(1)
    }
    expect(github.issues).toHaveLength(3)
    expect(run.outputs['issue-number'].split(',')).toHaveLength(3)
  }, 120_000)

  it('scans exactly the listed accounts, and passes when every one is reachable', async () => {
    proxy.reset()
    const run = await runAction({ accounts: `${ids.prod}\n${MANAGEMENT}`, 'fail-on': 'none' }, motoEnv(proxy.endpoint))
    expect(run.exitCode).toBe(0)
    expect(proxy.actions.filter((a) => a === 'AssumeRole')).toHaveLength(1)
    expect(proxy.actions).not.toContain('ListAccounts')
    expect(run.outputs['stale-count']).toBe('2')
    expect(run.outputs['users-scanned']).toBe('3')
    expect(run.outputs['account-id'].split(',').sort()).toEqual([MANAGEMENT, ids.prod].sort())
  }, 60_000)

  // A new moto organization always has its management account ACTIVE: the proxy answers
  // ListAccounts instead, with what a caller may see of an organization it cannot scan.
  it.each([
    ['lists no account', [], 'it listed no account at all'],
    ['lists only SUSPENDED accounts', ['111111111111', '222222222222'], 'it listed 2 accounts, none ACTIVE: 2 SUSPENDED']
  ])('fails, saying why and setting no counts, when ListAccounts %s', async (_, suspended, why) => {
    proxy.reset()
    const accounts = suspended.map((id) => ({ Id: id, Name: `old-${id}`, State: 'SUSPENDED', Status: 'SUSPENDED' }))
    proxy.rules.push({
      action: 'ListAccounts',
      fault: 'reply',
      times: Infinity,
      reply: { contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ Accounts: accounts }) }
    })
    const run = await runAction({ accounts: 'organization', 'fail-on': 'none' }, motoEnv(proxy.endpoint))

    expect(run.exitCode).toBe(1)
    const error = `accounts is "organization", but organizations:ListAccounts shows the caller no ACTIVE account to scan (${why})`
    expect(run.stdout).toContain(`::error::The scan of account ${MANAGEMENT} did not complete: ${error}`)
    expect(proxy.injected).toEqual(['ListAccounts'])
    expect(proxy.actions.filter((a) => ['AssumeRole', 'GenerateCredentialReport', 'ListUsers'].includes(a))).toEqual([])
    for (const output of ['stale-count', 'finding-count', 'users-scanned', 'keys-scanned']) {
      expect(run.outputs[output]).toBeUndefined()
    }
    expect(run.summary).toContain(error)
  }, 60_000)

  it('rejects a bad account id, role name and concurrency before any call', async () => {
    proxy.reset()
    const run = await runAction(
      { accounts: '12345, 123456789012', 'member-role-name': 'bad role', 'max-concurrency': '0' },
      motoEnv(proxy.endpoint)
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Invalid input (3)')
    expect(run.stdout).toContain('accounts: "12345" is not accepted; use 12-digit AWS account ids')
    expect(run.stdout).toContain('member-role-name: "bad role" is not accepted')
    expect(run.stdout).toContain('max-concurrency: "0" is not accepted; use a whole number from 1 to 32')
    expect(proxy.actions).toEqual([])
  }, 30_000)
})
