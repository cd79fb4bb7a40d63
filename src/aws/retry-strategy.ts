import { AdaptiveRetryStrategy } from '@smithy/core/retry'
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types'

/**
 * The SDK's adaptive retry (throttling, 5xx, dropped connections, with client-side rate
 * limiting), except LimitExceeded: IAM answers it to GenerateCredentialReport when too many
 * report tasks run, and the right move is to use the existing report at once, not to wait.
 */
export class SentryRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'adaptive'
  private readonly inner: AdaptiveRetryStrategy

  constructor(maxAttempts: number) {
    this.inner = new AdaptiveRetryStrategy(maxAttempts)
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope)
  }

  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const name = (errorInfo.error as { name?: string } | undefined)?.name
    if (name === 'LimitExceededException' || name === 'LimitExceeded') {
      return Promise.reject(new Error('LimitExceeded is not retried'))
    }
    return this.inner.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo)
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token as StandardRetryToken)
  }
}
