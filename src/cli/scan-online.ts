// The online scan: the action's own multi-account scan, with the SDK's default credential chain
// (AWS_PROFILE) and the CLI's progress hooks.
import type { IAMClient } from '@aws-sdk/client-iam'
import type { TargetAccount } from '../aws/accounts.js'
import type { ActionOptions } from '../inputs.js'
import type { Logger } from '../model.js'
import { scanWithOptions, type ScanResults } from '../scan-accounts.js'

export interface OnlineHooks {
  log: Logger
  /** Called with each account's IAM client before it is used (progress). */
  observe: (iam: IAMClient, account: TargetAccount, several: boolean) => void
  status: (phase: string) => void
}

export function scanOnline(options: ActionOptions, now: Date, hooks: OnlineHooks): Promise<ScanResults> {
  return scanWithOptions(options, { region: options.awsRegion }, now, hooks)
}
