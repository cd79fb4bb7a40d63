// The --help text. The flags that are the action's inputs, their lines and their defaults come from
// the inputs table (src/action/input-spec.ts); the CLI's own flags are written here.
import { cliFlag, INPUT_DEFAULTS, INPUT_NAMES, type CliFlag } from '../action/input-spec.js'

/** The flag column: `  --max-key-age-days N     text`. */
const FLAG_WIDTH = 25

function flagLines(flag: string, help: readonly string[]): string {
  const head = flag.length < FLAG_WIDTH ? flag.padEnd(FLAG_WIDTH) : `${flag} `
  return help.map((line, i) => `  ${i === 0 ? head : ' '.repeat(FLAG_WIDTH)}${line}\n`).join('')
}

/** The table's flags of one section, in the table's order, with their defaults filled in. */
function inputFlags(section: CliFlag['section']): string {
  return INPUT_NAMES.flatMap((name) => {
    const cli = cliFlag(name)
    if (cli?.section !== section) return []
    return [flagLines(`--${name} ${cli.value}`, cli.help.map((line) => line.replaceAll('{default}', INPUT_DEFAULTS[name])))]
  }).join('')
}

export const HELP = `Usage: iam-key-sentry scan [flags]

Find stale, unused and dangerous AWS IAM access keys, with the same policy as the
IAM Key Sentry GitHub Action. Reads AWS with the default credential chain (environment,
--profile, SSO, instance role), or a credential report file with no AWS access at all.

Policy (the action's inputs):
${inputFlags('policy')}
AWS:
${flagLines('--profile NAME', ['AWS profile to use (sets AWS_PROFILE)'])}${inputFlags('aws')}
Offline:
${flagLines('--credential-report FILE', [
  'analyse a saved credential report, with no AWS call: the CSV, or the',
  'JSON printed by `aws iam get-credential-report` (- reads standard input).',
  'Key ids and user tags are not in the report: ids show as (not in report),',
  'and only --exempt-users exempts.'
])}
Output:
${flagLines('--json', ['print the JSON report (the action\'s report file) to standard output'])}${flagLines('-h, --help', ['this text'])}
Progress goes to standard error. Colour only on a terminal, and not when NO_COLOR is set.
The action's SNS, tracking-issue and OIDC inputs are not offered: the CLI only reads.

Exit codes: 0 no findings of the --fail-on kinds; 1 findings of those kinds;
            2 bad flags, or a scan that did not complete.

Examples:
  iam-key-sentry scan --profile audit --max-unused-days 45
  aws iam generate-credential-report            # again until "State": "COMPLETE"
  aws iam get-credential-report > report.json
  iam-key-sentry scan --credential-report report.json --exempt-users 'svc-*'
`
