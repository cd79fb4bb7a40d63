// Turn AWS SDK errors into messages a security engineer can act on.

interface AwsErrorLike {
  name?: string
  message?: string
  Code?: string
  $metadata?: { httpStatusCode?: number }
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

export function describeAwsError(permission: string, err: unknown): string {
  const detail = redactKeyIds(`${errorName(err)}: ${errorMessage(err)}`)
  if (isAccessDenied(err)) {
    return `${permission} was denied (${detail}). Grant ${permission} to the credentials the action uses.`
  }
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
