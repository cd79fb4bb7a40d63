import { paginateGetAccountAuthorizationDetails, paginateListUserTags, type IAMClient, type Tag } from '@aws-sdk/client-iam'
import { mapLimit, type Pool } from '../core/concurrency.js'
import { AwsCallError, errorMessage, isAccessDenied, isNoSuchEntity } from './errors.js'

/** Users per GetAccountAuthorizationDetails page: the most IAM allows. */
export const BULK_PAGE_USERS = 1000

/**
 * Users needing tags per bulk page above which reading every user's tags beats a ListUserTags
 * call per user needing them. Measured on moto at 20 ms per call, 8 in flight: a 1,000-user page
 * took 0.44-0.65 s, a ListUserTags call 8-10 ms of the pool's time, a cross-over of 46-63 users
 * per page. Where calls run in parallel (IAM), a call costs the pool 20/8 = 2.5 ms and the pages
 * run beside it: F users with findings cost 2F calls' time per-user, and the longer of F calls
 * and the pages in bulk, which is less once F passes 100 per 0.5 s page. 100 holds for both.
 */
export const BULK_CROSSOVER_PER_PAGE = 100

/** Whether reading every user's tags in bulk costs less than one call per user needing them. */
export function bulkTagReadPays(usersNeedingTags: number, totalUsers: number): boolean {
  return usersNeedingTags > BULK_CROSSOVER_PER_PAGE * Math.max(1, Math.ceil(totalUsers / BULK_PAGE_USERS))
}

/** Tags (lower-cased key → value) of each user read; a user without a wanted tag has no entry for it. */
export type UserTagMap = Map<string, Map<string, string>>

export interface TagRead {
  /** The tags of each user read; a user asked for but not in it could not be read (`denied` says why). */
  tags: UserTagMap
  /**
   * ListUserTags was denied: the tags of the users asked for that `tags` lacks are not known
   * (every user read one at a time: which were read before the denial is down to chance).
   * Those read in bulk are kept.
   */
  denied: string | null
  /** GetAccountAuthorizationDetails was denied (or failed), and the tags were read one user at a time instead. */
  bulkFailed: string | null
  /** How the tags were read. */
  how: 'bulk' | 'per-user' | 'none'
}

export interface TagReadOptions {
  /** IAM users in the account: how many bulk pages there are. */
  totalUsers: number
  /**
   * The pool the per-user calls share with the scan's other per-user calls; its first failure
   * stops the bulk pages too (the account has failed: more pages would be calls nobody reads).
   */
  limit: Pool
}

/** The wanted tags out of a user's tags; the first of each key wins (keys are unique regardless of case). */
function pick(tags: readonly Tag[], wanted: Set<string>, into = new Map<string, string>()): Map<string, string> {
  for (const tag of tags) {
    const key = tag.Key?.toLowerCase()
    if (key !== undefined && wanted.has(key) && !into.has(key)) into.set(key, tag.Value ?? '')
  }
  return into
}

/** One user's wanted tags with ListUserTags; empty when the user was deleted since it was listed. */
async function listUserTags(iam: IAMClient, userName: string, wanted: Set<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  try {
    for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
      pick(page.Tags ?? [], wanted, found)
      if (found.size === wanted.size) break
    }
  } catch (err) {
    if (!isNoSuchEntity(err)) throw new AwsCallError('iam:ListUserTags', err)
  }
  return found
}

/**
 * The wanted tags of the `needed` users the listing has, with GetAccountAuthorizationDetails
 * (Filter User), a page per 1,000 users, one page at a time. Its pages are few but large: they run beside the per-user pool,
 * not in it, so they never wait behind a thousand queued calls.
 */
export async function readAllUserTags(iam: IAMClient, tagKeys: string[], needed: ReadonlySet<string>, stop?: AbortSignal): Promise<UserTagMap> {
  const wanted = new Set(tagKeys.map((k) => k.toLowerCase()))
  // Only the users asked for are kept: a page holds 1,000 users, an account may have 5,000.
  const tags: UserTagMap = new Map()
  try {
    const pages = paginateGetAccountAuthorizationDetails({ client: iam, pageSize: BULK_PAGE_USERS }, { Filter: ['User'] })
    for await (const page of pages) {
      // Checked before the next page is asked for.
      stop?.throwIfAborted()
      for (const user of page.UserDetailList ?? []) if (user.UserName && needed.has(user.UserName)) tags.set(user.UserName, pick(user.Tags ?? [], wanted))
    }
  } catch (err) {
    throw new AwsCallError('iam:GetAccountAuthorizationDetails', err)
  }
  return tags
}

/**
 * The wanted tags of `userNames`: in bulk when that is cheaper (bulkTagReadPays), else with one
 * ListUserTags listing per user in the shared pool (the exemption and owner tags share it). Bulk
 * denied or failed: per-user instead, said in `bulkFailed`, never a failed scan. A user the bulk listing
 * lacks (made or renamed since) is read on its own. ListUserTags denied: `denied` says so, no
 * more of them are made, and the users read one at a time are left out of `tags`.
 */
export async function readTagsOf(iam: IAMClient, userNames: string[], tagKeys: string[], options: TagReadOptions): Promise<TagRead> {
  const wanted = new Set(tagKeys.map((k) => k.toLowerCase()))
  const result: TagRead = { tags: new Map(), denied: null, bulkFailed: null, how: 'none' }
  if (wanted.size === 0 || userNames.length === 0) return result
  let rest = userNames
  if (bulkTagReadPays(userNames.length, options.totalUsers)) {
    try {
      result.tags = await readAllUserTags(iam, tagKeys, new Set(userNames), options.limit.signal)
      rest = userNames.filter((u) => !result.tags.has(u))
      result.how = 'bulk'
    } catch (err) {
      // Stopped because the account failed: nothing more to read.
      if (options.limit.signal.aborted) throw options.limit.signal.reason
      // The bulk read only saves calls: whatever stops it, the per-user reads still can be made.
      result.bulkFailed = errorMessage(err)
    }
  }
  if (rest.length === 0) return result
  if (result.how === 'none') result.how = 'per-user'
  await Promise.all(
    rest.map((user) =>
      options.limit(async () => {
        if (result.denied !== null) return
        try {
          result.tags.set(user, await listUserTags(iam, user, wanted))
        } catch (err) {
          if (!isAccessDenied(err)) throw err
          result.denied ??= errorMessage(err)
        }
      })
    )
  )
  // Which of them were read before the denial depends on the order the calls ran in: none of them
  // counts, so that the same account always gives the same findings. Those read in bulk do.
  if (result.denied !== null) for (const user of rest) result.tags.delete(user)
  return result
}

/** One tag's value for each user (undefined: not tagged). Calls grow with findings, not users. */
export async function readUserTag(
  iam: IAMClient,
  userNames: string[],
  tagKey: string,
  concurrency: number
): Promise<Map<string, string | undefined>> {
  const tags = await readUserTags(iam, userNames, [tagKey], concurrency)
  return new Map([...tags].map(([user, values]) => [user, values.get(tagKey.toLowerCase())]))
}

/**
 * Several tags' values for each user, with one ListUserTags listing per user (the exemption and
 * owner tags share it). Keys come back lower-cased: IAM tag keys are unique regardless of case,
 * so `Key-Sentry:Exempt` is the same tag. A user without a tag has no entry for it.
 */
export async function readUserTags(
  iam: IAMClient,
  userNames: string[],
  tagKeys: string[],
  concurrency: number
): Promise<UserTagMap> {
  const wanted = new Set(tagKeys.map((k) => k.toLowerCase()))
  const values = await mapLimit(userNames, concurrency, async (userName) => [userName, await listUserTags(iam, userName, wanted)] as const)
  return new Map(values)
}
