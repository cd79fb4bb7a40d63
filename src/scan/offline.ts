// A scan, and a report, from a credential report file, with no AWS call: what the CLI's
// --credential-report does. Pure: the caller reads the files (the report, a baseline) and chooses `now`.
import { iamUserCount, parseCredentialReport, type CredentialReportRow } from '../aws/credential-report-csv.js'
import { cut } from '../render/text.js'
import { isoSeconds } from '../core/dates.js'
import { assess } from '../core/assess.js'
import type { ExemptionRules } from '../core/exemptions.js'
import type { OwnerSetup } from '../core/owners.js'
import { evaluate } from '../core/policy.js'
import { compareWithBaseline, type ChosenBaseline } from '../core/lifecycle.js'
import { buildReport, type Report } from '../core/report.js'
import type { AccountScan, Inventory, Policy } from '../core/model.js'

export interface CredentialReportFile {
  csv: string
  /** `GeneratedTime` of `aws iam get-credential-report`'s JSON; null for a bare CSV. */
  generatedAt: Date | null
}

/**
 * The CSV itself, or the JSON `aws iam get-credential-report` prints (`Content` is the CSV in
 * base64), so the output of that command can be saved and passed as it is.
 */
export function decodeCredentialReportFile(text: string): CredentialReportFile {
  const body = text.replace(/^\uFEFF/, '').trim()
  if (!body.startsWith('{')) return { csv: body, generatedAt: null }
  let json: { Content?: unknown; GeneratedTime?: unknown }
  try {
    json = JSON.parse(body) as typeof json
  } catch (err) {
    throw new Error(`the file looks like JSON but does not parse (${(err as Error).message})`)
  }
  if (typeof json.Content !== 'string' || !json.Content) {
    throw new Error('the JSON has no "Content": save the output of `aws iam get-credential-report`, or the CSV itself')
  }
  const generated = typeof json.GeneratedTime === 'string' ? new Date(json.GeneratedTime) : null
  return {
    csv: Buffer.from(json.Content, 'base64').toString('utf8'),
    generatedAt: generated && !Number.isNaN(generated.getTime()) ? generated : null
  }
}

const ACCOUNT_IN_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):/

/** Said once, in the account's notes, instead of on every row. */
export const NO_KEY_IDS_NOTE =
  'access key ids are not in a credential report; `aws iam list-access-keys --user-name NAME` shows them'

export interface OfflineOptions {
  policy: Policy
  exemptions: ExemptionRules
  /** Owners: offline, only the owners file's rules apply (no tags in a credential report). */
  owners?: OwnerSetup
  now: Date
  /** When the report was generated, if known: said in a note, since keys may have changed since. */
  generatedAt?: Date | null
}

/** Why no account id was found, in the file's own terms: empty, a header alone, or no IAM ARN in the arn column. */
function noAccountId(csv: string, rows: CredentialReportRow[]): string {
  if (csv.trim() === '') return 'the credential report is empty'
  if (rows.length === 0) return 'the credential report has its header line but no rows'
  return (
    `no account id found: no row's arn column holds an IAM ARN (arn:aws:iam::123456789012:user/NAME); ` +
    `the first row's is ${JSON.stringify(cut(rows[0].userArn ?? '', 100))}`
  )
}

/**
 * Evaluate every key of the report; the account id comes from the rows' ARNs. The scan carries
 * its inventory (every key, none with an id) for the lifecycle diff (core/lifecycle.ts
 * compareWithBaseline), which finds a baseline key by its user and creation time.
 */
export function scanFromCredentialReport(csv: string, options: OfflineOptions): AccountScan {
  const rows = parseCredentialReport(csv)
  const accountId = rows.map((r) => ACCOUNT_IN_ARN.exec(r.userArn)?.[1]).find(Boolean)
  if (!accountId) throw new Error(noAccountId(csv, rows))
  const keys = rows.flatMap((r) => r.keys)
  const notes = [NO_KEY_IDS_NOTE]
  if (options.exemptions.tagKey) {
    notes.push(`exempt-tag ${options.exemptions.tagKey} is not applied: user tags are not in a credential report`)
  }
  if (options.owners?.tagKey) {
    notes.push(`owner-tag ${options.owners.tagKey} is not applied: user tags are not in a credential report`)
  }
  if (options.generatedAt) notes.push(`the credential report was generated at ${isoSeconds(options.generatedAt)}`)
  const inventory: Inventory = { dataSource: 'credential-report', users: iamUserCount(rows), keys, notes }
  const findings = evaluate(accountId, keys, options.policy, options.now)
  // No tags offline: only exempt-users can exempt.
  const { scan } = assess({
    accountId,
    inventory,
    findings,
    exemptions: options.exemptions,
    tags: new Map(),
    owners: options.owners ? { tagKey: null, rules: options.owners.rules } : undefined,
    now: options.now
  })
  return { ...scan, inventory: keys }
}

export interface OfflineReportOptions extends OfflineOptions {
  /** The account's baseline (an earlier report's), or null/absent: none, so nothing is new or resolved. */
  baseline?: ChosenBaseline | null
  /** What a reader should know about the run as a whole (the report's top-level notes). */
  notes?: string[]
}

/** The scan of the report, compared with its baseline (overdue days are told either way), as a report. */
export function reportFromCredentialReport(csv: string, options: OfflineReportOptions): Report {
  const scan = compareWithBaseline(scanFromCredentialReport(csv, options), options.baseline ?? null, options.now, options.policy)
  return buildReport({ generatedAt: options.now, policy: options.policy, scans: [scan], notes: options.notes })
}
