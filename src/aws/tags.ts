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
  const values = await mapLimit(userNames, concurrency, async (userName) => {
    try {
      for await (const page of paginateListUserTags({ client: iam }, { UserName: userName })) {
        // IAM tag keys are unique regardless of case: `Key-Sentry:Exempt` is the same tag.
        const tag = page.Tags?.find((t) => t.Key?.toLowerCase() === tagKey.toLowerCase())
        if (tag) return [userName, tag.Value ?? ''] as const
      }
    } catch (err) {
      // Deleted since it was listed: it has no tags any more.
      if (!isNoSuchEntity(err)) throw new AwsCallError('iam:ListUserTags', err)
    }
    return [userName, undefined] as const
  })
  return new Map(values)
}
