// A Security Hub that remembers, behind the mocked SDK client, for tests that span runs: what
// one run's failure leaves behind is what the next run reads back. It keeps the rules the
// sink depends on, as the API reference states them: BatchImportFindings creates a finding
// with its Workflow (NEW when none) and UserDefinedFields, and on an existing finding updates
// everything but those (and Note, VerificationState); BatchUpdateFindings sets Workflow and
// adds UserDefinedFields on existing findings only (FindingNotFound otherwise); GetFindings
// gives everything, in pages of MaxResults.
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type BatchImportFindingsRequest,
  type BatchUpdateFindingsRequest,
  type GetFindingsRequest,
  type SecurityHubClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes
} from '@aws-sdk/client-securityhub'
import type { AwsStub } from 'aws-sdk-client-mock'

/** The customer's members: set when a finding is created, never by a later import. */
const CUSTOMER_OWNED = ['Workflow', 'UserDefinedFields', 'Note', 'VerificationState'] as const

export interface FakeSecurityHub {
  findings: Map<string, AwsSecurityFinding>
  /**
   * What the next BatchUpdateFindings calls do instead, in order: throw the error, or
   * ('unprocessed') answer every finding unprocessed, as Security Hub may.
   */
  updateFaults: (Error | 'unprocessed')[]
}

export function fakeSecurityHub(hub: AwsStub<ServiceInputTypes, ServiceOutputTypes, SecurityHubClientResolvedConfig>): FakeSecurityHub {
  const fake: FakeSecurityHub = { findings: new Map(), updateFaults: [] }
  hub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsRequest) => {
    for (const f of input.Findings ?? []) {
      const existing = fake.findings.get(f.Id!)
      if (!existing) {
        fake.findings.set(f.Id!, { ...structuredClone(f), Workflow: f.Workflow ?? { Status: 'NEW' } })
        continue
      }
      const updated: AwsSecurityFinding = { ...structuredClone(f) }
      for (const member of CUSTOMER_OWNED) {
        delete updated[member]
        if (existing[member] !== undefined) Object.assign(updated, { [member]: existing[member] })
      }
      fake.findings.set(f.Id!, updated)
    }
    return { FailedCount: 0, SuccessCount: input.Findings?.length ?? 0, FailedFindings: [] }
  })
  hub.on(BatchUpdateFindingsCommand).callsFake((input: BatchUpdateFindingsRequest) => {
    const fault = fake.updateFaults.shift()
    if (fault instanceof Error) throw fault
    if (fault === 'unprocessed') {
      const unprocessed = (input.FindingIdentifiers ?? []).map((id) => ({ FindingIdentifier: id, ErrorCode: 'InternalException', ErrorMessage: 'try again' }))
      return { ProcessedFindings: [], UnprocessedFindings: unprocessed }
    }
    const processed = []
    const unprocessed = []
    for (const id of input.FindingIdentifiers ?? []) {
      const f = fake.findings.get(id.Id!)
      if (!f) {
        unprocessed.push({ FindingIdentifier: id, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding Not Found' })
        continue
      }
      if (input.Workflow) f.Workflow = { ...input.Workflow }
      if (input.UserDefinedFields) f.UserDefinedFields = { ...f.UserDefinedFields, ...input.UserDefinedFields }
      processed.push(id)
    }
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed }
  })
  hub.on(GetFindingsCommand).callsFake((input: GetFindingsRequest) => {
    const all = [...fake.findings.values()]
    const start = Number(input.NextToken ?? 0)
    const size = input.MaxResults ?? 100
    const next = start + size < all.length ? String(start + size) : undefined
    return { Findings: structuredClone(all.slice(start, start + size)), ...(next ? { NextToken: next } : {}) }
  })
  return fake
}
