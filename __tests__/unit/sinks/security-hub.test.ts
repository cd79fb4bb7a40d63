// The Security Hub calls and sink against a mocked SDK client: batches of 100, refused findings
// reported with their error, GetFindings paged and filtered again, fixed keys archived, each
// account's failure its own problem.
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  SecurityHubServiceException,
  type AwsSecurityFinding
} from '@aws-sdk/client-securityhub'
import { mockClient } from 'aws-sdk-client-mock'
import { importFindings, IMPORT_BATCH, previousFindings } from '../../../src/aws/security-hub.js'
import { productArn, toAsff, type AsffFinding } from '../../../src/render/asff.js'
import { syncSecurityHub, type SecurityHubAccount } from '../../../src/sinks/security-hub.js'
import { ACCOUNT, fakeLog, finding, keyId, NOW, OTHER_ACCOUNT } from '../helpers.js'

const hub = mockClient(SecurityHubClient)
const REGION = 'eu-west-1'
const WHERE = { accountId: ACCOUNT, region: REGION }
const TARGET = { partition: 'aws', region: REGION, accountId: ACCOUNT }
const PRODUCT = productArn(TARGET)
const client = () => new SecurityHubClient({ region: REGION, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } })

function hubError(name: string, message: string, status = 403) {
  return new SecurityHubServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: status } })
}

const asff = (n: number, overrides: Parameters<typeof finding>[0] = {}) =>
  toAsff(finding({ accessKeyId: keyId(n), userName: `user-${n}`, ...overrides }), TARGET, { now: NOW })

/** Every finding sent in BatchImportFindings calls, call by call. */
const sent = () => hub.commandCalls(BatchImportFindingsCommand).map((c) => (c.args[0].input.Findings ?? []) as AsffFinding[])

beforeEach(() => {
  hub.reset()
  hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({ FailedCount: 0, SuccessCount: input.Findings.length, FailedFindings: [] }))
  hub.on(GetFindingsCommand).resolves({ Findings: [] })
})

describe('importFindings', () => {
  it('sends 250 findings in three calls of at most 100', async () => {
    const findings = Array.from({ length: 250 }, (_, i) => asff(i))
    const result = await importFindings(client(), findings, WHERE)
    expect(sent().map((batch) => batch.length)).toEqual([100, 100, 50])
    expect(IMPORT_BATCH).toBe(100)
    expect(result).toEqual({ imported: 250, failed: [], calls: 3 })
    expect(sent().flat().map((f) => f.Id)).toEqual(findings.map((f) => f.Id))
  })

  it('makes no call for no findings', async () => {
    expect(await importFindings(client(), [], WHERE)).toEqual({ imported: 0, failed: [], calls: 0 })
    expect(sent()).toEqual([])
  })

  it('keeps each refused finding with its error; the rest of the batches still go in', async () => {
    const findings = Array.from({ length: 150 }, (_, i) => asff(i))
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({
        FailedCount: 2,
        SuccessCount: 98,
        FailedFindings: [
          { Id: findings[3].Id, ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' },
          { Id: findings[7].Id, ErrorCode: 'FindingSizeExceeded', ErrorMessage: `too big: key ${keyId(7)}` }
        ]
      })
      .resolvesOnce({ FailedCount: 0, SuccessCount: 50, FailedFindings: [] })
    const result = await importFindings(client(), findings, WHERE)
    expect(result.calls).toBe(2)
    expect(result.imported).toBe(148)
    expect(result.failed).toEqual([
      { id: findings[3].Id, error: 'InvalidInput: Finding does not adhere to ASFF' },
      // Key ids in AWS's messages are masked, as everywhere.
      { id: findings[7].Id, error: expect.stringMatching(/^FindingSizeExceeded: too big: key AKIA…/) }
    ])
  })

  it('names the permission when denied, and says when Security Hub is not enabled', async () => {
    hub.on(BatchImportFindingsCommand).rejects(hubError('AccessDeniedException', 'not authorized to perform: securityhub:BatchImportFindings'))
    await expect(importFindings(client(), [asff(1)], WHERE)).rejects.toThrow(
      /securityhub:BatchImportFindings was denied .*Grant securityhub:BatchImportFindings/
    )
    hub.on(BatchImportFindingsCommand).rejects(hubError('InvalidAccessException', `Account ${ACCOUNT} is not subscribed to AWS Security Hub`, 401))
    await expect(importFindings(client(), [asff(1)], WHERE)).rejects.toThrow(
      `Security Hub is not enabled in account ${ACCOUNT} region ${REGION}`
    )
  })
})

describe('previousFindings', () => {
  it('asks for this product, this generator and active records, page by page', async () => {
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [asff(1) as AwsSecurityFinding], NextToken: 'page-2' })
      .resolvesOnce({ Findings: [asff(2) as AwsSecurityFinding] })
    const found = await previousFindings(client(), PRODUCT, WHERE)
    expect(found.map((f) => f.Id)).toEqual([asff(1).Id, asff(2).Id])
    const calls = hub.commandCalls(GetFindingsCommand).map((c) => c.args[0].input)
    expect(calls).toEqual([
      {
        Filters: {
          ProductArn: [{ Value: PRODUCT, Comparison: 'EQUALS' }],
          GeneratorId: [{ Value: 'iam-key-sentry/', Comparison: 'PREFIX' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }]
        },
        MaxResults: 100,
        NextToken: undefined
      },
      expect.objectContaining({ NextToken: 'page-2' })
    ])
  })

  it('filters what comes back itself (moto ignores filters): other products, generators, archived records', async () => {
    const mine = asff(1)
    const otherProduct = { ...asff(2), ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty' }
    const otherAccount = { ...asff(3), ProductArn: productArn({ ...TARGET, accountId: OTHER_ACCOUNT }) }
    const otherGenerator = { ...asff(4), GeneratorId: 'prowler-iam_rotate_access_key_90_days', Id: 'prowler/x' }
    const archived = { ...asff(5), RecordState: 'ARCHIVED' as const }
    const extra = { ...asff(6), ProductName: 'Default', CompanyName: 'Personal', ProcessedAt: NOW.toISOString(), WorkflowState: 'NEW' }
    hub.on(GetFindingsCommand).resolves({ Findings: [mine, otherProduct, otherAccount, otherGenerator, archived, extra] as AwsSecurityFinding[] })
    const found = await previousFindings(client(), PRODUCT, WHERE)
    expect(found.map((f) => f.Id)).toEqual([mine.Id, extra.Id])
    // What Security Hub added is not carried back into an import.
    expect(found[1]).not.toHaveProperty('ProductName')
    expect(found[1]).not.toHaveProperty('ProcessedAt')
  })

  it('stops on a repeated page token', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [asff(1) as AwsSecurityFinding], NextToken: 'same' })
    expect(await previousFindings(client(), PRODUCT, WHERE)).toHaveLength(1)
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(2)
  })
})

function account(overrides: Partial<SecurityHubAccount> = {}): SecurityHubAccount {
  return {
    accountId: ACCOUNT,
    partition: 'aws',
    config: { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } },
    findings: [],
    lastUseKnown: true,
    ...overrides
  }
}

const options = () => ({ region: REGION, now: NOW, log: fakeLog(), maxConcurrency: 4 })

describe('syncSecurityHub', () => {
  it("imports the run's findings, exempt ones SUPPRESSED, in aws-region", async () => {
    const findings = [finding({ accessKeyId: keyId(1) }), finding({ accessKeyId: keyId(2), exempt: true, userName: 'svc-ci' })]
    let region = ''
    const { outcomes, problems } = await syncSecurityHub([account({ findings })], {
      ...options(),
      clientFor: (config) => {
        region = config.region
        return client()
      }
    })
    expect(region).toBe(REGION)
    expect(problems).toEqual([])
    expect(outcomes).toEqual([{ accountId: ACCOUNT, imported: 2, archived: 0, failed: [], error: null }])
    expect(sent().flat().map((f) => [f.Id, f.Workflow?.Status, f.RecordState])).toEqual([
      [`iam-key-sentry/${ACCOUNT}/${keyId(1)}`, 'NEW', 'ACTIVE'],
      [`iam-key-sentry/${ACCOUNT}/${keyId(2)}`, 'SUPPRESSED', 'ACTIVE']
    ])
  })

  it('archives as PASSED what it imported before and is gone; keeps CreatedAt of what is still there', async () => {
    const earlier = new Date('2026-11-01T00:00:00Z')
    const kept = toAsff(finding({ accessKeyId: keyId(1) }), TARGET, { now: earlier })
    const fixed = toAsff(finding({ accessKeyId: keyId(2) }), TARGET, { now: earlier })
    hub.on(GetFindingsCommand).resolves({ Findings: [kept, fixed] as AwsSecurityFinding[] })
    const { outcomes } = await syncSecurityHub([account({ findings: [finding({ accessKeyId: keyId(1) })] })], options())
    expect(outcomes[0]).toMatchObject({ imported: 1, archived: 1, error: null })
    const [batch] = sent()
    expect(batch.map((f) => [f.Id, f.RecordState, f.Compliance.Status, f.CreatedAt, f.UpdatedAt])).toEqual([
      [kept.Id, 'ACTIVE', 'FAILED', earlier.toISOString(), NOW.toISOString()],
      [fixed.Id, 'ARCHIVED', 'PASSED', earlier.toISOString(), NOW.toISOString()]
    ])
  })

  it('never archives a finding of a kind this run could not see (root keys on the listing path, set-up keys unchecked)', async () => {
    const earlier = new Date('2026-11-01T00:00:00Z')
    const root = toAsff(finding({ kind: 'root-key', severity: 'critical', userName: '<root_account>', accessKeyId: null }), TARGET, { now: earlier })
    const setup = toAsff(finding({ kind: 'setup-key', severity: 'medium', accessKeyId: keyId(3) }), TARGET, { now: earlier })
    const fixed = toAsff(finding({ accessKeyId: keyId(2) }), TARGET, { now: earlier })
    hub.on(GetFindingsCommand).resolves({ Findings: [root, setup, fixed] as AwsSecurityFinding[] })
    const { outcomes } = await syncSecurityHub([account({ findings: [], unseen: ['root-key', 'setup-key'] })], options())
    expect(outcomes[0]).toMatchObject({ imported: 0, archived: 1, error: null })
    expect(sent().flat().map((f) => f.Id)).toEqual([fixed.Id])
  })

  it('a clean account with nothing imported before makes no import call', async () => {
    const { outcomes, problems } = await syncSecurityHub([account()], options())
    expect(problems).toEqual([])
    expect(outcomes[0]).toMatchObject({ imported: 0, archived: 0 })
    expect(sent()).toEqual([])
  })

  it('one problem per failed account; the other accounts still go in', async () => {
    const { problems, outcomes } = await syncSecurityHub(
      [account({ findings: [finding()] }), account({ accountId: OTHER_ACCOUNT, findings: [finding({ accountId: OTHER_ACCOUNT })] })],
      options()
    )
    expect(problems).toEqual([])
    expect(outcomes.map((o) => o.imported)).toEqual([1, 1])

    hub.reset()
    hub.on(GetFindingsCommand).resolves({ Findings: [] })
    hub
      .on(BatchImportFindingsCommand)
      .rejectsOnce(hubError('InvalidAccessException', `Account ${ACCOUNT} is not subscribed to AWS Security Hub`, 401))
      .resolves({ FailedCount: 0, SuccessCount: 1 })
    const second = await syncSecurityHub(
      [account({ findings: [finding()] }), account({ accountId: OTHER_ACCOUNT, findings: [finding({ accountId: OTHER_ACCOUNT })] })],
      { ...options(), maxConcurrency: 1 }
    )
    expect(second.problems).toEqual([
      expect.stringMatching(new RegExp(`^Security Hub, account ${ACCOUNT}: Security Hub is not enabled in account ${ACCOUNT} region ${REGION}`))
    ])
    expect(second.outcomes[1]).toMatchObject({ accountId: OTHER_ACCOUNT, imported: 1, error: null })
  })

  it('not enabled, told by GetFindings: the account is skipped with one problem', async () => {
    hub.on(GetFindingsCommand).rejects(hubError('InvalidAccessException', `Account ${ACCOUNT} is not subscribed to AWS Security Hub`, 401))
    const { problems } = await syncSecurityHub([account({ findings: [finding()] })], options())
    expect(problems).toEqual([expect.stringContaining(`Security Hub is not enabled in account ${ACCOUNT} region ${REGION}`)])
    expect(sent()).toEqual([])
  })

  it('GetFindings denied: the findings still go in, and the problem says fixed keys were not archived', async () => {
    hub.on(GetFindingsCommand).rejects(hubError('AccessDeniedException', 'not authorized to perform: securityhub:GetFindings'))
    const { problems, outcomes } = await syncSecurityHub([account({ findings: [finding()] })], options())
    expect(outcomes[0].imported).toBe(1)
    expect(problems).toEqual([expect.stringMatching(/securityhub:GetFindings was denied.*Fixed keys' findings were not archived/)])
  })

  it('reports refused findings with their errors, at most five named', async () => {
    const findings = Array.from({ length: 8 }, (_, i) => finding({ accessKeyId: keyId(i) }))
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AsffFinding[] }) => ({
      FailedCount: 7,
      SuccessCount: 1,
      FailedFindings: input.Findings.slice(1).map((f) => ({ Id: f.Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }))
    }))
    const { problems, outcomes } = await syncSecurityHub([account({ findings })], options())
    expect(outcomes[0]).toMatchObject({ imported: 1, error: null })
    expect(outcomes[0].failed).toHaveLength(7)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(new RegExp(`^Security Hub, account ${ACCOUNT}: 7 findings refused by BatchImportFindings: .*InvalidInput: bad.*, and 2 more$`))
  })
})
