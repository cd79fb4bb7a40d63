// security-hub: true through the built action against moto: findings imported (each checked
// against ASFF's required members, since moto checks almost nothing), exempt ones SUPPRESSED, a
// key deleted since the last run archived as PASSED, 250 findings in three batches into a member
// account with that account's session, and Security Hub denied failing only that sink.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { DeleteAccessKeyCommand, IAMClient, TagUserCommand } from '@aws-sdk/client-iam'
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub'
import type { Report } from '../../src/core/report.js'
import { modelProblems, valueProblems } from '../unit/render/asff-model.js'
import type { AsffFinding } from '../../src/render/asff.js'
import { motoClientConfig, seedAccountKeys, seedKeys, type Credentials, type KeySpec, type SeededKey } from './support/aws.js'
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction, type ActionRun } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const ACCOUNT = '123456789012'
const MEMBER = '333333333333'
const REGION = 'eu-west-1'
const productArn = (account: string) => `arn:aws:securityhub:${REGION}:${account}:product/${account}/default`

describeMoto('security-hub: true, through the built action', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let keys: SeededKey[]

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
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
  })

  beforeEach(() => proxy.reset())

  const run = (inputs: Record<string, string> = {}): Promise<ActionRun> =>
    runAction({ 'security-hub': 'true', 'aws-region': REGION, 'fail-on': 'none', 'data-source': 'api', ...inputs }, motoEnv(proxy.endpoint))

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

  it('imports one valid ASFF finding per key, exempt ones SUPPRESSED; a second run after a key is deleted archives it', async () => {
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

    // old-bob rotates: his key is deleted.
    const iam = new IAMClient(motoClientConfig(moto.endpoint))
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'old-bob', AccessKeyId: key('old-bob') }))
    iam.destroy()
    proxy.reset()
    const second = await run()
    expect(second.exitCode).toBe(0)
    expect(second.stdout).toContain(`Account ${ACCOUNT}: imported 2 findings, archived 1`)
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

    // A third run archives nothing again: archived findings are not read back as this action's active ones.
    proxy.reset()
    const third = await run()
    expect(third.stdout).toContain(`Account ${ACCOUNT}: imported 2 findings, archived 0`)
  }, 120_000)

  it('sends 250 findings in three BatchImportFindings calls, into the member account with its own session', async () => {
    const specs: KeySpec[] = Array.from({ length: 250 }, (_, i) => ({ userName: `old-${String(i).padStart(3, '0')}`, age: '-200d' }))
    const member = await seedAccountKeys(moto, MEMBER, specs)
    proxy.reset()
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

  it('Security Hub denied fails only that sink: the report file, summary and outputs are still written', async () => {
    proxy.rules.push({ action: 'BatchImportFindings', fault: 'denied', times: Infinity })
    const result = await run()
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
  }, 60_000)
})
