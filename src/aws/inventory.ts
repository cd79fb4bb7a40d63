import {
  GetAccessKeyLastUsedCommand,
  GetLoginProfileCommand,
  paginateListAccessKeys,
  paginateListUsers,
  type IAMClient
} from '@aws-sdk/client-iam'
import { failFastPool, mapLimit, type Pool } from '../core/concurrency.js'
import { classifyKey, classifyKeys, createdAtSetup, moreSevere } from '../core/policy.js'
import type { DataSourceChoice, Inventory, KeyRecord, Logger, Policy } from '../core/model.js'
import { fetchCredentialReport, type CredentialReportPolling } from './credential-report.js'
import { iamUserCount, parseCredentialReport, type CredentialReportRow } from './credential-report-csv.js'
import { AwsCallError, call, errorMessage, errorName, isAccessDenied, isNoSuchEntity } from './errors.js'
import { readTagsOf, type TagRead } from './tags.js'

export interface InventoryOptions {
  dataSource: DataSourceChoice
  policy: Policy
  now: Date
  /** IAM calls in flight at once (per-user confirmations and listings). */
  concurrency: number
  log: Logger
  /** How the credential report is waited for (tests shorten it). */
  credentialReportPolling?: CredentialReportPolling
  /**
   * User tags the scan will need for users with findings: read on the report path alongside the
   * confirmations, for the users it confirms (those left out by `skip` need none).
   */
  tags?: TagRequest
}

export interface TagRequest {
  keys: string[]
  skip: (userName: string) => boolean
}

/** An inventory, with the tags read on the way (the report path, when asked for). */
export interface CollectedInventory extends Inventory {
  tagRead?: TagRead
}

/** What is known of a key's user: the setup-key rule's inputs (KeyRecord). */
type UserFacts = Pick<KeyRecord, 'passwordEnabled' | 'userCreatedAt'>

/** Every key of one user, with ids; [] when the user was deleted since the report. */
async function listUserKeys(iam: IAMClient, userName: string, userArn: string, user: UserFacts): Promise<KeyRecord[]> {
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
          isRoot: false,
          passwordEnabled: user.passwordEnabled ?? null,
          userCreatedAt: user.userCreatedAt ?? null
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
async function lookUpLastUse(iam: IAMClient, keys: KeyRecord[], limit: Pool): Promise<Set<KeyRecord>> {
  const gone = new Set<KeyRecord>()
  await Promise.all(keys.map((key) => limit(async () => {
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
  })))
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
 * a report that may be hours old), GetAccessKeyLastUsed where the report cannot tell, and their
 * tags when asked for: all through one pool, so no phase waits for the last call of another.
 */
async function confirmCredentialReport(iam: IAMClient, credentialReport: ReadCredentialReport, options: InventoryOptions): Promise<CollectedInventory> {
  const { policy, now, log } = options
  const { rows } = credentialReport
  const keys: KeyRecord[] = []
  const flagged = []
  for (const row of rows) {
    const needsIds = !row.isRoot && classifyKeys(row.keys, policy, now).some((kind) => kind !== null)
    if (needsIds) flagged.push(row)
    else keys.push(...row.keys)
  }
  log.info(`credential report: ${rows.length} rows, ${flagged.length} users to confirm with ListAccessKeys`)
  // The first failed call fails the account: the calls queued behind it are not made.
  const limit = failFastPool(options.concurrency)
  const gone = new Set<KeyRecord>()
  const confirming = Promise.all(
    flagged.map(async (row) => {
      const { keys: listed, unknown } = mergeLastUse(await limit(() => listUserKeys(iam, row.userName, row.userArn, row.keys[0] ?? {})), row.keys)
      // Last use the report cannot tell apart is looked up, only where the unused or the
      // setup-key rule needs it.
      const lookUp = unknown.filter((k) => k.status === 'Active' && (policy.maxUnusedDays !== null || isSetupCandidate(k, policy, now)))
      for (const k of await lookUpLastUse(iam, lookUp, limit)) gone.add(k)
      return listed
    })
  )
  // Queued after the confirmations: their last-use look-ups join the queue as they finish.
  const { tags } = options
  const reading = tags
    ? readTagsOf(iam, flagged.filter((r) => !tags.skip(r.userName)).map((r) => r.userName), tags.keys, { totalUsers: iamUserCount(rows), limit })
    : Promise.resolve(undefined)
  const [confirmed, tagRead] = await Promise.all([confirming, reading])
  keys.push(...confirmed.flat().filter((k) => !gone.has(k)))
  return { dataSource: 'credential-report', users: iamUserCount(rows), keys, notes: [...credentialReport.notes], tagRead }
}

/**
 * Credential report path: a constant number of calls for the whole account, then
 * ListAccessKeys only for users whose report row breaks the policy (to get key ids and
 * to confirm against a report that may be hours old).
 */
export async function inventoryFromCredentialReport(iam: IAMClient, options: InventoryOptions): Promise<CollectedInventory> {
  return confirmCredentialReport(iam, await readCredentialReport(iam, options), options)
}

/**
 * Could the key be a setup-key: active, an IAM user's, made within 24 hours of its user, and with
 * no more severe kind of its own? Whether the user has a console password and whether the key was
 * ever used may not be known yet: that is what is looked up for a candidate.
 */
function isSetupCandidate(key: KeyRecord, policy: Policy, now: Date): boolean {
  if (key.isRoot || key.status !== 'Active' || key.passwordEnabled === false || !createdAtSetup(key)) return false
  const own = classifyKey({ ...key, passwordEnabled: null }, policy, now)
  return own === null || moreSevere('setup-key', own)
}

/**
 * GetLoginProfile for each user (one call a user), filled into each of their keys:
 * NoSuchEntity means no console password. Null when denied (the note says so): the setup-key rule
 * is then not applied to that user rather than failing the scan for a permission older setups lack.
 */
async function lookUpConsolePasswords(iam: IAMClient, keys: KeyRecord[], concurrency: number): Promise<string | null> {
  const users = [...new Set(keys.map((k) => k.userName))]
  let denied: string | null = null
  const password = new Map<string, boolean | null>()
  await mapLimit(users, concurrency, async (userName) => {
    try {
      await iam.send(new GetLoginProfileCommand({ UserName: userName }))
      password.set(userName, true)
    } catch (err) {
      if (isNoSuchEntity(err)) return void password.set(userName, false)
      if (!isAccessDenied(err)) throw new AwsCallError('iam:GetLoginProfile', err)
      denied ??= `${errorName(err)}: ${errorMessage(err)}`
      password.set(userName, null)
    }
  })
  for (const key of keys) key.passwordEnabled = password.get(key.userName) ?? null
  return denied === null ? null : `setup-key was not checked for ${users.length === 1 ? 'a user' : 'some users'}: iam:GetLoginProfile was denied (${denied})`
}

/**
 * Listing path: ListUsers, then ListAccessKeys per user, concurrently within a bound. The setup-key
 * rule costs calls only for its candidates (keys made within 24 hours of their user): their last
 * use, where not already looked up, and GetLoginProfile for the users of those never used.
 */
export async function inventoryFromApi(iam: IAMClient, options: InventoryOptions): Promise<Inventory> {
  const { policy, log, now } = options
  const users: { name: string; arn: string; createdAt: Date | null }[] = []
  await call('iam:ListUsers', async () => {
    for await (const page of paginateListUsers({ client: iam, pageSize: 1000 }, {})) {
      for (const u of page.Users ?? []) if (u.UserName && u.Arn) users.push({ name: u.UserName, arn: u.Arn, createdAt: u.CreateDate ?? null })
    }
  })
  log.info(`ListUsers: ${users.length} users`)
  const listed = (
    await mapLimit(users, options.concurrency, (u) => listUserKeys(iam, u.name, u.arn, { passwordEnabled: null, userCreatedAt: u.createdAt }))
  ).flat()
  // Last use costs one call per key: made only when the unused rule needs it...
  const needLastUse = policy.maxUnusedDays === null ? [] : listed.filter((k) => k.status === 'Active')
  const limit = failFastPool(options.concurrency)
  const gone = await lookUpLastUse(iam, needLastUse, limit)
  // ...and for the setup-key candidates.
  const candidates = listed.filter((k) => !gone.has(k) && isSetupCandidate(k, policy, now))
  const lookedUp = new Set(needLastUse)
  for (const k of await lookUpLastUse(iam, candidates.filter((k) => !lookedUp.has(k)), limit)) gone.add(k)
  const neverUsed = candidates.filter((k) => !gone.has(k) && k.lastUsedAt === null)
  const notes: string[] = []
  if (candidates.length > 0) log.info(`setup-key: ${candidates.length} keys made within 24 hours of their user, ${neverUsed.length} never used`)
  const denied = neverUsed.length > 0 ? await lookUpConsolePasswords(iam, neverUsed, options.concurrency) : null
  if (denied) notes.push(denied)
  const keys = listed.filter((k) => !gone.has(k))
  return { dataSource: 'api', users: users.length, keys, notes }
}

/**
 * `auto`: the credential report, and listing when the report cannot be got or read. A failed
 * confirmation is not a reason to list: listing makes the same calls for every user, so it
 * would fail the same way, only slower (throttling) or with more calls.
 */
export async function collectInventory(iam: IAMClient, options: InventoryOptions): Promise<CollectedInventory> {
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
