import type { IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import { collectInventory, type InventoryOptions } from './aws/inventory.js'
import { call } from './aws/errors.js'
import { evaluate } from './policy.js'
import type { DataSource, Finding } from './model.js'

export interface AccountScan {
  accountId: string
  dataSource: DataSource
  users: number
  keys: number
  findings: Finding[]
  notes: string[]
}

export interface AccountClients {
  iam: IAMClient
  sts: STSClient
}

/** The account the credentials belong to. */
export async function callerAccountId(sts: STSClient): Promise<string> {
  const out = await call('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})))
  if (!out.Account) throw new Error('sts:GetCallerIdentity returned no account id')
  return out.Account
}

/** Inventory one account and apply the policy. Throws when the scan cannot complete. */
export async function scanAccount(
  clients: AccountClients,
  options: InventoryOptions,
  accountId?: string
): Promise<AccountScan> {
  const id = accountId ?? (await callerAccountId(clients.sts))
  const inventory = await collectInventory(clients.iam, options)
  return {
    accountId: id,
    dataSource: inventory.dataSource,
    users: inventory.users,
    keys: inventory.keys.length,
    findings: evaluate(id, inventory.keys, options.policy, options.now),
    notes: inventory.notes
  }
}
