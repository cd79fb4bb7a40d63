// Which accounts to scan, and a session in each: the caller's own, the listed ones, or every
// ACTIVE account of the AWS Organization, reached through a member role (sts:AssumeRole).
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@aws-sdk/types'
import type { AwsClientConfig } from './clients.js'
import { maskedCredentials } from './credentials.js'
import { AwsCallError } from './errors.js'

export interface TargetAccount {
  id: string
  name: string | null
}

/** `accounts` input: empty (the caller's own), a list of ids, or the whole organization. */
export type AccountsChoice = { kind: 'self' } | { kind: 'list'; ids: string[] } | { kind: 'organization' }

export async function targetAccounts(
  choice: AccountsChoice,
  callerAccount: string,
  aws: AwsClientConfig
): Promise<TargetAccount[]> {
  if (choice.kind === 'self') return [{ id: callerAccount, name: null }]
  if (choice.kind === 'list') return choice.ids.map((id) => ({ id, name: null }))
  // Organizations' SDK client is loaded only here: a run that lists no organization never pays for it.
  const { createOrganizationsClient, listOrganizationAccounts } = await import('./organization.js')
  return listOrganizationAccounts(createOrganizationsClient(aws))
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
