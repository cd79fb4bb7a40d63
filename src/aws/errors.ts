// Turn AWS SDK errors into messages a security engineer can act on.
import { formatSeconds } from '../core/deadline.js'
import { plural } from '../core/plural.js'

interface AwsErrorLike {
  name?: string
  message?: string
  Code?: string
  code?: string
  $metadata?: { httpStatusCode?: number; attempts?: number }
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError', // SNS
  'AuthorizationErrorException'
])

export function errorName(err: unknown): string {
  const e = err as AwsErrorLike
  return e?.name ?? e?.Code ?? 'Error'
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

export function isAccessDenied(err: unknown): boolean {
  if (err instanceof AwsCallError) return isAccessDenied(err.cause)
  return DENIED.has(errorName(err))
}

/** The user or key is gone (deleted since it was listed or reported). IAM's Query and JSON names. */
export function isNoSuchEntity(err: unknown): boolean {
  const name = errorName(err)
  return name === 'NoSuchEntity' || name === 'NoSuchEntityException'
}

/**
 * The session's token has expired (query protocols: ExpiredToken; JSON ones:
 * ExpiredTokenException), as the AwsCallError's cause or the SDK's error itself.
 */
export function isExpiredToken(err: unknown): boolean {
  if (err instanceof AwsCallError) return isExpiredToken(err.cause)
  const name = errorName(err)
  return name === 'ExpiredToken' || name === 'ExpiredTokenException'
}

/**
 * LimitExceeded: IAM answers it to GenerateCredentialReport when too many report tasks run
 * account-wide; the existing report is used at once, never waited or retried for.
 */
export function isLimitExceeded(err: unknown): boolean {
  const name = errorName(err)
  return name === 'LimitExceeded' || name === 'LimitExceededException'
}

/** A failure that names the AWS permission it needs (`iam:ListUsers`). */
export class AwsCallError extends Error {
  constructor(
    readonly permission: string,
    readonly cause: unknown
  ) {
    super(describeAwsError(permission, cause))
    this.name = 'AwsCallError'
  }
}

/** AWS quotes key ids in some errors; messages go to logs and summaries, so only a masked form. */
export function redactKeyIds(text: string): string {
  return text.replace(/\b(AKIA|ASIA)[A-Z0-9]{12}([A-Z0-9]{4})\b/g, '$1…$2')
}

/**
 * The deadline (ms) an attempt was cut at, when err is such a cut: @smithy/node-http-handler's
 * TimeoutError for its requestTimeout (no answer) or socketTimeout (the body stalled).
 */
export function deadlineMs(err: unknown): number | null {
  if (errorName(err) !== 'TimeoutError') return null
  const match = /exceeded the configured (\d+) ms requestTimeout|timed out after (\d+) ms|establish a connection with the server within the configured timeout of (\d+) ms/.exec(
    errorMessage(err)
  )
  return match ? Number(match[1] ?? match[2] ?? match[3]) : null
}

/**
 * A connection closed under a request (Node's ECONNRESET, "socket hang up"). The SDK names
 * these TimeoutError, which misleads: nothing waited, the other end hung up.
 */
export function isConnectionReset(err: unknown): boolean {
  const code = (err as AwsErrorLike)?.code
  return code === 'ECONNRESET' || code === 'EPIPE' || /\bsocket hang up\b|\bECONNRESET\b/.test(errorMessage(err))
}

/** `3 attempts`: the SDK retried before giving up. */
function attempts(err: unknown): string {
  return plural((err as AwsErrorLike)?.$metadata?.attempts ?? 1, 'attempt')
}

/**
 * The SDK found no credentials, or the ones it found cannot be used (an SSO session that
 * expired): its own message names the providers it tried, not what to set.
 */
export function isMissingCredentials(err: unknown): boolean {
  const name = errorName(err)
  return name === 'CredentialsProviderError' || name === 'TokenProviderError'
}

/** What to set when there are no credentials: the CLI's ways first, then the action's. */
export const NO_CREDENTIALS_HINT =
  'No usable AWS credentials were found. Set a profile (--profile NAME or AWS_PROFILE; for an SSO profile, ' +
  'run `aws sso login --profile NAME` first), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN ' +
  'for temporary credentials) in the environment. In the action, set role-to-assume and give the job the permission id-token: write.'

export function describeAwsError(permission: string, err: unknown): string {
  const cut = deadlineMs(err)
  if (cut !== null) return `${permission} timed out after ${formatSeconds(cut)} (no answer to ${attempts(err)})`
  if (isConnectionReset(err)) {
    return `${permission} failed: the connection was reset before AWS answered (${attempts(err)})`
  }
  const detail = redactKeyIds(`${errorName(err)}: ${errorMessage(err)}`)
  if (isAccessDenied(err)) {
    return `${permission} was denied (${detail}). Grant ${permission} to the credentials the action uses.`
  }
  if (isMissingCredentials(err)) return `${permission} failed (${detail}). ${NO_CREDENTIALS_HINT}`
  return `${permission} failed (${detail})`
}

/** Run one AWS call; on failure throw an AwsCallError that names its permission. */
export async function call<T>(permission: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (err instanceof AwsCallError) throw err
    throw new AwsCallError(permission, err)
  }
}
