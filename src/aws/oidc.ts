// Exchange the workflow's OIDC token for an AWS session (AssumeRoleWithWebIdentity).
// The token source and the masking are passed in, so this module does not need @actions/core.
import { AssumeRoleWithWebIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@aws-sdk/types'
import pRetry from 'p-retry'
import { formatSeconds, RequestTimeoutError } from '../core/deadline.js'
import { plural } from '../core/plural.js'
import { maskedCredentials } from './credentials.js'
import { describeAwsError, errorMessage, errorName } from './errors.js'
import { MAX_TIMED_OUT_ATTEMPTS } from './retry-strategy.js'

export interface OidcOptions {
  roleArn: string
  audience: string
  sessionName: string
  durationSeconds: number
}

export interface OidcDeps {
  /** The runner's ID token for an audience, with a deadline (the action's fetchIdToken). */
  getIdToken: (audience: string) => Promise<string>
  /** Hide a value from the log (core.setSecret). */
  mask: (value: string) => void
  sts: STSClient
  /** Backoff settings; tests shorten them. */
  retry?: { retries?: number; minTimeout?: number; maxTimeout?: number }
}

export const ID_TOKEN_PERMISSION_HINT = [
  'permissions:',
  '  id-token: write',
  '  contents: read'
].join('\n')

/** A failure that retrying cannot fix: told to the user as it is. */
export class OidcError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'OidcError'
  }
}

/** @actions/core reports the token endpoint's status only inside its message. */
function tokenStatus(err: unknown): number | null {
  const match = /Error Code\s*:\s*(\d{3})/.exec(errorMessage(err))
  return match ? Number(match[1]) : null
}


function transientTokenError(err: unknown): boolean {
  const status = tokenStatus(err)
  // No status: the request never got an answer (reset, timeout): worth another try.
  return status === null || status === 429 || status >= 500
}

// STS throttling, 5xx, resets and timeouts are retried inside the SDK client (retried again
// here, a hung STS would be waited on 5 times over); IDPCommunicationError (STS could not
// reach GitHub's OIDC keys) is transient too, but the SDK does not retry it.
const STS_TRANSIENT = new Set(['IDPCommunicationError', 'IDPCommunicationErrorException'])

function trustPolicyHint(roleArn: string): string {
  const repo = process.env.GITHUB_REPOSITORY ?? 'OWNER/REPO'
  const ref = process.env.GITHUB_REF ?? 'refs/heads/main'
  return (
    `STS refused to let this workflow assume ${roleArn}. Check the role's trust policy: ` +
    `the principal must be the federated provider token.actions.githubusercontent.com, ` +
    `"token.actions.githubusercontent.com:aud" must be the audience input, and ` +
    `"token.actions.githubusercontent.com:sub" must match this run, e.g. "repo:${repo}:ref:${ref}" ` +
    `(or "repo:${repo}:environment:NAME" for a job with an environment, "repo:${repo}:pull_request" for pull requests).`
  )
}

export async function assumeRoleWithOidc(options: OidcOptions, deps: OidcDeps): Promise<AwsCredentialIdentity> {
  const retry = { retries: 4, minTimeout: 500, maxTimeout: 8_000, randomize: true, ...deps.retry }
  if (!process.env.ACTIONS_ID_TOKEN_REQUEST_URL || !process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new OidcError(
      `role-to-assume is set, but the runner offers no OIDC token: the workflow or job lacks the ` +
        `permission id-token: write. Add to the job (or the workflow):\n${ID_TOKEN_PERMISSION_HINT}`
    )
  }

  // A token service that does not answer is cut at its deadline (deps.getIdToken) and asked
  // again, at most MAX_TIMED_OUT_ATTEMPTS times in all, as an AWS call would be.
  let timedOut = 0
  const token = await pRetry(() => deps.getIdToken(options.audience), {
    ...retry,
    shouldRetry: ({ error }) => {
      if (error instanceof RequestTimeoutError) return ++timedOut < MAX_TIMED_OUT_ATTEMPTS
      return transientTokenError(error)
    }
  }).catch((err: unknown) => {
    const why = err instanceof RequestTimeoutError
      ? `the request timed out after ${formatSeconds(err.timeoutMs)} (no answer to ${plural(timedOut, 'attempt')})`
      : errorMessage(err)
    throw new OidcError(`Could not get the workflow's OIDC token for audience "${options.audience}": ${why}`, { cause: err })
  })
  deps.mask(token)

  const out = await pRetry(
    () =>
      deps.sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: options.roleArn,
          RoleSessionName: options.sessionName,
          WebIdentityToken: token,
          DurationSeconds: options.durationSeconds
        })
      ),
    { ...retry, shouldRetry: ({ error }) => STS_TRANSIENT.has(errorName(error)) }
  ).catch((err: unknown) => {
    const name = errorName(err)
    const detail = `${name}: ${errorMessage(err)}`
    if (name === 'AccessDenied' || name === 'AccessDeniedException') {
      throw new OidcError(`${trustPolicyHint(options.roleArn)} (${detail})`, { cause: err })
    }
    if (name === 'InvalidIdentityToken' || name === 'InvalidIdentityTokenException') {
      throw new OidcError(
        `STS rejected the OIDC token for ${options.roleArn} (${detail}). Check that the account has the ` +
          `identity provider token.actions.githubusercontent.com and that its audience list includes "${options.audience}".`,
        { cause: err }
      )
    }
    throw new OidcError(describeAwsError(`sts:AssumeRoleWithWebIdentity for ${options.roleArn}`, err), { cause: err })
  })

  const credentials = maskedCredentials(out.Credentials, deps.mask)
  if (!credentials) throw new OidcError('sts:AssumeRoleWithWebIdentity returned no credentials')
  return credentials
}
