// The action's log as a story: a group per phase (credentials, each account's scan, the sinks),
// never nested, and an unexpected error ending in setFailed with its message.
import { GenerateCredentialReportCommand, GetCredentialReportCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSServiceException } from '@aws-sdk/client-sts'
import { beforeEach, describe, expect, it } from '@jest/globals'
import { credentialReportCsv, credentialReportRow } from '../helpers.js'
import { ACCOUNT, core, fetchIdToken, iamMock, run, stsMock, useRunner, writeHeldGroups } from './run-harness.js'

useRunner()
beforeEach(() => serveStaleUser())

const MEMBERS = ['111111111111', '222222222222']
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:secops`
const ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-key-sentry`
const DAY = 86_400_000
const created = new Date(Math.floor((Date.now() - 200 * DAY) / 1000) * 1000)

/** Every account: one user with one 200-day-old key. */
function serveStaleUser() {
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
  iamMock.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(credentialReportCsv(credentialReportRow('old-alice', [{ active: true, created }]))),
    GeneratedTime: new Date()
  })
  iamMock.on(ListAccessKeysCommand).resolves({
    AccessKeyMetadata: [{ UserName: 'old-alice', AccessKeyId: 'AKIAOLDALICE00000001', Status: 'Active', CreateDate: created }]
  })
}

/** The log as the runner would read it: groups, and the lines written between. */
function story(): string[] {
  const events: [number, string][] = [
    ...core.startGroup.mock.calls.map(([name], i): [number, string] => [core.startGroup.mock.invocationCallOrder[i], `> ${name}`]),
    ...core.endGroup.mock.invocationCallOrder.map((order): [number, string] => [order, '<']),
    ...core.info.mock.calls.map(([m], i): [number, string] => [core.info.mock.invocationCallOrder[i], String(m)]),
    ...core.warning.mock.calls.map(([m], i): [number, string] => [core.warning.mock.invocationCallOrder[i], `warning ${String(m)}`])
  ]
  return events.sort(([a], [b]) => a - b).map(([, line]) => line)
}

/** The groups, each with its lines: throws if one opens inside another or never closes. */
function groups(lines: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>()
  let open: string | null = null
  for (const line of lines) {
    if (line.startsWith('> ')) {
      if (open !== null) throw new Error(`group ${line} opened inside ${open}`)
      open = line.slice(2)
      found.set(open, [])
    } else if (line === '<') {
      if (open === null) throw new Error('a group closed that was not open')
      open = null
    } else if (open !== null) found.get(open)?.push(line)
  }
  if (open !== null) throw new Error(`group ${open} never closed`)
  return found
}

describe('run: the log, phase by phase', () => {
  it('groups the credentials, the account’s scan and each sink, in order; the headline stands between them', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'https://token.example/request'
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
    fetchIdToken.mockResolvedValue('oidc-jwt')
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves({
      Credentials: { AccessKeyId: 'ASIASESSION', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 900_000) }
    })
    core.useInputs({ 'role-to-assume': ROLE, 'sns-topic-arn': TOPIC, 'fail-on': 'none' })

    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    const lines = story()
    expect(lines.filter((l) => l.startsWith('> '))).toEqual([
      '> AWS credentials (OIDC)',
      `> Scan account ${ACCOUNT}`,
      '> Findings',
      '> Report file',
      '> SNS',
      '> Job summary'
    ])
    const found = groups(lines)
    expect(found.get('AWS credentials (OIDC)')).toEqual([`Assumed ${ROLE} with the workflow's OIDC token`])
    expect(found.get(`Scan account ${ACCOUNT}`)).toEqual([
      `[${ACCOUNT}] credential report: 1 rows, 1 users to confirm with ListAccessKeys`,
      `[${ACCOUNT}] user tags (key-sentry:exempt, owner) read for 1 users with findings (ListUserTags)`,
      `[${ACCOUNT}] 1 user, 1 key, 1 finding`
    ])
    expect(found.get('Findings')).toEqual(['[123456789012] stale: old-alice AKIA…0001, 200 days old'])
    expect(found.get('Report file')).toEqual([expect.stringMatching(/^Wrote the report file .*report\.json$/)])
    expect(found.get('SNS')).toEqual([`Published the report to ${TOPIC} (message msg-1)`])
    // The headline is the story's conclusion: outside any group, where it is seen.
    expect(lines[lines.indexOf('> Findings') - 1]).toBe(`IAM Key Sentry: 1 stale key in account ${ACCOUNT}`)
  })

  it('with several accounts, writes each account’s lines as one group, its lines carrying its id, none nested', async () => {
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAMEMBER', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) }
    })
    core.useInputs({ accounts: [ACCOUNT, ...MEMBERS].join(','), 'fail-on': 'none', 'max-concurrency': '2' })

    await run()

    const lines = story()
    const found = groups(lines)
    expect(lines).toContain('Scanning 3 accounts, 2 at a time')
    for (const id of [ACCOUNT, ...MEMBERS]) {
      const own = found.get(`Scan account ${id}`)
      expect(own).toHaveLength(3)
      for (const line of own ?? []) expect(line.startsWith(`[${id}] `)).toBe(true)
    }
    expect([...found.keys()].filter((t) => t.startsWith('Scan account')).sort()).toEqual(
      [ACCOUNT, ...MEMBERS].map((id) => `Scan account ${id}`).sort()
    )
  })

  // The runner cancels with SIGINT then SIGTERM; the action then writes the held lines (writeHeldGroups) before it exits.
  it('writes the lines of accounts still being scanned when the run is cancelled, not lose them', async () => {
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIAMEMBER', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000) }
    })
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    iamMock.on(ListAccessKeysCommand).callsFake(async () => {
      await gate // every account hangs on its confirmation
      return { AccessKeyMetadata: [{ UserName: 'old-alice', AccessKeyId: 'AKIAOLDALICE00000001', Status: 'Active', CreateDate: created }] }
    })
    core.useInputs({ accounts: MEMBERS.join(','), 'fail-on': 'none', 'max-concurrency': '2' })

    const running = run()
    for (let i = 0; i < 200 && iamMock.commandCalls(ListAccessKeysCommand).length < 2; i++) await new Promise((r) => setTimeout(r, 10))
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(2)
    expect(core.startGroup).not.toHaveBeenCalled() // held, as the scans have not ended

    writeHeldGroups()
    const cancelled = groups(story())
    for (const id of MEMBERS) {
      expect(cancelled.get(`Scan account ${id}`)).toEqual([`[${id}] credential report: 1 rows, 1 users to confirm with ListAccessKeys`])
    }
    release()
    await running
  })

  it('gives an account that could not be reached no group: the failures are said once, after the scan', async () => {
    stsMock.on(AssumeRoleCommand).rejects(
      new STSServiceException({ name: 'AccessDenied', message: 'not authorized to perform: sts:AssumeRole', $fault: 'client', $metadata: {} })
    )
    core.useInputs({ accounts: [ACCOUNT, ...MEMBERS].join(','), 'fail-on': 'none' })

    await run()

    const titles = core.startGroup.mock.calls.map(([t]) => t)
    expect(titles.filter((t) => t.startsWith('Scan account'))).toEqual([`Scan account ${ACCOUNT}`])
    expect(core.debug.mock.calls.map(([m]) => m)).toEqual(
      expect.arrayContaining(MEMBERS.map((id) => expect.stringMatching(new RegExp(`^\\[${id}\\] could not be scanned: `))))
    )
    expect(core.info.mock.calls.map(([m]) => m)).toContainEqual(expect.stringMatching(/^The scan of 2 accounts did not complete: /))
    expect(core.warning).not.toHaveBeenCalled() // the step's ::error names the failures once
  })
})

describe('run: an unexpected error', () => {
  it('ends in setFailed with its message, the open group closed, and run() resolves', async () => {
    // Writing an output can fail (GITHUB_OUTPUT unwritable): nothing expects it, so nothing catches it.
    core.setOutput.mockImplementationOnce(() => {
      throw new Error('EACCES: permission denied, open GITHUB_OUTPUT')
    })
    core.useInputs({ 'fail-on': 'none' })

    await expect(run()).resolves.toBeUndefined()

    expect(core.setFailed.mock.calls).toEqual([['IAM Key Sentry stopped on an unexpected error: EACCES: permission denied, open GITHUB_OUTPUT']])
    expect(core.endGroup).toHaveBeenCalledTimes(core.startGroup.mock.calls.length)
    expect(core.debug.mock.calls.some(([m]) => String(m).startsWith('Error: EACCES'))).toBe(true)
  })

  it('ends in setFailed even before the inputs are read, and says a thrown non-Error as text', async () => {
    core.getInput.mockImplementation(() => {
      throw 'the runner is gone'
    })

    await expect(run()).resolves.toBeUndefined()

    expect(core.setFailed.mock.calls).toEqual([['IAM Key Sentry stopped on an unexpected error: the runner is gone']])
  })
})
