// The account's findings once the policy has spoken: exemptions applied, and the exemption
// mistakes worth a warning. One step for the online scan and the offline credential report file.
import { applyExemptions, sweepingExemption, type ExemptionRules } from './exemptions.js'
import type { AccountScan, Finding, Inventory } from './model.js'
import { assignOwners, type OwnerSetup } from './owners.js'

export interface AssessInput {
  accountId: string
  /** What was looked at; its notes (and any the caller added) lead the scan's notes. */
  inventory: Inventory
  /** The policy's findings of `inventory.keys` (evaluate): the caller needs them to read tags. */
  findings: Finding[]
  exemptions: ExemptionRules
  /** The exemption tag of the users with findings (undefined: not tagged); empty when not read. */
  tags: Map<string, string | undefined>
  /** Where owners come from; absent: findings get no owners (a v1 caller). */
  owners?: OwnerSetup
  /** The owner tag of the users with findings (undefined: not tagged); empty when not read. */
  ownerTags?: Map<string, string | undefined>
  now: Date
}

export interface Assessment {
  scan: AccountScan
  /**
   * A tag value that exempts nothing, or exempt-users hiding everything: mistakes to fix, in
   * the scan's notes and for the caller to say in the log as well.
   */
  warnings: string[]
}

export function assess(input: AssessInput): Assessment {
  const exempted = applyExemptions(input.findings, input.exemptions, input.tags, input.now)
  const sweeping = sweepingExemption(input.findings, input.exemptions.userPatterns)
  const owned = input.owners ? assignOwners(exempted.findings, input.owners, input.ownerTags ?? new Map()) : { findings: exempted.findings, notes: [] }
  const warnings = [...(sweeping ? [sweeping] : []), ...exempted.notes, ...owned.notes]
  const { inventory } = input
  return {
    scan: {
      accountId: input.accountId,
      dataSource: inventory.dataSource,
      users: inventory.users,
      keys: inventory.keys.length,
      findings: owned.findings,
      notes: [...inventory.notes, ...warnings]
    },
    warnings
  }
}
