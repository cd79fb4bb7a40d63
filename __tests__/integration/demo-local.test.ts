// `npm run demo:local` (script/demo-local/run.ts) as a user runs it, after the build: moto under
// faketime, the built CLI and the built action. The test reads what the demo prints: every kind
// in the CLI's tables, the action's outputs and summary, and that moto is gone afterwards, also
// after Ctrl-C.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { motoAvailability } from './support/moto.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DEMO = ['--import', 'tsx', 'script/demo-local/run.ts']

interface DemoRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/**
 * The demo in one node process (no tsx wrapper, so a signal reaches it directly), killed at 90 s.
 * `onStderr` sees standard error as it grows, and may signal the demo.
 */
function runDemo(env: Record<string, string | undefined> = process.env, onStderr?: (text: string, pid: number) => void): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, DEMO, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => {
      stderr += d
      onStderr?.(stderr, child.pid!)
    })
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

/** The endpoint moto_server was started on, as the demo announces it. */
function motoEndpoint(stderr: string): string {
  const match = /moto_server on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)
  if (!match) throw new Error(`the demo did not say where moto runs:\n${stderr}`)
  return match[1]
}

/** Whether anything still answers at `endpoint`; waits (up to 10 s) for a server being stopped to go. */
async function stillAnswers(endpoint: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) })
    } catch {
      return false
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return true
}

/** The user names in the CLI table whose title starts with `title`, e.g. `Stale keys`. */
function tableUsers(cliOutput: string, title: string): string[] {
  const block = cliOutput.split('\n\n').find((b) => b.startsWith(title))
  if (!block) return []
  // Title, column header, then one row per key: its first column is the user (exempt rows: kind, user).
  const rows = block.split('\n').slice(2)
  return rows.map((row) => row.trim().split(/ +/)[title.startsWith('Exempt') ? 1 : 0])
}

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

describeMoto('npm run demo:local', () => {
  it('prints real findings of every kind from the CLI and the action, then stops moto', async () => {
    const run = await runDemo()
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 })
    const [cli, action] = run.stdout.split('── The action, as a workflow step runs it ──')
    expect(action).toBeDefined()

    expect(cli).toContain('$ iam-key-sentry scan --max-key-age-days 90 --warn-key-age-days 75 --max-unused-days 45\n')
    expect(cli).toContain(
      'IAM Key Sentry: 6 findings (2 stale, 1 unused, 1 two-active-keys, 1 expiring, 1 inactive) in account 123456789012\n'
    )
    expect(cli).toContain('Account 123456789012: 8 users, 9 keys (credential report).')
    expect(tableUsers(cli, 'Stale keys')).toEqual(['deploy-legacy', 'kate'])
    expect(cli).toMatch(/\n {2}kate +@alice +AKIA…\w{4} +Active +120 /)
    expect(tableUsers(cli, 'Unused keys')).toEqual(['ci-bot'])
    expect(cli).toMatch(/\n {2}ci-bot +— +AKIA…\w{4} +Active +60 +never\n/)
    expect(tableUsers(cli, 'Users with two active keys')).toEqual(['dana-rotating'])
    expect(tableUsers(cli, 'Expiring keys')).toEqual(['reporting-etl'])
    expect(tableUsers(cli, 'Inactive keys')).toEqual(['former-contractor'])
    expect(tableUsers(cli, 'Exempt')).toEqual(['svc-backup'])
    expect(cli).toContain('tag key-sentry:exempt=true')
    expect(cli).not.toContain('fresh-carol')
    expect(cli).toContain('(exit code 1: findings of the --fail-on kinds')

    expect(action).toContain('exit code 1 (the step fails')
    for (const line of ['stale-count: 2', 'finding-count: 6', 'users-scanned: 8', 'keys-scanned: 9', 'unowned-count: 5', 'account-id: 123456789012']) {
      expect(action).toContain(`\n  ${line}\n`)
    }
    const summaryPath = /job summary \((\/[^)]+)\)/.exec(action)?.[1]
    expect(summaryPath && existsSync(summaryPath)).toBe(true)
    const summary = readFileSync(summaryPath!, 'utf8')
    expect(summary).toContain('## IAM Key Sentry: 6 findings (2 stale, 1 unused, 1 two-active-keys, 1 expiring, 1 inactive) in account 123456789012')
    expect(action).toContain(`\n  ${summary.split('\n')[0]}\n`)

    const verdicts = action.slice(action.indexOf("What each user shows (from the action's report):"))
    expect(verdicts.match(/^ {2}✓ /gm)).toHaveLength(8)
    expect(verdicts).not.toContain('✗')
    expect(verdicts).toMatch(/✓ svc-backup +stale, exempt\n/)
    expect(verdicts).toMatch(/✓ fresh-carol +healthy\n/)

    expect(await stillAnswers(motoEndpoint(run.stderr))).toBe(false)
  }, 120_000)

  it('stops moto on Ctrl-C', async () => {
    let signalled = false
    const run = await runDemo(process.env, (stderr, pid) => {
      if (!signalled && /moto_server on http/.test(stderr)) {
        signalled = true
        process.kill(pid, 'SIGINT')
      }
    })
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 130 })
    expect(run.stderr).toContain('SIGINT: stopping moto_server.')
    expect(await stillAnswers(motoEndpoint(run.stderr))).toBe(false)
  }, 120_000)
})

describe('npm run demo:local without moto_server', () => {
  it('says how to install it, and starts nothing', async () => {
    const run = await runDemo({ PATH: dirname(process.execPath), HOME: process.env.HOME })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('cannot find:\n  moto_server: install it with  pip install "moto[server]"')
    expect(run.stderr).not.toContain('moto_server on')
  }, 60_000)
})
