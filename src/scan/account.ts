import type { IAMClient } from '@aws-sdk/client-iam'
import type { STSClient } from '@aws-sdk/client-sts'
import { collectInventory, type InventoryOptions } from '../aws/inventory.js'
import { errorMessage, isAccessDenied } from '../aws/errors.js'
import { callerAccountId } from '../aws/identity.js'
import { readUserTags } from '../aws/tags.js'
import { assess } from '../core/assess.js'
import { matchingPattern, type ExemptionRules } from '../core/exemptions.js'
import type { OwnerSetup } from '../core/owners.js'
import { isRootFinding } from '../core/policy.js'
import { evaluate } from '../core/policy.js'
import type { AccountScan, Finding } from '../core/model.js'
import { forAccount } from '../core/logger.js'

export interface AccountClients {
  iam: IAMClient
  sts: STSClient
}

export interface ScanOptions extends InventoryOptions {
  exemptions: ExemptionRules
  /** Where owners come from; absent: no owners (and no owner tag is read). */
  owners?: OwnerSetup
}

interface UserTags {
  /** The exemption tag of each user read (undefined: not tagged). */
  exempt: Map<string, string | undefined>
  /** The owner tag of each user read. */
  owner: Map<string, string | undefined>
  /** Why the tags could not be read, when denied. */
  unread: string | null
}

/**
 * The exemption and owner tags of the users with findings, with one ListUserTags listing per
 * user: calls grow with findings, not users. A user exempt by name needs neither; the root user
 * has no tags. Denied: no finding is exempted by tag and no owner comes from a tag (the safe
 * side), and `unread` says why.
 */
async function userTags(iam: IAMClient, findings: Finding[], options: ScanOptions): Promise<UserTags> {
  const exemptKey = options.exemptions.tagKey
  const ownerKey = options.owners?.tagKey ?? null
  const keys = [exemptKey, ownerKey].filter((k): k is string => k !== null)
  const users = [
    ...new Set(findings.filter((f) => !isRootFinding(f) && !matchingPattern(f.userName, options.exemptions.userPatterns)).map((f) => f.userName))
  ]
  const none: UserTags = { exempt: new Map(), owner: new Map(), unread: null }
  if (keys.length === 0 || users.length === 0) return none
  try {
    const tags = await readUserTags(iam, users, keys, options.concurrency)
    const pick = (key: string | null) => new Map(key ? users.map((u) => [u, tags.get(u)?.get(key.toLowerCase())] as const) : [])
    options.log.info(`user tags (${keys.join(', ')}) read for ${users.length} users with findings`)
    return { exempt: pick(exemptKey), owner: pick(ownerKey), unread: null }
  } catch (err) {
    if (!isAccessDenied(err)) throw err
    const lost = [exemptKey ? 'no finding is exempted by tag' : null, ownerKey ? 'no owner comes from a tag' : null].filter(Boolean).join(', ')
    return { ...none, unread: `user tags could not be read (${errorMessage(err)}); ${lost}` }
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
  const tags = await userTags(clients.iam, findings, options)
  const problems = tags.unread ? [tags.unread] : []
  const { scan, warnings: mistakes } = assess({
    accountId: id,
    inventory: { ...inventory, notes: [...inventory.notes, ...problems] },
    findings,
    exemptions: options.exemptions,
    tags: tags.exempt,
    owners: options.owners,
    ownerTags: tags.owner,
    now: options.now
  })
  // A tag value that exempts nothing, exempt-users hiding everyone, or tags that could not be
  // read are mistakes to fix: said as warnings in the log as well as in the summary. The scan of
  // many accounts groups them, so 10,000 accounts with the same mistake are one line.
  return { ...scan, warnings: [...problems, ...mistakes], inventory: inventory.keys }
}
