// ASFF as Security Hub's API model has it, for the unit and integration tests: the members the
// SDK's AwsSecurityFinding (and the nested shapes this action writes) mark required are read from
// the SDK's own type declarations, so a finding that lacks one fails, and a member the model does
// not have (a typo) fails too. moto checks almost nothing of a finding.
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AwsIamAccessKeyStatus, ComplianceStatus, Partition, RecordState, SeverityLabel, WorkflowStatus } from '@aws-sdk/client-securityhub'
import { DESCRIPTION_MAX, TITLE_MAX, type AsffFinding } from '../../../src/render/asff.js'

const require = createRequire(import.meta.url)
const MODELS = join(dirname(require.resolve('@aws-sdk/client-securityhub/package.json')), 'dist-types/models')
const DECLARATIONS = readdirSync(MODELS)
  .filter((f) => /^models_\d+\.d\.ts$/.test(f))
  .map((f) => readFileSync(join(MODELS, f), 'utf8'))
  .join('\n')

/** The members of one model shape: name -> required. */
export function shape(name: string): Map<string, boolean> {
  const start = DECLARATIONS.indexOf(`export interface ${name} {`)
  if (start < 0) throw new Error(`no interface ${name} in the SDK's models`)
  const body = DECLARATIONS.slice(start, DECLARATIONS.indexOf('\n}', start))
  const members = new Map<string, boolean>()
  for (const m of body.matchAll(/^ {4}(\w+)(\??):/gm)) members.set(m[1], m[2] !== '?')
  return members
}

/** ASFF also requires these (the ASFF syntax reference), though the SDK declares them optional. */
const ASFF_ALSO_REQUIRED = ['Severity', 'Types']

/** Nested shapes this action writes. */
const NESTED: Record<string, Record<string, string>> = {
  AwsSecurityFinding: {
    Severity: 'Severity',
    Compliance: 'Compliance',
    Workflow: 'Workflow',
    Resources: 'Resource',
    FindingProviderFields: 'FindingProviderFields'
  },
  FindingProviderFields: { Severity: 'FindingProviderSeverity' },
  Resource: { Details: 'ResourceDetails' },
  ResourceDetails: { AwsIamAccessKey: 'AwsIamAccessKeyDetails' }
}

/** Every problem of `value` as the model shape `name`: a missing required member, an unknown member. */
export function modelProblems(value: object, name: string, path = name): string[] {
  const members = shape(name)
  const problems: string[] = []
  for (const [member, required] of members) {
    const v = (value as Record<string, unknown>)[member]
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
    if ((required || (name === 'AwsSecurityFinding' && ASFF_ALSO_REQUIRED.includes(member))) && empty) {
      problems.push(`${path}.${member} is required`)
    }
  }
  for (const [member, v] of Object.entries(value)) {
    if (!members.has(member)) problems.push(`${path}.${member} is not in the model`)
    const nested = NESTED[name]?.[member]
    if (!nested || v === undefined) continue
    const items = Array.isArray(v) ? v : [v]
    items.forEach((item, i) => problems.push(...modelProblems(item as object, nested, `${path}.${member}${Array.isArray(v) ? `[${i}]` : ''}`)))
  }
  return problems
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

/** Enum values and formats, as the model declares them. */
export function valueProblems(f: AsffFinding): string[] {
  const problems: string[] = []
  const check = (ok: boolean, what: string) => ok || problems.push(what)
  check(Object.values(SeverityLabel).includes(f.Severity.Label), `Severity.Label ${f.Severity.Label}`)
  check(Object.values(RecordState).includes(f.RecordState), `RecordState ${f.RecordState}`)
  check(Object.values(ComplianceStatus).includes(f.Compliance.Status), `Compliance.Status ${f.Compliance.Status}`)
  if (f.Workflow) check(Object.values(WorkflowStatus).includes(f.Workflow.Status), `Workflow.Status ${f.Workflow.Status}`)
  const provider = f.FindingProviderFields
  if (provider) check(Object.values(SeverityLabel).includes(provider.Severity.Label), `FindingProviderFields.Severity.Label ${provider.Severity.Label}`)
  for (const [key, value] of Object.entries(f.UserDefinedFields ?? {})) check(key.length <= 128 && typeof value === 'string' && value.length <= 1024, `UserDefinedFields ${key}`)
  for (const r of f.Resources) {
    if (r.Partition) check(Object.values(Partition).includes(r.Partition), `Partition ${r.Partition}`)
    const key = r.Details?.AwsIamAccessKey
    if (key?.Status) check(Object.values(AwsIamAccessKeyStatus).includes(key.Status), `key Status ${key.Status}`)
    if (key?.CreatedAt) check(ISO.test(key.CreatedAt), `key CreatedAt ${key.CreatedAt}`)
  }
  for (const at of [f.CreatedAt, f.UpdatedAt, f.FirstObservedAt]) if (at !== undefined) check(ISO.test(at), `timestamp ${at}`)
  check(f.Title.length <= TITLE_MAX, `Title of ${f.Title.length} characters`)
  check(f.Description.length <= DESCRIPTION_MAX, `Description of ${f.Description.length} characters`)
  check(f.Id.length <= 512 && f.GeneratorId.length <= 512, 'Id or GeneratorId over 512 characters')
  check(Buffer.byteLength(JSON.stringify(f)) < 240 * 1024, 'finding over 240 KB')
  return problems
}

