// How long one HTTP attempt to AWS or GitHub may go unanswered before it is cut and retried.
//
// 30 s per attempt: AWS's IAM, STS, SNS and Organizations calls and GitHub's REST calls answer
// in well under a second, so 30 s is only ever reached by a connection that went dead. The
// deadline runs to the response's headers, and then again for any 30 s with no data while
// the body streams, so a credential report of several MB is not cut for its size. With at
// most 3 cut attempts an AWS call gives up after about 1.5 min (4 attempts, about 2.2 min,
// for GitHub's retry plugin), instead of holding the step until the job's own timeout.

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

/**
 * IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS overrides the deadline, for tests (a hang is cut in 1 s
 * instead of 30); it is not an input and not documented for users. Read here only.
 */
export function requestTimeoutMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS)
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_REQUEST_TIMEOUT_MS
}

/** `30 s`, `1.5 s`: deadlines as a person reads them. */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

/**
 * A request cut at its deadline (a GitHub request, the runner's token request), naming it:
 * `GET /repos/acme/infra/issues timed out after 30 s`. Thrown inside the request, so a retry
 * layer retries it like a network error. (AWS calls are cut by the SDK, with errors of its own.)
 */
export class RequestTimeoutError extends Error {
  constructor(
    readonly request: string,
    readonly timeoutMs: number
  ) {
    super(`${request} timed out after ${formatSeconds(timeoutMs)}`)
    this.name = 'RequestTimeoutError'
  }
}
