// `npm run demo:local`: real findings from a real scan, on this machine, in under a minute.
// Starts moto_server under libfaketime (the integration tests' own start-up code), creates an
// account of aged keys (account.ts), runs the built CLI against it, then the built action as a
// workflow step runs it (INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the
// default credential chain with dummy keys, AWS_ENDPOINT_URL pointing at moto), and stops moto
// on the way out: at the end, on an error, on Ctrl-C.
//
// Needs `npm run build` first (the npm script does it), moto_server and libfaketime.
// The action's files (summary, report, log) stay in a temporary directory, printed at the end.
import { spawn, spawnSync, type StdioOptions } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Report } from '../../src/core/report.js'
import { oneLine } from '../../src/render/escape.js'
import { faketimeEnv, startMoto, type MotoServer } from '../../__tests__/integration/support/moto.js'
import { actionDefaults, motoEnv, parseGithubOutput } from '../../__tests__/integration/support/run-action.js'
import { DEMO_POLICY, DEMO_USERS, seedDemoAccount } from './account.js'
import { checkFindings } from './check.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = join(ROOT, 'dist/cli/index.js')
const ACTION = join(ROOT, 'dist/index.js')
/** The CLI and the action each scan eight users in about a second; 30 s means something hangs. */
const STEP_DEADLINE_MS = 30_000
/** The whole demo, moto's start-up included (about 10 s on a busy machine). */
const DEMO_DEADLINE_MS = 90_000
const SUMMARY_HEAD_LINES = 30

class DemoError extends Error {}

const children = new Set<ReturnType<typeof spawn>>()
let moto: MotoServer | undefined

/** Stop whatever the demo started. Synchronous at heart (kill), so it also works in an 'exit' handler. */
function stopEverything(): void {
  for (const child of children) child.kill('SIGTERM')
  void moto?.stop()
  moto = undefined
}

process.once('exit', stopEverything)
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping moto_server.\n`)
    stopEverything()
    process.exit(code)
  })
}

/** Progress, on standard error: standard output holds only what the scans print. */
const note = (text: string) => process.stderr.write(`${text}\n`)
const out = (text = '') => process.stdout.write(`${text}\n`)
/** What the action wrote may quote AWS, and text from AWS is data: no control sequence reaches the terminal. */
const plain = oneLine

function checkPrerequisites(): void {
  const missing: string[] = []
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 20_000 }).status !== 0) {
    missing.push('moto_server: install it with  pip install "moto[server]"')
  }
  try {
    faketimeEnv('+0')
  } catch {
    missing.push('libfaketime: install it with  sudo apt-get install -y faketime')
  }
  if (missing.length > 0) throw new DemoError(`it runs moto_server under libfaketime, and cannot find:\n  ${missing.join('\n  ')}`)
  const unbuilt = [CLI, ACTION].filter((f) => !existsSync(f))
  if (unbuilt.length > 0) throw new DemoError(`${unbuilt.join(' and ')} not built: run \`npm run build\` (npm run demo:local does).`)
}

/** Run the built code, with a deadline; resolves with its exit code (null: killed at the deadline). */
function run(args: string[], env: Record<string, string>, stdio: StdioOptions): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio, timeout: STEP_DEADLINE_MS, killSignal: 'SIGKILL' })
    children.add(child)
    let stdout = ''
    child.stdout?.on('data', (d) => (stdout += d))
    child.once('error', reject)
    child.once('close', (code) => {
      children.delete(child)
      resolve({ code, stdout })
    })
  })
}

/** What every scan process gets: no ambient AWS settings, moto's endpoint and dummy keys. */
function scanEnv(dir: string, endpoint: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    NODE_NO_WARNINGS: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(process.env.NO_COLOR !== undefined ? { NO_COLOR: process.env.NO_COLOR } : {}),
    ...motoEnv(endpoint)
  }
}

async function runCli(dir: string, endpoint: string): Promise<void> {
  const flags = Object.entries(DEMO_POLICY).flatMap(([name, value]) => [`--${name}`, value])
  out(`$ iam-key-sentry scan ${flags.join(' ')}`)
  out()
  // The CLI's own terminal: its colours when this is one, its progress on standard error.
  const { code } = await run([CLI, 'scan', ...flags], scanEnv(dir, endpoint), ['ignore', 'inherit', 'inherit'])
  if (code === null) throw new DemoError(`the CLI did not finish within ${STEP_DEADLINE_MS / 1000} s`)
  if (code > 1) throw new DemoError(`the CLI exited with ${code}`)
  out()
  out(`(exit code ${code}${code === 1 ? ': findings of the --fail-on kinds, stale and root-key by default' : ''})`)
}

async function runAction(dir: string, endpoint: string): Promise<Report> {
  const outputFile = join(dir, 'github-output')
  const summaryFile = join(dir, 'step-summary.md')
  const logFile = join(dir, 'action.log')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const inputs = { ...actionDefaults(), ...DEMO_POLICY }
  const env = {
    ...scanEnv(dir, endpoint),
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  }
  out()
  out('── The action, as a workflow step runs it ──')
  out(`with: ${Object.entries(DEMO_POLICY).map(([k, v]) => `${k}: ${v}`).join(', ')} (other inputs: action.yml defaults)`)
  const { code, stdout } = await run([ACTION], env, ['ignore', 'pipe', 'pipe'])
  writeFileSync(logFile, stdout)
  if (code === null) throw new DemoError(`the action did not finish within ${STEP_DEADLINE_MS / 1000} s (log: ${logFile})`)
  const outputs = parseGithubOutput(readFileSync(outputFile, 'utf8'))
  if (!outputs['report-file']) throw new DemoError(`the action exited with ${code} and wrote no report (log: ${logFile}):\n${stdout.slice(-2000).split('\n').map(plain).join('\n')}`)
  out(`exit code ${code}${code === 1 ? ' (the step fails: findings of the fail-on kinds, stale and root-key by default)' : ''}`)
  out()
  out('outputs:')
  for (const [name, value] of Object.entries(outputs)) out(`  ${name}: ${plain(value)}`)
  out()
  const summary = readFileSync(summaryFile, 'utf8').split('\n')
  out(`job summary (${summaryFile}), first ${SUMMARY_HEAD_LINES} of ${summary.length} lines:`)
  out()
  for (const line of summary.slice(0, SUMMARY_HEAD_LINES)) out(`  ${plain(line)}`)
  out()
  out(`The action's log: ${logFile}`)
  return JSON.parse(readFileSync(outputs['report-file'], 'utf8')) as Report
}

async function main(): Promise<number> {
  checkPrerequisites()
  const dir = mkdtempSync(join(tmpdir(), 'iam-key-sentry-demo-local-'))
  note('Starting moto_server under libfaketime…')
  moto = await startMoto()
  note(`moto_server on ${moto.endpoint}; creating ${DEMO_USERS.length} users with aged keys in account 123456789012…`)
  await seedDemoAccount(moto)
  note('')
  await runCli(dir, moto.endpoint)
  const report = await runAction(dir, moto.endpoint)
  const problems = checkFindings(report, DEMO_USERS)
  out()
  out('What each user shows (from the action\'s report):')
  for (const line of problems.lines) out(`  ${line}`)
  await moto.stop()
  moto = undefined
  note('\nmoto_server stopped.')
  if (problems.wrong > 0) throw new DemoError(`${problems.wrong} user(s) did not show what the demo expects (above)`)
  return 0
}

setTimeout(() => {
  note(`demo:local: not done within ${DEMO_DEADLINE_MS / 1000} s; stopping.`)
  stopEverything()
  process.exit(2)
}, DEMO_DEADLINE_MS).unref()

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof DemoError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)
    note(`\ndemo:local failed: ${message}`)
    if (moto && !(error instanceof DemoError)) note(`moto_server's last output:\n${moto.log()}`)
    stopEverything()
    process.exit(2)
  }
)
