// Every input parsed and validated at once, before any AWS call; each problem names its input.
import type { AccountsChoice } from '../aws/accounts.js'
import type { OidcOptions } from '../aws/oidc.js'
import type { ExemptionRules } from '../core/exemptions.js'
import { DATA_SOURCES, FINDING_KINDS, type DataSourceChoice, type FindingKind, type Policy } from '../core/model.js'

export interface ActionOptions {
  policy: Policy
  exemptions: ExemptionRules
  failOn: FindingKind[]
  dataSource: DataSourceChoice
  snsTopicArn: string | null
  notifyWhen: 'findings' | 'always'
  maskKeyIds: boolean
  awsRegion: string
  /** Null: the default AWS credential chain. */
  oidc: OidcOptions | null
  /** Null: create-issue is off. */
  trackingIssue: TrackingIssueOptions | null
  accounts: AccountsChoice
  memberRoleName: string
  /** For the OIDC session and the member-account sessions alike. */
  roleSessionName: string
  /** Accounts scanned at once. */
  maxConcurrency: number
}

export interface TrackingIssueOptions {
  token: string
  labels: string[]
  assignees: string[]
}

/** The defaults of action.yml, also used where an input arrives empty (local runs, a CLI). */
export const INPUT_DEFAULTS = {
  'max-key-age-days': '90',
  'warn-key-age-days': '',
  'max-unused-days': '',
  'exempt-users': '',
  'exempt-tag': 'key-sentry:exempt',
  'fail-on': 'stale,root-key',
  'data-source': 'auto',
  'sns-topic-arn': '',
  'notify-when': 'findings',
  'mask-key-ids': 'true',
  'aws-region': 'us-east-1',
  'role-to-assume': '',
  'role-session-name': 'iam-key-sentry',
  'role-duration-seconds': '900',
  audience: 'sts.amazonaws.com',
  'create-issue': 'false',
  'github-token': '',
  'issue-labels': 'security,iam-key-sentry',
  'issue-assignees': '',
  accounts: '',
  'member-role-name': 'IAMKeySentryAudit',
  'max-concurrency': '8'
} as const

export type InputName = keyof typeof INPUT_DEFAULTS
export type InputGetter = (name: InputName) => string

export type ParseResult = { ok: true; options: ActionOptions } | { ok: false; errors: string[] }

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

export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

export function parseInputs(get: InputGetter): ParseResult {
  const errors: string[] = []
  const read = (name: InputName) => get(name).trim() || INPUT_DEFAULTS[name]

  const days = (name: InputName): number => {
    const raw = read(name)
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 36_500) {
      errors.push(`${name}: "${raw}" is not accepted; use a positive whole number of days (for example 90)`)
      return NaN
    }
    return Number(raw)
  }

  const oneOf = <T extends string>(name: InputName, allowed: readonly T[]): T => {
    const raw = read(name)
    if (!(allowed as readonly string[]).includes(raw)) {
      errors.push(`${name}: "${raw}" is not accepted; use one of ${allowed.join(', ')}`)
    }
    return raw as T
  }

  const bool = (name: InputName): boolean => {
    const raw = read(name)
    if (/^true$/i.test(raw)) return true
    if (/^false$/i.test(raw)) return false
    errors.push(`${name}: "${raw}" is not accepted; use true or false`)
    return false
  }

  const maxKeyAgeDays = days('max-key-age-days')
  // Optional thresholds: empty turns the rule off.
  const optionalDays = (name: InputName): number | null => (get(name).trim() ? days(name) : null)
  const warnKeyAgeDays = optionalDays('warn-key-age-days')
  if (warnKeyAgeDays !== null && !Number.isNaN(warnKeyAgeDays) && warnKeyAgeDays >= maxKeyAgeDays) {
    errors.push(
      `warn-key-age-days: ${warnKeyAgeDays} is not accepted; it must be below max-key-age-days (${maxKeyAgeDays}), or empty to turn the warning off`
    )
  }
  const maxUnusedDays = optionalDays('max-unused-days')

  const userPatterns = splitList(get('exempt-users'))
  const badGlobs = userPatterns.filter((p) => !USER_GLOB.test(p) || p.length > 64)
  if (badGlobs.length) {
    errors.push(
      `exempt-users: ${badGlobs.map((p) => `"${p}"`).join(', ')} is not accepted; use IAM user names or globs ` +
        `(letters, digits and _+=,.@- with * ? and [abc]), separated by commas or new lines`
    )
  }
  // Empty keeps the default tag; `none` turns tag exemptions off (no ListUserTags call).
  const tagRaw = read('exempt-tag')
  const tagKey = /^none$/i.test(tagRaw) ? null : tagRaw
  if (tagKey && !TAG_KEY.test(tagKey)) {
    errors.push(`exempt-tag: "${tagKey}" is not accepted; use an IAM tag key (1 to 128 letters, digits, spaces or _.:/=+-@)`)
  }

  const failOnRaw = read('fail-on')
  const failOnItems = splitList(failOnRaw)
  let failOn: FindingKind[] = []
  if (failOnItems.length === 1 && failOnItems[0] === 'none') failOn = []
  else {
    const unknown = failOnItems.filter((k) => !(FINDING_KINDS as readonly string[]).includes(k))
    if (unknown.length || failOnItems.length === 0) {
      errors.push(
        `fail-on: ${unknown.map((k) => `"${k}"`).join(', ') || 'empty'} is not accepted; use finding kinds separated by commas (${FINDING_KINDS.join(', ')}) or none`
      )
    }
    failOn = failOnItems.filter((k): k is FindingKind => (FINDING_KINDS as readonly string[]).includes(k))
  }

  const dataSource = oneOf('data-source', DATA_SOURCES)

  const topic = get('sns-topic-arn').trim()
  if (topic && !TOPIC_ARN.test(topic)) {
    errors.push(
      `sns-topic-arn: "${topic}" is not accepted; use a standard SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:secops` +
        (topic.endsWith('.fifo') ? ' (FIFO topics are not supported)' : '')
    )
  }

  const notifyWhen = oneOf('notify-when', ['findings', 'always'] as const)
  const maskKeyIds = bool('mask-key-ids')

  const awsRegion = read('aws-region')
  if (!REGION.test(awsRegion)) {
    errors.push(`aws-region: "${awsRegion}" is not accepted; use an AWS region name such as us-east-1`)
  }

  const roleArn = get('role-to-assume').trim()
  if (roleArn && !ROLE_ARN.test(roleArn)) {
    errors.push(`role-to-assume: "${roleArn}" is not accepted; use an IAM role ARN such as arn:aws:iam::123456789012:role/iam-key-sentry`)
  }
  const sessionName = read('role-session-name')
  if (!SESSION_NAME.test(sessionName)) {
    errors.push(`role-session-name: "${sessionName}" is not accepted; use 2 to 64 letters, digits or the characters _+=,.@-`)
  }
  const durationRaw = read('role-duration-seconds')
  const durationSeconds = Number(durationRaw)
  if (!/^\d+$/.test(durationRaw) || durationSeconds < 900 || durationSeconds > 43_200) {
    errors.push(`role-duration-seconds: "${durationRaw}" is not accepted; use a whole number of seconds from 900 to 43200`)
  }
  const audience = read('audience')

  const createIssue = bool('create-issue')
  const token = get('github-token').trim()
  const labels = splitList(read('issue-labels'))
  const assignees = splitList(get('issue-assignees')).map((a) => a.replace(/^@/, ''))
  const badAssignees = assignees.filter((a) => !LOGIN.test(a))
  if (badAssignees.length) {
    errors.push(
      `issue-assignees: ${badAssignees.map((a) => `"${a}"`).join(', ')} is not accepted; use GitHub logins separated by commas`
    )
  }
  const badLabels = labels.filter((l) => l.length > 50)
  if (badLabels.length) errors.push(`issue-labels: "${badLabels[0]}" is not accepted; GitHub labels have at most 50 characters`)
  if (createIssue && !token) {
    errors.push('github-token: empty, and create-issue is true; pass a token with issues: write (the default is ${{ github.token }})')
  }
  if (createIssue && !process.env.GITHUB_REPOSITORY) {
    errors.push('create-issue: true, but GITHUB_REPOSITORY is not set, so there is no repository to keep the issue in')
  }

  const accountsRaw = get('accounts').trim()
  let accounts: AccountsChoice = { kind: 'self' }
  if (accountsRaw.toLowerCase() === 'organization') accounts = { kind: 'organization' }
  else if (accountsRaw) {
    const ids = [...new Set(splitList(accountsRaw))]
    // Only separators: a list of no account would scan nothing and pass.
    if (ids.length === 0) errors.push(`accounts: "${accountsRaw}" names no account; use account ids, organization, or leave it empty`)
    const bad = ids.filter((id) => !/^\d{12}$/.test(id))
    if (bad.length) {
      errors.push(
        `accounts: ${bad.map((id) => `"${id}"`).join(', ')} is not accepted; use 12-digit AWS account ids separated by commas or new lines, or organization`
      )
    }
    accounts = { kind: 'list', ids }
  }
  const memberRoleName = read('member-role-name')
  if (!ROLE_NAME.test(memberRoleName)) {
    errors.push(`member-role-name: "${memberRoleName}" is not accepted; use an IAM role name (1 to 64 letters, digits or _+=,.@-)`)
  }
  const concurrencyRaw = read('max-concurrency')
  const maxConcurrency = Number(concurrencyRaw)
  if (!/^\d+$/.test(concurrencyRaw) || maxConcurrency < 1 || maxConcurrency > 32) {
    errors.push(`max-concurrency: "${concurrencyRaw}" is not accepted; use a whole number from 1 to 32`)
  }

  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    options: {
      policy: { maxKeyAgeDays, warnKeyAgeDays, maxUnusedDays },
      exemptions: { userPatterns, tagKey },
      failOn,
      dataSource,
      snsTopicArn: topic || null,
      notifyWhen,
      maskKeyIds,
      awsRegion,
      oidc: roleArn ? { roleArn, audience, sessionName, durationSeconds } : null,
      trackingIssue: createIssue ? { token, labels, assignees } : null,
      accounts,
      memberRoleName,
      roleSessionName: sessionName,
      maxConcurrency
    }
  }
}
