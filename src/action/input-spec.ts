// Every input of the action, declared once: its name, its default, how it is read and checked, and
// whether the CLI offers it as a --flag (with its --help lines). The parser, INPUT_DEFAULTS, the
// CLI's flags and its help are derived from this table; a unit test holds action.yml, the README's
// inputs table and .env.example to it (__tests__/unit/action-metadata.test.ts, readme.test.ts).
import type { AccountsChoice } from '../aws/accounts.js'
import { DATA_SOURCES, FINDING_KINDS } from '../core/model.js'
import type { SnsTopic } from '../sinks/sns.js'
import {
  bool,
  days,
  listOf,
  matching,
  oneOf,
  optional,
  quoted,
  refuse,
  splitList,
  text,
  wholeNumber,
  wordsOrNone,
  type InputParser,
  type Parsed
} from './input-kinds.js'

/** How the CLI offers an input: `--name VALUE`. */
export interface CliFlag {
  /** The value's placeholder in --help: N, LIST, KEY. */
  value: string
  /** The --help lines. `{default}` stands for the input's default, so the help cannot drift from it. */
  help: readonly string[]
  /** aws: the flag needs AWS, so --help lists it under AWS and --credential-report refuses it. */
  section: 'policy' | 'aws'
  /** A list that may also be given flag by flag: `--exempt-users svc-* --exempt-users ci-bot`. */
  repeatable?: boolean
}

export interface InputSpec<T> {
  /** The value when the input is empty: action.yml's default (local runs and the CLI have no runner to fill it in). */
  default: string
  /** What action.yml declares when it is an expression only the runner evaluates (`${{ github.token }}`). */
  actionYmlDefault?: string
  parse: InputParser<T>
  /** Null: not a CLI flag. The CLI only reads AWS: SNS, the tracking issue and OIDC need a runner. */
  cli: CliFlag | null
}

/** The owners file's default path, in the checked-out repository (GITHUB_WORKSPACE). */
export const OWNERS_FILE = '.github/iam-key-owners.yml'

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
// IAM user names are [\w+=,.@-]; a glob adds * ? and [...] classes.
const USER_GLOB = /^(?:[\w+=,.@*?-]|\[!?[\w+=,.@-]+\])+$/
// IAM tag keys: letters, digits, spaces and _.:/=+-@, 1 to 128 characters.
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u
// GitHub logins: letters, digits and single hyphens, at most 39 characters.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/
// IAM role names: letters, digits and _+=,.@-, at most 64 characters.
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
const TOPIC_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:sns:([a-z]{2}(-[a-z]+)+-\d{1,2}):(\d{12}):([A-Za-z0-9_-]{1,256})$/

/** `none` (any case) turns tag exemptions off: no ListUserTags call. */
const exemptTag: InputParser<string | null> = (raw) => {
  if (/^none$/i.test(raw)) return { value: null }
  return TAG_KEY.test(raw) ? { value: raw } : refuse(raw, 'use an IAM tag key (1 to 128 letters, digits, spaces or _.:/=+-@)')
}

/** `none` (any case) turns owner tags off: owners come from the owners file only. */
const ownerTag: InputParser<string | null> = (raw) => {
  if (/^none$/i.test(raw)) return { value: null }
  return TAG_KEY.test(raw) ? { value: raw } : refuse(raw, 'use an IAM tag key (1 to 128 letters, digits, spaces or _.:/=+-@), or none')
}

/** The topic's region is read from its ARN here, once: a topic in eu-west-1 is published to there. */
const snsTopic: InputParser<SnsTopic> = (raw) => {
  const match = TOPIC_ARN.exec(raw)
  if (match) return { value: { arn: raw, region: match[2] } }
  return refuse(
    raw,
    'use a standard SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:secops' +
      (raw.endsWith('.fifo') ? ' (FIFO topics are not supported)' : '')
  )
}

const accounts: InputParser<AccountsChoice> = (raw) => {
  if (raw === '') return { value: { kind: 'self' } }
  if (raw.toLowerCase() === 'organization') return { value: { kind: 'organization' } }
  const ids = [...new Set(splitList(raw))]
  // Only separators: a list of no account would scan nothing and pass.
  if (ids.length === 0) return { problem: `"${raw}" names no account; use account ids, organization, or leave it empty` }
  const bad = ids.filter((id) => !/^\d{12}$/.test(id))
  if (bad.length) {
    return { problem: `${quoted(bad)} is not accepted; use 12-digit AWS account ids separated by commas or new lines, or organization` }
  }
  return { value: { kind: 'list', ids } }
}

/** GitHub refuses a label over 50 characters; the first one is named. */
const labels: InputParser<string[]> = (raw) => {
  const items = splitList(raw)
  const tooLong = items.find((label) => label.length > 50)
  return tooLong === undefined ? { value: items } : refuse(tooLong, 'GitHub labels have at most 50 characters')
}

/** The table, in action.yml's order. */
export const INPUTS = {
  'max-key-age-days': {
    default: '90',
    parse: days,
    cli: { value: 'N', section: 'policy', help: ['an active key this many days old or older is stale (default {default})'] }
  },
  'warn-key-age-days': {
    default: '',
    parse: optional(days),
    cli: { value: 'N', section: 'policy', help: ['active keys from N days up to the max are expiring (default off)'] }
  },
  'max-unused-days': {
    default: '',
    parse: optional(days),
    cli: { value: 'N', section: 'policy', help: ['active keys not used for N days are unused (default off; CIS uses 45)'] }
  },
  'exempt-users': {
    default: '',
    parse: listOf(
      (p) => USER_GLOB.test(p) && p.length <= 64,
      'use IAM user names or globs (letters, digits and _+=,.@- with * ? and [abc]), separated by commas or new lines'
    ),
    cli: {
      value: 'LIST',
      section: 'policy',
      repeatable: true,
      help: ['user names or globs (svc-*), comma-separated or repeated;', 'their findings are listed, not counted']
    }
  },
  'exempt-tag': {
    default: 'key-sentry:exempt',
    parse: exemptTag,
    cli: {
      value: 'KEY',
      section: 'policy',
      help: ['IAM user tag whose value true, or a date YYYY-MM-DD, exempts', '(default {default}; none turns tag exemptions off)']
    }
  },
  'owner-tag': {
    default: 'owner',
    parse: ownerTag,
    cli: {
      value: 'KEY',
      section: 'aws',
      help: ['IAM user tag naming the owners of its keys: @login, @org/team,', 'e-mail addresses (default {default}; none turns it off)']
    }
  },
  'owners-file': {
    default: OWNERS_FILE,
    parse: text,
    cli: {
      value: 'FILE',
      section: 'policy',
      help: ['owners by user-name glob and account, last matching rule wins', '(default {default}; a missing default file is no rules)']
    }
  },
  'fail-on': {
    default: 'stale,root-key',
    parse: wordsOrNone(FINDING_KINDS, `use finding kinds separated by commas (${FINDING_KINDS.join(', ')}) or none`),
    cli: {
      value: 'KINDS',
      section: 'policy',
      repeatable: true,
      help: [`kinds that make the exit code 1: ${FINDING_KINDS.join(', ')},`, 'comma-separated, or none (default {default})']
    }
  },
  'data-source': {
    default: 'auto',
    parse: oneOf(DATA_SOURCES),
    cli: {
      value: 'SOURCE',
      section: 'aws',
      help: ['auto (credential report, listing if it fails), credential-report,', 'or api (default {default})']
    }
  },
  'sns-topic-arn': { default: '', parse: optional(snsTopic), cli: null },
  'notify-when': { default: 'findings', parse: oneOf(['findings', 'always', 'changes'] as const), cli: null },
  'security-hub': { default: 'false', parse: bool, cli: null },
  'mask-key-ids': {
    default: 'true',
    parse: bool,
    cli: { value: 'BOOL', section: 'policy', help: ['show key ids as AKIA…WXYZ (default {default}); --json has full ids'] }
  },
  'aws-region': {
    default: 'us-east-1',
    parse: matching(REGION, 'use an AWS region name such as us-east-1'),
    cli: { value: 'REGION', section: 'aws', help: ['region for STS (default {default}; IAM is global); also --region'] }
  },
  'role-to-assume': {
    default: '',
    parse: optional(matching(ROLE_ARN, 'use an IAM role ARN such as arn:aws:iam::123456789012:role/iam-key-sentry')),
    cli: null
  },
  'role-session-name': {
    default: 'iam-key-sentry',
    parse: matching(SESSION_NAME, 'use 2 to 64 letters, digits or the characters _+=,.@-'),
    cli: null
  },
  'role-duration-seconds': { default: '900', parse: wholeNumber(900, 43_200, 'seconds'), cli: null },
  audience: { default: 'sts.amazonaws.com', parse: text, cli: null },
  'create-issue': { default: 'false', parse: bool, cli: null },
  'previous-report': {
    default: '',
    parse: optional(text),
    cli: {
      value: 'FILE',
      section: 'policy',
      help: ["an earlier run's JSON report (--json, or the action's report-file):", 'the baseline for new, first seen and resolved; also --baseline']
    }
  },
  'github-token': { default: '', actionYmlDefault: '${{ github.token }}', parse: text, cli: null },
  'issue-labels': { default: 'security,iam-key-sentry', parse: labels, cli: null },
  'issue-assignees': {
    default: '',
    parse: listOf((login) => LOGIN.test(login), 'use GitHub logins separated by commas', (login) => login.replace(/^@/, '')),
    cli: null
  },
  'assign-owners': { default: 'false', parse: bool, cli: null },
  accounts: {
    default: '',
    parse: accounts,
    cli: {
      value: 'LIST',
      section: 'aws',
      repeatable: true,
      help: ["more accounts: 12-digit ids, or organization (default: the caller's own)"]
    }
  },
  'member-role-name': {
    default: 'IAMKeySentryAudit',
    parse: matching(ROLE_NAME, 'use an IAM role name (1 to 64 letters, digits or _+=,.@-)'),
    cli: { value: 'NAME', section: 'aws', help: ['role assumed in each listed account (default {default})'] }
  },
  'max-concurrency': {
    default: '8',
    parse: wholeNumber(1, 32),
    cli: { value: 'N', section: 'aws', help: ['accounts scanned at once, 1 to 32 (default {default})'] }
  },
  remediation: { default: 'off', parse: oneOf(['off', 'comment'] as const), cli: null },
  'remediation-approvers': {
    default: '',
    parse: listOf((login) => LOGIN.test(login), 'use GitHub logins separated by commas', (login) => login.replace(/^@/, '')),
    cli: null
  },
  'remediation-quiet-days': { default: '7', parse: wholeNumber(0, 365, 'days'), cli: null },
  'remediation-role-to-assume': {
    default: '',
    parse: optional(matching(ROLE_ARN, 'use an IAM role ARN such as arn:aws:iam::123456789012:role/iam-key-sentry-remediate')),
    cli: null
  },
  'member-remediation-role-name': {
    default: 'IAMKeySentryRemediate',
    parse: matching(ROLE_NAME, 'use an IAM role name (1 to 64 letters, digits or _+=,.@-)'),
    cli: null
  }
} as const satisfies Record<string, InputSpec<unknown>>

export type InputName = keyof typeof INPUTS
export type InputGetter = (name: InputName) => string
type ValueOf<P> = P extends InputParser<infer T> ? T : never
/** Each input's value, as its parser gives it. */
export type InputValues = { [K in InputName]: ValueOf<(typeof INPUTS)[K]['parse']> }

export const INPUT_NAMES = Object.keys(INPUTS) as InputName[]

/** The defaults of action.yml, also used where an input arrives empty (local runs, a CLI). */
export const INPUT_DEFAULTS = Object.fromEntries(INPUT_NAMES.map((name) => [name, INPUTS[name].default])) as Record<
  InputName,
  string
>

/** How the CLI offers an input; null: it does not. */
export function cliFlag(name: InputName): CliFlag | null {
  return (INPUTS[name] as InputSpec<unknown>).cli
}

/** One input, read and checked: whitespace only counts as empty, and empty takes the default. */
export function readInput<K extends InputName>(name: K, get: InputGetter): Parsed<InputValues[K]> {
  // TypeScript cannot pair INPUTS[name] with InputValues[name] for a generic name; InputValues is read from INPUTS.
  const spec = INPUTS[name] as InputSpec<InputValues[K]>
  return spec.parse(get(name).trim() || spec.default)
}

/** Every input, each checked on its own; every problem is kept, named by its input. */
export function readInputs(get: InputGetter): { values: Partial<InputValues>; errors: string[] } {
  const values: Partial<InputValues> = {}
  const errors: string[] = []
  for (const name of INPUT_NAMES) {
    const parsed = readInput(name, get)
    if ('problem' in parsed) errors.push(`${name}: ${parsed.problem}`)
    else Object.assign(values, { [name]: parsed.value })
  }
  return { values, errors }
}
