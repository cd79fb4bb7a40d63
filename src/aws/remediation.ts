// Remediation's AWS half (DESIGN.md, Remediation): re-read one key live by its id alone, and
// the two writes, each on exactly the user and key it is given.
//
// What IAM answers, and what this module makes of it:
// - GetAccessKeyLastUsed({AccessKeyId}) names the owning user (UserName) and the key's last
//   use; ServiceName 'N/A' (and no LastUsedDate) means never used since IAM began tracking.
//   Its only modelled error was NoSuchEntity (404, older API reference); the current model
//   lists none beyond the common errors, and AWS documents neither what it answers for a key
//   of another account nor for the root user's key. So nothing here trusts that answer alone:
//   - NoSuchEntity (an unknown id, a deleted key) -> null;
//   - AccessDenied (missing permission, or the key is another account's and IAM evaluates the
//     call against a user there) -> AwsCallError, which the caller reports as denied, per key;
//   - a UserName is confirmed by finding the key in ListAccessKeys({UserName}) of this
//     account: a key of another account answered with a user name (moto does this: it looks
//     the id up across all of its accounts) is not there, or the user is not here -> null.
// - The root user is not an IAM user: its key comes back with no UserName, or a name that no
//   IAM user of this account owns the key under ('root', '<root_account>' as in the
//   credential report). Such a key is isRoot, and the root user's keys are never listed
//   (ListAccessKeys without UserName lists the caller's own keys): its status and creation
//   are not known here, only its last use. A real IAM user named `root` is still found as one.
import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  UpdateAccessKeyCommand,
  paginateListAccessKeys,
  type AccessKeyMetadata,
  type IAMClient
} from '@aws-sdk/client-iam'
import { AwsCallError, isNoSuchEntity } from './errors.js'

interface KeyFactsBase {
  accessKeyId: string
  lastUsedAt: Date | null
  /** null: never used (IAM answers 'N/A'). */
  lastUsedService: string | null
}

/** A key of an IAM user of this account, as ListAccessKeys and GetAccessKeyLastUsed say now. */
export interface UserKeyFacts extends KeyFactsBase {
  userName: string
  isRoot: false
  status: 'Active' | 'Inactive'
  createdAt: Date
}

/**
 * The root user's key: never touched, so never listed; its status and creation date are not
 * known (only the root user's own credentials could list them).
 */
export interface RootKeyFacts extends KeyFactsBase {
  /** As the credential report names the root user. */
  userName: '<root_account>'
  isRoot: true
  status: null
  createdAt: null
}

/** What IAM says about one key now, looked up by its id alone. null: not a key of this account (or deleted). */
export type LiveKeyFacts = UserKeyFacts | RootKeyFacts

export const ROOT_USER_NAME = '<root_account>'

/** Names under which IAM may answer for the root user's key (none of them proves it alone). */
const ROOT_NAMES = new Set(['root', ROOT_USER_NAME])

/** IAM's user name pattern and length: anything else cannot be passed to ListAccessKeys. */
const IAM_USER_NAME = /^[\w+=,.@-]{1,128}$/

/** The key's metadata in the user's listing; null when the user does not exist or has no such key. */
async function findListedKey(iam: IAMClient, userName: string, accessKeyId: string): Promise<AccessKeyMetadata | null> {
  try {
    for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
      const key = (page.AccessKeyMetadata ?? []).find((k) => k.AccessKeyId === accessKeyId)
      if (key) return key
    }
  } catch (err) {
    if (isNoSuchEntity(err)) return null
    throw new AwsCallError('iam:ListAccessKeys', err)
  }
  return null
}

export async function lookUpKey(iam: IAMClient, accessKeyId: string): Promise<LiveKeyFacts | null> {
  let out
  try {
    out = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: accessKeyId }))
  } catch (err) {
    if (isNoSuchEntity(err)) return null
    throw new AwsCallError('iam:GetAccessKeyLastUsed', err)
  }
  const used = out.AccessKeyLastUsed
  const lastUse = {
    accessKeyId,
    lastUsedAt: used?.LastUsedDate ?? null,
    lastUsedService: used?.ServiceName && used.ServiceName !== 'N/A' ? used.ServiceName : null
  }
  const userName = out.UserName ?? ''
  const maybeRoot = userName === '' || ROOT_NAMES.has(userName)
  const listed = IAM_USER_NAME.test(userName) ? await findListedKey(iam, userName, accessKeyId) : null
  if (listed?.CreateDate) {
    return {
      ...lastUse,
      userName,
      isRoot: false,
      status: listed.Status === 'Active' ? 'Active' : 'Inactive',
      createdAt: listed.CreateDate
    }
  }
  if (maybeRoot) return { ...lastUse, userName: ROOT_USER_NAME, isRoot: true, status: null, createdAt: null }
  return null
}

/**
 * UpdateAccessKey on exactly this user's key. One call: UpdateAccessKey sets a status, so the
 * SDK's own retry of an attempt that may have been applied (5xx, a cut connection) is harmless.
 */
export async function setKeyStatus(
  iam: IAMClient,
  userName: string,
  accessKeyId: string,
  status: 'Active' | 'Inactive'
): Promise<void> {
  try {
    await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status }))
  } catch (err) {
    throw new AwsCallError('iam:UpdateAccessKey', err)
  }
}

/**
 * DeleteAccessKey on exactly this user's key. One call, but DeleteAccessKey is not idempotent:
 * when the SDK retries an attempt whose answer was lost (5xx, a cut connection) after IAM had
 * deleted the key, the retry answers NoSuchEntity. The caller has just found the key live, so
 * NoSuchEntity here means it is already deleted: that is success, not a failure to report.
 */
export async function deleteKey(iam: IAMClient, userName: string, accessKeyId: string): Promise<void> {
  try {
    await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }))
  } catch (err) {
    if (isNoSuchEntity(err)) return
    throw new AwsCallError('iam:DeleteAccessKey', err)
  }
}
