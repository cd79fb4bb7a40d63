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
 * safe side), and the summary says why.
 */
async function exemptionTags(
  iam: IAMClient,
  findings: Finding[],
  options: ScanOptions,
  notes: string[]
): Promise<Map<string, string | undefined>> {
  const users = usersNeedingTags(findings, options.exemptions)
  if (!options.exemptions.tagKey || users.length === 0) return new Map()
  try {
    const tags = await readUserTag(iam, users, options.exemptions.tagKey, options.concurrency)
    options.log.info(`exemption tags read for ${users.length} users with findings`)
    return tags
  } catch (err) {
    if (!isAccessDenied(err)) throw err
    const note = `exemption tags could not be read (${errorMessage(err)}); no finding is exempted by tag`
    options.log.warning(note)
    notes.push(note)
    return new Map()
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
  const notes = [...inventory.notes]
  const findings = evaluate(id, inventory.keys, options.policy, options.now)
  const tags = await exemptionTags(clients.iam, findings, options, notes)
  const { scan, warnings: mistakes } = assess({
    accountId: id,
    inventory: { ...inventory, notes },
    findings,
    exemptions: options.exemptions,
    tags,
    now: options.now
  })
  // A tag value that exempts nothing, or exempt-users hiding everything, is a mistake to fix:
  // said in the log as well as in the summary.
  for (const note of mistakes) options.log.warning(note)
  return scan
}
