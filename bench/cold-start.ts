// Cold start: the time from spawning `node <bundle>` to its first AWS request arriving at the
// proxy, for the built action and for an anchor bundle (configure-aws-credentials v6.2.3's
// dist/index.js, which every AWS workflow already runs), measured the same way, interleaved
// (ours, anchor, ours, anchor…) so that whatever else the machine does weighs on both alike.
// Run alone: npx tsx bench/cold-start.ts [--anchor <path>] [--runs 7] (after npm run build);
// npm run bench prints the same pair.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startFaultProxy, type FaultProxy } from '../__tests__/integration/support/fault-proxy.js'
import { startMoto } from '../__tests__/integration/support/moto.js'
import { actionDefaults, DIST, motoEnv } from '../__tests__/integration/support/run-action.js'

/** The issue's target: the median of 7 runs each. */
export const COLD_RUNS = 7

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Where the anchor is looked for without --anchor: beside the repository, as on the project's machine. */
export const DEFAULT_ANCHOR = resolve(ROOT, '../shared/anchors/configure-aws-credentials-v6.2.3.js')

/**
 * The anchor bundle to measure against: --anchor's path (an error if it is not a file), else the
 * default place if it is there, else null (the benchmark then shows ours alone and says why).
 */
export function findAnchor(arg: string | undefined): { path: string | null; error?: string; note?: string } {
  if (arg !== undefined) {
    const path = resolve(arg)
    return existsSync(path) ? { path } : { path: null, error: `--anchor ${arg}: no such file` }
  }
  if (existsSync(DEFAULT_ANCHOR)) return { path: DEFAULT_ANCHOR }
  return { path: null, note: `no anchor at ${DEFAULT_ANCHOR}; pass --anchor <configure-aws-credentials dist/index.js>` }
}

interface Subject {
  name: string
  bundle: string
  env: Record<string, string>
}

/**
 * Both bundles get the runner's files and the same dummy credentials and endpoint. Ours runs with
 * action.yml's defaults (data-source auto), as a plain `uses:` step does; the anchor with the
 * three inputs it needs for static keys. Each first asks sts:GetCallerIdentity.
 */
function subjects(proxy: FaultProxy, dir: string, anchor: string | null): Subject[] {
  const runner: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...motoEnv(proxy.endpoint)
  }
  for (const file of ['output', 'env', 'summary']) writeFileSync(join(dir, file), '')
  const inputs = (values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  const ours: Subject = { name: 'iam-key-sentry (dist/index.js)', bundle: DIST, env: { ...runner, ...inputs(actionDefaults()) } }
  if (!anchor) return [ours]
  const env = motoEnv(proxy.endpoint)
  const anchorInputs = inputs({
    'aws-region': env.AWS_REGION,
    'aws-access-key-id': env.AWS_ACCESS_KEY_ID,
    'aws-secret-access-key': env.AWS_SECRET_ACCESS_KEY
  })
  return [ours, { name: 'configure-aws-credentials v6.2.3', bundle: anchor, env: { ...runner, ...anchorInputs } }]
}

/** One cold start: spawn to the first request at the proxy, in ms, and which action that request was. */
async function once(proxy: FaultProxy, subject: Subject): Promise<{ ms: number; action: string }> {
  proxy.reset()
  const start = Date.now()
  const child = spawn(process.execPath, [subject.bundle], { env: subject.env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<void>((done) => child.on('close', () => done()))
  while (proxy.firstRequestAt === null && child.exitCode === null) await new Promise((r) => setTimeout(r, 1))
  const at = proxy.firstRequestAt
  child.kill()
  // Gone before the next run starts, so that it never competes with it for the CPU.
  await exited
  if (at === null) throw new Error(`${subject.name} exited without an AWS request:\n${stderr}`)
  return { ms: at - start, action: proxy.actions[0] }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length / 2
  return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)]
}

export interface ColdStart {
  name: string
  runs: number[]
  median: number
  firstAction: string
}

/** Each subject `runs` times, interleaved; one warm-up run each first (the file cache), not counted. */
export async function measureColdStarts(proxy: FaultProxy, anchor: string | null, runs = COLD_RUNS): Promise<ColdStart[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cold-start-'))
  try {
    const all = subjects(proxy, dir, anchor)
    for (const s of all) await once(proxy, s)
    const times: number[][] = all.map(() => [])
    const actions: string[] = all.map(() => '')
    for (let i = 0; i < runs; i++) {
      for (const [j, s] of all.entries()) {
        const run = await once(proxy, s)
        times[j].push(run.ms)
        actions[j] = run.action
      }
    }
    return all.map((s, j) => ({ name: s.name, runs: times[j], median: median(times[j]), firstAction: actions[j] }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The lines the benchmark prints: each subject's median, range and runs, and ours over the anchor's. */
export function coldStartLines(results: ColdStart[], note?: string): string[] {
  const lines = [`cold start (spawn to the first AWS request at the proxy; median of ${results[0].runs.length}, interleaved):`]
  for (const r of results) {
    const range = `${Math.min(...r.runs)}–${Math.max(...r.runs)} ms`
    lines.push(`  ${r.name.padEnd(34)}${`${r.median} ms`.padEnd(10)}range ${range.padEnd(14)}first request ${r.firstAction}`)
  }
  if (results.length === 2) lines.push(`  ours / anchor: ${(results[0].median / results[1].median).toFixed(2)}`)
  if (note) lines.push(`  ${note}`)
  return lines
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`

/**
 * dist/'s code: index.js, which every run loads before its first AWS call, and the chunks
 * (`<id>.index.js`) ncc emits for what is imported on demand, loaded only by the runs that use them.
 */
export function bundleSizesLine(bundle = DIST): string {
  const dir = dirname(bundle)
  const chunks = readdirSync(dir).filter((f) => /^\d+\.index\.js$/.test(f))
  const main = statSync(bundle).size
  const rest = chunks.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
  return `dist/index.js: ${mib(main)} loaded at start; ${chunks.length} chunks loaded on demand: ${mib(rest)}; total ${mib(main + rest)}`
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { anchor: { type: 'string' }, runs: { type: 'string', default: String(COLD_RUNS) } } })
  const runs = Number(values.runs)
  const anchor = findAnchor(values.anchor)
  const problems = [
    Number.isInteger(runs) && runs >= 1 ? null : `--runs ${values.runs}: a whole number, 1 or more`,
    anchor.error ?? null,
    existsSync(DIST) ? null : `${DIST} is missing: npm run build first`
  ].filter((p) => p !== null)
  if (problems.length) {
    console.error(`cold-start: ${problems.join('; ')}`)
    process.exit(2)
  }
  const moto = await startMoto()
  const proxy = await startFaultProxy(moto.endpoint)
  try {
    console.log(coldStartLines(await measureColdStarts(proxy, anchor.path, runs), anchor.note).join('\n'))
    console.log(bundleSizesLine())
  } finally {
    await proxy.close()
    await moto.stop()
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
