// Security Hub reads and writes (DESIGN.md, Security Hub): findings imported 100 per
// BatchImportFindings call, and the findings this action imported earlier, read back with
// GetFindings. Filters are sent, and what comes back is filtered again here: moto ignores them,
// and a finding of another product or generator must never be archived by this action.
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient
} from '@aws-sdk/client-securityhub'
import { GENERATOR_PREFIX, type AsffFinding } from '../render/asff.js'
import { AwsCallError, errorMessage, errorName, redactKeyIds } from './errors.js'

/** Security Hub's limit per BatchImportFindings call. */
export const IMPORT_BATCH = 100

/** GetFindings pages at most this many: a runaway NextToken stops here (10,000 findings). */
const MAX_PAGES = 100

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
      throw new SecurityHubCallError('securityhub:BatchImportFindings', err, where)
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

/**
 * The active findings this action imported earlier into the product: GetFindings filtered by
 * product ARN, generator id prefix and record state, paged, and filtered again here.
 */
export async function previousFindings(
  client: SecurityHubClient,
  productArn: string,
  where: { accountId: string; region: string }
): Promise<AsffFinding[]> {
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
    if (!out.NextToken || out.NextToken === token) break
    token = out.NextToken
  }
  return [...found.values()]
}

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
    RecordState: 'ACTIVE'
  }
}
