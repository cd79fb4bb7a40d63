import { describe, expect, it } from '@jest/globals'
import { parseInputs, type ParseResult } from '../../../src/action/inputs.js'
import { INPUT_DEFAULTS, type InputName } from '../../../src/action/input-spec.js'

const KINDS = 'root-key, stale, unused, setup-key, two-active-keys, expiring, inactive'

function parse(values: Partial<Record<InputName, string>> = {}): ParseResult {
  return parseInputs((name) => values[name] ?? '')
}

function errorsOf(values: Partial<Record<InputName, string>>): string[] {
  const result = parse(values)
  if (result.ok) throw new Error(`expected errors for ${JSON.stringify(values)}`)
  return result.errors
}

function optionsOf(values: Partial<Record<InputName, string>>) {
  const result = parse(values)
  if (!result.ok) throw new Error(`unexpected errors: ${result.errors.join('; ')}`)
  return result.options
}

describe('parseInputs: defaults', () => {
  it('uses the action.yml defaults when every input is empty', () => {
    expect(parse()).toEqual({
      ok: true,
      options: {
        policy: { maxKeyAgeDays: 90, warnKeyAgeDays: null, maxUnusedDays: null },
        exemptions: { userPatterns: [], tagKey: 'key-sentry:exempt' },
        failOn: ['stale', 'root-key'],
        dataSource: 'auto',
        snsTopic: null,
        notifyWhen: 'findings',
        securityHub: false,
        maskKeyIds: true,
        awsRegion: 'us-east-1',
        oidc: null,
        trackingIssue: null,
        previousReport: null,
        accounts: { kind: 'self' },
        memberRoleName: 'IAMKeySentryAudit',
        roleSessionName: 'iam-key-sentry',
        maxConcurrency: 8,
        owners: { tagKey: 'owner', file: { path: '.github/iam-key-owners.yml', explicit: false }, rules: [], notes: [], assign: false },
        remediation: { mode: 'off', approvers: [], quietDays: 7, oidc: null, memberRoleName: 'IAMKeySentryRemediate' }
      }
    })
  })

  it('treats whitespace-only inputs as empty', () => {
    const blank = Object.fromEntries(Object.keys(INPUT_DEFAULTS).map((k) => [k, '  \n ']))
    expect(parse(blank)).toEqual(parse())
  })

  it('has the documented default values', () => {
    expect(INPUT_DEFAULTS).toEqual({
      'max-key-age-days': '90',
      'warn-key-age-days': '',
      'max-unused-days': '',
      'exempt-users': '',
      'exempt-tag': 'key-sentry:exempt',
      'owner-tag': 'owner',
      'owners-file': '.github/iam-key-owners.yml',
      'fail-on': 'stale,root-key',
      'data-source': 'auto',
      'sns-topic-arn': '',
      'notify-when': 'findings',
      'security-hub': 'false',
      'mask-key-ids': 'true',
      'aws-region': 'us-east-1',
      'role-to-assume': '',
      'role-session-name': 'iam-key-sentry',
      'role-duration-seconds': '900',
      audience: 'sts.amazonaws.com',
      'create-issue': 'false',
      'previous-report': '',
      'github-token': '',
      'issue-labels': 'security,iam-key-sentry',
      'issue-assignees': '',
      'assign-owners': 'false',
      accounts: '',
      'member-role-name': 'IAMKeySentryAudit',
      'max-concurrency': '8',
      remediation: 'off',
      'remediation-approvers': '',
      'remediation-quiet-days': '7',
      'remediation-role-to-assume': '',
      'member-remediation-role-name': 'IAMKeySentryRemediate'
    })
  })
})

describe('parseInputs: accepted values', () => {
  it('reads every input', () => {
    expect(
      optionsOf({
        'max-key-age-days': ' 45 ',
        'fail-on': 'stale, unused\ninactive',
        'data-source': 'api',
        'sns-topic-arn': 'arn:aws:sns:eu-west-1:123456789012:secops',
        'notify-when': 'always',
        'security-hub': 'true',
        'mask-key-ids': 'false',
        'aws-region': 'eu-central-1',
        'role-to-assume': 'arn:aws:iam::123456789012:role/ci/iam-key-sentry',
        'role-session-name': 'nightly-scan',
        'role-duration-seconds': '3600',
        audience: 'sts.example.com'
      })
    ).toMatchObject({
      policy: { maxKeyAgeDays: 45, warnKeyAgeDays: null, maxUnusedDays: null },
      failOn: ['stale', 'unused', 'inactive'],
      dataSource: 'api',
      snsTopic: { arn: 'arn:aws:sns:eu-west-1:123456789012:secops', region: 'eu-west-1' },
      notifyWhen: 'always',
      securityHub: true,
      maskKeyIds: false,
      awsRegion: 'eu-central-1',
      oidc: {
        roleArn: 'arn:aws:iam::123456789012:role/ci/iam-key-sentry',
        audience: 'sts.example.com',
        sessionName: 'nightly-scan',
        durationSeconds: 3600
      }
    })
  })

  it('accepts 1 and 36500 days', () => {
    expect(optionsOf({ 'max-key-age-days': '1' }).policy.maxKeyAgeDays).toBe(1)
    expect(optionsOf({ 'max-key-age-days': '36500' }).policy.maxKeyAgeDays).toBe(36_500)
  })

  it('accepts the new kinds in fail-on; the default stays stale,root-key', () => {
    expect(optionsOf({ 'fail-on': 'setup-key, two-active-keys,root-key' }).failOn).toEqual(['setup-key', 'two-active-keys', 'root-key'])
    expect(optionsOf({}).failOn).toEqual(['stale', 'root-key'])
  })

  it('accepts fail-on none as no kinds', () => {
    expect(optionsOf({ 'fail-on': 'none' }).failOn).toEqual([])
    expect(optionsOf({ 'fail-on': ' none ' }).failOn).toEqual([])
  })

  it('accepts every data source', () => {
    expect(optionsOf({ 'data-source': 'auto' }).dataSource).toBe('auto')
    expect(optionsOf({ 'data-source': 'credential-report' }).dataSource).toBe('credential-report')
    expect(optionsOf({ 'data-source': 'api' }).dataSource).toBe('api')
  })

  it('accepts findings, always and changes for notify-when', () => {
    expect(optionsOf({ 'notify-when': 'findings' }).notifyWhen).toBe('findings')
    expect(optionsOf({ 'notify-when': 'always' }).notifyWhen).toBe('always')
    expect(optionsOf({ 'notify-when': 'changes' }).notifyWhen).toBe('changes')
  })

  it('reads previous-report as a path, trimmed', () => {
    expect(optionsOf({ 'previous-report': ' reports/last.json \n' }).previousReport).toBe('reports/last.json')
  })

  it('accepts true and false in any case for mask-key-ids', () => {
    expect(optionsOf({ 'mask-key-ids': 'TRUE' }).maskKeyIds).toBe(true)
    expect(optionsOf({ 'mask-key-ids': 'False' }).maskKeyIds).toBe(false)
  })

  it('accepts SNS topic ARNs of other partitions, with the region the ARN names', () => {
    expect(optionsOf({ 'sns-topic-arn': 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:sec_ops-1' }).snsTopic).toEqual({
      arn: 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:sec_ops-1',
      region: 'us-gov-west-1'
    })
    expect(optionsOf({ 'sns-topic-arn': 'arn:aws-cn:sns:cn-north-1:123456789012:alerts' }).snsTopic).toEqual({
      arn: 'arn:aws-cn:sns:cn-north-1:123456789012:alerts',
      region: 'cn-north-1'
    })
  })

  it('assumes a role with the default session name, duration and audience when only role-to-assume is set', () => {
    expect(optionsOf({ 'role-to-assume': 'arn:aws:iam::123456789012:role/iam-key-sentry' }).oidc).toEqual({
      roleArn: 'arn:aws:iam::123456789012:role/iam-key-sentry',
      audience: 'sts.amazonaws.com',
      sessionName: 'iam-key-sentry',
      durationSeconds: 900
    })
  })

  it('accepts role durations from 900 to 43200 seconds', () => {
    const role = 'arn:aws:iam::123456789012:role/r'
    expect(optionsOf({ 'role-to-assume': role, 'role-duration-seconds': '900' }).oidc?.durationSeconds).toBe(900)
    expect(optionsOf({ 'role-to-assume': role, 'role-duration-seconds': '43200' }).oidc?.durationSeconds).toBe(43_200)
  })

  it('accepts region names of other partitions', () => {
    for (const region of ['us-gov-west-1', 'cn-northwest-1', 'ap-southeast-5', 'il-central-1']) {
      expect(optionsOf({ 'aws-region': region }).awsRegion).toBe(region)
    }
  })
})

describe('parseInputs: rejected values name the input and what is accepted', () => {
  it.each(['abc', '0', '-5', '1.5', '36501', '9e1', '0x5a'])('max-key-age-days "%s"', (value) => {
    expect(errorsOf({ 'max-key-age-days': value })).toEqual([
      `max-key-age-days: "${value}" is not accepted; use a positive whole number of days (for example 90)`
    ])
  })

  it.each([
    'secops',
    'arn:aws:sns:us-east-1:12345678901:secops',
    'arn:aws:sqs:us-east-1:123456789012:secops',
    'arn:aws:sns:useast1:123456789012:secops',
    'arn:aws:sns:us-east-1:123456789012:',
    'arn:aws:sns:us-east-1:123456789012:sec ops'
  ])('sns-topic-arn "%s"', (value) => {
    expect(errorsOf({ 'sns-topic-arn': value })).toEqual([
      `sns-topic-arn: "${value}" is not accepted; use a standard SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:secops`
    ])
  })

  it('rejects a FIFO topic and says FIFO topics are not supported', () => {
    expect(errorsOf({ 'sns-topic-arn': 'arn:aws:sns:us-east-1:123456789012:alerts.fifo' })).toEqual([
      'sns-topic-arn: "arn:aws:sns:us-east-1:123456789012:alerts.fifo" is not accepted; use a standard SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:secops (FIFO topics are not supported)'
    ])
  })

  it('rejects unknown fail-on kinds, naming each', () => {
    expect(errorsOf({ 'fail-on': 'stale,bogus, STALE' })).toEqual([
      `fail-on: "bogus", "STALE" is not accepted; use finding kinds separated by commas (${KINDS}) or none`
    ])
  })

  it('rejects none mixed with kinds', () => {
    expect(errorsOf({ 'fail-on': 'none,stale' })).toEqual([
      `fail-on: "none" is not accepted; use finding kinds separated by commas (${KINDS}) or none`
    ])
  })

  it('rejects a fail-on list with no kinds in it', () => {
    expect(errorsOf({ 'fail-on': ' , ' })).toEqual([
      `fail-on: empty is not accepted; use finding kinds separated by commas (${KINDS}) or none`
    ])
  })

  it('rejects an unknown data-source', () => {
    expect(errorsOf({ 'data-source': 'cloudtrail' })).toEqual([
      'data-source: "cloudtrail" is not accepted; use one of auto, credential-report, api'
    ])
    expect(errorsOf({ 'data-source': 'API' })).toEqual([
      'data-source: "API" is not accepted; use one of auto, credential-report, api'
    ])
  })

  it('rejects an unknown notify-when', () => {
    expect(errorsOf({ 'notify-when': 'never' })).toEqual([
      'notify-when: "never" is not accepted; use one of findings, always, changes'
    ])
  })

  it.each(['yes', '1', 'no', 'on'])('mask-key-ids "%s"', (value) => {
    expect(errorsOf({ 'mask-key-ids': value })).toEqual([`mask-key-ids: "${value}" is not accepted; use true or false`])
  })

  it.each(['US-EAST-1', 'useast1', 'us-east', 'us_east_1', 'global'])('aws-region "%s"', (value) => {
    expect(errorsOf({ 'aws-region': value })).toEqual([
      `aws-region: "${value}" is not accepted; use an AWS region name such as us-east-1`
    ])
  })

  it.each([
    'iam-key-sentry',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:iam::12345678901:role/r',
    'arn:aws:sts::123456789012:assumed-role/r/s'
  ])('role-to-assume "%s"', (value) => {
    expect(errorsOf({ 'role-to-assume': value })).toEqual([
      `role-to-assume: "${value}" is not accepted; use an IAM role ARN such as arn:aws:iam::123456789012:role/iam-key-sentry`
    ])
  })

  it.each(['a', 'has space', 'x'.repeat(65), 'slash/name'])('role-session-name "%s"', (value) => {
    expect(errorsOf({ 'role-session-name': value })).toEqual([
      `role-session-name: "${value}" is not accepted; use 2 to 64 letters, digits or the characters _+=,.@-`
    ])
  })

  it.each(['899', '43201', '1h', '900.5', '-900'])('role-duration-seconds "%s"', (value) => {
    expect(errorsOf({ 'role-duration-seconds': value })).toEqual([
      `role-duration-seconds: "${value}" is not accepted; use a whole number of seconds from 900 to 43200`
    ])
  })

  it('lists every bad input at once, each naming its input and its value', () => {
    const bad: [InputName, string][] = [
      ['max-key-age-days', '1.5'],
      ['warn-key-age-days', 'abc'],
      ['max-unused-days', '-5'],
      ['exempt-users', 'no spaces allowed'],
      ['exempt-tag', 'bad*tag'],
      ['fail-on', 'stale,sometimes'],
      ['data-source', 'magic'],
      ['sns-topic-arn', 'arn:aws:sns:us-east-1:123456789012:alerts.fifo'],
      ['notify-when', 'never'],
      ['mask-key-ids', 'maybe'],
      ['aws-region', 'mars-1'],
      ['role-to-assume', 'my-role'],
      ['role-session-name', 'a b'],
      ['role-duration-seconds', '60'],
      ['create-issue', 'perhaps'],
      ['issue-assignees', 'not a login'],
      ['issue-labels', 'x'.repeat(51)]
    ]
    const errors = errorsOf(Object.fromEntries(bad))
    expect(errors).toHaveLength(bad.length)
    for (const [name, value] of bad) {
      const shown = name === 'fail-on' ? 'sometimes' : value
      const matching = errors.filter((e) => e.startsWith(`${name}: `) && e.includes(`"${shown}"`))
      expect(matching).toHaveLength(1)
    }
    expect(errors.find((e) => e.startsWith('sns-topic-arn:'))).toContain('(FIFO topics are not supported)')
  })
})

describe('parseInputs: policy thresholds', () => {
  it('turns warn-key-age-days and max-unused-days on when set', () => {
    expect(optionsOf({ 'warn-key-age-days': '60', 'max-unused-days': '45' }).policy).toEqual({
      maxKeyAgeDays: 90,
      warnKeyAgeDays: 60,
      maxUnusedDays: 45
    })
  })

  it('accepts warn-key-age-days one below max-key-age-days and rejects it at or above', () => {
    expect(optionsOf({ 'max-key-age-days': '30', 'warn-key-age-days': '29' }).policy.warnKeyAgeDays).toBe(29)
    expect(errorsOf({ 'max-key-age-days': '30', 'warn-key-age-days': '30' })).toEqual([
      'warn-key-age-days: 30 is not accepted; it must be below max-key-age-days (30), or empty to turn the warning off'
    ])
    expect(errorsOf({ 'warn-key-age-days': '120' })).toEqual([
      'warn-key-age-days: 120 is not accepted; it must be below max-key-age-days (90), or empty to turn the warning off'
    ])
  })

  it.each(['warn-key-age-days', 'max-unused-days'] as const)('%s rejects what is not a positive whole number', (name) => {
    expect(errorsOf({ [name]: '0' })).toEqual([
      `${name}: "0" is not accepted; use a positive whole number of days (for example 90)`
    ])
    expect(errorsOf({ [name]: 'soon' })).toEqual([
      `${name}: "soon" is not accepted; use a positive whole number of days (for example 90)`
    ])
  })

  it('reports a bad max-key-age-days once, not again through warn-key-age-days', () => {
    expect(errorsOf({ 'max-key-age-days': 'x', 'warn-key-age-days': '60' })).toEqual([
      'max-key-age-days: "x" is not accepted; use a positive whole number of days (for example 90)'
    ])
  })
})

describe('parseInputs: exemptions', () => {
  it('reads user names and globs separated by commas or new lines, and the tag key', () => {
    expect(optionsOf({ 'exempt-users': 'svc-*, break-glass\nci-[ab]?\n', 'exempt-tag': 'security:exempt' }).exemptions).toEqual({
      userPatterns: ['svc-*', 'break-glass', 'ci-[ab]?'],
      tagKey: 'security:exempt'
    })
  })

  it('rejects what cannot be an IAM user name or glob, naming each', () => {
    expect(errorsOf({ 'exempt-users': 'ok, has space, bad/slash' })).toEqual([
      'exempt-users: "has space", "bad/slash" is not accepted; use IAM user names or globs (letters, digits and _+=,.@- with * ? and [abc]), separated by commas or new lines'
    ])
    expect(errorsOf({ 'exempt-users': 'x'.repeat(65) })[0]).toMatch(/^exempt-users: "x{65}" is not accepted;/)
  })

  it('turns tag exemptions off with none (any case), and keeps the default when empty', () => {
    expect(optionsOf({ 'exempt-tag': 'none' }).exemptions.tagKey).toBeNull()
    expect(optionsOf({ 'exempt-tag': ' None ' }).exemptions.tagKey).toBeNull()
    expect(optionsOf({ 'exempt-tag': '' }).exemptions.tagKey).toBe('key-sentry:exempt')
  })

  it('rejects a tag key IAM would not accept', () => {
    expect(errorsOf({ 'exempt-tag': 'bad*key' })).toEqual([
      'exempt-tag: "bad*key" is not accepted; use an IAM tag key (1 to 128 letters, digits, spaces or _.:/=+-@)'
    ])
    expect(errorsOf({ 'exempt-tag': 'k'.repeat(129) })[0]).toMatch(/^exempt-tag: /)
  })
})

describe('parseInputs: accounts', () => {
  it('reads organization, and a list of ids without repeats', () => {
    expect(optionsOf({ accounts: 'Organization' }).accounts).toEqual({ kind: 'organization' })
    expect(optionsOf({ accounts: '111122223333,\n444455556666, 111122223333' }).accounts).toEqual({
      kind: 'list',
      ids: ['111122223333', '444455556666']
    })
  })

  // A list of no account would scan nothing and pass.
  it('rejects a value of separators only', () => {
    expect(errorsOf({ accounts: ', ,' })).toEqual([
      'accounts: ", ," names no account; use account ids, organization, or leave it empty'
    ])
  })
})

// GITHUB_REPOSITORY is the runner's, not an input: the action adapter checks it (main.test.ts).
describe('parseInputs: tracking issue', () => {
  it('is off by default, whatever the other issue inputs say', () => {
    expect(optionsOf({ 'issue-assignees': 'octocat' }).trackingIssue).toBeNull()
  })

  it('reads the token, the labels (default security,iam-key-sentry) and the assignees without @', () => {
    expect(optionsOf({ 'create-issue': 'true', 'github-token': 'ghs_token' }).trackingIssue).toEqual({
      token: 'ghs_token',
      labels: ['security', 'iam-key-sentry'],
      assignees: []
    })
    expect(
      optionsOf({ 'create-issue': 'TRUE', 'github-token': 'ghs_token', 'issue-labels': 'sec, iam\naudit', 'issue-assignees': '@octo-cat, hubot' })
        .trackingIssue
    ).toEqual({ token: 'ghs_token', labels: ['sec', 'iam', 'audit'], assignees: ['octo-cat', 'hubot'] })
  })

  it('rejects create-issue values other than true or false', () => {
    expect(errorsOf({ 'create-issue': 'yes', 'github-token': 't' })).toEqual([
      'create-issue: "yes" is not accepted; use true or false'
    ])
  })

  it('needs a token when create-issue is true', () => {
    expect(errorsOf({ 'create-issue': 'true' })).toEqual([
      'github-token: empty, and create-issue is true; pass a token with issues: write (the default is ${{ github.token }})'
    ])
  })

  it('rejects assignees that are not GitHub logins, naming each', () => {
    expect(errorsOf({ 'issue-assignees': 'ok-user, bad--login, -lead, has space, ' + 'a'.repeat(40) })).toEqual([
      `issue-assignees: "bad--login", "-lead", "has space", "${'a'.repeat(40)}" is not accepted; use GitHub logins separated by commas`
    ])
  })

  it('rejects labels over 50 characters', () => {
    const long = 'l'.repeat(51)
    expect(errorsOf({ 'issue-labels': `security, ${long}` })).toEqual([
      `issue-labels: "${long}" is not accepted; GitHub labels have at most 50 characters`
    ])
    expect(optionsOf({ 'create-issue': 'true', 'github-token': 't', 'issue-labels': 'l'.repeat(50) }).trackingIssue?.labels).toEqual([
      'l'.repeat(50)
    ])
  })
})

describe('owner-tag and owners-file', () => {
  it('takes none to turn the owner tag off, and refuses a key IAM cannot have', () => {
    expect(parse({ 'owner-tag': 'NONE' })).toMatchObject({ ok: true, options: { owners: { tagKey: null } } })
    expect(parse({ 'owner-tag': 'team<owner>' })).toEqual({
      ok: false,
      errors: ['owner-tag: "team<owner>" is not accepted; use an IAM tag key (1 to 128 letters, digits, spaces or _.:/=+-@), or none']
    })
  })

  it('tells a named owners file from the default, which may be missing', () => {
    expect(parse({ 'owners-file': 'ops/owners.yml' })).toMatchObject({ ok: true, options: { owners: { file: { path: 'ops/owners.yml', explicit: true } } } })
    expect(parse({ 'owners-file': '.github/iam-key-owners.yml' })).toMatchObject({ ok: true, options: { owners: { file: { explicit: false } } } })
  })
})

describe('remediation inputs', () => {
  it('takes the write role from remediation-role-to-assume, else role-to-assume, with the OIDC settings', () => {
    const scan = 'arn:aws:iam::123456789012:role/scan'
    const write = 'arn:aws:iam::123456789012:role/remediate'
    const both = parse({ 'role-to-assume': scan, 'remediation-role-to-assume': write, remediation: 'comment', 'create-issue': 'true', 'github-token': 't' })
    expect(both).toMatchObject({ ok: true, options: { oidc: { roleArn: scan }, remediation: { mode: 'comment', oidc: { roleArn: write, audience: 'sts.amazonaws.com' } } } })
    expect(parse({ 'role-to-assume': scan })).toMatchObject({ ok: true, options: { remediation: { oidc: { roleArn: scan } } } })
  })

  it('needs create-issue for remediation: comment, and refuses bad approvers and quiet days, all at once', () => {
    expect(parse({ remediation: 'comment', 'remediation-approvers': 'ok-one, not ok', 'remediation-quiet-days': '-1' })).toEqual({
      ok: false,
      errors: [
        expect.stringMatching(/^remediation-approvers: "not ok" is not accepted/),
        expect.stringMatching(/^remediation-quiet-days: "-1" is not accepted/),
        'remediation: comment needs create-issue: true; the commands come from the tracking issue, which the action then rewrites'
      ]
    })
    expect(parse({ remediation: 'yes' })).toEqual({ ok: false, errors: [expect.stringMatching(/^remediation: "yes" is not accepted/)] })
  })
})
