// Findings as AWS Security Finding Format (ASFF) for Security Hub's BatchImportFindings (DESIGN.md,
// Security Hub). Pure: the shape is declared here (render/ imports no AWS SDK) and a unit test
// holds it to the SDK's AwsSecurityFinding (__tests__/unit/render/asff.test.ts).
import { cisRecommendation, requirementOf } from '../core/controls.js'
import type { Finding, Severity } from '../core/model.js'
import { isRootFinding } from '../core/policy.js'
import { plural } from '../core/plural.js'
import { cut, day } from './text.js'

/** Every finding this action imports has a generator id that starts so: what it reads back and archives. */
export const GENERATOR_PREFIX = 'iam-key-sentry/'

export const ASFF_SCHEMA_VERSION = '2018-10-08'

/** Security Hub's limits (the API reference): longer text is refused with the whole batch's finding. */
export const TITLE_MAX = 256
export const DESCRIPTION_MAX = 1024

export const CIS_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'
export const BEST_PRACTICE_TYPE = 'Software and Configuration Checks/AWS Security Best Practices'

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'

/** What this action sets is NEW or SUPPRESSED; read back, a finding may hold any (a person set it). */
export type AsffWorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED'

/** The access key as an ASFF resource (Resource with Details.AwsIamAccessKey). */
export interface AsffResource {
  Type: string
  Id: string
  Partition?: 'aws' | 'aws-cn' | 'aws-us-gov'
  Region?: string
  Details?: {
    AwsIamAccessKey?: {
      PrincipalName?: string
      PrincipalType?: string
      Status?: 'Active' | 'Inactive'
      CreatedAt?: string
      AccessKeyId?: string
      AccountId?: string
    }
  }
}

/**
 * The provider-owned copies of Severity and Types. On a finding that already exists, Security
 * Hub takes a provider's new severity and types from here (the top-level ones belong to the
 * customer, who may have changed them with BatchUpdateFindings); on a new finding both are set.
 */
export interface AsffProviderFields {
  Severity: { Label: AsffSeverityLabel }
  Types: string[]
}

/**
 * UserDefinedFields key that remembers whether the finding's workflow was last set by this
 * action for an exempt key ('true') or not ('false'): what tells a change of exemption (workflow
 * to set) from a workflow a person set in the console (left alone). It is written only together
 * with the workflow (by the import that creates the finding, then by the BatchUpdateFindings
 * call that sets the workflow), so an update that fails leaves the old mark, and the next run
 * sees the change again and retries it.
 */
export const EXEMPT_FIELD = 'iam-key-sentry/exempt'

/** The members of AwsSecurityFinding this action writes (a subset; a test checks it against the SDK). */
export interface AsffFinding {
  SchemaVersion: string
  Id: string
  ProductArn: string
  GeneratorId: string
  AwsAccountId: string
  Types: string[]
  CreatedAt: string
  UpdatedAt: string
  FirstObservedAt?: string
  Severity: { Label: AsffSeverityLabel }
  FindingProviderFields?: AsffProviderFields
  /** Sent only when the finding is created (BatchImportFindings ignores it afterwards), as Workflow. */
  UserDefinedFields?: Record<string, string>
  Title: string
  Description: string
  Resources: AsffResource[]
  Compliance: { Status: 'PASSED' | 'FAILED'; RelatedRequirements?: string[] }
  Workflow?: { Status: AsffWorkflowStatus }
  RecordState: 'ACTIVE' | 'ARCHIVED'
}

/** Where the findings go: one account's Security Hub in one region. */
export interface AsffTarget {
  partition: string
  region: string
  accountId: string
}

/** `arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default`: the account's own product, for custom findings. */
export function productArn(t: AsffTarget): string {
  return `arn:${t.partition}:securityhub:${t.region}:${t.accountId}:product/${t.accountId}/default`
}

/**
 * One id per key, whatever its kind: a key that moves from expiring to stale updates its one
 * finding. The root user's keys have no id in the credential report: its creation time tells
 * them apart (the root user has at most two keys).
 */
export function asffId(f: Pick<Finding, 'accountId' | 'accessKeyId' | 'createdAt'>): string {
  return `${GENERATOR_PREFIX}${f.accountId}/${f.accessKeyId ?? `root@${f.createdAt}`}`
}

const LABEL: Record<Severity, AsffSeverityLabel> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' }

/** Text from AWS is data: one line, no control characters, and never longer than `max`. */
function text(value: string, max: number): string {
  return cut(value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim(), max)
}

const isCis = (control: string) => cisRecommendation(control) !== null

/** The controls as Security Hub requirements (CIS ones with their benchmark version), each once, at most 32 (the API's limit). */
function requirementsOf(controls: readonly string[]): string[] {
  return [...new Set(controls.map(requirementOf))].slice(0, 32)
}

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov'])

function partitionOf(t: AsffTarget): AsffResource['Partition'] {
  return PARTITIONS.has(t.partition) ? (t.partition as AsffResource['Partition']) : undefined
}

const WHAT: Record<string, (f: Finding) => string> = {
  'root-key': (f) => `The root user has an ${f.status === 'Active' ? 'active' : 'inactive'} access key`,
  stale: () => 'Access key not rotated',
  unused: () => 'Access key unused',
  'setup-key': () => 'Access key created with the user and never used',
  'two-active-keys': () => 'User has two active access keys',
  expiring: () => 'Access key due for rotation soon',
  inactive: () => 'Inactive access key to delete'
}

function titleOf(f: Finding): string {
  const what = (WHAT[f.kind] ?? (() => `Access key finding: ${f.kind}`))(f)
  return text(isRootFinding(f) ? `${what} (${f.ageDays} days old)` : `${what}: ${f.userName} (${f.ageDays} days old)`, TITLE_MAX)
}

/** Age and last use, in words. `lastUseKnown` false: the listing did not ask (no max-unused-days). */
function descriptionOf(f: Finding, lastUseKnown: boolean): string {
  const lastUse = f.lastUsedAt
    ? `last used ${day(f.lastUsedAt)}${f.lastUsedService ? ` (${f.lastUsedService})` : ''}`
    : lastUseKnown
      ? 'never used'
      : 'last use not looked up'
  const who = isRootFinding(f) ? 'the root user' : `IAM user ${f.userName}`
  const parts = [
    `${f.status} access key ${f.accessKeyId ?? '(no id: a root key in the credential report)'} of ${who} in account ${f.accountId}`,
    `created ${day(f.createdAt)}, ${plural(f.ageDays, 'day')} old, ${lastUse}.`
  ]
  const exempt = f.exempt ? ` Exempt: ${f.exemptReason ?? 'yes'}.` : ''
  const controls = (f.controls ?? []).length ? ` Controls: ${(f.controls ?? []).join(', ')}.` : ''
  return text(`${parts.join(', ')} Found by IAM Key Sentry (${f.kind}).${exempt}${controls}`, DESCRIPTION_MAX)
}

function resourceOf(f: Finding, t: AsffTarget): AsffResource {
  return {
    Type: 'AwsIamAccessKey',
    // The key id; a root key the credential report gives no id for: the root user's ARN.
    Id: f.accessKeyId ?? f.userArn,
    ...(partitionOf(t) ? { Partition: partitionOf(t) } : {}),
    Region: t.region,
    Details: {
      AwsIamAccessKey: {
        PrincipalName: f.userName,
        PrincipalType: isRootFinding(f) ? 'Root' : 'IAMUser',
        Status: f.status,
        CreatedAt: f.createdAt,
        ...(f.accessKeyId ? { AccessKeyId: f.accessKeyId } : {}),
        AccountId: f.accountId
      }
    }
  }
}

/** `2026-11-24` (a lifecycle day) as an ASFF timestamp. */
function dayStart(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value
}

export interface AsffOptions {
  now: Date
  /** Whether the account's last use was read (report.ts lastUseKnown); default true. */
  lastUseKnown?: boolean
  /**
   * The same finding as imported before, if any: its CreatedAt and FirstObservedAt are kept, and
   * no Workflow or exemption mark is sent (BatchImportFindings ignores them on an existing
   * finding; the sink sets both with BatchUpdateFindings when the exemption changed).
   */
  previous?: Pick<AsffFinding, 'CreatedAt' | 'FirstObservedAt'>
}

/** This run's finding for one key, in its account's Security Hub. */
export function toAsff(f: Finding, t: AsffTarget, o: AsffOptions): AsffFinding {
  const now = o.now.toISOString()
  const controls = f.controls ?? []
  const firstObserved = f.firstSeenAt ? dayStart(f.firstSeenAt) : o.previous?.FirstObservedAt
  const severity = { Label: LABEL[f.severity] }
  const types = [controls.some(isCis) ? CIS_TYPE : BEST_PRACTICE_TYPE]
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffId(f),
    ProductArn: productArn(t),
    GeneratorId: `${GENERATOR_PREFIX}${f.kind}`,
    AwsAccountId: f.accountId,
    Types: types,
    CreatedAt: o.previous?.CreatedAt ?? now,
    UpdatedAt: now,
    ...(firstObserved ? { FirstObservedAt: firstObserved } : {}),
    Severity: severity,
    FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
    Title: titleOf(f),
    Description: descriptionOf(f, o.lastUseKnown ?? true),
    Resources: [resourceOf(f, t)],
    Compliance: { Status: 'FAILED', ...(controls.length ? { RelatedRequirements: requirementsOf(controls) } : {}) },
    // Honoured only when the finding is created (then both in the one write); an existing
    // finding's workflow and user-defined fields are the customer's.
    ...(o.previous
      ? {}
      : { Workflow: { Status: f.exempt ? ('SUPPRESSED' as const) : ('NEW' as const) }, UserDefinedFields: { [EXEMPT_FIELD]: String(f.exempt) } }),
    RecordState: 'ACTIVE'
  }
}

/**
 * A finding imported earlier whose key has no finding today (deleted, rotated, fixed): the same
 * id, PASSED and ARCHIVED. Security Hub moves a PASSED finding's workflow to RESOLVED itself.
 */
export function archivedAsff(previous: AsffFinding, now: Date): AsffFinding {
  const types = previous.Types?.length ? previous.Types : [BEST_PRACTICE_TYPE]
  const requirements = requirementsOf(previous.Compliance?.RelatedRequirements ?? [])
  const kept: AsffFinding = {
    SchemaVersion: previous.SchemaVersion || ASFF_SCHEMA_VERSION,
    Id: previous.Id,
    ProductArn: previous.ProductArn,
    GeneratorId: previous.GeneratorId,
    AwsAccountId: previous.AwsAccountId,
    Types: types,
    CreatedAt: previous.CreatedAt,
    UpdatedAt: now.toISOString(),
    ...(previous.FirstObservedAt ? { FirstObservedAt: previous.FirstObservedAt } : {}),
    Severity: { Label: 'INFORMATIONAL' },
    FindingProviderFields: { Severity: { Label: 'INFORMATIONAL' }, Types: [...types] },
    Title: previous.Title,
    Description: text(`Resolved: no longer found by IAM Key Sentry. ${previous.Description}`, DESCRIPTION_MAX),
    Resources: previous.Resources,
    Compliance: {
      Status: 'PASSED',
      ...(requirements.length ? { RelatedRequirements: requirements } : {})
    },
    RecordState: 'ARCHIVED'
  }
  return kept
}
