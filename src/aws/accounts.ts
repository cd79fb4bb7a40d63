// Which accounts to scan, and a session in each: the caller's own, the listed ones, or every
// ACTIVE account of the AWS Organization, reached through a member role (sts:AssumeRole).
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations'
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@aws-sdk/types'
import { plural } from '../core/plural.js'
import { maskedCredentials } from './credentials.js'
import { AwsCallError, errorName } from './errors.js'

export interface TargetAccount {
  id: string
  name: string | null
}

/** `accounts` input: empty (the caller's own), a list of ids, or the whole organization. */
export type AccountsChoice = { kind: 'self' } | { kind: 'list'; ids: string[] } | { kind: 'organization' }

/**
 * Every ACTIVE account of the organization, with its name (paged). None is an error: a scan
 * of nothing must not pass as a clean organization.
 */
export async function listOrganizationAccounts(org: OrganizationsClient): Promise<TargetAccount[]> {
  const accounts: TargetAccount[] = []
  const states: string[] = []
  try {
    for await (const page of paginateListAccounts({ client: org }, {})) {
      for (const a of page.Accounts ?? []) {
        // `State` replaces the deprecated `Status`; either says whether the account is usable.
        const state = a.State ?? a.Status ?? 'without a state'
        states.push(state)
        if (a.Id && state === 'ACTIVE') accounts.push({ id: a.Id, name: a.Name ?? null })
      }
    }
  } catch (err) {
    if (errorName(err) === 'AWSOrganizationsNotInUseException') {
      throw new Error('accounts is "organization", but the caller\'s account is not in an AWS Organization')
    }
    const hint = ' (call it from the management account or a delegated administrator account)'
    throw new AwsCallError(`organizations:ListAccounts${hint}`, err)
  }
  if (accounts.length === 0) throw new Error(noActiveAccount(states))
  return accounts
}

/** Why nothing can be scanned: what ListAccounts did show, counted by state. */
function noActiveAccount(states: string[]): string {
  const counts = new Map<string, number>()
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1)
  const listed = states.length
    ? `it listed ${plural(states.length, 'account')}, none ACTIVE: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`
    : 'it listed no account at all'
  return `accounts is "organization", but organizations:ListAccounts shows the caller no ACTIVE account to scan (${listed})`
}

export async function targetAccounts(
  choice: AccountsChoice,
  callerAccount: string,
  org: () => OrganizationsClient
): Promise<TargetAccount[]> {
  if (choice.kind === 'self') return [{ id: callerAccount, name: null }]
  if (choice.kind === 'list') return choice.ids.map((id) => ({ id, name: null }))
  return listOrganizationAccounts(org())
}

/** `arn:aws:sts::123:assumed-role/x/y` -> `aws`; GovCloud and China keep their partition. */
export function partitionOf(arn: string): string {
  return arn.split(':')[1] || 'aws'
}

export interface MemberRole {
  roleName: string
  sessionName: string
  /** Role chaining caps sessions at one hour. */
  durationSeconds: number
}

/** A session in a member account, chained from the caller's; masked before use. */
export async function assumeMemberRole(
  sts: STSClient,
  partition: string,
  accountId: string,
  role: MemberRole,
  mask: (value: string) => void
): Promise<AwsCredentialIdentity> {
  const roleArn = `arn:${partition}:iam::${accountId}:role/${role.roleName}`
  let out
  try {
    out = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: role.sessionName, DurationSeconds: role.durationSeconds })
    )
  } catch (err) {
    throw new AwsCallError(`sts:AssumeRole into ${roleArn} (does the role exist, and does its trust policy allow the caller?)`, err)
  }
  const credentials = maskedCredentials(out.Credentials, mask)
  if (!credentials) throw new Error(`sts:AssumeRole into ${roleArn} returned no credentials`)
  return credentials
}
