import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import {
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  type AccessKeyMetadata
} from '@aws-sdk/client-iam'
import { NotFoundException, PublishCommand, SNSClient, type PublishCommandInput } from '@aws-sdk/client-sns'
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException
} from '@aws-sdk/client-sts'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { awsError, credentialReportCsv, credentialReportRow } from '../helpers.js'
import {
  ACCOUNT,
  arn,
  core,
  fetchIdToken,
  iamMock,
  output,
  outputNames,
  run,
  snsMock,
  STOPPED_BEFORE_SINKS,
  stsMock,
  summaryText,
  useRunner,
  writeOnCancel
} from './run-harness.js'

const runner = useRunner()

const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:secops`
const DAY = 86_400_000
const ALICE_KEY = 'AKIAOLDALICE00000001'
const BOB_KEY = 'AKIAOLDBOB0000000002'

/** main reads the real clock: keys are made relative to it, at whole seconds. */
const daysAgo = (days: number) => new Date(Math.floor((Date.now() - days * DAY) / 1000) * 1000)

/** A credential report row with one active key, or none. */
function row(user: string, key?: { created: Date; lastUsed?: Date; service?: string }): string {
  return credentialReportRow(user, key ? [{ active: true, ...key }] : [])
}

function serveCredentialReport(...rows: string[]) {
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
  iamMock.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(credentialReportCsv(...rows)),
    GeneratedTime: new Date()
  })
}

const key = (user: string, id: string, created: Date): AccessKeyMetadata => ({
  UserName: user,
  AccessKeyId: id,
  Status: 'Active',
  CreateDate: created
})

/** Two stale users (200 and 120 days) and one fresh one, through the credential report. */
function serveStaleAccount() {
  const aliceCreated = daysAgo(200)
  const bobCreated = daysAgo(120)
  serveCredentialReport(
    row('<root_account>'),
    row('old-alice', { created: aliceCreated }),
    row('old-bob', { created: bobCreated, lastUsed: daysAgo(3), service: 's3' }),
    row('carol', { created: daysAgo(5) })
  )
  iamMock.on(ListAccessKeysCommand, { UserName: 'old-alice' }).resolves({ AccessKeyMetadata: [key('old-alice', ALICE_KEY, aliceCreated)] })
  iamMock.on(ListAccessKeysCommand, { UserName: 'old-bob' }).resolves({ AccessKeyMetadata: [key('old-bob', BOB_KEY, bobCreated)] })
}

function serveCleanAccount() {
  serveCredentialReport(row('<root_account>'), row('alice', { created: daysAgo(10) }), row('bob', { created: daysAgo(89) }))
}

const publishInputs = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input as PublishCommandInput)
const awsCalls = () => iamMock.calls().length + stsMock.calls().length + snsMock.calls().length

describe('run: inputs', () => {
  it('fails on every bad input at once, before any AWS call', async () => {
    core.useInputs({
      'max-key-age-days': 'ninety',
      'fail-on': 'stale,bogus',
      'data-source': 'magic',
      'sns-topic-arn': `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts.fifo`,
      'notify-when': 'sometimes',
      'mask-key-ids': 'maybe',
      'aws-region': 'mars'
    })

    await run()

    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    const lines = message.split('\n')
    expect(lines[0]).toBe('Invalid input (7):')
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(':')))).toEqual([
      '- max-key-age-days',
      '- fail-on',
      '- data-source',
      '- sns-topic-arn',
      '- notify-when',
      '- mask-key-ids',
      '- aws-region'
    ])
    expect(message).toContain('"ninety"')
    expect(message).toContain('"bogus"')
    expect(message).toContain('(FIFO topics are not supported)')
    expect(awsCalls()).toBe(0)
    expect(stsMock.calls()).toHaveLength(0)
    expect(iamMock.calls()).toHaveLength(0)
    expect(snsMock.calls()).toHaveLength(0)
    expect(core.setOutput).not.toHaveBeenCalled()
    expect(core.summary.addRaw).not.toHaveBeenCalled()
  })

  describe('without GITHUB_REPOSITORY (the runner sets it)', () => {
    const saved = process.env.GITHUB_REPOSITORY
    beforeEach(() => {
      delete process.env.GITHUB_REPOSITORY
    })
    afterEach(() => {
      if (saved !== undefined) process.env.GITHUB_REPOSITORY = saved
    })

    it('refuses create-issue, together with the bad inputs, before any AWS call', async () => {
      core.useInputs({ 'create-issue': 'true', 'github-token': 'ghs_token', 'max-key-age-days': 'ninety' })

      await run()

      expect(core.setFailed.mock.calls).toEqual([
        [
          'Invalid input (2):\n' +
            '- max-key-age-days: "ninety" is not accepted; use a positive whole number of days (for example 90)\n' +
            '- create-issue: true, but GITHUB_REPOSITORY is not set, so there is no repository to keep the issue in'
        ]
      ])
      expect(awsCalls()).toBe(0)
    })

    it('needs GITHUB_REPOSITORY only when create-issue is true', async () => {
      core.useInputs({ 'create-issue': 'true', 'github-token': 'ghs_token' })
      await run()
      expect(core.setFailed.mock.calls).toEqual([
        ['Invalid input (1):\n- create-issue: true, but GITHUB_REPOSITORY is not set, so there is no repository to keep the issue in']
      ])
      expect(awsCalls()).toBe(0)
    })
  })
})

describe('run: a clean account', () => {
  it('sets the outputs to zero findings and does not fail or publish (notify-when findings)', async () => {
    serveCleanAccount()
    core.useInputs({ 'sns-topic-arn': TOPIC })

    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputNames()).toEqual(['account-id', 'report-file', 'stale-count', 'finding-count', 'users-scanned', 'keys-scanned', 'unowned-count'])
    expect(output('account-id')).toBe(ACCOUNT)
    expect(output('stale-count')).toBe(0)
    expect(output('finding-count')).toBe(0)
    expect(output('users-scanned')).toBe(2)
    expect(output('keys-scanned')).toBe(2)
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0)
    expect(summaryText()).toContain(`## IAM Key Sentry: no findings in account ${ACCOUNT}`)
    expect(summaryText()).toContain('All 2 keys are within policy.')
    expect(core.summary.write.mock.calls).toEqual([[{ overwrite: false }]])
    expect(iamMock.commandCalls(ListAccessKeysCommand)).toHaveLength(0)
  })

  it('publishes one clean report with notify-when always', async () => {
    serveCleanAccount()
    core.useInputs({ 'sns-topic-arn': TOPIC, 'notify-when': 'always' })

    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(publishInputs()).toHaveLength(1)
    const [publish] = publishInputs()
    expect(publish.TopicArn).toBe(TOPIC)
    expect(publish.Subject).toBe(`IAM Key Sentry: no findings in account ${ACCOUNT}`)
    expect(JSON.parse(JSON.parse(publish.Message ?? '').default).totals).toEqual({
      users: 2,
      keys: 2,
      stale: 0,
      findings: 0,
      exempt: 0,
      // No tracking issue and no previous-report: no baseline, so nothing is new or resolved.
      new: null,
      resolved: null
    })
    expect(output('sns-message-id')).toBe('msg-1')
    expect(output('stale-count')).toBe(0)
  })

  it('writes no job summary when GITHUB_STEP_SUMMARY is not set', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    serveCleanAccount()
    core.useInputs({})

    await run()

    expect(core.summary.addRaw).not.toHaveBeenCalled()
    expect(core.summary.write).not.toHaveBeenCalled()
    expect(core.info).toHaveBeenCalledWith('GITHUB_STEP_SUMMARY is not set (not on a runner): no job summary written')
    expect(core.setFailed).not.toHaveBeenCalled()
  })
})

describe('run: stale keys', () => {
  it('sets outputs, writes the summary and report, publishes to the topic region, and fails naming fail-on', async () => {
    serveStaleAccount()
    core.useInputs({ 'sns-topic-arn': TOPIC, 'aws-region': 'us-east-1' })

    await run()

    // Outputs
    expect(outputNames()).toEqual([
      'account-id',
      'report-file',
      'stale-count',
      'finding-count',
      'users-scanned',
      'keys-scanned',
      'unowned-count',
      'sns-message-id'
    ])
    // No owner tag or owners file: both stale keys are unowned.
    expect(output('unowned-count')).toBe(2)
    expect(output('account-id')).toBe(ACCOUNT)
    expect(output('stale-count')).toBe(2)
    expect(output('finding-count')).toBe(2)
    expect(output('users-scanned')).toBe(3)
    expect(output('keys-scanned')).toBe(3)
    expect(output('sns-message-id')).toBe('msg-1')

    // Report file, under RUNNER_TEMP, with full key ids
    const reportFile = String(output('report-file'))
    expect(dirname(dirname(reportFile))).toBe(runner.temp)
    const report = JSON.parse(await readFile(reportFile, 'utf8'))
    // Without create-issue or previous-report there is no baseline: new and resolved are unknown,
    // so neither new-count nor resolved-count is set (the output list above is exact).
    expect(report.totals).toEqual({ users: 3, keys: 3, stale: 2, findings: 2, exempt: 0, new: null, resolved: null })
    expect(report.resolved).toEqual([])
    expect(report.findings.map((f: { accessKeyId: string; kind: string; ageDays: number }) => [f.kind, f.accessKeyId, f.ageDays])).toEqual([
      ['stale', ALICE_KEY, 200],
      ['stale', BOB_KEY, 120]
    ])

    // Job summary, with masked key ids
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(core.summary.write.mock.calls).toEqual([[{ overwrite: false }]])
    expect(summaryText()).toContain(`## IAM Key Sentry: 2 stale keys in account ${ACCOUNT}`)
    expect(summaryText()).toContain('AKIA…0001')
    expect(summaryText()).toContain('AKIA…0002')
    expect(summaryText()).not.toContain(ALICE_KEY)
    // Written last: it says why the step failed and where the report went.
    expect(summaryText()).toContain(
      `## IAM Key Sentry: 2 stale keys in account ${ACCOUNT}\n\n**This step failed:**\n\n- fail-on stale,root-key: the scan found 2 stale.\n\n` +
        `Published to SNS topic ${TOPIC} (message id \`msg-1\`).\n\n`
    )
    expect(core.info).toHaveBeenCalledWith(`IAM Key Sentry: 2 stale keys in account ${ACCOUNT}`)
    expect(core.info).toHaveBeenCalledWith('[123456789012] stale: old-alice AKIA…0001, 200 days old')

    // SNS: one message, MessageStructure json, to the topic's region (not aws-region)
    const calls = snsMock.commandCalls(PublishCommand)
    expect(calls).toHaveLength(1)
    const publish = calls[0].args[0].input as PublishCommandInput
    expect(publish.TopicArn).toBe(TOPIC)
    expect(publish.MessageStructure).toBe('json')
    expect(publish.Subject).toBe(`IAM Key Sentry: 2 stale keys in account ${ACCOUNT}`)
    expect(publish.MessageAttributes?.staleCount).toEqual({ DataType: 'Number', StringValue: '2' })
    const body = JSON.parse(publish.Message ?? '')
    expect(Object.keys(body).sort()).toEqual(['default', 'email', 'sms'])
    const sent = JSON.parse(body.default)
    expect(sent.findings.map((f: { accessKeyId: string }) => f.accessKeyId)).toEqual([ALICE_KEY, BOB_KEY])
    const snsClient = calls[0].thisValue as SNSClient
    expect(await snsClient.config.region()).toBe('eu-west-1')
    const stsClient = stsMock.commandCalls(GetCallerIdentityCommand)[0].thisValue as STSClient
    expect(await stsClient.config.region()).toBe('us-east-1')

    // Only the flagged users were listed
    expect(
      iamMock.commandCalls(ListAccessKeysCommand).map((c) => (c.args[0].input as { UserName?: string }).UserName)
    ).toEqual(['old-alice', 'old-bob'])
    expect(iamMock.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0)

    // The findings that fail the run
    expect(core.setFailed.mock.calls).toEqual([[`Failing: 2 stale in ${ACCOUNT} (fail-on: stale,root-key).`]])
  })

  it('does not fail with fail-on none, and still reports', async () => {
    serveStaleAccount()
    core.useInputs({ 'fail-on': 'none', 'sns-topic-arn': TOPIC })

    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(output('stale-count')).toBe(2)
    expect(output('finding-count')).toBe(2)
    expect(publishInputs()).toHaveLength(1)
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(summaryText()).not.toContain('This step failed')
    expect(summaryText()).toContain(`\n\nPublished to SNS topic ${TOPIC} (message id \`msg-1\`).\n\n`)
  })

  // The summary is written last, after the sinks: the runner's cancel (SIGINT, SIGTERM: writeOnCancel) must not lose it.
  it('writes the job summary, saying the run was stopped, when cancelled while a sink runs; and only once', async () => {
    serveStaleAccount()
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    snsMock.on(PublishCommand).callsFake(async () => {
      await gate // SNS hangs until the run is cancelled
      return { MessageId: 'msg-late' }
    })
    core.useInputs({ 'fail-on': 'none', 'sns-topic-arn': TOPIC })

    const running = run()
    for (let i = 0; i < 200 && publishInputs().length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(publishInputs()).toHaveLength(1)
    expect(core.summary.addRaw).not.toHaveBeenCalled()

    await writeOnCancel()

    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(core.summary.write).toHaveBeenCalledTimes(1)
    expect(summaryText()).toMatch(/^## IAM Key Sentry: 2 stale keys in account /)
    expect(summaryText()).toContain(`**This step failed:**\n\n- ${STOPPED_BEFORE_SINKS}\n\n`)
    expect(summaryText()).not.toContain('Published to SNS')
    // Were the run to go on after all, it writes no second summary.
    release()
    await running
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
  })

  it('writes no summary on cancel before the report exists, nor after the run wrote its own', async () => {
    serveStaleAccount()
    core.useInputs({ 'fail-on': 'none' })
    await writeOnCancel()
    expect(core.summary.addRaw).not.toHaveBeenCalled()
    await run()
    await writeOnCancel()
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(summaryText()).not.toContain(STOPPED_BEFORE_SINKS)
  })

  it('still sets outputs and writes the report and summary when SNS publish fails, then fails about SNS', async () => {
    serveStaleAccount()
    snsMock.on(PublishCommand).rejects(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }))
    core.useInputs({ 'fail-on': 'none', 'sns-topic-arn': TOPIC })

    await run()

    expect(publishInputs()).toHaveLength(1)
    expect(outputNames()).toEqual(['account-id', 'report-file', 'stale-count', 'finding-count', 'users-scanned', 'keys-scanned', 'unowned-count'])
    expect(output('stale-count')).toBe(2)
    const report = JSON.parse(await readFile(String(output('report-file')), 'utf8'))
    expect(report.totals.stale).toBe(2)
    expect(core.summary.addRaw).toHaveBeenCalledTimes(1)
    expect(core.summary.write).toHaveBeenCalledTimes(1)
    expect(core.setFailed.mock.calls).toEqual([
      [`Could not publish to SNS: sns:Publish on ${TOPIC} failed (NotFoundException: Topic does not exist)`]
    ])
    // The summary, written after every sink, says so too, and claims no publication.
    expect(summaryText()).toContain(
      `**This step failed:**\n\n- Could not publish to SNS: sns:Publish on ${TOPIC} failed (NotFoundException: Topic does not exist)\n\n`
    )
    expect(summaryText()).not.toContain('Published to SNS')
  })

  it('reports both an SNS failure and the findings that fail the run', async () => {
    serveStaleAccount()
    snsMock.on(PublishCommand).rejects(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }))
    core.useInputs({ 'sns-topic-arn': TOPIC })

    await run()

    expect(core.setFailed.mock.calls).toEqual([
      [
        `Could not publish to SNS: sns:Publish on ${TOPIC} failed (NotFoundException: Topic does not exist)\n` +
          `Failing: 2 stale in ${ACCOUNT} (fail-on: stale,root-key).`
      ]
    ])
  })
})

describe('run: a scan that fails', () => {
  it('does not set the counts and fails naming iam:ListUsers', async () => {
    iamMock
      .on(ListUsersCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListUsers'))
    core.useInputs({ 'data-source': 'api' })

    await run()

    expect(outputNames()).toEqual(['account-id', 'report-file'])
    expect(output('account-id')).toBe(ACCOUNT)
    for (const name of ['stale-count', 'finding-count', 'users-scanned', 'keys-scanned', 'new-count', 'resolved-count', 'unowned-count']) {
      expect(core.setOutput).not.toHaveBeenCalledWith(name, expect.anything())
    }
    expect(iamMock.commandCalls(GenerateCredentialReportCommand)).toHaveLength(0)
    expect(core.setFailed.mock.calls).toEqual([
      [
        `The scan of account ${ACCOUNT} did not complete: iam:ListUsers was denied ` +
          '(AccessDenied: not authorized to perform: iam:ListUsers). Grant iam:ListUsers to the credentials the action uses.'
      ]
    ])
    expect(summaryText()).toContain(`## IAM Key Sentry: scan failed for account ${ACCOUNT}`)
    const report = JSON.parse(await readFile(String(output('report-file')), 'utf8'))
    expect(report.accounts).toEqual([
      {
        accountId: ACCOUNT,
        name: null,
        dataSource: null,
        users: null,
        keys: null,
        error:
          'iam:ListUsers was denied (AccessDenied: not authorized to perform: iam:ListUsers). Grant iam:ListUsers to the credentials the action uses.',
        notes: [],
        baseline: null,
        new: null,
        resolved: null
      }
    ])
  })

  it('does not set the counts when the caller identity cannot be read', async () => {
    stsMock
      .on(GetCallerIdentityCommand)
      .rejects(new STSServiceException({ name: 'ExpiredToken', message: 'token expired', $fault: 'client', $metadata: {} }))
    core.useInputs({})

    await run()

    expect(iamMock.calls()).toHaveLength(0)
    // The account is not known: no account-id, no counts.
    expect(outputNames()).toEqual(['report-file'])
    expect(core.setFailed.mock.calls).toEqual([
      ['The scan did not complete: sts:GetCallerIdentity failed (ExpiredToken: token expired)']
    ])
  })
})

describe('run: role-to-assume', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-key-sentry`

  it('scans and publishes with the OIDC session, and masks it', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'https://token.example/request'
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token'
    fetchIdToken.mockResolvedValue('oidc-jwt')
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIASESSION000000001',
        SecretAccessKey: 'session-secret',
        SessionToken: 'session-token',
        Expiration: new Date(Date.now() + 900_000)
      }
    })
    serveStaleAccount()
    core.useInputs({ 'role-to-assume': ROLE, 'sns-topic-arn': TOPIC, 'fail-on': 'none' })

    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(fetchIdToken.mock.calls).toEqual([['sts.amazonaws.com', 30_000]])
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand).map((c) => c.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'iam-key-sentry', WebIdentityToken: 'oidc-jwt', DurationSeconds: 900 }
    ])
    expect(core.setSecret.mock.calls).toEqual([['oidc-jwt'], ['ASIASESSION000000001'], ['session-secret'], ['session-token']])
    const session = { accessKeyId: 'ASIASESSION000000001', secretAccessKey: 'session-secret', sessionToken: 'session-token' }
    const iamClient = iamMock.commandCalls(GetCredentialReportCommand)[0].thisValue as IAMClient
    expect(await iamClient.config.credentials()).toMatchObject(session)
    const snsClient = snsMock.commandCalls(PublishCommand)[0].thisValue as SNSClient
    expect(await snsClient.config.credentials()).toMatchObject(session)
    expect(await snsClient.config.region()).toBe('eu-west-1')
    expect(output('stale-count')).toBe(2)
  })

  it('fails without any AWS call or counts when the job lacks id-token: write', async () => {
    serveStaleAccount()
    core.useInputs({ 'role-to-assume': ROLE, 'sns-topic-arn': TOPIC, 'notify-when': 'always' })

    await run()

    expect(awsCalls()).toBe(0)
    expect(fetchIdToken).not.toHaveBeenCalled()
    expect(outputNames()).toEqual(['report-file'])
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message).toMatch(/^The scan did not complete: role-to-assume is set, but the runner offers no OIDC token/)
    expect(message).toContain('id-token: write')
  })
})

describe('run: 10,000 unreachable accounts', () => {
  const ids = Array.from({ length: 10_000 }, (_, n) => String(200000000000 + n))

  it('logs and fails with one line per distinct error, the report file keeping every account', async () => {
    stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
      throw new STSServiceException({
        name: 'AccessDenied',
        message: `User: ${arn('ci')} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
        $fault: 'client',
        $metadata: { httpStatusCode: 403 }
      })
    })
    core.useInputs({ accounts: ids.join(','), 'max-concurrency': '32' })

    await run()

    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(10_000)
    // No warning annotation per account, and none for the failures either: the step's failure
    // (one ::error) names them; the log has the same line once, as plain text.
    expect(core.warning).not.toHaveBeenCalled()
    const told = core.info.mock.calls.map(([m]) => String(m)).filter((m) => m.startsWith('The scan of'))
    expect(told).toHaveLength(1)
    expect(told[0]).toMatch(/^The scan of 10000 accounts did not complete: sts:AssumeRole into arn:aws:iam::<account>:role\/IAMKeySentryAudit/)
    expect(told[0]).toContain(`(accounts ${ids.slice(0, 20).join(', ')}, and 9980 more)`)
    // The failure message: one line, a few hundred bytes, where it was 4 MB.
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    const message = String(core.setFailed.mock.calls[0][0])
    expect(message.split('\n')).toHaveLength(1)
    expect(Buffer.byteLength(message)).toBeLessThan(10_000)
    expect(message).toBe(told[0])
    const report = JSON.parse(await readFile(String(output('report-file')), 'utf8'))
    expect(report.accounts).toHaveLength(10_000)
    expect(report.accounts[9999].error).toContain(`arn:aws:iam::${ids[9999]}:role/IAMKeySentryAudit`)
  }, 60_000)
})

describe('run: the log', () => {
  const HOSTILE = 'alice\n::error title=x::owned\r::add-mask::hunter2\r\n  ::stop-commands::t ##[warning]legacy'

  it('writes every line from AWS as one line that is no workflow command', async () => {
    const created = daysAgo(200)
    iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(credentialReportCsv(credentialReportRow(HOSTILE, [{ active: true, created }], { arn: arn('x') }))),
      GeneratedTime: new Date()
    })
    iamMock.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [key(HOSTILE, ALICE_KEY, created)] })
    core.useInputs({ 'fail-on': 'none' })

    await run()

    // core.info writes its message and a line break as they are: the runner reads the lines.
    const lines = core.info.mock.calls.flatMap(([m]) => String(m).split(/\r\n|\r|\n/))
    expect(lines.filter((l) => l.includes('hunter2'))).toHaveLength(1)
    for (const line of lines) {
      expect(line).not.toMatch(/^\s*::/)
      expect(line).not.toContain('##[')
    }
  })
})
