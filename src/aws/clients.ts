// The client every run needs first (STS), and every client's options. The other clients are
// built where they are used, loaded on demand: IAM (aws/iam-client.ts, loaded while the first
// call is on the wire), SNS (sinks/sns.ts), Organizations (aws/organization.ts), Security Hub
// (aws/security-hub-client.ts). Importing their SDK packages here would load them, 1 MiB of the
// bundle, before every run's first AWS call.
import { STSClient } from '@aws-sdk/client-sts'
import { requestTimeoutMs } from '../core/deadline.js'
import { userAgentPairs } from '../core/user-agent.js'
import { SentryRetryStrategy } from './retry-strategy.js'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types'

export interface AwsClientConfig {
  region: string
  /** Undefined: the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
}

// Adaptive retry backs off on throttling, 5xx and dropped connections and rate-limits the
// client itself; AccessDenied is not retryable in the SDK, so it surfaces at once.
const MAX_ATTEMPTS = 8

/**
 * Every client's retry and deadlines. requestTimeout alone only logs a warning in
 * @smithy/node-http-handler: throwOnRequestTimeout makes it cut the request with a
 * TimeoutError, which the retry strategy retries (at most 3 cut attempts, see
 * retry-strategy.ts). socketTimeout cuts a response whose body stops arriving. The user agent
 * names the action, its version and the workflow run in CloudTrail (core/user-agent.ts).
 */
export function clientOptions(config: AwsClientConfig) {
  const deadline = requestTimeoutMs(process.env)
  return {
    maxAttempts: MAX_ATTEMPTS,
    retryStrategy: new SentryRetryStrategy(MAX_ATTEMPTS),
    requestHandler: { connectionTimeout: 5_000, requestTimeout: deadline, socketTimeout: deadline, throwOnRequestTimeout: true },
    region: config.region,
    credentials: config.credentials,
    customUserAgent: userAgentPairs(process.env)
  }
}

export function createStsClient(config: AwsClientConfig): STSClient {
  return new STSClient(clientOptions(config))
}
