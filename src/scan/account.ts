import type { IAMClient } from '@aws-sdk/client-iam'
import type { STSClient } from '@aws-sdk/client-sts'
import { collectInventory, type CollectedInventory, type InventoryOptions, type TagRequest } from '../aws/inventory.js'
import { callerAccountId } from '../aws/identity.js'
import { readTagsOf } from '../aws/tags.js'
import { failFastPool } from '../core/concurrency.js'
import { assess } from '../core/assess.js'
import { matchingPattern, type ExemptionRules } from '../core/exemptions.js'
import type { OwnerSetup } from '../core/owners.js'
import { isRootFinding } from '../core/policy.js'
import { evaluate } from '../core/policy.js'
import type { AccountScan, Finding } from '../core/model.js'
import { forAccount } from '../core/logger.js'
import { plural } from '../core/plural.js'

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
  /** Why they could not be read in bulk (a slower scan, not a lesser one). */
  bulkFailed: string | null
}

/** The user tags the scan reads (exemption and owner), none when both are off. */
function wantedTags(options: ScanOptions): TagRequest | undefined {
  const keys = [options.exemptions.tagKey, options.owners?.tagKey ?? null].filter((k): k is string => k !== null)
  // A user exempt by name needs neither tag.
  return keys.length === 0 ? undefined : { keys, skip: (userName) => matchingPattern(userName, options.exemptions.userPatterns) !== null }
}

/**
 * The exemption and owner tags of the users with findings: those the inventory read on its way
 * (the report path), and the rest now, in bulk or one ListUserTags per user (readTagsOf): calls
 * grow with findings, not users. The root user has no tags. ListUserTags denied: the findings of
 * the users whose tags were not read are not exempted by tag and get no owner from a tag (the
 * safe side), and `unread` says why; users read in bulk keep their tags.
 */
async function userTags(iam: IAMClient, inventory: Pick<CollectedInventory, 'users' | 'tagRead'>, findings: Finding[], options: ScanOptions): Promise<UserTags> {
  const request = wantedTags(options)
  const none: UserTags = { exempt: new Map(), owner: new Map(), unread: null, bulkFailed: null }
  const users = [...new Set(findings.filter((f) => !isRootFinding(f) && !request?.skip(f.userName)).map((f) => f.userName))]
  if (!request || users.length === 0) return none
  const early = inventory.tagRead
  const rest = early?.denied ? [] : users.filter((u) => !early?.tags.has(u))
  const late = await readTagsOf(iam, rest, request.keys, { totalUsers: inventory.users, limit: failFastPool(options.concurrency) })
  const bulkFailed = early?.bulkFailed ?? late.bulkFailed
  const denied = early?.denied ?? late.denied
  const tagOf = (u: string) => early?.tags.get(u) ?? late.tags.get(u)
  // Denied: the users whose tags were not read are unknown, on the safe side (not exempted by
  // tag, no owner from a tag); those read in bulk keep theirs (readTagsOf).
  const unreadUsers = denied ? users.filter((u) => tagOf(u) === undefined) : []
  const pick = (key: string | null) => new Map(key ? users.map((u) => [u, tagOf(u)?.get(key.toLowerCase())] as const) : [])
  const calls = { bulk: 'GetAccountAuthorizationDetails', 'per-user': 'ListUserTags', none: null }
  const how = [...new Set([early?.how, late.how].map((h) => (h ? calls[h] : null)).filter(Boolean))].join(' and ')
  const read = users.length - unreadUsers.length
  const of = unreadUsers.length ? `${read} of ${users.length}` : `${users.length}`
  if (read > 0) options.log.info(`user tags (${request.keys.join(', ')}) read for ${of} users with findings${how ? ` (${how})` : ''}`)
  let unread: string | null = null
  if (unreadUsers.length === users.length) {
    const lost = [options.exemptions.tagKey ? 'no finding is exempted by tag' : null, options.owners?.tagKey ? 'no owner comes from a tag' : null]
    unread = `user tags could not be read (${denied}); ${lost.filter(Boolean).join(', ')}`
  } else if (unreadUsers.length) {
    const lost = [options.exemptions.tagKey ? 'none of their findings is exempted by tag' : null, options.owners?.tagKey ? 'no owner of theirs comes from a tag' : null]
    unread = `the tags of ${plural(unreadUsers.length, 'user')} with findings could not be read (${denied}); ${lost.filter(Boolean).join(', ')}`
  }
  return { exempt: pick(options.exemptions.tagKey), owner: pick(options.owners?.tagKey ?? null), unread, bulkFailed }
}

/**
 * Inventory one account, apply the policy and the exemptions. Throws when the scan cannot
 * complete. Every line it logs starts with the account's id.
 */
export async function scanAccount(clients: AccountClients, scanOptions: ScanOptions, accountId?: string): Promise<AccountScan> {
  const id = accountId ?? (await callerAccountId(clients.sts))
  const options = { ...scanOptions, log: forAccount(scanOptions.log, id) }
  const { tagRead, ...inventory } = await collectInventory(clients.iam, { ...options, tags: wantedTags(options) })
  const findings = evaluate(id, inventory.keys, options.policy, options.now)
  const tags = await userTags(clients.iam, { users: inventory.users, tagRead }, findings, options)
  const problems = tags.unread ? [tags.unread] : []
  // Not a lesser scan, only a slower one: a warning (grouped across accounts), not a note.
  const slower = tags.bulkFailed ? [`user tags were read one user at a time: ${tags.bulkFailed}`] : []
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
  return { ...scan, warnings: [...problems, ...slower, ...mistakes], inventory: inventory.keys }
}
