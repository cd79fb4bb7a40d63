// The CLI: flags -> a report (offline from a credential report file, or a live scan) -> the
// terminal table or the JSON report -> the exit code. Returns the code; never calls process.exit.
import { readFile } from 'node:fs/promises'
import { errorMessage } from '../aws/errors.js'
import { decodeCredentialReportFile, reportFromCredentialReport } from '../scan/offline.js'
import { noCommands } from '../render/escape.js'
import { buildReport, type Report } from '../core/report.js'
import type { ScanResults } from '../core/model.js'
import { scanWithOptions } from '../scan/accounts.js'
import { parseCommandLine, type ScanCommand } from './args.js'
import { HELP } from './help.js'
import { observeIam } from './iam-progress.js'
import { Progress, type StatusStream } from './progress.js'
import { renderTerminal } from './render.js'
import { colorWanted, styler } from './style.js'
import { EXIT, exitDecision } from './exit-code.js'

export interface CliIo {
  stdout: StatusStream
  stderr: StatusStream
  /** process.env: read for NO_COLOR, written for AWS_PROFILE. */
  env: Record<string, string | undefined>
  readFile(path: string): Promise<string>
  readStdin(): Promise<string>
  now(): Date
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readFile: (path) => readFile(path, 'utf8'),
    readStdin,
    now: () => new Date()
  }
}

/** --credential-report: no AWS call at all. Throws when the file cannot be read or parsed. */
async function offlineReport(command: ScanCommand, path: string, io: CliIo): Promise<Report> {
  const text = path === '-' ? await io.readStdin() : await io.readFile(path)
  const file = decodeCredentialReportFile(text)
  const { policy, exemptions } = command.options
  return reportFromCredentialReport(file.csv, { policy, exemptions, now: io.now(), generatedAt: file.generatedAt })
}

async function onlineReport(command: ScanCommand, io: CliIo): Promise<Report> {
  // The SDK's default chain reads AWS_PROFILE when it resolves credentials, after this.
  if (command.profile) io.env.AWS_PROFILE = command.profile
  const now = io.now()
  const progress = new Progress(io.stderr)
  let scanned: ScanResults
  try {
    // The action's own scan, with the SDK's default credential chain (AWS_PROFILE).
    scanned = await scanWithOptions(command.options, { region: command.options.awsRegion }, now, {
      log: progress.logger(),
      // A terminal has no log masking; the CLI prints no member-session credential.
      mask: () => {},
      status: (phase) => progress.status(phase),
      observe: (iam, account, several) =>
        observeIam(iam, (phase, detail) => progress.status(phase, detail), several ? `[${account.id}] ` : '')
    })
  } catch (err) {
    scanned = { scans: [], failures: [{ accountId: null, error: errorMessage(err) }] }
  } finally {
    progress.stop()
  }
  return buildReport({ generatedAt: now, policy: command.options.policy, ...scanned })
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const command = parseCommandLine(argv)
  if (command.kind === 'help') {
    io.stdout.write(HELP)
    return EXIT.ok
  }
  if (command.kind === 'usage-error') {
    const [first, ...more] = command.errors
    const text = more.length ? `${command.errors.length} problems:${command.errors.map((e) => `\n- ${e}`).join('')}` : first
    io.stderr.write(`iam-key-sentry: ${text}\nSee iam-key-sentry scan --help.\n`)
    return EXIT.error
  }
  let report: Report
  if (command.credentialReport !== null) {
    try {
      report = await offlineReport(command, command.credentialReport, io)
    } catch (err) {
      io.stderr.write(`iam-key-sentry: ${command.credentialReport}: ${errorMessage(err)}\n`)
      return EXIT.error
    }
  } else {
    report = await onlineReport(command, io)
  }
  const result = exitDecision(report, command.options.failOn)
  if (command.json) {
    // Standard output carries the JSON only, so it can be piped to jq. In a workflow step the
    // runner reads it too: a `##[` in a value is written `##\u005b`, which decodes the same.
    io.stdout.write(`${noCommands(JSON.stringify(report, null, 2), '\\u005b')}\n`)
    if (result.message) io.stderr.write(`${result.message}\n`)
  } else {
    const color = colorWanted(io.stdout, io.env)
    // No line of it a workflow command, should a user name be `::add-mask::…` (the CLI in a workflow step).
    io.stdout.write(noCommands(renderTerminal(report, { maskKeyIds: command.options.maskKeyIds, color })))
    const style = styler(color)
    if (result.message) io.stdout.write(`\n${style(result.message, 'bold', result.code === EXIT.ok ? 'green' : 'red')}\n`)
  }
  return result.code
}
