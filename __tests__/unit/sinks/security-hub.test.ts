// The Security Hub calls and sink against a mocked SDK client: batches of 100, refused findings
// reported with their error, GetFindings paged and filtered again, fixed keys archived, each
// account's failure its own problem.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  SecurityHubServiceException,
  type AwsSecurityFinding
} from '@aws-sdk/client-securityhub'
import { mockClient } from 'aws-sdk-client-mock'
import { ImportInterruptedError, importFindings, IMPORT_BATCH, MAX_PAGES, previousFindings, updateWorkflow } from '../../../src/aws/security-hub.js'
import { productArn, toAsff, type AsffFinding } from '../../../src/render/asff.js'
import { syncSecurityHub, type SecurityHubAccount } from '../../../src/sinks/security-hub.js'
import { ACCOUNT, fakeLog, finding, keyId, NOW, OTHER_ACCOUNT } from '../helpers.js'
import { fakeSecurityHub, type FakeSecurityHub } from './fake-security-hub.js'

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
  hub.on(BatchUpdateFindingsCommand).callsFake((input: { FindingIdentifiers: unknown[] }) => ({ ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] }))
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

  it('a failure part-way says which findings were in the batches that went through', async () => {
    const findings = Array.from({ length: 250 }, (_, i) => asff(i))
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ FailedCount: 0, SuccessCount: 100 })
      .resolvesOnce({ FailedCount: 1, SuccessCount: 99, FailedFindings: [{ Id: findings[150].Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] })
      .rejects(hubError('AccessDeniedException', 'not authorized to perform: securityhub:BatchImportFindings'))
    const error = await importFindings(client(), findings, WHERE).then(
      () => null,
      (err: unknown) => err as ImportInterruptedError
    )
    expect(error).toBeInstanceOf(ImportInterruptedError)
    // The first 200 were sent, one of them refused; the caller says what that means.
    expect(error).toMatchObject({ sent: 200, failed: [{ id: findings[150].Id, error: 'InvalidInput: bad' }], calls: 3 })
    expect(error?.message).toMatch(/securityhub:BatchImportFindings was denied/)
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
    const { findings: found, complete } = await previousFindings(client(), PRODUCT, WHERE)
    expect(found.map((f) => f.Id)).toEqual([asff(1).Id, asff(2).Id])
    expect(complete).toBe(true)
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
    const { findings: found } = await previousFindings(client(), PRODUCT, WHERE)
    expect(found.map((f) => f.Id)).toEqual([mine.Id, extra.Id])
    // What Security Hub added is not carried back into an import.
    expect(found[1]).not.toHaveProperty('ProductName')
    expect(found[1]).not.toHaveProperty('ProcessedAt')
  })

  it('stops on a repeated page token', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [asff(1) as AwsSecurityFinding], NextToken: 'same' })
    expect((await previousFindings(client(), PRODUCT, WHERE)).findings).toHaveLength(1)
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(2)
  })

  it(`says the read was cut when it stops at ${MAX_PAGES} pages with more to read`, async () => {
    let page = 0
    hub.on(GetFindingsCommand).callsFake(() => {
      page++
      return { Findings: [asff(page) as AwsSecurityFinding], NextToken: `page-${page + 1}` }
    })
    const read = await previousFindings(client(), PRODUCT, WHERE)
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(MAX_PAGES)
    expect(read.findings).toHaveLength(MAX_PAGES)
    expect(read.complete).toBe(false)
  })

  it('keeps the workflow status and the exemption mark it reads back', async () => {
    const earlier = {
      ...asff(1, { exempt: true }),
      Workflow: { Status: 'NOTIFIED' as const },
      UserDefinedFields: { 'iam-key-sentry/exempt': 'true', ticket: 'SEC-12' },
      ProductFields: { 'aws/securityhub/FindingId': 'x' }
    }
    hub.on(GetFindingsCommand).resolves({ Findings: [earlier as AwsSecurityFinding] })
    const [found] = (await previousFindings(client(), PRODUCT, WHERE)).findings
    expect(found.Workflow).toEqual({ Status: 'NOTIFIED' })
    // Only this action's own mark: what people and Security Hub add is not carried.
    expect(found.UserDefinedFields).toEqual({ 'iam-key-sentry/exempt': 'true' })
    expect(found).not.toHaveProperty('ProductFields')
  })
})

describe('updateWorkflow', () => {
  it('the workflow and the exemption mark in the same call; one of each per call, 100 findings per call', async () => {
    const updates = [
      ...Array.from({ length: 150 }, (_, i) => ({ id: `s-${i}`, productArn: PRODUCT, exempt: true, setWorkflow: true })),
      { id: 'n-1', productArn: PRODUCT, exempt: false, setWorkflow: true },
      { id: 'm-1', productArn: PRODUCT, exempt: true, setWorkflow: false },
      { id: 'm-2', productArn: PRODUCT, exempt: false, setWorkflow: false }
    ]
    const result = await updateWorkflow(client(), updates, WHERE)
    const calls = hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input)
    expect(calls.map((c) => [c.Workflow?.Status, c.UserDefinedFields, c.FindingIdentifiers?.length])).toEqual([
      ['SUPPRESSED', { 'iam-key-sentry/exempt': 'true' }, 100],
      ['SUPPRESSED', { 'iam-key-sentry/exempt': 'true' }, 50],
      ['NEW', { 'iam-key-sentry/exempt': 'false' }, 1],
      // The mark alone: no Workflow member at all.
      [undefined, { 'iam-key-sentry/exempt': 'true' }, 1],
      [undefined, { 'iam-key-sentry/exempt': 'false' }, 1]
    ])
    expect(calls[3]).not.toHaveProperty('Workflow')
    expect(calls[2].FindingIdentifiers).toEqual([{ Id: 'n-1', ProductArn: PRODUCT }])
    expect(result).toEqual({ updated: 153, unprocessed: [], calls: 5 })
  })

  it('keeps each finding it did not update with its error; names the permission when denied', async () => {
    hub.on(BatchUpdateFindingsCommand).resolves({
      ProcessedFindings: [],
      UnprocessedFindings: [{ FindingIdentifier: { Id: 'a', ProductArn: PRODUCT }, ErrorCode: 'FindingNotFound', ErrorMessage: 'not found' }]
    })
    expect(await updateWorkflow(client(), [{ id: 'a', productArn: PRODUCT, exempt: false, setWorkflow: true }], WHERE)).toEqual({
      updated: 0,
      unprocessed: [{ id: 'a', error: 'FindingNotFound: not found' }],
      calls: 1
    })
    hub.on(BatchUpdateFindingsCommand).rejects(hubError('AccessDeniedException', 'not authorized to perform: securityhub:BatchUpdateFindings'))
    await expect(updateWorkflow(client(), [{ id: 'a', productArn: PRODUCT, exempt: false, setWorkflow: true }], WHERE)).rejects.toThrow(
      /securityhub:BatchUpdateFindings was denied .*Grant securityhub:BatchUpdateFindings/
    )
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
    expect(outcomes).toEqual([{ accountId: ACCOUNT, imported: 2, archived: 0, failed: [], workflowUpdated: 0, workflowFailed: [], error: null }])
    expect(sent().flat().map((f) => [f.Id, f.Workflow?.Status, f.UserDefinedFields?.['iam-key-sentry/exempt'], f.RecordState])).toEqual([
      [`iam-key-sentry/${ACCOUNT}/${keyId(1)}`, 'NEW', 'false', 'ACTIVE'],
      [`iam-key-sentry/${ACCOUNT}/${keyId(2)}`, 'SUPPRESSED', 'true', 'ACTIVE']
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

describe('syncSecurityHub: workflow status (BatchImportFindings ignores Workflow on an existing finding)', () => {
  const earlier = new Date('2026-11-01T00:00:00Z')
  /**
   * A finding as imported by an earlier run, read back with its workflow as it is now and the
   * exemption mark as last written with a workflow (null: imported before the mark existed).
   */
  const previously = (n: number, mark: boolean | null, workflow: 'NEW' | 'NOTIFIED' | 'SUPPRESSED') => {
    const { UserDefinedFields, ...built } = toAsff(finding({ accessKeyId: keyId(n), exempt: mark ?? false }), TARGET, { now: earlier })
    return { ...built, ...(mark === null ? {} : { UserDefinedFields }), Workflow: { Status: workflow } } as AwsSecurityFinding
  }
  /** [finding id, workflow set (null: none), exemption mark] per finding updated. */
  const updates = () =>
    hub
      .commandCalls(BatchUpdateFindingsCommand)
      .flatMap((c) =>
        (c.args[0].input.FindingIdentifiers ?? []).map((f) => [f.Id, c.args[0].input.Workflow?.Status ?? null, c.args[0].input.UserDefinedFields?.['iam-key-sentry/exempt']])
      )
  const id = (n: number) => `iam-key-sentry/${ACCOUNT}/${keyId(n)}`

  it('a new finding takes its workflow and mark from the import that creates it: no BatchUpdateFindings', async () => {
    const findings = [finding({ accessKeyId: keyId(1) }), finding({ accessKeyId: keyId(2), exempt: true })]
    const { outcomes, problems } = await syncSecurityHub([account({ findings })], options())
    expect(problems).toEqual([])
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0)
    expect(sent().flat().map((f) => [f.Workflow, f.UserDefinedFields])).toEqual([
      [{ Status: 'NEW' }, { 'iam-key-sentry/exempt': 'false' }],
      [{ Status: 'SUPPRESSED' }, { 'iam-key-sentry/exempt': 'true' }]
    ])
    expect(outcomes[0].workflowUpdated).toBe(0)
  })

  it('sets the workflow, with the mark, only where the exemption changed; a person’s workflow is left alone', async () => {
    hub.on(GetFindingsCommand).resolves({
      Findings: [
        previously(1, false, 'NEW'), // now exempt: SUPPRESSED
        previously(2, true, 'SUPPRESSED'), // no longer exempt: NEW
        previously(3, true, 'NEW'), // still exempt, un-suppressed by a person: left alone
        previously(4, false, 'SUPPRESSED'), // not exempt, suppressed by a person: left alone
        previously(5, false, 'NOTIFIED'), // unchanged: left alone
        previously(6, null, 'SUPPRESSED'), // imported before the mark, not exempt now: workflow left alone, mark recorded
        previously(7, null, 'NEW') // imported before the mark, exempt now: workflow left alone, mark recorded
      ]
    })
    const findings = [
      finding({ accessKeyId: keyId(1), exempt: true }),
      finding({ accessKeyId: keyId(2) }),
      finding({ accessKeyId: keyId(3), exempt: true }),
      finding({ accessKeyId: keyId(4) }),
      finding({ accessKeyId: keyId(5) }),
      finding({ accessKeyId: keyId(6) }),
      finding({ accessKeyId: keyId(7), exempt: true })
    ]
    const o = options()
    const { problems, outcomes } = await syncSecurityHub([account({ findings })], o)
    expect(problems).toEqual([])
    expect(updates()).toEqual([
      [id(1), 'SUPPRESSED', 'true'],
      [id(2), 'NEW', 'false'],
      [id(7), null, 'true'],
      [id(6), null, 'false']
    ])
    expect(outcomes[0].workflowUpdated).toBe(4)
    expect(o.log.info).toHaveBeenCalledWith(
      `Account ${ACCOUNT}: workflow set for 2 findings whose exemption changed (1 SUPPRESSED, 1 NEW), exemption recorded for 2 imported before it was (4 BatchUpdateFindings calls)`
    )
    // The import sends no Workflow and no mark for findings that exist (they would be ignored),
    // and the provider's severity and types through FindingProviderFields.
    const imported = sent().flat()
    expect(imported.every((f) => f.Workflow === undefined && f.UserDefinedFields === undefined)).toBe(true)
    expect(imported.map((f) => f.FindingProviderFields)).toEqual(imported.map((f) => ({ Severity: f.Severity, Types: f.Types })))
  })

  it('makes no update for a finding BatchImportFindings refused', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [previously(1, false, 'NEW')] })
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 1, SuccessCount: 0, FailedFindings: [{ Id: id(1), ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] })
    await syncSecurityHub([account({ findings: [finding({ accessKeyId: keyId(1), exempt: true })] })], options())
    expect(updates()).toEqual([])
  })

  it.each([
    ['denied', () => hub.on(GetFindingsCommand).rejects(hubError('AccessDeniedException', 'not authorized to perform: securityhub:GetFindings'))],
    [
      `cut at ${MAX_PAGES} pages`,
      () => {
        let page = 0
        hub.on(GetFindingsCommand).callsFake(() => ({ Findings: [previously(1000 + page++, false, 'NEW')], NextToken: `page-${page + 1}` }))
      }
    ]
  ])('GetFindings %s: no update for a finding not read back (it may exist, its workflow set by a person)', async (_, arrange) => {
    arrange()
    // Exempt now, and perhaps imported earlier as not exempt: unseen, so left alone.
    await syncSecurityHub([account({ findings: [finding({ accessKeyId: keyId(1), exempt: true })] })], options())
    expect(updates()).toEqual([])
    // The import still says SUPPRESSED: honoured if the finding is new, ignored if not.
    expect(sent().flat().find((f) => f.Id === id(1))?.Workflow).toEqual({ Status: 'SUPPRESSED' })
  })

  it('calls grow with the changes: 150 findings newly exempt take two BatchUpdateFindings calls', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: Array.from({ length: 150 }, (_, i) => previously(i, false, 'NEW')) })
    const findings = Array.from({ length: 150 }, (_, i) => finding({ accessKeyId: keyId(i), exempt: true }))
    await syncSecurityHub([account({ findings })], options())
    expect(hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input.FindingIdentifiers?.length)).toEqual([100, 50])
  })

  it('reports findings it could not update, and a denied BatchUpdateFindings, as problems of the account', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [previously(1, false, 'NEW')] })
    hub.on(BatchUpdateFindingsCommand).resolves({
      ProcessedFindings: [],
      UnprocessedFindings: [{ FindingIdentifier: { Id: id(1), ProductArn: PRODUCT }, ErrorCode: 'FindingNotFound', ErrorMessage: 'not found' }]
    })
    const findings = [finding({ accessKeyId: keyId(1), exempt: true })]
    const first = await syncSecurityHub([account({ findings })], options())
    expect(first.problems).toEqual([
      `Security Hub, account ${ACCOUNT}: 1 finding not updated by BatchUpdateFindings (workflow status): ${id(1)} (FindingNotFound: not found)`
    ])
    hub.on(BatchUpdateFindingsCommand).rejects(hubError('AccessDeniedException', 'not authorized to perform: securityhub:BatchUpdateFindings'))
    const second = await syncSecurityHub([account({ findings })], options())
    expect(second.problems).toEqual([expect.stringMatching(new RegExp(`^Security Hub, account ${ACCOUNT}: securityhub:BatchUpdateFindings was denied`))])
    expect(second.outcomes[0].imported).toBe(1)
  })
})

describe('syncSecurityHub: a workflow update that failed is made by the next run', () => {
  const id = (n: number) => `iam-key-sentry/${ACCOUNT}/${keyId(n)}`
  const exempt = (value: boolean) => [finding({ accessKeyId: keyId(1), exempt: value }), finding({ accessKeyId: keyId(2) })]
  const state = (fake: FakeSecurityHub, n: number) => {
    const f = fake.findings.get(id(n))
    return [f?.Workflow?.Status, f?.UserDefinedFields?.['iam-key-sentry/exempt']]
  }

  it.each([
    ['throttled', () => hubError('ThrottlingException', 'Rate exceeded', 429)],
    ['denied', () => hubError('AccessDeniedException', 'not authorized to perform: securityhub:BatchUpdateFindings')],
    ['cancelled', () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError' })]
  ])('%s in one run: the next run sees the exemption still changed, and sets it', async (_, fault) => {
    const fake = fakeSecurityHub(hub)
    await syncSecurityHub([account({ findings: exempt(false) })], options())
    expect(state(fake, 1)).toEqual(['NEW', 'false'])
    // The key is exempted; the update fails.
    fake.updateFaults.push(fault())
    const failed = await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(failed.problems).toEqual([expect.stringContaining(`Security Hub, account ${ACCOUNT}: securityhub:BatchUpdateFindings`)])
    expect(state(fake, 1)).toEqual(['NEW', 'false'])
    // The next run tries again, and then the finding is SUPPRESSED.
    const next = await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(next.problems).toEqual([])
    expect(state(fake, 1)).toEqual(['SUPPRESSED', 'true'])
    // And a run after that has nothing left to do.
    hub.resetHistory()
    await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0)
  })

  it('an un-exempted key left SUPPRESSED by a failed update goes back to NEW in the next run', async () => {
    const fake = fakeSecurityHub(hub)
    await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(state(fake, 1)).toEqual(['SUPPRESSED', 'true'])
    fake.updateFaults.push(hubError('ThrottlingException', 'Rate exceeded', 429))
    await syncSecurityHub([account({ findings: exempt(false) })], options())
    expect(state(fake, 1)).toEqual(['SUPPRESSED', 'true'])
    await syncSecurityHub([account({ findings: exempt(false) })], options())
    expect(state(fake, 1)).toEqual(['NEW', 'false'])
  })

  it('unprocessed by Security Hub in one run: set by the next', async () => {
    const fake = fakeSecurityHub(hub)
    await syncSecurityHub([account({ findings: exempt(false) })], options())
    fake.updateFaults.push('unprocessed')
    const failed = await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(failed.problems).toEqual([expect.stringContaining(`1 finding not updated by BatchUpdateFindings (workflow status): ${id(1)} (InternalException: try again)`)])
    expect(state(fake, 1)).toEqual(['NEW', 'false'])
    await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(state(fake, 1)).toEqual(['SUPPRESSED', 'true'])
  })

  it('a token expired at BatchUpdateFindings: the retry after renewing reads the mark again and makes the update', async () => {
    const fake = fakeSecurityHub(hub)
    await syncSecurityHub([account({ findings: exempt(false) })], options())
    fake.updateFaults.push(hubError('ExpiredTokenException', 'The security token included in the request is expired', 403))
    const refresh = jest.fn(async () => account().config)
    const { problems } = await syncSecurityHub([account({ findings: exempt(true), refresh })], options())
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(problems).toEqual([])
    expect(state(fake, 1)).toEqual(['SUPPRESSED', 'true'])
  })

  it('a token expired at BatchUpdateFindings and no new session: the account fails, saying so, and the next run makes the update', async () => {
    const fake = fakeSecurityHub(hub)
    await syncSecurityHub([account({ findings: exempt(false) })], options())
    fake.updateFaults.push(hubError('ExpiredTokenException', 'The security token included in the request is expired', 403))
    const { problems } = await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(problems).toEqual([expect.stringMatching(/securityhub:BatchUpdateFindings failed \(ExpiredTokenException/)])
    await syncSecurityHub([account({ findings: exempt(true) })], options())
    expect(state(fake, 1)).toEqual(['SUPPRESSED', 'true'])
  })
})

describe('syncSecurityHub: a cut read, a failure part-way', () => {
  it('GetFindings cut at its page limit: archives only what it read, and warns', async () => {
    let page = 0
    hub.on(GetFindingsCommand).callsFake(() => {
      page++
      return { Findings: [asff(page) as AwsSecurityFinding], NextToken: `page-${page + 1}` }
    })
    const o = options()
    const { outcomes, problems } = await syncSecurityHub([account({ findings: [] })], o)
    expect(problems).toEqual([])
    // Every archived finding is one that was read: nothing unseen is taken for fixed.
    const archived = sent().flat().filter((f) => f.RecordState === 'ARCHIVED').map((f) => f.Id)
    expect(archived).toEqual(Array.from({ length: MAX_PAGES }, (_, i) => asff(i + 1).Id))
    expect(outcomes[0].archived).toBe(MAX_PAGES)
    expect(o.log.warning).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^Account ${ACCOUNT}: GetFindings stopped after ${MAX_PAGES} pages .*not archived`)))
  })

  it('an import that fails part-way says how many went in, in the problem and the outcome', async () => {
    const findings = Array.from({ length: 250 }, (_, i) => finding({ accessKeyId: keyId(i) }))
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ FailedCount: 0, SuccessCount: 100 })
      .resolvesOnce({ FailedCount: 0, SuccessCount: 100 })
      .rejects(hubError('ServiceUnavailableException', 'try later', 503))
    const { outcomes, problems } = await syncSecurityHub([account({ findings })], options())
    expect(outcomes[0]).toMatchObject({ imported: 200, archived: 0 })
    expect(problems).toEqual([
      `Security Hub, account ${ACCOUNT}: securityhub:BatchImportFindings failed (ServiceUnavailableException: try later). ` +
        'Before this failure, 200 of 250 findings had been imported and 0 of 0 archived, in 2 earlier calls.'
    ])
  })

  it('an import that fails part-way: what went in is split between findings imported and archived by their place in the batches', async () => {
    // 150 findings of this run, then 60 of fixed keys to archive: batches of 100, 100 and 10.
    const findings = Array.from({ length: 150 }, (_, i) => finding({ accessKeyId: keyId(i) }))
    const fixed = Array.from({ length: 60 }, (_, i) => toAsff(finding({ accessKeyId: keyId(1000 + i) }), TARGET, { now: new Date('2026-11-01T00:00:00Z') }))
    hub.on(GetFindingsCommand).resolves({ Findings: fixed as AwsSecurityFinding[] })
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ FailedCount: 0, SuccessCount: 100 })
      // The second batch: findings 100-149, then the first 50 to archive, one of which is refused.
      .resolvesOnce({ FailedCount: 1, SuccessCount: 99, FailedFindings: [{ Id: fixed[7].Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] })
      .rejects(hubError('ServiceUnavailableException', 'try later', 503))
    const { outcomes, problems } = await syncSecurityHub([account({ findings })], options())
    expect(sent().map((batch) => batch.length)).toEqual([100, 100, 10])
    expect(outcomes[0]).toMatchObject({ imported: 150, archived: 49, failed: [{ id: fixed[7].Id, error: 'InvalidInput: bad' }] })
    expect(problems).toEqual([
      `Security Hub, account ${ACCOUNT}: securityhub:BatchImportFindings failed (ServiceUnavailableException: try later). ` +
        'Before this failure, 150 of 150 findings had been imported and 49 of 60 archived, in 2 earlier calls.',
      `Security Hub, account ${ACCOUNT}: 1 finding refused by BatchImportFindings: ${fixed[7].Id} (InvalidInput: bad)`
    ])
  })
})

describe('syncSecurityHub: a member account whose session ends', () => {
  const STARTED = new Date('2026-11-24T13:00:00Z')
  const session = (accessKeyId: string, minutesLeft: number) => ({
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'x', sessionToken: 't', expiration: new Date(STARTED.getTime() + minutesLeft * 60_000) }
  })
  const expiredToken = () => hubError('ExpiredTokenException', 'The security token included in the request is expired', 403)

  /** The sink's clients, with the access key of the session each was made with. */
  function recording() {
    const keys: string[] = []
    return {
      keys,
      clientFor: (config: { credentials?: unknown }) => {
        keys.push((config.credentials as { accessKeyId: string }).accessKeyId)
        return client()
      }
    }
  }

  it('renews a session that ends within 5 minutes before any call', async () => {
    const clients = recording()
    let refreshed = 0
    const refresh = async () => {
      refreshed++
      return session('ASIA-NEW', 60)
    }
    const { problems } = await syncSecurityHub([account({ config: session('ASIA-OLD', 4), findings: [finding()], refresh })], {
      ...options(),
      clock: () => STARTED,
      clientFor: clients.clientFor
    })
    expect(problems).toEqual([])
    expect(refreshed).toBe(1)
    expect(clients.keys).toEqual(['ASIA-NEW'])
  })

  it('keeps a session with more than 5 minutes left', async () => {
    const clients = recording()
    const refresh = jest.fn(async () => session('ASIA-NEW', 60))
    await syncSecurityHub([account({ config: session('ASIA-OLD', 6), findings: [finding()], refresh })], { ...options(), clock: () => STARTED, clientFor: clients.clientFor })
    expect(refresh).not.toHaveBeenCalled()
    expect(clients.keys).toEqual(['ASIA-OLD'])
  })

  it.each([
    ['GetFindings', () => hub.on(GetFindingsCommand).rejectsOnce(expiredToken()).resolves({ Findings: [] })],
    ['BatchImportFindings', () => hub.on(BatchImportFindingsCommand).rejectsOnce(expiredToken()).resolves({ FailedCount: 0, SuccessCount: 1 })]
  ])('a token %s says is expired: assumes the role again once and retries the account', async (_, arrange) => {
    arrange()
    const clients = recording()
    const refresh = jest.fn(async () => session('ASIA-NEW', 60))
    const { outcomes, problems } = await syncSecurityHub([account({ config: session('ASIA-OLD', 30), findings: [finding()], refresh })], {
      ...options(),
      clock: () => STARTED,
      clientFor: clients.clientFor
    })
    expect(problems).toEqual([])
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(clients.keys).toEqual(['ASIA-OLD', 'ASIA-NEW'])
    expect(outcomes[0]).toMatchObject({ imported: 1, error: null })
  })

  it('expired again after renewing: one renewal only, and the problem names the account', async () => {
    hub.on(GetFindingsCommand).rejects(expiredToken())
    const refresh = jest.fn(async () => session('ASIA-NEW', 60))
    const { problems } = await syncSecurityHub([account({ config: session('ASIA-OLD', 30), findings: [finding()], refresh })], { ...options(), clock: () => STARTED })
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(2)
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^Security Hub, account ${ACCOUNT}: securityhub:GetFindings failed \\(ExpiredTokenException`))])
  })

  const denied = async (): Promise<never> => {
    throw new Error('sts:AssumeRole into arn:aws:iam::123456789012:role/x was denied')
  }

  it('the role cannot be assumed again, the session not yet ended: goes on with it, and warns', async () => {
    const clients = recording()
    const o = { ...options(), clock: () => STARTED, clientFor: clients.clientFor }
    const { problems, outcomes } = await syncSecurityHub([account({ config: session('ASIA-OLD', 1), findings: [finding()], refresh: denied })], o)
    expect(problems).toEqual([])
    expect(outcomes[0]).toMatchObject({ imported: 1, error: null })
    expect(clients.keys).toEqual(['ASIA-OLD'])
    expect(o.log.warning).toHaveBeenCalledWith(
      `Account ${ACCOUNT}: could not renew the account's session (sts:AssumeRole into arn:aws:iam::123456789012:role/x was denied); ` +
        `going on with its session, which ends at ${new Date(STARTED.getTime() + 60_000).toISOString()}`
    )
  })

  it('the role cannot be assumed again, and then the old session expires: the account fails, saying both', async () => {
    hub.on(GetFindingsCommand).rejects(expiredToken())
    const refresh = jest.fn(denied)
    const { problems } = await syncSecurityHub([account({ config: session('ASIA-OLD', 1), findings: [finding()], refresh })], { ...options(), clock: () => STARTED })
    // One renewal is tried, not two.
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(problems).toEqual([
      expect.stringMatching(/ExpiredTokenException.* And could not renew the account's session \(sts:AssumeRole into arn:aws:iam::123456789012:role\/x was denied\)\.$/)
    ])
  })

  it('the role cannot be assumed again and the session has ended: the account fails with why, and makes no Security Hub call', async () => {
    const { problems } = await syncSecurityHub([account({ config: session('ASIA-OLD', 0), findings: [finding()], refresh: denied })], { ...options(), clock: () => STARTED })
    expect(problems).toEqual([`Security Hub, account ${ACCOUNT}: could not renew the account's session (sts:AssumeRole into arn:aws:iam::123456789012:role/x was denied); nothing was imported.`])
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(0)
  })

  it("the caller's own account (no refresh): an expired token is reported, not retried", async () => {
    hub.on(GetFindingsCommand).rejects(expiredToken())
    const { problems } = await syncSecurityHub([account({ config: session('ASIA-OLD', 1), findings: [finding()] })], { ...options(), clock: () => STARTED })
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(1)
    expect(problems).toEqual([expect.stringContaining('ExpiredTokenException')])
  })
})
