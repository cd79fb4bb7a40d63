// Several accounts at once, each with its own clients; one that cannot be reached is reported
// as a failure and never hides the others.
import { errorMessage } from './aws/errors.js'
import type { TargetAccount } from './aws/accounts.js'
import { mapLimit } from './concurrency.js'
import { silentLogger } from './model.js'
import type { AccountFailure } from './report.js'
import { scanAccount, type AccountClients, type AccountScan, type ScanOptions } from './scan.js'

export interface ScanResults {
  scans: AccountScan[]
  failures: AccountFailure[]
}

export async function scanAccounts(
  targets: TargetAccount[],
  clientsFor: (account: TargetAccount) => Promise<AccountClients>,
  options: ScanOptions,
  maxConcurrency: number
): Promise<ScanResults> {
  const log = options.log ?? silentLogger
  const results = await mapLimit(targets, maxConcurrency, async (target) => {
    try {
      const scan = await scanAccount(await clientsFor(target), options, target.id)
      log.info(`account ${target.id}: ${scan.users} users, ${scan.keys} keys, ${scan.findings.length} findings`)
      return { scan: { ...scan, name: target.name } }
    } catch (err) {
      const error = errorMessage(err)
      log.warning(`account ${target.id}${target.name ? ` (${target.name})` : ''} could not be scanned: ${error}`)
      return { failure: { accountId: target.id, name: target.name, error } }
    }
  })
  return {
    scans: results.flatMap((r) => (r.scan ? [r.scan] : [])),
    failures: results.flatMap((r) => (r.failure ? [r.failure] : []))
  }
}
