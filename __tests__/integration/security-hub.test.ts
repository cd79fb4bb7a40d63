// security-hub: true through the built action against moto: findings imported (each checked
// against ASFF's required members, since moto checks almost nothing), exempt ones SUPPRESSED, a
// key deleted since the last run archived as PASSED, 250 findings in three batches into a member
// account with that account's session, and Security Hub denied or not enabled failing only that
// sink (SNS still published, the tracking issue still written).
//
// MOTO GAPS, STOOD IN FOR BY THE FAULT PROXY (said loudly, since these parts are not moto's):
// - moto 5.2.1 has no BatchUpdateFindings (PATCH /findings/batchupdate answers 404 HTML). The
//   proxy answers it as Security Hub does (200, no unprocessed finding) and the tests check what
//   the action ASKED (the request bodies), not what Security Hub then holds: moto keeps the
//   workflow and exemption mark the finding was created with. The workflow logic itself, across
//   runs, is unit-tested against a Security Hub fake (__tests__/unit/sinks/security-hub.test.ts).
// - moto checks whether Security Hub is enabled only for DescribeHub/DisableSecurityHub; its
//   GetFindings and BatchImportFindings answer in any account. So "not enabled" is Security
//   Hub's own answer (401 InvalidAccessException, REST-JSON) given by the proxy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { DeleteAccessKeyCommand, IAMClient, TagUserCommand, UntagUserCommand } from '@aws-sdk/client-iam'
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub'
import type { Report } from '../../src/core/report.js'
import { modelProblems, valueProblems } from '../unit/render/asff-model.js'
import type { AsffFinding } from '../../src/render/asff.js'
import { iamDo, motoClientConfig, seedAccountKeys, seedKeys, topicWithQueue, type Credentials, type KeySpec, type SeededKey } from './support/aws.js'
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction, type ActionRun } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const ACCOUNT = '123456789012'
const MEMBER = '333333333333'
const REGION = 'eu-west-1'
const productArn = (account: string) => `arn:aws:securityhub:${REGION}:${account}:product/${account}/default`
const MARKER = `<!-- iam-key-sentry:account=${ACCOUNT} -->`

/** BatchUpdateFindings as Security Hub answers it: moto has none (see the top of this file). */
function standInForBatchUpdateFindings(proxy: FaultProxy): void {
  proxy.rules.push({
    action: 'BatchUpdateFindings',
    fault: 'reply',
    times: Infinity,
    reply: { status: 200, contentType: 'application/json', body: JSON.stringify({ UnprocessedFindings: [] }) }
  })
}

/** What the action asked of BatchUpdateFindings: [finding id, workflow status, exemption mark] per finding. */
function workflowRequests(proxy: FaultProxy): [string, string | null, string | undefined][] {
  return proxy.actions.flatMap((action, i) => {
    if (action !== 'BatchUpdateFindings') return []
    const body = JSON.parse(proxy.bodies[i]) as {
      FindingIdentifiers: { Id: string; ProductArn: string }[]
      Workflow?: { Status: string }
      UserDefinedFields?: Record<string, string>
    }
    return body.FindingIdentifiers.map((f): [string, string | null, string | undefined] => [
      f.Id,
      body.Workflow?.Status ?? null,
      body.UserDefinedFields?.['iam-key-sentry/exempt']
    ])
  })
}

describeMoto('security-hub: true, through the built action', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let github: FakeGitHub
  let keys: SeededKey[]

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
    github = await startFakeGitHub()
    keys = await seedKeys(moto, [
      { userName: 'old-alice', age: '-200d' },
      { userName: 'old-bob', age: '-120d' },
      { userName: 'svc-exempt', age: '-150d' },
      { userName: 'fresh-carol', age: '+0' }
    ])
    const iam = new IAMClient(motoClientConfig(moto.endpoint))
    await iam.send(new TagUserCommand({ UserName: 'svc-exempt', Tags: [{ Key: 'key-sentry:exempt', Value: 'true' }] }))
    iam.destroy()
  }, 60_000)

  afterAll(async () => {
    await proxy?.close()
    await moto?.stop()
    await github?.close()
  })

  const resetProxy = () => {
    proxy.reset()
    standInForBatchUpdateFindings(proxy)
  }
  beforeEach(resetProxy)

  const run = (inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runAction(
      { 'security-hub': 'true', 'aws-region': REGION, 'fail-on': 'none', 'data-source': 'api', ...inputs },
      { ...motoEnv(proxy.endpoint), GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/infra', GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '4242' }
    )

  /**
   * A run with an SNS topic and the tracking issue on, Security Hub failing as `fault` says: the
   * other sinks must still deliver (nothing lost), and the step fails naming the account.
   */
  async function runWithOtherSinks(name: string): Promise<{ result: ActionRun; messages: { Message: string }[]; issueWrites: string[] }> {
    const topic = await topicWithQueue(moto, REGION, name)
    try {
      const before = github.requests.length
      const result = await run({ 'sns-topic-arn': topic.topicArn, 'create-issue': 'true', 'github-token': 'good-token' })
      const issueWrites = github.requests.slice(before).filter((r) => /^(POST|PATCH) \/repos\/acme\/infra\/issues(\/\d+)?$/.test(r))
      return { result, messages: await topic.receiveAll(), issueWrites }
    } finally {
      topic.close()
    }
  }

  /** The account's open tracking issue holds this run's findings. */
  function expectIssueWithFindings(): void {
    const issue = github.issues.find((i) => i.state === 'open' && i.body.startsWith(MARKER))
    expect(issue).toBeDefined()
    expect(issue!.body).toContain('old-alice')
  }

  /** What Security Hub (moto) holds in the account and region, read with a client of its own. */
  async function hubFindings(credentials?: Credentials): Promise<AwsSecurityFinding[]> {
    const hub = new SecurityHubClient(motoClientConfig(moto.endpoint, REGION, credentials))
    const all: AwsSecurityFinding[] = []
    try {
      let token: string | undefined
      do {
        const out = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }))
        all.push(...(out.Findings ?? []))
        token = out.NextToken || undefined
      } while (token)
    } finally {
      hub.destroy()
    }
    return all
  }

  const byKey = (findings: AwsSecurityFinding[], keyId: string) => findings.find((f) => f.Id === `iam-key-sentry/${ACCOUNT}/${keyId}`)
  const key = (user: string) => keys.find((k) => k.userName === user)!.accessKeyId

  it('imports one valid ASFF finding per key, exempt ones SUPPRESSED; a second run after a key is deleted archives it; a failed workflow update is made by the next run', async () => {
    const first = await run()
    expect(first.stdout).not.toContain('::error::')
    expect(first.exitCode).toBe(0)
    expect(proxy.count('BatchImportFindings')).toBe(1)
    expect(proxy.count('GetFindings')).toBe(1)
    expect(first.stdout).toContain(`Account ${ACCOUNT}: imported 3 findings, archived 0 into ${productArn(ACCOUNT)}`)

    const imported = await hubFindings()
    expect(imported.map((f) => f.Id).sort()).toEqual(
      [key('old-alice'), key('old-bob'), key('svc-exempt')].map((k) => `iam-key-sentry/${ACCOUNT}/${k}`).sort()
    )
    for (const f of imported) {
      expect(modelProblems(f, 'AwsSecurityFinding')).toEqual([])
      expect(valueProblems(f as AsffFinding)).toEqual([])
      expect(f).toMatchObject({ ProductArn: productArn(ACCOUNT), AwsAccountId: ACCOUNT, GeneratorId: 'iam-key-sentry/stale', RecordState: 'ACTIVE' })
    }
    expect(byKey(imported, key('old-alice'))).toMatchObject({
      Severity: { Label: 'HIGH' },
      Workflow: { Status: 'NEW' },
      Compliance: { Status: 'FAILED' },
      Resources: [{ Type: 'AwsIamAccessKey', Id: key('old-alice'), Region: REGION, Details: { AwsIamAccessKey: { PrincipalName: 'old-alice', PrincipalType: 'IAMUser', Status: 'Active' } } }]
    })
    expect(byKey(imported, key('old-alice'))?.Title).toBe('Access key not rotated: old-alice (200 days old)')
    expect(byKey(imported, key('svc-exempt'))?.Workflow).toEqual({ Status: 'SUPPRESSED' })
    // Severity and types also as the provider's own; CIS requirements name their benchmark version.
    expect(byKey(imported, key('old-alice'))).toMatchObject({
      FindingProviderFields: { Severity: { Label: 'HIGH' }, Types: [expect.stringContaining('CIS AWS Foundations Benchmark')] },
      Compliance: { RelatedRequirements: ['CIS AWS Foundations Benchmark v3.0.0/1.14', 'IAM.3'] },
      UserDefinedFields: { 'iam-key-sentry/exempt': 'false' }
    })
    // New findings take their workflow and exemption mark from the import that creates them:
    // no BatchUpdateFindings.
    expect(byKey(imported, key('svc-exempt'))?.UserDefinedFields).toEqual({ 'iam-key-sentry/exempt': 'true' })
    expect(proxy.count('BatchUpdateFindings')).toBe(0)

    // old-bob rotates: his key is deleted. svc-exempt is no longer exempt.
    const iam = new IAMClient(motoClientConfig(moto.endpoint))
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'old-bob', AccessKeyId: key('old-bob') }))
    await iam.send(new UntagUserCommand({ UserName: 'svc-exempt', TagKeys: ['key-sentry:exempt'] }))
    iam.destroy()
    resetProxy()
    // BatchUpdateFindings is denied in this run.
    proxy.rules.unshift({ action: 'BatchUpdateFindings', fault: 'denied', times: 1 })
    const second = await run()
    expect(second.exitCode).toBe(1)
    expect(second.stdout).toMatch(new RegExp(`::error::Security Hub, account ${ACCOUNT}: securityhub:BatchUpdateFindings was denied`))
    expect(second.stdout).toContain(`Account ${ACCOUNT}: imported 2 findings, archived 1`)
    // Its exemption changed: back to NEW, with BatchUpdateFindings (the import's Workflow would
    // be ignored), the mark in the same call, in this account's product.
    const svcExempt = `iam-key-sentry/${ACCOUNT}/${key('svc-exempt')}`
    expect(workflowRequests(proxy)).toEqual([[svcExempt, 'NEW', 'false']])
    expect(JSON.parse(proxy.bodies[proxy.actions.indexOf('BatchUpdateFindings')])).toEqual({
      FindingIdentifiers: [{ Id: svcExempt, ProductArn: productArn(ACCOUNT) }],
      Workflow: { Status: 'NEW' },
      UserDefinedFields: { 'iam-key-sentry/exempt': 'false' }
    })
    const secondImport = JSON.parse(proxy.bodies[proxy.actions.indexOf('BatchImportFindings')]) as { Findings: AsffFinding[] }
    const active = secondImport.Findings.filter((f) => f.RecordState === 'ACTIVE')
    expect(active.map((f) => [f.Workflow, f.UserDefinedFields])).toEqual([
      [undefined, undefined],
      [undefined, undefined]
    ])
    const after = await hubFindings()
    expect(after).toHaveLength(3)
    const bob = byKey(after, key('old-bob'))!
    expect(bob).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } })
    expect(modelProblems(bob, 'AwsSecurityFinding')).toEqual([])
    // Still there, updated in place: the same id, CreatedAt kept, UpdatedAt later.
    const aliceBefore = byKey(imported, key('old-alice'))!
    const aliceAfter = byKey(after, key('old-alice'))!
    expect(aliceAfter).toMatchObject({ RecordState: 'ACTIVE', CreatedAt: aliceBefore.CreatedAt })
    expect(aliceAfter.UpdatedAt! > aliceBefore.UpdatedAt!).toBe(true)

    // The import kept the mark the update was denied: svc-exempt's still says exempt.
    expect(byKey(after, key('svc-exempt'))?.UserDefinedFields).toEqual({ 'iam-key-sentry/exempt': 'true' })

    // A third run archives nothing again (archived findings are not read back as this action's
    // active ones), and makes the update the second run could not; old-alice, unchanged, is
    // left alone.
    resetProxy()
    const third = await run()
    expect(third.exitCode).toBe(0)
    expect(third.stdout).toContain(`Account ${ACCOUNT}: imported 2 findings, archived 0`)
    expect(workflowRequests(proxy)).toEqual([[svcExempt, 'NEW', 'false']])
    await iamDo(moto, (i) => i.send(new TagUserCommand({ UserName: 'svc-exempt', Tags: [{ Key: 'key-sentry:exempt', Value: 'true' }] })))
  }, 120_000)

  it('sends 250 findings in three BatchImportFindings calls, into the member account with its own session', async () => {
    const specs: KeySpec[] = Array.from({ length: 250 }, (_, i) => ({ userName: `old-${String(i).padStart(3, '0')}`, age: '-200d' }))
    const member = await seedAccountKeys(moto, MEMBER, specs)
    resetProxy()
    const result = await run({ accounts: MEMBER })
    expect(result.stdout).not.toContain('::error::')
    expect(result.exitCode).toBe(0)
    expect(proxy.count('BatchImportFindings')).toBe(3)
    expect(result.stdout).toContain(`Account ${MEMBER}: imported 250 findings, archived 0 into ${productArn(MEMBER)} (3 BatchImportFindings calls)`)
    const imported = await hubFindings(member.credentials)
    expect(imported).toHaveLength(250)
    expect(new Set(imported.map((f) => f.AwsAccountId))).toEqual(new Set([MEMBER]))
    expect(imported.map((f) => f.Id).sort()).toEqual(member.keys.map((k) => `iam-key-sentry/${MEMBER}/${k.accessKeyId}`).sort())
  }, 180_000)

  it('Security Hub denied fails only that sink: the report file, summary, outputs, SNS message and issue are still written', async () => {
    proxy.rules.push({ action: 'BatchImportFindings', fault: 'denied', times: Infinity })
    const { result, messages, issueWrites } = await runWithOtherSinks('hub-denied')
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      new RegExp(`::error::Security Hub, account ${ACCOUNT}: securityhub:BatchImportFindings was denied .*Grant securityhub:BatchImportFindings`)
    )
    expect(proxy.count('BatchImportFindings')).toBe(1) // AccessDenied is not retried
    expect(result.outputs['stale-count']).toBe('1')
    expect(result.outputs['finding-count']).toBe('1')
    expect(existsSync(result.outputs['report-file'])).toBe(true)
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as Report
    expect(report.findings.map((f) => f.userName).sort()).toEqual(['old-alice', 'svc-exempt'])
    expect(result.summary).toContain('old-alice')
    // Nothing lost: SNS published, the tracking issue written.
    expect(messages).toHaveLength(1)
    expect(result.outputs['sns-message-id']).toBeTruthy()
    expect(issueWrites.length).toBeGreaterThan(0)
    expectIssueWithFindings()
  }, 60_000)

  it('Security Hub not enabled (InvalidAccessException) fails only that sink, naming the account; SNS published, the issue written', async () => {
    // Security Hub's answer in an account where it is not enabled (moto gives none: see the top).
    const notEnabled = {
      status: 401,
      contentType: 'application/json',
      body: JSON.stringify({ __type: 'InvalidAccessException', Message: `Account ${ACCOUNT} is not subscribed to AWS Security Hub`, Code: 'InvalidAccessException' })
    }
    proxy.rules.push({ action: 'GetFindings', fault: 'reply', times: Infinity, reply: notEnabled })
    proxy.rules.push({ action: 'BatchImportFindings', fault: 'reply', times: Infinity, reply: notEnabled })
    const { result, messages, issueWrites } = await runWithOtherSinks('hub-not-enabled')
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      new RegExp(`::error::Security Hub, account ${ACCOUNT}: Security Hub is not enabled in account ${ACCOUNT} region ${REGION} .*Enable Security Hub there, or set security-hub: false\\.`)
    )
    // Told by the read: no import is tried, and the only problem is that one.
    expect(proxy.count('GetFindings')).toBe(1)
    expect(proxy.count('BatchImportFindings')).toBe(0)
    expect(result.stdout.match(/::error::/g)).toHaveLength(1)
    expect(messages).toHaveLength(1)
    // The report, whole: the findings Security Hub did not get are in it.
    const report = JSON.parse(readFileSync(result.outputs['report-file'], 'utf8')) as Report
    const published = (JSON.parse(messages[0].Message) as Report).findings.map((f) => f.userName)
    expect(published).toContain('old-alice')
    expect(published).toEqual(report.findings.map((f) => f.userName))
    expect(issueWrites.length).toBeGreaterThan(0)
    expectIssueWithFindings()
  }, 60_000)
})
