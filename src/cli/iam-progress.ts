// What the IAM client is doing, as progress: a middleware on the CLI's own clients sees every
// command and page, so the scan core needs no progress hooks.
import type { IAMClient } from '@aws-sdk/client-iam'
import { plural } from '../core/plural.js'

export type ProgressSink = (phase: string, detail?: string) => void

interface Counts {
  users: number
  keyUsers: number
  lastUse: number
  tags: number
}

/** The phase a command belongs to, and its running count once the command answered. */
export function describeCall(
  command: string,
  output: Record<string, unknown> | null,
  counts: Counts
): { phase: string; detail?: string } | null {
  switch (command) {
    case 'GenerateCredentialReportCommand':
      return { phase: 'Generating the credential report…', detail: typeof output?.State === 'string' ? output.State : '' }
    case 'GetCredentialReportCommand':
      return { phase: 'Downloading the credential report…' }
    case 'ListUsersCommand':
      if (output) counts.users += Array.isArray(output.Users) ? output.Users.length : 0
      return { phase: 'Listing users…', detail: String(counts.users) }
    case 'ListAccessKeysCommand':
      if (output) counts.keyUsers++
      return { phase: 'Listing access keys…', detail: plural(counts.keyUsers, 'user') }
    case 'GetAccessKeyLastUsedCommand':
      if (output) counts.lastUse++
      return { phase: 'Reading when keys were last used…', detail: String(counts.lastUse) }
    case 'ListUserTagsCommand':
      if (output) counts.tags++
      return { phase: 'Reading user tags…', detail: plural(counts.tags, 'user') }
    case 'GetAccountAuthorizationDetailsCommand':
      // Every user's tags, a page at a time (many users with findings: tags.ts readTagsOf).
      if (output) counts.tags += Array.isArray(output.UserDetailList) ? output.UserDetailList.length : 0
      return { phase: 'Reading user tags…', detail: plural(counts.tags, 'user') }
    default:
      return null
  }
}

/** Report each IAM command as it starts and as it answers; `label` prefixes it (an account id). */
export function observeIam(iam: IAMClient, progress: ProgressSink, label = ''): void {
  const counts: Counts = { users: 0, keyUsers: 0, lastUse: 0, tags: 0 }
  const show = (command: string, output: Record<string, unknown> | null) => {
    const described = describeCall(command, output, counts)
    if (described) progress(label + described.phase, described.detail)
  }
  iam.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? ''
      show(command, null)
      const result = await next(args)
      show(command, (result.output ?? {}) as unknown as Record<string, unknown>)
      return result
    },
    { step: 'initialize', name: 'iamKeySentryProgress' }
  )
}
