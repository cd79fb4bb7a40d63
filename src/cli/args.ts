// Command-line flags -> the action's typed options. The flags are the action's input names, and
// parseInputs validates them, so a value is accepted or refused with the action's own message.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { parseInputs, type ActionOptions } from '../action/inputs.js'
import { cliFlag, INPUT_NAMES, type InputGetter, type InputName } from '../action/input-spec.js'

/** The action's inputs that make sense on a command line (their `cli` in the table); SNS, issue and OIDC are not offered. */
export const INPUT_FLAGS: readonly InputName[] = INPUT_NAMES.filter((name) => cliFlag(name))

/** Flags that need AWS: refused with --credential-report, which makes no AWS call at all. */
const AWS_ONLY = ['profile', ...INPUT_FLAGS.filter((name) => cliFlag(name)?.section === 'aws')]

/** Shorter names of input flags: the same flag, so giving both with different values is an error. */
const ALIASES = { region: 'aws-region', baseline: 'previous-report' } as const satisfies Record<string, InputName>

const OPTIONS = {
  ...Object.fromEntries(INPUT_FLAGS.map((name) => [name, { type: 'string', multiple: cliFlag(name)?.repeatable === true }])),
  region: { type: 'string' },
  baseline: { type: 'string' },
  profile: { type: 'string' },
  'credential-report': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} satisfies ParseArgsConfig['options']

export interface ScanCommand {
  kind: 'scan'
  options: ActionOptions
  /** AWS_PROFILE for the SDK's default credential chain; null: leave it as it is. */
  profile: string | null
  /** A credential report file (`-`: standard input) to analyse offline; null: scan AWS. */
  credentialReport: string | null
  json: boolean
  /** How the baseline file was given (`--baseline` or `--previous-report`): its notes name the flag used. */
  baselineFlag: string
}

export type Command = ScanCommand | { kind: 'help' } | { kind: 'usage-error'; errors: string[] }

type Values = Record<string, string | string[] | boolean | undefined>

/** The getter parseInputs reads: a flag's value, repeated flags joined; '' for anything not given. */
function inputGetter(values: Values): InputGetter {
  return (name) => {
    const value = values[name]
    return Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : ''
  }
}

export function parseCommandLine(argv: string[]): Command {
  let parsed: { values: Values; positionals: string[] }
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    // parseArgs names the flag: "Unknown option '--max-age'", "Option '--json' does not take an argument".
    return { kind: 'usage-error', errors: [(err as Error).message] }
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (positionals.length === 0) return { kind: 'usage-error', errors: ['no command given; use: iam-key-sentry scan [flags]'] }
  const errors: string[] = []
  if (positionals[0] !== 'scan') errors.push(`unknown command "${positionals[0]}"; the command is scan`)
  else if (positionals.length > 1) errors.push(`unexpected argument "${positionals[1]}"; flags start with --`)

  for (const [alias, name] of Object.entries(ALIASES)) {
    const value = values[alias] as string | undefined
    if (value !== undefined && values[name] !== undefined && value !== values[name]) {
      errors.push(`--${alias} and --${name} are the same flag; give one`)
    }
    if (value !== undefined) values[name] = value
  }
  const credentialReport = (values['credential-report'] as string | undefined) ?? null
  if (credentialReport !== null) {
    if (!credentialReport) errors.push('--credential-report: empty; give a file, or - for standard input')
    for (const flag of AWS_ONLY) {
      if (values[flag] !== undefined) errors.push(`--${flag} is not used with --credential-report, which makes no AWS call`)
    }
  }
  const profile = (values.profile as string | undefined) || null

  const inputs = parseInputs(inputGetter(values))
  // The action's messages start with the input's name; here that name is a flag.
  if (!inputs.ok) errors.push(...inputs.errors.map((e) => `--${e}`))
  if (errors.length || !inputs.ok) return { kind: 'usage-error', errors }
  const baselineFlag = values.baseline !== undefined ? '--baseline' : '--previous-report'
  return { kind: 'scan', options: inputs.options, profile, credentialReport, json: Boolean(values.json), baselineFlag }
}
