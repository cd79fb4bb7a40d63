// Every input parsed and validated at once, before any AWS call; each problem names its input.
// How each input is read is declared in input-spec.ts; here the values become the typed options,
// after the checks that involve two inputs.
import type { AccountsChoice } from '../aws/accounts.js'
import type { OidcOptions } from '../aws/oidc.js'
import type { ExemptionRules } from '../core/exemptions.js'
import type { OwnerRule } from '../core/owners.js'
import type { DataSourceChoice, FindingKind, Policy } from '../core/model.js'
import type { SnsTopic } from '../sinks/sns.js'
import { OWNERS_FILE, readInputs, type InputGetter, type InputValues } from './input-spec.js'

export interface ActionOptions {
  policy: Policy
  exemptions: ExemptionRules
  failOn: FindingKind[]
  dataSource: DataSourceChoice
  /** Null: nothing is published. */
  snsTopic: SnsTopic | null
  notifyWhen: 'findings' | 'always' | 'changes'
  /** security-hub: import the findings into Security Hub in each scanned account, in awsRegion. */
  securityHub: boolean
  maskKeyIds: boolean
  awsRegion: string
  /** Null: the default AWS credential chain. */
  oidc: OidcOptions | null
  /** Null: create-issue is off. */
  trackingIssue: TrackingIssueOptions | null
  /** An earlier run's report file: the baseline where no tracking issue holds one. Null: none. */
  previousReport: string | null
  accounts: AccountsChoice
  memberRoleName: string
  /** For the OIDC session and the member-account sessions alike. */
  roleSessionName: string
  /** Accounts scanned at once. */
  maxConcurrency: number
  owners: OwnerOptions
  remediation: RemediationOptions
}

/** Remediation from the tracking issue (DESIGN.md, Remediation). */
export interface RemediationOptions {
  mode: 'off' | 'comment'
  /** Logins allowed to give commands; empty: admin or maintain permission on the repository. */
  approvers: string[]
  quietDays: number
  /** The write role's OIDC exchange (remediation-role-to-assume, else role-to-assume); null: the default credential chain. */
  oidc: OidcOptions | null
  memberRoleName: string
}

/** Where owners come from (DESIGN.md, Owners). */
export interface OwnerOptions {
  /** The IAM user tag naming owners; null: owner-tag none. */
  tagKey: string | null
  /** The owners-file input, and whether it was named (not the default): a named file must exist. */
  file: { path: string; explicit: boolean }
  /** The file's rules and notes, once action/owners-file.ts has read it (empty until then). */
  rules: OwnerRule[]
  notes: string[]
  /** assign-owners: the owners that are logins are the tracking issue's assignees. */
  assign: boolean
}

export interface TrackingIssueOptions {
  token: string
  labels: string[]
  assignees: string[]
}

export type ParseResult = { ok: true; options: ActionOptions } | { ok: false; errors: string[] }

/** Problems no single input has: each is checked only when the inputs it compares were read. */
function crossInputErrors(v: Partial<InputValues>): string[] {
  const errors: string[] = []
  const max = v['max-key-age-days']
  const warn = v['warn-key-age-days']
  if (max !== undefined && warn != null && warn >= max) {
    errors.push(
      `warn-key-age-days: ${warn} is not accepted; it must be below max-key-age-days (${max}), or empty to turn the warning off`
    )
  }
  if (v.remediation === 'comment' && v['create-issue'] === false) {
    errors.push('remediation: comment needs create-issue: true; the commands come from the tracking issue, which the action then rewrites')
  }
  if (v['create-issue'] && !v['github-token']) {
    errors.push('github-token: empty, and create-issue is true; pass a token with issues: write (the default is ${{ github.token }})')
  }
  return errors
}

function toOptions(v: InputValues): ActionOptions {
  const roleArn = v['role-to-assume']
  return {
    policy: { maxKeyAgeDays: v['max-key-age-days'], warnKeyAgeDays: v['warn-key-age-days'], maxUnusedDays: v['max-unused-days'] },
    exemptions: { userPatterns: v['exempt-users'], tagKey: v['exempt-tag'] },
    failOn: v['fail-on'],
    dataSource: v['data-source'],
    snsTopic: v['sns-topic-arn'],
    notifyWhen: v['notify-when'],
    securityHub: v['security-hub'],
    maskKeyIds: v['mask-key-ids'],
    awsRegion: v['aws-region'],
    oidc: roleArn
      ? { roleArn, audience: v.audience, sessionName: v['role-session-name'], durationSeconds: v['role-duration-seconds'] }
      : null,
    trackingIssue: v['create-issue'] ? { token: v['github-token'], labels: v['issue-labels'], assignees: v['issue-assignees'] } : null,
    previousReport: v['previous-report'],
    accounts: v.accounts,
    memberRoleName: v['member-role-name'],
    roleSessionName: v['role-session-name'],
    maxConcurrency: v['max-concurrency'],
    owners: {
      tagKey: v['owner-tag'],
      file: { path: v['owners-file'], explicit: v['owners-file'] !== OWNERS_FILE },
      rules: [],
      notes: [],
      assign: v['assign-owners']
    },
    remediation: {
      mode: v.remediation,
      approvers: v['remediation-approvers'],
      quietDays: v['remediation-quiet-days'],
      oidc: (v['remediation-role-to-assume'] ?? roleArn)
        ? {
            roleArn: (v['remediation-role-to-assume'] ?? roleArn)!,
            audience: v.audience,
            sessionName: v['role-session-name'],
            durationSeconds: v['role-duration-seconds']
          }
        : null,
      memberRoleName: v['member-remediation-role-name']
    }
  }
}

export function parseInputs(get: InputGetter): ParseResult {
  const { values, errors } = readInputs(get)
  errors.push(...crossInputErrors(values))
  if (errors.length) return { ok: false, errors }
  // No problem: every input was read.
  return { ok: true, options: toOptions(values as InputValues) }
}
