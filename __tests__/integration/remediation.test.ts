// Remediation from the tracking issue (DESIGN.md, Remediation; issue 17), through the built
// action run as GitHub runs it on an issue_comment event (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH),
// against moto and the GitHub stand-in checked against GitHub's OpenAPI description. Each key is
// re-read live; refusals change nothing; what was done is replied, published with event:
// remediation, kept in the issue's record, and the account is rescanned.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  TagUserCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import { seedAccountKeys, seedKeys, topicWithQueue, type Credentials, iamDo, type SeededKey } from './support/aws.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import type { FakeIssue } from './support/github-objects.js'
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction, type ActionRun } from './support/run-action.js'
import { decodeState } from '../../src/render/issue-state.js'
import type { Report } from '../../src/core/report.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const MEMBER = '210987654321'

/** The key's status in moto now, or 'deleted'. */
async function statusOf(moto: MotoServer, key: SeededKey, credentials?: Credentials): Promise<string> {
  const keys = await iamDo(moto, (iam) => iam.send(new ListAccessKeysCommand({ UserName: key.userName })), credentials)
  return keys.AccessKeyMetadata?.find((k) => k.AccessKeyId === key.accessKeyId)?.Status ?? 'deleted'
}

describeMoto('remediation: /deactivate in the tracking issue', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let github: FakeGitHub
  let topic: Awaited<ReturnType<typeof topicWithQueue>>
  let member: Credentials
  const keys: Record<string, SeededKey> = {}
  let eventDir: string

  const inputs = (extra: Record<string, string> = {}) => ({
    'create-issue': 'true',
    'github-token': 'good-token',
    'fail-on': 'none',
    remediation: 'comment',
    'sns-topic-arn': topic.topicArn,
    'remediation-quiet-days': '7',
    ...extra
  })
  const githubEnv = () => ({
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '9'
  })
  /** A scheduled scan. */
  const scan = (extra: Record<string, string> = {}) =>
    runAction(inputs(extra), { ...motoEnv(proxy.endpoint), ...githubEnv(), GITHUB_EVENT_NAME: 'schedule' })
  /** `login` comments `body` on `issue`: the comment is made, then the action runs on the event, as GitHub does. */
  async function comment(issue: FakeIssue, login: string, body: string, extra: Record<string, string> = {}, action = 'created'): Promise<ActionRun> {
    const made = github.addComment(issue, body, { login, type: 'User' })
    const path = join(eventDir, `event-${made.id}.json`)
    writeFileSync(path, JSON.stringify({ action, comment: { id: made.id, body, user: { login } }, issue: { number: issue.number } }))
    return runAction(inputs(extra), { ...motoEnv(proxy.endpoint), ...githubEnv(), GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: path })
  }
  const issueOf = (accountId: string): FakeIssue => {
    const found = github.issues.filter(
      (i) => i.state === 'open' && i.user?.login === 'github-actions[bot]' && i.body.includes(`account=${accountId} -->`)
    )
    if (found.length !== 1) throw new Error(`expected one open issue of ${accountId}, found ${found.length}`)
    return found[0]!
  }
  /** The action's replies on an issue since `before` comments. */
  const repliesSince = (issue: FakeIssue, before: number) =>
    issue.comments.slice(before).filter((c) => c.user.login === 'github-actions[bot]' && !c.body.includes('iam-key-sentry:state'))
  const reportOf = (run: ActionRun) => JSON.parse(readFileSync(run.outputs['report-file']!, 'utf8')) as Report
  const recordOf = (issue: FakeIssue) => {
    const decoded = decodeState([issue.body])
    if (!decoded.ok) throw new Error(decoded.error)
    return new Map(decoded.state.keys.map((k) => [k.accessKeyId, k]))
  }

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
    github = await startFakeGitHub()
    github.roles = { 'sec-lead': 'maintain', 'dev-writer': 'write', owner: 'admin' }
    topic = await topicWithQueue(moto, 'us-east-1', 'remediation')
    eventDir = mkdtempSync(join(tmpdir(), 'remediation-events-'))
    for (const k of await seedKeys(moto, [
      { userName: 'idle-ann', age: '-200d' },
      { userName: 'exempt-svc', age: '-180d' }
    ])) {
      keys[k.userName] = k
    }
    await iamDo(moto, (iam) => iam.send(new TagUserCommand({ UserName: 'exempt-svc', Tags: [{ Key: 'key-sentry:exempt', Value: 'true' }] })))
    // busy-bob's key was used yesterday: moto records a key's last use when a request is signed with it.
    await iamDo(moto, (iam) => iam.send(new CreateUserCommand({ UserName: 'busy-bob' })))
    moto.setClock('-150d')
    const busy = await iamDo(moto, (iam) => iam.send(new CreateAccessKeyCommand({ UserName: 'busy-bob' })))
    moto.setClock('-1d')
    const bobCredentials = { accessKeyId: busy.AccessKey!.AccessKeyId!, secretAccessKey: busy.AccessKey!.SecretAccessKey! }
    await iamDo(moto, (iam) => iam.send(new ListUsersCommand({})), bobCredentials)
    moto.setClock('+0')
    keys['busy-bob'] = { userName: 'busy-bob', accessKeyId: busy.AccessKey!.AccessKeyId!, status: 'Active' }
    const seeded = await seedAccountKeys(moto, MEMBER, [{ userName: 'member-old', age: '-300d' }])
    member = seeded.credentials
    keys['member-old'] = seeded.keys[0]!
  }, 120_000)

  afterAll(async () => {
    topic?.close()
    await proxy?.close()
    await moto?.stop()
    await github?.close()
  })

  it('a scheduled scan opens the issue, and with remediation on it shows the command for each key', async () => {
    const run = await scan()
    expect(run.exitCode).toBe(0)
    const body = issueOf('123456789012').body
    expect(body).toContain(`\`/deactivate ${keys['idle-ann']!.accessKeyId}\``)
    expect(body).toContain(`\`/deactivate ${keys['busy-bob']!.accessKeyId}\``)
    await topic.receiveAll()
  }, 120_000)

  it('--dry-run says what would happen and changes nothing', async () => {
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const run = await comment(issue, 'sec-lead', `/deactivate ${keys['idle-ann']!.accessKeyId} --dry-run`)
    expect(run.exitCode).toBe(0)
    expect(await statusOf(moto, keys['idle-ann']!)).toBe('Active')
    const [reply] = repliesSince(issue, before + 1)
    expect(reply!.body).toMatch(/dry run/i)
    expect(reply!.body).toContain(keys['idle-ann']!.accessKeyId)
    expect(run.outputs.remediated).toBeUndefined()
    expect(await topic.receiveAll()).toEqual([])
  }, 120_000)

  it('refuses a commenter who is neither an approver nor admin or maintain, and says who may', async () => {
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const run = await comment(issue, 'dev-writer', `/deactivate ${keys['idle-ann']!.accessKeyId}`)
    expect(run.exitCode).toBe(0)
    expect(await statusOf(moto, keys['idle-ann']!)).toBe('Active')
    const [reply] = repliesSince(issue, before + 1)
    expect(reply!.body).toMatch(/admin|maintain/)
    expect(github.requests).toContain('GET /repos/acme/infra/collaborators/dev-writer/permission')
  }, 120_000)

  it('refuses a key used yesterday without --force, an exempt key, and another account\'s key, with the reason and last use', async () => {
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const body = [
      `/deactivate ${keys['busy-bob']!.accessKeyId}`,
      `/deactivate ${keys['exempt-svc']!.accessKeyId}`,
      `/deactivate ${keys['member-old']!.accessKeyId}`
    ].join('\n')
    const run = await comment(issue, 'sec-lead', body)
    expect(run.exitCode).toBe(0)
    for (const name of ['busy-bob', 'exempt-svc']) expect(await statusOf(moto, keys[name]!)).toBe('Active')
    expect(await statusOf(moto, keys['member-old']!, member)).toBe('Active')
    const [reply] = repliesSince(issue, before + 1)
    expect(reply!.body).toMatch(/--force/)
    expect(reply!.body).toMatch(/exempt/)
    expect(reply!.body).toMatch(/not found|another account/i)
    expect(run.outputs.remediated).toBeUndefined()
  }, 120_000)

  it('deactivates exactly the key named: Inactive in AWS, a reply, SNS with event remediation, the record, the issue rewritten', async () => {
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const ann = keys['idle-ann']!
    const run = await comment(issue, 'sec-lead', `Rotated the app.\n\n/deactivate ${ann.accessKeyId}\n\n> /deactivate ${keys['busy-bob']!.accessKeyId}`)
    expect(run.stdout).not.toContain('::error::')
    expect(run.exitCode).toBe(0)
    expect(await statusOf(moto, ann)).toBe('Inactive')
    // The quoted line is not a command: bob's key is untouched.
    expect(await statusOf(moto, keys['busy-bob']!)).toBe('Active')
    expect(run.outputs.remediated).toBe(ann.accessKeyId)
    const [reply] = repliesSince(issue, before + 1)
    expect(reply!.body).toContain(ann.accessKeyId)
    expect(reply!.body).toMatch(/Active → Inactive/)
    // The rescan: ann's stale key is resolved, how deactivated; the record remembers who did it.
    const report = reportOf(run)
    expect(report.resolved).toEqual([expect.objectContaining({ accessKeyId: ann.accessKeyId, how: 'deactivated' })])
    expect(report.remediation).toEqual([expect.objectContaining({ accessKeyId: ann.accessKeyId, result: 'done', requestedBy: 'sec-lead' })])
    expect(recordOf(issueOf('123456789012')).get(ann.accessKeyId)).toMatchObject({ deactivatedByAction: expect.any(String), deactivatedBy: 'sec-lead' })
    const messages = await topic.receiveAll()
    expect(messages).toHaveLength(1)
    expect(messages[0]!.MessageAttributes?.event).toEqual({ Type: 'String', Value: 'remediation' })
  }, 120_000)

  it('is idempotent: the same command again reports the key already inactive', async () => {
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const run = await comment(issue, 'sec-lead', `/deactivate ${keys['idle-ann']!.accessKeyId}`)
    expect(run.exitCode).toBe(0)
    const [reply] = repliesSince(issue, before + 1)
    expect(reply!.body).toMatch(/already inactive/)
    expect(run.outputs.remediated).toBeUndefined()
  }, 120_000)

  it('reactivates only a key it deactivated, then deletes after a new deactivation; --force deactivates a busy key', async () => {
    const issue = issueOf('123456789012')
    const ann = keys['idle-ann']!
    const bob = keys['busy-bob']!
    let run = await comment(issue, 'owner', `/reactivate ${ann.accessKeyId} ${bob.accessKeyId}`)
    expect(run.exitCode).toBe(0)
    expect(await statusOf(moto, ann)).toBe('Active')
    expect(recordOf(issueOf('123456789012')).get(ann.accessKeyId)?.deactivatedByAction).toBeUndefined()
    run = await comment(issue, 'sec-lead', `/deactivate ${bob.accessKeyId} --force`)
    expect(await statusOf(moto, bob)).toBe('Inactive')
    run = await comment(issue, 'sec-lead', `/delete ${bob.accessKeyId}`)
    // bob's key was used yesterday: deleting it needs remediation-quiet-days of quiet, --force or not.
    expect(await statusOf(moto, bob)).toBe('Inactive')
    run = await comment(issue, 'sec-lead', `/deactivate ${ann.accessKeyId}\n/delete ${bob.accessKeyId}`, { 'remediation-quiet-days': '0' })
    expect(await statusOf(moto, ann)).toBe('Inactive')
    expect(await statusOf(moto, bob)).toBe('deleted')
    expect(run.outputs.remediated).toBe(`${ann.accessKeyId},${bob.accessKeyId}`)
  }, 240_000)

  it('a young key (no finding of its own) deactivated by command can be reactivated by command; one deactivated by hand cannot', async () => {
    const [young, byHand] = (await seedKeys(moto, [
      { userName: 'young-yu', age: '-30d' },
      { userName: 'hand-hal', age: '-30d' }
    ])) as [SeededKey, SeededKey]
    await iamDo(moto, (iam) => iam.send(new UpdateAccessKeyCommand({ UserName: byHand.userName, AccessKeyId: byHand.accessKeyId, Status: 'Inactive' })))
    const issue = issueOf('123456789012')
    let run = await comment(issue, 'sec-lead', `/deactivate ${young.accessKeyId}`)
    expect(run.outputs.remediated).toBe(young.accessKeyId)
    expect(recordOf(issueOf('123456789012')).get(young.accessKeyId)).toMatchObject({ kind: 'inactive', deactivatedByAction: expect.any(String) })
    // A scheduled scan in between keeps it remembered.
    await scan()
    expect(recordOf(issueOf('123456789012')).get(young.accessKeyId)?.deactivatedByAction).toBeDefined()
    const before = issue.comments.length
    run = await comment(issue, 'sec-lead', `/reactivate ${young.accessKeyId}\n/reactivate ${byHand.accessKeyId}`)
    expect(await statusOf(moto, young)).toBe('Active')
    expect(await statusOf(moto, byHand)).toBe('Inactive')
    expect(run.outputs.remediated).toBe(young.accessKeyId)
    const [reply] = repliesSince(issue, before + 1)
    expect(reply!.body).toMatch(/refused.*this action deactivated|refused.*record/i)
  }, 180_000)

  it('takes a listed approver whatever the case of the login, besides admins and maintainers', async () => {
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const target = keys['exempt-svc']!
    const run = await comment(issue, 'dev-writer', `/deactivate ${target.accessKeyId} --dry-run`, { 'remediation-approvers': 'Dev-Writer' })
    expect(run.exitCode).toBe(0)
    const [reply] = repliesSince(issue, before + 1)
    // Permitted: the key is refused on its own merits (exempt), not the commenter.
    expect(reply!.body).toMatch(/exempt/)
    expect(reply!.body).not.toMatch(/may not give remediation commands/)
  }, 120_000)

  it('a member account through the member roles: its issue, its key', async () => {
    let run = await scan({ accounts: MEMBER })
    expect(run.exitCode).toBe(0)
    const issue = issueOf(MEMBER)
    run = await comment(issue, 'sec-lead', `/deactivate ${keys['member-old']!.accessKeyId}`)
    expect(run.stdout).not.toContain('::error::')
    expect(await statusOf(moto, keys['member-old']!, member)).toBe('Inactive')
    expect(run.outputs['account-id']).toBe(MEMBER)
  }, 120_000)

  it('ignores commands on an issue it did not open, edited comments, and quotes: it scans as usual', async () => {
    const foreign = github.addIssue({ title: 'Copy', body: '<!-- iam-key-sentry:account=123456789012 -->\ncopied' })
    const before = foreign.comments.length
    let run = await comment(foreign, 'sec-lead', `/deactivate ${keys['exempt-svc']!.accessKeyId}`)
    expect(run.exitCode).toBe(0)
    expect(repliesSince(foreign, before + 1)).toEqual([])
    expect(run.stdout).toMatch(/not one of this action's tracking issues/)
    const issue = issueOf('123456789012')
    run = await comment(issue, 'sec-lead', `/deactivate ${keys['exempt-svc']!.accessKeyId}`, {}, 'edited')
    expect(run.stdout).toMatch(/only a new comment is obeyed/)
    expect(await statusOf(moto, keys['exempt-svc']!)).toBe('Active')
  }, 120_000)

  it('answers 500 key ids, an unknown command and a masked id with what is accepted, and does nothing', async () => {
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const many = Array.from({ length: 500 }, (_, i) => `AKIA${String(i).padStart(16, '0')}`).join(' ')
    const run = await comment(issue, 'sec-lead', `/deactivate ${many}\n/rotate AKIA…WXYZ`)
    expect(run.exitCode).toBe(0)
    const [reply] = repliesSince(issue, before + 1)
    expect(reply!.body).toMatch(/\/deactivate <key-id>/)
    expect(reply!.body).toMatch(/nothing was done/i)
    expect(await statusOf(moto, keys['exempt-svc']!)).toBe('Active')
  }, 120_000)

  it('a failure half-way: what was done is said, the failed key and the rest are named, nothing is retried, the step fails', async () => {
    const extra = await seedKeys(moto, [
      { userName: 'first-fay', age: '-200d' },
      { userName: 'second-sid', age: '-200d' },
      { userName: 'third-tom', age: '-200d' }
    ])
    const [fay, sid, tom] = extra as [SeededKey, SeededKey, SeededKey]
    await scan()
    const issue = issueOf('123456789012')
    const before = issue.comments.length
    const updatesBefore = proxy.count('UpdateAccessKey')
    proxy.rules.push({ action: 'UpdateAccessKey', fault: 'denied', times: Infinity, match: sid.accessKeyId })
    try {
      const run = await comment(issue, 'sec-lead', [fay, sid, tom].map((k) => `/deactivate ${k.accessKeyId}`).join('\n'))
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toMatch(new RegExp(`::error::Remediation: ${sid.accessKeyId}: .*UpdateAccessKey`))
      expect(await statusOf(moto, fay)).toBe('Inactive')
      expect(await statusOf(moto, sid)).toBe('Active')
      expect(await statusOf(moto, tom)).toBe('Active')
      // fay's, then sid's once (a denial is never retried), and none for tom.
      expect(proxy.count('UpdateAccessKey') - updatesBefore).toBe(2)
      const [reply] = repliesSince(issue, before + 1)
      expect(reply!.body).toMatch(/deactivated/)
      expect(reply!.body).toMatch(/failed/)
      expect(reply!.body).toMatch(/not attempted/)
      expect(run.outputs.remediated).toBe(fay.accessKeyId)
    } finally {
      proxy.rules.length = 0
    }
  }, 120_000)
})
