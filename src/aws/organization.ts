// The ACTIVE accounts of the AWS Organization (accounts: organization). Loaded on demand by
// aws/accounts.ts, so that only the runs that list an organization load its SDK client.
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations'
import { plural } from '../core/plural.js'
import type { TargetAccount } from './accounts.js'
import { clientOptions, type AwsClientConfig } from './clients.js'
import { AwsCallError, errorName } from './errors.js'

export function createOrganizationsClient(config: AwsClientConfig): OrganizationsClient {
  // A global service: the SDK's endpoint rules send every region of a partition to its one endpoint.
  return new OrganizationsClient(clientOptions(config))
}

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
