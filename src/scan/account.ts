import type { IAMClient } from '@aws-sdk/client-iam'
import type { STSClient } from '@aws-sdk/client-sts'
import { collectInventory, type InventoryOptions } from '../aws/inventory.js'
import { errorMessage, isAccessDenied } from '../aws/errors.js'
import { callerAccountId } from '../aws/identity.js'
import { readUserTag } from '../aws/tags.js'
import { assess } from '../core/assess.js'
import { usersNeedingTags, type ExemptionRules } from '../core/exemptions.js'
import { evaluate } from '../core/policy.js'
import type { AccountScan, Finding } from '../core/model.js'
import { forAccount } from '../core/logger.js'

export interface AccountClients {
  iam: IAMClient
  sts: STSClient
}

export interface ScanOptions extends InventoryOptions {
  exemptions: ExemptionRules
}

/**
 * The exemption tag of the users with findings. Denied: no finding is exempted by tag (the
 * safe side), and `unread` says why.
 */
async function exemptionTags(
  iam: IAMClient,
  findings: Finding[],
  options: ScanOptions
): Promise<{ tags: Map<string, string | undefined>; unread: string | null }> {
  const users = usersNeedingTags(findings, options.exemptions)
  if (!options.exemptions.tagKey || users.length === 0) return { tags: new Map(), unread: null }
  try {
    const tags = await readUserTag(iam, users, options.exemptions.tagKey, options.concurrency)
    options.log.info(`exemption tags read for ${users.length} users with findings`)
    return { tags, unread: null }
  } catch (err) {
    if (!isAccessDenied(err)) throw err
    return { tags: new Map(), unread: `exemption tags could not be read (${errorMessage(err)}); no finding is exempted by tag` }
  }
}

/**
 * Inventory one account, apply the policy and the exemptions. Throws when the scan cannot
 * complete. Every line it logs starts with the account's id.
 */
export async function scanAccount(clients: AccountClients, scanOptions: ScanOptions, accountId?: string): Promise<AccountScan> {
  const id = accountId ?? (await callerAccountId(clients.sts))
  const options = { ...scanOptions, log: forAccount(scanOptions.log, id) }
  const inventory = await collectInventory(clients.iam, options)
  const findings = evaluate(id, inventory.keys, options.policy, options.now)
  const { tags, unread } = await exemptionTags(clients.iam, findings, options)
  const problems = unread ? [unread] : []
  const { scan, warnings: mistakes } = assess({
    accountId: id,
    inventory: { ...inventory, notes: [...inventory.notes, ...problems] },
    findings,
    exemptions: options.exemptions,
    tags,
    now: options.now
  })
  // A tag value that exempts nothing, exempt-users hiding everyone, or tags that could not be
  // read are mistakes to fix: said as warnings in the log as well as in the summary. The scan of
  // many accounts groups them, so 10,000 accounts with the same mistake are one line.
  return { ...scan, warnings: [...problems, ...mistakes], inventory: inventory.keys }
}
