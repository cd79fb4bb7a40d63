import {
  GetAccessKeyLastUsedCommand,
  paginateListAccessKeys,
  paginateListUsers,
  type IAMClient
} from '@aws-sdk/client-iam'
import { mapLimit } from '../core/concurrency.js'
import { classifyKey } from '../core/policy.js'
import type { DataSourceChoice, Inventory, KeyRecord, Logger, Policy } from '../core/model.js'
import { fetchCredentialReport, type CredentialReportPolling } from './credential-report.js'
import { iamUserCount, parseCredentialReport, type CredentialReportRow } from './credential-report-csv.js'
import { AwsCallError, call, errorMessage, isNoSuchEntity } from './errors.js'

export interface InventoryOptions {
  dataSource: DataSourceChoice
  policy: Policy
  now: Date
  /** IAM calls in flight at once (per-user confirmations and listings). */
  concurrency: number
  log: Logger
  /** How the credential report is waited for (tests shorten it). */
  credentialReportPolling?: CredentialReportPolling
}

/** Every key of one user, with ids; [] when the user was deleted since the report. */
async function listUserKeys(iam: IAMClient, userName: string, userArn: string): Promise<KeyRecord[]> {
  const keys: KeyRecord[] = []
  try {
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
      for (const k of page.AccessKeyMetadata ?? []) {
        if (!k.AccessKeyId || !k.CreateDate) continue
        keys.push({
          userName,
          userArn,
          accessKeyId: k.AccessKeyId,
          status: k.Status === 'Active' ? 'Active' : 'Inactive',
          createdAt: k.CreateDate,
          lastUsedAt: null,
          lastUsedService: null,
          isRoot: false
        })
      }
    }
  } catch (err) {
    if (isNoSuchEntity(err)) return []
    throw new AwsCallError('iam:ListAccessKeys', err)
  }
  return keys
}

/**
 * The report's keys have no ids: match the listed ones by creation second to keep last use.
 * Each report key matches once; a listed key without exactly one match (two keys made in the
 * same second, or one made since the report) is returned in `unknown`, to be looked up.
 */
export function mergeLastUse(listed: KeyRecord[], fromCredentialReport: KeyRecord[]): { keys: KeyRecord[]; unknown: KeyRecord[] } {
  const second = (k: KeyRecord) => Math.floor(k.createdAt.getTime() / 1000)
  const unknown: KeyRecord[] = []
  const keys = listed.map((key) => {
    const matches = fromCredentialReport.filter((r) => second(r) === second(key))
    if (matches.length !== 1) {
      const copy = { ...key }
      unknown.push(copy)
      return copy
    }
    return { ...key, lastUsedAt: matches[0].lastUsedAt, lastUsedService: matches[0].lastUsedService }
  })
  return { keys, unknown }
}

/**
 * GetAccessKeyLastUsed for each key (one call a key), filled in place. A key deleted since it
 * was listed is left out of the returned list.
 */
async function lookUpLastUse(iam: IAMClient, keys: KeyRecord[], concurrency: number): Promise<Set<KeyRecord>> {
  const gone = new Set<KeyRecord>()
  await mapLimit(keys, concurrency, async (key) => {
    let out
    try {
      out = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId ?? undefined }))
    } catch (err) {
      if (isNoSuchEntity(err)) return void gone.add(key)
      throw new AwsCallError('iam:GetAccessKeyLastUsed', err)
    }
    const used = out.AccessKeyLastUsed
    key.lastUsedAt = used?.LastUsedDate ?? null
    key.lastUsedService = used?.ServiceName && used.ServiceName !== 'N/A' ? used.ServiceName : null
  })
  return gone
}

/** The credential report, fetched and parsed: the part of the report path that `auto` may fall back from. */
interface ReadCredentialReport {
  rows: CredentialReportRow[]
  notes: string[]
}

async function readCredentialReport(iam: IAMClient, options: InventoryOptions): Promise<ReadCredentialReport> {
  const fetched = await fetchCredentialReport(iam, options.log, options.credentialReportPolling)
  const rows = parseCredentialReport(fetched.csv)
  const notes = []
  if (fetched.reusedExisting) {
    const when = fetched.generatedAt ? ` from ${fetched.generatedAt.toISOString()}` : ''
    notes.push(`AWS was busy generating reports (LimitExceeded), so the existing credential report${when} was used`)
  }
  return { rows, notes }
}

/**
 * The report's flagged users confirmed with ListAccessKeys (key ids, and what is still true of
 * a report that may be hours old), and GetAccessKeyLastUsed where the report cannot tell.
 */
async function confirmCredentialReport(iam: IAMClient, credentialReport: ReadCredentialReport, options: InventoryOptions): Promise<Inventory> {
  const { policy, now, log } = options
  const { rows } = credentialReport
  const keys: KeyRecord[] = []
  const flagged = []
  for (const row of rows) {
    const needsIds = !row.isRoot && row.keys.some((k) => classifyKey(k, policy, now) !== null)
    if (needsIds) flagged.push(row)
    else keys.push(...row.keys)
  }
  log.info(`credential report: ${rows.length} rows, ${flagged.length} users to confirm with ListAccessKeys`)
  const confirmed = await mapLimit(flagged, options.concurrency, async (row) =>
    mergeLastUse(await listUserKeys(iam, row.userName, row.userArn), row.keys)
  )
  // Last use the report cannot tell apart is looked up, only where the unused rule needs it.
  const unknown = confirmed.flatMap((c) => c.unknown).filter((k) => k.status === 'Active')
  const gone = policy.maxUnusedDays === null ? new Set() : await lookUpLastUse(iam, unknown, options.concurrency)
  keys.push(...confirmed.flatMap((c) => c.keys).filter((k) => !gone.has(k)))
  return { dataSource: 'credential-report', users: iamUserCount(rows), keys, notes: [...credentialReport.notes] }
}

/**
 * Credential report path: a constant number of calls for the whole account, then
 * ListAccessKeys only for users whose report row breaks the policy (to get key ids and
 * to confirm against a report that may be hours old).
 */
export async function inventoryFromCredentialReport(iam: IAMClient, options: InventoryOptions): Promise<Inventory> {
  return confirmCredentialReport(iam, await readCredentialReport(iam, options), options)
}

/** Listing path: ListUsers, then ListAccessKeys per user, concurrently within a bound. */
export async function inventoryFromApi(iam: IAMClient, options: InventoryOptions): Promise<Inventory> {
  const { policy, log } = options
  const users: { name: string; arn: string }[] = []
  await call('iam:ListUsers', async () => {
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {})) {
      for (const u of page.Users ?? []) if (u.UserName && u.Arn) users.push({ name: u.UserName, arn: u.Arn })
    }
  })
  log.info(`ListUsers: ${users.length} users`)
  const listed = (await mapLimit(users, options.concurrency, (u) => listUserKeys(iam, u.name, u.arn))).flat()
  // Last use costs one call per key: made only when the unused rule needs it.
  const needLastUse = policy.maxUnusedDays === null ? [] : listed.filter((k) => k.status === 'Active')
  const gone = await lookUpLastUse(iam, needLastUse, options.concurrency)
  const keys = listed.filter((k) => !gone.has(k))
  return { dataSource: 'api', users: users.length, keys, notes: [] }
}

/**
 * `auto`: the credential report, and listing when the report cannot be got or read. A failed
 * confirmation is not a reason to list: listing makes the same calls for every user, so it
 * would fail the same way, only slower (throttling) or with more calls.
 */
export async function collectInventory(iam: IAMClient, options: InventoryOptions): Promise<Inventory> {
  if (options.dataSource === 'api') return inventoryFromApi(iam, options)
  if (options.dataSource === 'credential-report') return inventoryFromCredentialReport(iam, options)
  let credentialReport: ReadCredentialReport
  try {
    credentialReport = await readCredentialReport(iam, options)
  } catch (err) {
    const reason = errorMessage(err)
    options.log.warning(`Credential report unavailable (${reason}); listing users and keys instead`)
    const inventory = await inventoryFromApi(iam, options)
    inventory.notes.push(`fell back to listing users and keys: ${reason}`)
    return inventory
  }
  return confirmCredentialReport(iam, credentialReport, options)
}
