// The online scan: the action's own multi-account scan, with the SDK's default credential chain
// (AWS_PROFILE) and the CLI's progress hooks.
import type { IAMClient } from '@aws-sdk/client-iam'
import type { TargetAccount } from '../aws/accounts.js'
import type { ActionOptions } from '../inputs.js'
import type { Logger } from '../model.js'
import { IAM_CONCURRENCY, scanTargets, type ScanResults } from '../scan-accounts.js'

export interface OnlineHooks {
  log: Logger
  /** Called with each account's IAM client before it is used (progress). */
  observe: (iam: IAMClient, account: TargetAccount, several: boolean) => void
  status: (phase: string) => void
}

export function scanOnline(options: ActionOptions, now: Date, hooks: OnlineHooks): Promise<ScanResults> {
  return scanTargets({
    aws: { region: options.awsRegion },
    accounts: options.accounts,
    memberRoleName: options.memberRoleName,
    sessionName: options.roleSessionName,
    maxConcurrency: options.maxConcurrency,
    scan: {
      dataSource: options.dataSource,
      policy: options.policy,
      exemptions: options.exemptions,
      now,
      concurrency: IAM_CONCURRENCY,
      log: hooks.log
    },
    observe: hooks.observe,
    status: hooks.status
  })
}
