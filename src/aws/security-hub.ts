// Security Hub reads and writes (DESIGN.md, Security Hub): findings imported 100 per
// BatchImportFindings call, workflow statuses and the exemption mark set 100 per
// BatchUpdateFindings call (the only way to change an existing finding's workflow), and the
// findings this action imported earlier, read back with GetFindings. Filters are sent, and what
// comes back is filtered again here: moto ignores them, and a finding of another product or
// generator must never be archived by this action.
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient
} from '@aws-sdk/client-securityhub'
import { EXEMPT_FIELD, GENERATOR_PREFIX, type AsffFinding, type AsffWorkflowStatus } from '../render/asff.js'
import { AwsCallError, errorMessage, errorName, redactKeyIds } from './errors.js'

/** Security Hub's limit per BatchImportFindings call. */
export const IMPORT_BATCH = 100

/** Security Hub's limit per BatchUpdateFindings call. */
export const UPDATE_BATCH = 100

/** GetFindings pages at most this many: a runaway NextToken stops here (10,000 findings). */
export const MAX_PAGES = 100

export interface FailedFinding {
  id: string
  error: string
}

export interface ImportResult {
  imported: number
  failed: FailedFinding[]
  /** BatchImportFindings calls made. */
  calls: number
}

/**
 * Security Hub not enabled in the account and region: InvalidAccessException ("Account … is not
 * subscribed to AWS Security Hub"). Said plainly, with what to do.
 */
export class SecurityHubCallError extends AwsCallError {
  constructor(permission: string, cause: unknown, where: { accountId: string; region: string }) {
    super(permission, cause)
    if (errorName(cause) === 'InvalidAccessException') {
      this.message =
        `Security Hub is not enabled in account ${where.accountId} region ${where.region} ` +
        `(${permission}: ${redactKeyIds(`${errorName(cause)}: ${errorMessage(cause)}`)}). ` +
        'Enable Security Hub there, or set security-hub: false.'
    }
  }
}

/**
 * A BatchImportFindings call failed after earlier batches went in. `sent` is how many of the
 * findings, from the start of the list, were in the batches that went through, and `failed` the
 * ones among them Security Hub refused: the caller, who knows what the list holds (findings to
 * import, findings to archive), says what Security Hub holds now.
 */
export class ImportInterruptedError extends SecurityHubCallError {
  constructor(
    cause: unknown,
    where: { accountId: string; region: string },
    readonly sent: number,
    readonly failed: FailedFinding[],
    readonly calls: number
  ) {
    super('securityhub:BatchImportFindings', cause, where)
  }
}

/** The findings, 100 per call; a finding Security Hub refused is kept with its error, the others still go in. */
export async function importFindings(
  client: SecurityHubClient,
  findings: AsffFinding[],
  where: { accountId: string; region: string }
): Promise<ImportResult> {
  const result: ImportResult = { imported: 0, failed: [], calls: 0 }
  for (let i = 0; i < findings.length; i += IMPORT_BATCH) {
    const batch = findings.slice(i, i + IMPORT_BATCH)
    let out
    try {
      result.calls++
      // The local shape is a subset of the SDK's (a unit test holds it to it).
      out = await client.send(new BatchImportFindingsCommand({ Findings: batch as AwsSecurityFinding[] }))
    } catch (err) {
      if (i === 0) throw new SecurityHubCallError('securityhub:BatchImportFindings', err, where)
      throw new ImportInterruptedError(err, where, i, result.failed, result.calls)
    }
    const failed = (out.FailedFindings ?? []).map((f) => ({
      id: f.Id ?? '(no id)',
      error: redactKeyIds(`${f.ErrorCode ?? 'Error'}: ${f.ErrorMessage ?? 'no message'}`)
    }))
    result.failed.push(...failed)
    result.imported += out.SuccessCount ?? batch.length - failed.length
  }
  return result
}

/**
 * One finding's update: the exemption mark (UserDefinedFields) and, when `setWorkflow`, the
 * workflow that goes with it (SUPPRESSED when exempt, else NEW). Without the workflow only the
 * mark is recorded: a finding imported before the mark existed keeps the workflow it has.
 */
export interface WorkflowUpdate {
  id: string
  productArn: string
  exempt: boolean
  setWorkflow: boolean
}

export interface WorkflowResult {
  updated: number
  /** Findings Security Hub did not update (UnprocessedFindings), with its error. */
  unprocessed: FailedFinding[]
  /** BatchUpdateFindings calls made. */
  calls: number
}

/** What one call can carry: one mark, with its workflow or without. */
const UPDATE_GROUPS = [
  { setWorkflow: true, exempt: true },
  { setWorkflow: true, exempt: false },
  { setWorkflow: false, exempt: true },
  { setWorkflow: false, exempt: false }
] as const

/**
 * Each finding's workflow status and exemption mark, with BatchUpdateFindings: both in the same
 * call, so the mark never says a workflow was set that was not. One status and mark per call,
 * 100 findings per call: calls grow with the findings that change. Security Hub applies them
 * asynchronously.
 */
export async function updateWorkflow(
  client: SecurityHubClient,
  updates: WorkflowUpdate[],
  where: { accountId: string; region: string }
): Promise<WorkflowResult> {
  const result: WorkflowResult = { updated: 0, unprocessed: [], calls: 0 }
  for (const group of UPDATE_GROUPS) {
    const ids = updates.filter((u) => u.setWorkflow === group.setWorkflow && u.exempt === group.exempt).map((u) => ({ Id: u.id, ProductArn: u.productArn }))
    for (let i = 0; i < ids.length; i += UPDATE_BATCH) {
      const batch = ids.slice(i, i + UPDATE_BATCH)
      let out
      try {
        result.calls++
        out = await client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: batch,
            ...(group.setWorkflow ? { Workflow: { Status: group.exempt ? ('SUPPRESSED' as const) : ('NEW' as const) } } : {}),
            UserDefinedFields: { [EXEMPT_FIELD]: String(group.exempt) }
          })
        )
      } catch (err) {
        throw new SecurityHubCallError('securityhub:BatchUpdateFindings', err, where)
      }
      const unprocessed = (out.UnprocessedFindings ?? []).map((u) => ({
        id: u.FindingIdentifier?.Id ?? '(no id)',
        error: redactKeyIds(`${u.ErrorCode ?? 'Error'}: ${u.ErrorMessage ?? 'no message'}`)
      }))
      result.unprocessed.push(...unprocessed)
      result.updated += out.ProcessedFindings?.length ?? batch.length - unprocessed.length
    }
  }
  return result
}

/** A finding as read back, when it is one this action imported for this product and still active. */
function ours(f: AwsSecurityFinding, productArn: string): f is AwsSecurityFinding & AsffFinding {
  return (
    f.ProductArn === productArn &&
    typeof f.GeneratorId === 'string' &&
    f.GeneratorId.startsWith(GENERATOR_PREFIX) &&
    typeof f.Id === 'string' &&
    f.Id.startsWith(GENERATOR_PREFIX) &&
    (f.RecordState ?? 'ACTIVE') === 'ACTIVE' &&
    typeof f.CreatedAt === 'string' &&
    Array.isArray(f.Resources) &&
    f.Resources.length > 0
  )
}

export interface PreviousFindings {
  findings: AsffFinding[]
  /**
   * False when the read stopped at MAX_PAGES with more to read: the findings not read are
   * neither archived nor compared (what was not seen is never taken for fixed).
   */
  complete: boolean
}

/**
 * The active findings this action imported earlier into the product: GetFindings filtered by
 * product ARN, generator id prefix and record state, paged, and filtered again here.
 */
export async function previousFindings(
  client: SecurityHubClient,
  productArn: string,
  where: { accountId: string; region: string }
): Promise<PreviousFindings> {
  const found = new Map<string, AsffFinding>()
  let token: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    let out
    try {
      out = await client.send(
        new GetFindingsCommand({
          Filters: {
            ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
            GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
            RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }]
          },
          MaxResults: 100,
          NextToken: token
        })
      )
    } catch (err) {
      throw new SecurityHubCallError('securityhub:GetFindings', err, where)
    }
    for (const f of out.Findings ?? []) if (ours(f, productArn)) found.set(f.Id, pick(f))
    if (!out.NextToken || out.NextToken === token) return { findings: [...found.values()], complete: true }
    token = out.NextToken
  }
  return { findings: [...found.values()], complete: false }
}

const WORKFLOW_STATUSES = new Set<string>(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'])

/** The members this action wrote; what Security Hub added (ProductName, ProcessedAt, …) is left out. */
function pick(f: AwsSecurityFinding & AsffFinding): AsffFinding {
  return {
    SchemaVersion: f.SchemaVersion,
    Id: f.Id,
    ProductArn: f.ProductArn,
    GeneratorId: f.GeneratorId,
    AwsAccountId: f.AwsAccountId,
    Types: f.Types ?? [],
    CreatedAt: f.CreatedAt,
    UpdatedAt: f.UpdatedAt,
    ...(f.FirstObservedAt ? { FirstObservedAt: f.FirstObservedAt } : {}),
    Severity: { Label: f.Severity?.Label ?? 'INFORMATIONAL' },
    Title: f.Title,
    Description: f.Description,
    Resources: f.Resources,
    Compliance: {
      Status: f.Compliance?.Status === 'PASSED' ? 'PASSED' : 'FAILED',
      ...(f.Compliance?.RelatedRequirements?.length ? { RelatedRequirements: f.Compliance.RelatedRequirements } : {})
    },
    // Read, not written back: whether the exemption changed since the workflow was last set by
    // this action (the sink compares), and the workflow as it is now, perhaps set by a person.
    ...(typeof f.UserDefinedFields?.[EXEMPT_FIELD] === 'string' ? { UserDefinedFields: { [EXEMPT_FIELD]: f.UserDefinedFields[EXEMPT_FIELD] } } : {}),
    ...(f.Workflow?.Status && WORKFLOW_STATUSES.has(f.Workflow.Status) ? { Workflow: { Status: f.Workflow.Status as AsffWorkflowStatus } } : {}),
    RecordState: 'ACTIVE'
  }
}
