import { describe, expect, it } from '@jest/globals'
import { INPUT_FLAGS, parseCommandLine, type Command, type ScanCommand } from '../../../src/cli/args.js'
import { HELP } from '../../../src/cli/help.js'
import { INPUT_DEFAULTS } from '../../../src/action/input-spec.js'

function scan(argv: string[]): ScanCommand {
  const command = parseCommandLine(argv)
  if (command.kind !== 'scan') throw new Error(`expected a scan, got ${JSON.stringify(command)}`)
  return command
}

function errors(argv: string[]): string[] {
  const command: Command = parseCommandLine(argv)
  if (command.kind !== 'usage-error') throw new Error(`expected a usage error, got ${command.kind}`)
  return command.errors
}

describe('parseCommandLine', () => {
  it('gives the action defaults for a bare scan', () => {
    const command = scan(['scan'])
    expect(command).toMatchObject({ profile: null, credentialReport: null, json: false })
    expect(command.options.previousReport).toBeNull()
    expect(command.options).toMatchObject({
      policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null },
      exemptions: { userPatterns: [], tagKey: 'key-sentry:exempt' },
      failOn: ['stale', 'root-key'],
      dataSource: 'auto',
      maskKeyIds: true,
      awsRegion: 'us-east-1',
      accounts: { kind: 'self' },
      oidc: null,
      trackingIssue: null,
      snsTopic: null
    })
  })

  it('reads every flag under the action input name', () => {
    const command = scan([
      'scan',
      '--max-key-age-days', '60',
      '--warn-key-age-days=45',
      '--max-unused-days', '30',
      '--exempt-users', 'svc-*,ci-bot',
      '--exempt-tag', 'team:exempt',
      '--fail-on', 'stale,unused',
      '--data-source', 'api',
      '--mask-key-ids', 'false',
      '--aws-region', 'eu-west-1',
      '--accounts', '111122223333,444455556666',
      '--member-role-name', 'Audit',
      '--max-concurrency', '4',
      '--previous-report', 'yesterday.json',
      '--profile', 'audit',
      '--json'
    ])
    expect(command.options).toMatchObject({
      policy: { maxKeyAgeDays: 60, warnKeyAgeDays: 45, maxUnusedDays: 30 },
      exemptions: { userPatterns: ['svc-*', 'ci-bot'], tagKey: 'team:exempt' },
      failOn: ['stale', 'unused'],
      dataSource: 'api',
      maskKeyIds: false,
      awsRegion: 'eu-west-1',
      accounts: { kind: 'list', ids: ['111122223333', '444455556666'] },
      memberRoleName: 'Audit',
      maxConcurrency: 4,
      previousReport: 'yesterday.json'
    })
    expect(command).toMatchObject({ profile: 'audit', json: true, baselineFlag: '--previous-report' })
  })

  it('joins repeated list flags and takes --region for --aws-region', () => {
    const command = scan(['scan', '--exempt-users', 'svc-*', '--exempt-users', 'ci-bot', '--region', 'ap-southeast-2'])
    expect(command.options.exemptions.userPatterns).toEqual(['svc-*', 'ci-bot'])
    expect(command.options.awsRegion).toBe('ap-southeast-2')
  })

  it('takes --baseline for --previous-report, and names the flag given', () => {
    const command = scan(['scan', '--baseline', 'yesterday.json'])
    expect(command.options.previousReport).toBe('yesterday.json')
    expect(command.baselineFlag).toBe('--baseline')
    // The same value twice is the same flag given twice: accepted.
    expect(scan(['scan', '--baseline', 'a.json', '--previous-report', 'a.json']).options.previousReport).toBe('a.json')
    expect(scan(['scan', '--previous-report', 'a.json']).baselineFlag).toBe('--previous-report')
  })

  it('refuses --baseline and --previous-report with different values, as --region and --aws-region', () => {
    expect(errors(['scan', '--baseline', 'a.json', '--previous-report', 'b.json'])).toEqual([
      '--baseline and --previous-report are the same flag; give one'
    ])
    expect(errors(['scan', '--region', 'eu-west-1', '--aws-region', 'us-east-1', '--baseline', 'a.json', '--previous-report', 'b.json'])).toEqual([
      '--region and --aws-region are the same flag; give one',
      '--baseline and --previous-report are the same flag; give one'
    ])
  })

  it('takes a baseline with --credential-report: comparing needs no AWS call', () => {
    const command = scan(['scan', '--credential-report', 'report.csv', '--baseline', 'yesterday.json'])
    expect(command).toMatchObject({ credentialReport: 'report.csv', options: { previousReport: 'yesterday.json' } })
  })

  it('takes a credential report file, or - for standard input', () => {
    expect(scan(['scan', '--credential-report', 'report.csv']).credentialReport).toBe('report.csv')
    expect(scan(['scan', '--credential-report', '-']).credentialReport).toBe('-')
  })

  it('answers --help, with or without the command', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' })
    expect(parseCommandLine(['scan', '-h'])).toEqual({ kind: 'help' })
  })

  it('refuses bad values with the action input messages, as flags, all at once', () => {
    expect(errors(['scan', '--max-key-age-days', 'ninety', '--fail-on', 'stale,old', '--mask-key-ids', 'yes'])).toEqual([
      '--max-key-age-days: "ninety" is not accepted; use a positive whole number of days (for example 90)',
      '--fail-on: "old" is not accepted; use finding kinds separated by commas (root-key, stale, unused, setup-key, two-active-keys, expiring, inactive) or none',
      '--mask-key-ids: "yes" is not accepted; use true or false'
    ])
    expect(errors(['scan', '--max-key-age-days', '90', '--warn-key-age-days', '90'])).toEqual([
      '--warn-key-age-days: 90 is not accepted; it must be below max-key-age-days (90), or empty to turn the warning off'
    ])
    expect(errors(['scan', '--aws-region', 'europe'])).toEqual([
      '--aws-region: "europe" is not accepted; use an AWS region name such as us-east-1'
    ])
  })

  it('refuses unknown flags, missing values, a missing or unknown command', () => {
    expect(errors(['scan', '--max-age', '90'])[0]).toMatch(/Unknown option '--max-age'/)
    expect(errors(['scan', '--max-key-age-days'])[0]).toMatch(/--max-key-age-days/)
    expect(errors(['scan', '--json=yes'])[0]).toMatch(/--json/)
    expect(errors([])).toEqual(['no command given; use: iam-key-sentry scan [flags]'])
    expect(errors(['audit'])).toEqual(['unknown command "audit"; the command is scan'])
    expect(errors(['scan', 'now'])).toEqual(['unexpected argument "now"; flags start with --'])
  })

  it('does not offer the action inputs that only make sense on a runner', () => {
    for (const flag of ['--create-issue', '--github-token', '--sns-topic-arn', '--role-to-assume']) {
      expect(errors(['scan', flag, 'x'])[0]).toMatch(/Unknown option/)
    }
  })

  it('refuses AWS flags with --credential-report, which makes no AWS call', () => {
    expect(errors(['scan', '--credential-report', 'r.csv', '--profile', 'p', '--region', 'eu-west-1', '--accounts', 'organization'])).toEqual([
      '--profile is not used with --credential-report, which makes no AWS call',
      '--aws-region is not used with --credential-report, which makes no AWS call',
      '--accounts is not used with --credential-report, which makes no AWS call'
    ])
    expect(errors(['scan', '--region', 'eu-west-1', '--aws-region', 'us-east-1'])).toEqual([
      '--region and --aws-region are the same flag; give one'
    ])
  })
})

describe('HELP', () => {
  it('describes every flag', () => {
    for (const flag of [...INPUT_FLAGS, 'region', 'baseline', 'profile', 'credential-report', 'json', 'help']) {
      expect(HELP).toContain(`--${flag}`)
    }
  })

  it('mentions each alias once, on the line of the flag it stands for', () => {
    for (const [alias, flag] of [['--region', '--aws-region'], ['--baseline', '--previous-report']]) {
      expect(HELP.split(new RegExp(`${alias}\\b`)).length - 1).toBe(1)
      const block = HELP.split(/\n(?= {2}-)/).find((b) => b.startsWith(`  ${flag} `))
      expect(block).toContain(`also ${alias}`)
    }
  })

  it("shows each input flag's default, from the inputs table", () => {
    const blocks = HELP.split(/\n(?= {2}-)/)
    for (const flag of INPUT_FLAGS.filter((name) => INPUT_DEFAULTS[name] !== '')) {
      const block = blocks.find((b) => b.startsWith(`  --${flag} `))
      expect(block).toContain(`default ${INPUT_DEFAULTS[flag]}`)
    }
    expect(HELP).not.toContain('{default}')
  })
})
