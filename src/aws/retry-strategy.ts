import { AdaptiveRetryStrategy } from '@smithy/core/retry'
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types'
import { deadlineMs, isLimitExceeded } from './errors.js'

/**
 * Attempts cut at the deadline before a call gives up. Throttling and 5xx get every attempt
 * (the endpoint answers, it is busy), but an endpoint that leaves three attempts of one call
 * unanswered (not connecting, or not answering) is down for this run: 8 x the deadline would hold the step for minutes to no avail.
 */
export const MAX_TIMED_OUT_ATTEMPTS = 3

/**
 * The SDK's adaptive retry (throttling, 5xx, dropped connections, with client-side rate
 * limiting), except LimitExceeded: IAM answers it to GenerateCredentialReport when too many
 * report tasks run, and the right move is to use the existing report at once, not to wait.
 * Attempts cut at the deadline are retried as network errors, at most MAX_TIMED_OUT_ATTEMPTS.
 */
export class SentryRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive'
  private readonly inner: AdaptiveRetryStrategy
  /** Timed-out attempts so far, by the token of the call's latest attempt. */
  private readonly timeouts = new WeakMap<RetryToken, number>()

  constructor(maxAttempts: number) {
    this.inner = new AdaptiveRetryStrategy(maxAttempts)
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope)
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (isLimitExceeded(errorInfo.error)) throw new Error('LimitExceeded is not retried')
    const timeouts = (this.timeouts.get(token) ?? 0) + (deadlineMs(errorInfo.error) === null ? 0 : 1)
    if (timeouts >= MAX_TIMED_OUT_ATTEMPTS) throw new Error(`${timeouts} attempts timed out`)
    const next = await this.inner.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo)
    this.timeouts.set(next, timeouts)
    return next
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token as StandardRetryToken)
  }
}
