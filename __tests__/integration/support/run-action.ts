// Run the built action the way the runner does: `node dist/index.js` with INPUT_* variables
// (action.yml defaults filled in, as GitHub does), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const DIST = join(ROOT, 'dist/index.js')

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  runnerTemp: string
}

interface ActionYml {
  inputs: Record<string, { default?: string }>
}

export function actionDefaults(): Record<string, string> {
  const yml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml
  // The runner evaluates expressions such as ${{ github.token }}; here they are empty.
  const value = (d: unknown) => (String(d ?? '').includes('${{') ? '' : String(d ?? ''))
  return Object.fromEntries(Object.entries(yml.inputs).map(([name, spec]) => [name, value(spec.default)]))
}

/** GITHUB_OUTPUT holds `name<<DELIM\nvalue\nDELIM` blocks (and plain name=value lines). */
export function parseGithubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

export async function runAction(
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const inputEnv = Object.fromEntries(
    Object.entries({ ...actionDefaults(), ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])
  )
  const child = spawn(process.execPath, [DIST], {
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      NODE_NO_WARNINGS: '1',
      RUNNER_TEMP: dir,
      // The checked-out repository: empty unless a test says otherwise (no owners file).
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...inputEnv,
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseGithubOutput(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    runnerTemp: dir
  }
}

/** Dummy credentials and the moto endpoint for every AWS client the action builds. */
export function motoEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1'
  }
}
