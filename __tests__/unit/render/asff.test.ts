// The ASFF builder, each finding checked against Security Hub's API model (asff-model.ts: the
// required members read from the SDK's declarations).
import { describe, expect, it } from '@jest/globals'
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub'
import {
  archivedAsff,
  asffId,
  BEST_PRACTICE_TYPE,
  CIS_TYPE,
  productArn,
  toAsff,
  type AsffFinding
} from '../../../src/render/asff.js'
import { controlsFor } from '../../../src/core/controls.js'
import { FINDING_KINDS } from '../../../src/core/model.js'
import { ACCOUNT, finding, NOW } from '../helpers.js'
import { modelProblems, shape, valueProblems } from './asff-model.js'

const TARGET = { partition: 'aws', region: 'eu-west-1', accountId: ACCOUNT }

/** And at compile time: what the builder returns is an AwsSecurityFinding (tsc on the tests). */
const asSdk = (f: AsffFinding): AwsSecurityFinding => f

describe('the model check (it is not vacuous)', () => {
  it('reads the required members from the SDK', () => {
    const required = [...shape('AwsSecurityFinding')].filter(([, r]) => r).map(([m]) => m)
    expect(required).toEqual(
      expect.arrayContaining(['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Title', 'Description', 'Resources'])
    )
    expect([...shape('Resource')].filter(([, r]) => r).map(([m]) => m)).toEqual(['Type', 'Id'])
  })

  it.each(['SchemaVersion', 'ProductArn', 'Title', 'Resources', 'Severity', 'Types'])('fails a finding without %s', (member) => {
    const built = toAsff(finding(), TARGET, { now: NOW }) as unknown as Record<string, unknown>
    delete built[member]
    expect(modelProblems(built, 'AwsSecurityFinding')).toEqual([`AwsSecurityFinding.${member} is required`])
  })

  it('checks FindingProviderFields against its own shapes', () => {
    const built = toAsff(finding(), TARGET, { now: NOW })
    const broken = { ...built, FindingProviderFields: { Severity: { Lable: 'HIGH' }, Typs: built.Types } }
    expect(modelProblems(broken, 'AwsSecurityFinding').sort()).toEqual([
      'AwsSecurityFinding.FindingProviderFields.Severity.Lable is not in the model',
      'AwsSecurityFinding.FindingProviderFields.Typs is not in the model'
    ])
  })

  it('fails a resource without its Id, and a member the model does not have', () => {
    const built = toAsff(finding(), TARGET, { now: NOW })
    const broken = { ...built, Severty: { Label: 'HIGH' }, Resources: [{ ...built.Resources[0], Id: '' }] }
    expect(modelProblems(broken, 'AwsSecurityFinding').sort()).toEqual([
      'AwsSecurityFinding.Resources[0].Id is required',
      'AwsSecurityFinding.Severty is not in the model'
    ])
  })
})

describe('toAsff', () => {
  it.each(FINDING_KINDS)('builds a complete, valid finding for a %s key', (kind) => {
    const f = finding({
      kind,
      controls: controlsFor(kind, { maxUnusedDays: 90 }),
      ...(kind === 'root-key' ? { userName: '<root_account>', userArn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: null } : {})
    })
    const asff = toAsff(f, TARGET, { now: NOW })
    expect(modelProblems(asff, 'AwsSecurityFinding')).toEqual([])
    expect(valueProblems(asff)).toEqual([])
    expect(asSdk(asff).GeneratorId).toBe(`iam-key-sentry/${kind}`)
    expect(asff.Severity.Label).toBe(f.severity.toUpperCase())
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      AwsAccountId: ACCOUNT,
      CreatedAt: NOW.toISOString(),
      UpdatedAt: NOW.toISOString(),
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE'
    })
    expect(asff.Resources).toEqual([
      expect.objectContaining({ Type: 'AwsIamAccessKey', Partition: 'aws', Region: 'eu-west-1' })
    ])
    expect(asff.FindingProviderFields).toEqual({ Severity: asff.Severity, Types: asff.Types })
    expect(asff.Types).toEqual([f.controls?.length ? CIS_TYPE : BEST_PRACTICE_TYPE])
  })

  it('describes the key: stable id, the access key resource, age and last use', () => {
    const asff = toAsff(
      finding({ kind: 'stale', userName: 'old-alice', ageDays: 200, createdAt: '2026-05-08T09:00:00Z', lastUsedAt: '2026-11-01T10:00:00Z', lastUsedService: 's3' }),
      TARGET,
      { now: NOW }
    )
    expect(asff.Id).toBe(`iam-key-sentry/${ACCOUNT}/AKIAIOSFODNN7EXAMPLE`)
    expect(asff.Title).toBe('Access key not rotated: old-alice (200 days old)')
    expect(asff.Description).toContain('created 2026-05-08, 200 days old, last used 2026-11-01 (s3)')
    expect(asff.Resources[0]).toEqual({
      Type: 'AwsIamAccessKey',
      Id: 'AKIAIOSFODNN7EXAMPLE',
      Partition: 'aws',
      Region: 'eu-west-1',
      Details: {
        AwsIamAccessKey: {
          PrincipalName: 'old-alice',
          PrincipalType: 'IAMUser',
          Status: 'Active',
          CreatedAt: '2026-05-08T09:00:00Z',
          AccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          AccountId: ACCOUNT
        }
      }
    })
  })

  it('keeps the same id when a key moves from expiring to stale', () => {
    const expiring = toAsff(finding({ kind: 'expiring' }), TARGET, { now: NOW })
    const stale = toAsff(finding({ kind: 'stale' }), TARGET, { now: NOW })
    expect(stale.Id).toBe(expiring.Id)
    expect(stale.GeneratorId).not.toBe(expiring.GeneratorId)
  })

  it('names a root key with no id by its creation time, and the root ARN as its resource', () => {
    const f = finding({ kind: 'root-key', userName: '<root_account>', userArn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: null, status: 'Inactive', createdAt: '2020-01-02T03:04:05Z' })
    const asff = toAsff(f, TARGET, { now: NOW })
    expect(asff.Id).toBe(`iam-key-sentry/${ACCOUNT}/root@2020-01-02T03:04:05Z`)
    expect(asff.Resources[0].Id).toBe(`arn:aws:iam::${ACCOUNT}:root`)
    expect(asff.Resources[0].Details?.AwsIamAccessKey).toMatchObject({ PrincipalType: 'Root', Status: 'Inactive' })
    expect(asff.Resources[0].Details?.AwsIamAccessKey).not.toHaveProperty('AccessKeyId')
    expect(asff.Title).toBe('The root user has an inactive access key (207 days old)')
    expect(asff.Severity.Label).toBe('CRITICAL')
  })

  it('is SUPPRESSED when exempt, still FAILED', () => {
    const asff = toAsff(finding({ exempt: true, exemptReason: 'tag key-sentry:exempt' }), TARGET, { now: NOW })
    expect(asff.Workflow).toEqual({ Status: 'SUPPRESSED' })
    expect(asff.Compliance.Status).toBe('FAILED')
    expect(asff.Description).toContain('Exempt: tag key-sentry:exempt.')
  })

  it('types and requirements from controls: CIS ids give the CIS type, and name the benchmark version', () => {
    const cis = toAsff(finding({ controls: ['CIS 1.14', 'IAM.3'] }), TARGET, { now: NOW })
    expect(cis.Types).toEqual([CIS_TYPE])
    expect(cis.Compliance).toEqual({ Status: 'FAILED', RelatedRequirements: ['CIS AWS Foundations Benchmark v3.0.0/1.14', 'IAM.3'] })
    const bestPractice = toAsff(finding({ kind: 'inactive', controls: [] }), TARGET, { now: NOW })
    expect(bestPractice.Types).toEqual([BEST_PRACTICE_TYPE])
    expect(bestPractice.Compliance).toEqual({ Status: 'FAILED' })
    expect(toAsff(finding(), TARGET, { now: NOW }).Types).toEqual([BEST_PRACTICE_TYPE])
  })

  it('tells a CIS control by its form, not by a prefix', () => {
    const typeOf = (controls: string[]) => toAsff(finding({ controls }), TARGET, { now: NOW }).Types
    expect(typeOf(['cis  1.4'])).toEqual([CIS_TYPE])
    expect(typeOf(['CIS AWS Foundations Benchmark v3.0.0/1.4'])).toEqual([CIS_TYPE])
    // Not CIS recommendations, though they start so.
    expect(typeOf(['CISCO.1', 'IAM.4'])).toEqual([BEST_PRACTICE_TYPE])
    expect(typeOf(['CIS benchmark'])).toEqual([BEST_PRACTICE_TYPE])
    // Either form gives one requirement.
    expect(toAsff(finding({ controls: ['CIS 1.4', 'CIS AWS Foundations Benchmark v3.0.0/1.4'] }), TARGET, { now: NOW }).Compliance.RelatedRequirements).toEqual([
      'CIS AWS Foundations Benchmark v3.0.0/1.4'
    ])
  })

  it('sends severity and types as the provider’s (FindingProviderFields), and records the exemption', () => {
    const exempt = toAsff(finding({ kind: 'stale', controls: controlsFor('stale', { maxUnusedDays: null }), exempt: true }), TARGET, { now: NOW })
    expect(exempt.FindingProviderFields).toEqual({ Severity: { Label: 'HIGH' }, Types: [CIS_TYPE] })
    expect(exempt.UserDefinedFields).toEqual({ 'iam-key-sentry/exempt': 'true' })
    expect(toAsff(finding(), TARGET, { now: NOW }).UserDefinedFields).toEqual({ 'iam-key-sentry/exempt': 'false' })
    // Not in the provider's fields: a mark written by the import would run ahead of the workflow.
    expect(exempt).not.toHaveProperty('ProductFields')
  })

  it('sends a Workflow and the exemption mark only for a finding not imported before (Security Hub ignores them on an existing one)', () => {
    expect(toAsff(finding({ exempt: true }), TARGET, { now: NOW }).Workflow).toEqual({ Status: 'SUPPRESSED' })
    const previous = { CreatedAt: '2026-09-01T00:00:00.000Z' }
    const again = toAsff(finding({ exempt: true }), TARGET, { now: NOW, previous })
    expect(again).not.toHaveProperty('Workflow')
    expect(again).not.toHaveProperty('UserDefinedFields')
  })

  it('FirstObservedAt from the lifecycle record, else as imported before; CreatedAt kept from before', () => {
    expect(toAsff(finding({ firstSeenAt: '2026-10-01' }), TARGET, { now: NOW }).FirstObservedAt).toBe('2026-10-01T00:00:00.000Z')
    expect(toAsff(finding({ firstSeenAt: null }), TARGET, { now: NOW })).not.toHaveProperty('FirstObservedAt')
    const previous = { CreatedAt: '2026-09-01T00:00:00.000Z', FirstObservedAt: '2026-09-01T00:00:00.000Z' }
    expect(toAsff(finding(), TARGET, { now: NOW, previous })).toMatchObject({ ...previous, UpdatedAt: NOW.toISOString() })
  })

  it('keeps text from AWS as data, within the limits', () => {
    const name = `evil\n\u0007name-${'x'.repeat(600)}`
    const asff = toAsff(finding({ userName: name, lastUsedService: 's3\r\nFAKE', lastUsedAt: '2026-11-01T00:00:00Z', exemptReason: 'y'.repeat(2000), exempt: true }), TARGET, { now: NOW })
    expect(asff.Title).not.toMatch(/[\p{Cc}]/u)
    expect(asff.Description).not.toMatch(/[\p{Cc}]/u)
    expect(valueProblems(asff)).toEqual([])
    expect(asff.Title.endsWith('…')).toBe(true)
  })

  it('uses the partition and region of the target', () => {
    const asff = toAsff(finding(), { partition: 'aws-cn', region: 'cn-north-1', accountId: ACCOUNT }, { now: NOW })
    expect(asff.ProductArn).toBe(`arn:aws-cn:securityhub:cn-north-1:${ACCOUNT}:product/${ACCOUNT}/default`)
    expect(asff.Resources[0]).toMatchObject({ Partition: 'aws-cn', Region: 'cn-north-1' })
    expect(productArn({ partition: 'aws-iso', region: 'us-iso-east-1', accountId: ACCOUNT })).toContain('arn:aws-iso:')
    expect(toAsff(finding(), { partition: 'aws-iso', region: 'us-iso-east-1', accountId: ACCOUNT }, { now: NOW }).Resources[0]).not.toHaveProperty('Partition')
  })

  it('asffId from account and key', () => {
    expect(asffId({ accountId: '111122223333', accessKeyId: 'AKIAEXAMPLE', createdAt: 'x' })).toBe('iam-key-sentry/111122223333/AKIAEXAMPLE')
  })
})

describe('archivedAsff', () => {
  it('the same id, PASSED and ARCHIVED, updated now, still a valid finding', () => {
    const before = toAsff(finding({ controls: ['CIS 1.14', 'IAM.3'], firstSeenAt: '2026-10-01' }), TARGET, { now: new Date('2026-11-01T00:00:00Z') })
    const later = new Date('2026-11-24T12:00:00Z')
    const archived = archivedAsff(before, later)
    expect(modelProblems(archived, 'AwsSecurityFinding')).toEqual([])
    expect(valueProblems(archived)).toEqual([])
    expect(archived).toMatchObject({
      Id: before.Id,
      ProductArn: before.ProductArn,
      GeneratorId: before.GeneratorId,
      CreatedAt: before.CreatedAt,
      FirstObservedAt: before.FirstObservedAt,
      UpdatedAt: later.toISOString(),
      Compliance: { Status: 'PASSED', RelatedRequirements: ['CIS AWS Foundations Benchmark v3.0.0/1.14', 'IAM.3'] },
      RecordState: 'ARCHIVED',
      Severity: { Label: 'INFORMATIONAL' },
      Resources: before.Resources,
      Types: before.Types
    })
    // Security Hub moves a PASSED finding's workflow to RESOLVED itself; a SUPPRESSED one stays so.
    expect(archived).not.toHaveProperty('Workflow')
    // Nor the customer's fields, read back with the finding (they would be ignored).
    expect(archived).not.toHaveProperty('UserDefinedFields')
    expect(archived.Description.startsWith('Resolved: ')).toBe(true)
    expect(archived.FindingProviderFields).toEqual({ Severity: { Label: 'INFORMATIONAL' }, Types: before.Types })
  })

  it('names the benchmark version in requirements imported before it did', () => {
    const before = toAsff(finding(), TARGET, { now: new Date('2026-11-01T00:00:00Z') })
    const old = { ...before, Compliance: { Status: 'FAILED' as const, RelatedRequirements: ['CIS 1.14', 'IAM.3'] } }
    expect(archivedAsff(old, NOW).Compliance.RelatedRequirements).toEqual(['CIS AWS Foundations Benchmark v3.0.0/1.14', 'IAM.3'])
  })
})
