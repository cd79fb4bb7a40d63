import { paginateListUserTags, type IAMClient } from '@aws-sdk/client-iam'
import { mapLimit } from '../core/concurrency.js'
import { AwsCallError, isNoSuchEntity } from './errors.js'

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
): Promise<Map<string, Map<string, string>>> {
  const wanted = new Set(tagKeys.map((k) => k.toLowerCase()))
  const values = await mapLimit(userNames, concurrency, async (userName) => {
    const found = new Map<string, string>()
    try {
      for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
        for (const tag of page.Tags ?? []) {
          const key = tag.Key?.toLowerCase()
          if (key !== undefined && wanted.has(key) && !found.has(key)) found.set(key, tag.Value ?? '')
        }
        if (found.size === wanted.size) break
      }
    } catch (err) {
      // Deleted since it was listed: it has no tags any more.
      if (!isNoSuchEntity(err)) throw new AwsCallError('iam:ListUserTags', err)
    }
    return [userName, found] as const
  })
  return new Map(values)
}
