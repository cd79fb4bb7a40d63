// The CLI: flags -> a report (offline from a credential report file, or a live scan) -> the
// terminal table or the JSON report -> the exit code. Returns the code; never calls process.exit.
import { readFile } from 'node:fs/promises'
import { errorMessage } from '../aws/errors.js'
import { decodeCredentialReportFile, scanFromCredentialReport } from '../scan/offline.js'
import { readPreviousReport, type PreviousReport } from '../scan/previous-report.js'
import { chooseBaselines } from '../action/baselines.js'
import { logLine, noCommands } from '../render/escape.js'
import { compareWithBaseline } from '../core/lifecycle.js'
import { buildReport, type Report } from '../core/report.js'
import type { Logger, ScanResults } from '../core/model.js'
import { scanWithOptions } from '../scan/accounts.js'
import { parseCommandLine, type ScanCommand } from './args.js'
import { HELP } from './help.js'
import { observeIam } from './iam-progress.js'
import { Progress, type StatusStream } from './progress.js'
import { renderTerminal } from './render.js'
import { colorWanted, styler } from './style.js'
import { EXIT, exitDecision } from './exit-code.js'
import { withOwnersFile } from '../action/owners-file.js'

export interface CliIo {
  stdout: StatusStream
  stderr: StatusStream
  /** process.env: read for NO_COLOR, written for AWS_PROFILE. */
  env: Record<string, string | undefined>
  readFile(path: string): Promise<string>
  readStdin(): Promise<string>
  now(): Date
  /** Where a relative --owners-file is looked for. */
  cwd(): string
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
    now: () => new Date(),
    cwd: () => process.cwd()
  }
}

/** --credential-report: no AWS call at all. Throws when the file cannot be read or parsed. */
async function offlineScan(command: ScanCommand, path: string, io: CliIo, now: Date): Promise<ScanResults> {
  const text = path === '-' ? await io.readStdin() : await io.readFile(path)
  const file = decodeCredentialReportFile(text)
  const { policy, exemptions, owners } = command.options
  return { scans: [scanFromCredentialReport(file.csv, { policy, exemptions, owners, now, generatedAt: file.generatedAt })], failures: [] }
}

async function onlineScan(command: ScanCommand, io: CliIo, now: Date): Promise<ScanResults> {
  // The SDK's default chain reads AWS_PROFILE when it resolves credentials, after this.
  if (command.profile) io.env.AWS_PROFILE = command.profile
  const progress = new Progress(io.stderr)
  try {
    // The action's own scan, with the SDK's default credential chain (AWS_PROFILE).
    return await scanWithOptions(command.options, { region: command.options.awsRegion }, now, {
      log: progress.logger(),
      // A terminal has no log masking; the CLI prints no member-session credential.
      mask: () => {},
      status: (phase) => progress.status(phase),
      observe: (iam, account, several) =>
        observeIam(iam, (phase, detail) => progress.status(phase, detail), several ? `[${account.id}] ` : '')
    })
  } catch (err) {
    return { scans: [], failures: [{ accountId: null, error: errorMessage(err) }] }
  } finally {
    progress.stop()
  }
}

/** The notes are the report's: the text output and --json say them, so the log says nothing twice. */
const QUIET: Logger = { info: () => {}, warning: () => {}, debug: () => {} }

/**
 * The scan, compared with the baseline file (--baseline, --previous-report) as the action does
 * with previous-report: each account the file scanned to the end has its baseline; a file that
 * is missing or unreadable is no baseline, said in a note. Every complete scan is compared, with
 * or without a baseline, so overdue days are always told.
 */
async function reportOf(scanned: ScanResults, command: ScanCommand, io: CliIo, now: Date): Promise<Report> {
  const path = command.options.previousReport
  const label = command.baselineFlag
  const previous: PreviousReport | null = path ? await readPreviousReport(path, { label, read: (p) => io.readFile(p) }) : null
  const choice = chooseBaselines({
    accountIds: scanned.scans.map((s) => s.accountId),
    issues: null,
    record: () => {
      throw new Error('the CLI reads no tracking issue')
    },
    previous,
    log: QUIET
  })
  // A plain name in the owners file is kept and said once, for the run.
  const notes = [...command.options.owners.notes, ...choice.notes]
  if (previous?.ok) {
    const failed = new Set(previous.baselines.failedAccounts)
    for (const scan of scanned.scans) {
      if (choice.byAccount.get(scan.accountId)) continue
      notes.push(
        `${label} ${path} has no complete scan of account ${scan.accountId}` +
          `${failed.has(scan.accountId) ? ' (its scan failed there)' : ''}: its findings are not marked new or resolved`
      )
    }
  }
  const { policy } = command.options
  const scans = scanned.scans.map((scan) => compareWithBaseline(scan, choice.byAccount.get(scan.accountId) ?? null, now, policy))
  return buildReport({ generatedAt: now, policy, scans, failures: scanned.failures, notes })
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
  // The owners file is read before any AWS call; its problems are usage errors like a bad flag's.
  const owned = await withOwnersFile(command.options, io.cwd())
  if (!owned.ok) {
    const [first, ...more] = owned.errors
    const text = more.length ? `${owned.errors.length} problems:${owned.errors.map((e) => `\n- --${e}`).join('')}` : `--${first}`
    io.stderr.write(`iam-key-sentry: ${text}\nSee iam-key-sentry scan --help.\n`)
    return EXIT.error
  }
  command.options = owned.options
  const now = io.now()
  let scanned: ScanResults
  if (command.credentialReport !== null) {
    try {
      scanned = await offlineScan(command, command.credentialReport, io, now)
    } catch (err) {
      io.stderr.write(`iam-key-sentry: ${command.credentialReport}: ${errorMessage(err)}\n`)
      return EXIT.error
    }
  } else {
    scanned = await onlineScan(command, io, now)
  }
  const report = await reportOf(scanned, command, io, now)
  const result = exitDecision(report, command.options.failOn)
  if (command.json) {
    // Standard output carries the JSON only, so it can be piped to jq. In a workflow step the
    // runner reads it too: a `##[` in a value is written `##\u005b`, which decodes the same.
    io.stdout.write(`${noCommands(JSON.stringify(report, null, 2), '\\u005b')}\n`)
    // The run's notes (a baseline that could not be read) are in the JSON; a person at the terminal hears them too.
    for (const note of report.notes) io.stderr.write(`note: ${logLine(note)}\n`)
    if (result.message) io.stderr.write(`${result.message}\n`)
  } else {
    const color = colorWanted(io.stdout, io.env)
    // No line of it a workflow command, should a user name be `::add-mask::…` (the CLI in a workflow step).
    const baseline = command.options.previousReport
    io.stdout.write(noCommands(renderTerminal(report, { maskKeyIds: command.options.maskKeyIds, color, baseline })))
    const style = styler(color)
    if (result.message) io.stdout.write(`\n${style(result.message, 'bold', result.code === EXIT.ok ? 'green' : 'red')}\n`)
  }
  return result.code
}
