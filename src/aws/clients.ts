import { IAMClient } from '@aws-sdk/client-iam'
import { OrganizationsClient } from '@aws-sdk/client-organizations'
import { SNSClient } from '@aws-sdk/client-sns'
import { STSClient } from '@aws-sdk/client-sts'
import { SentryRetryStrategy } from './retry-strategy.js'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types'

export interface AwsClientConfig {
  region: string
  /** Undefined: the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
}

// Adaptive retry backs off on throttling, 5xx and dropped connections and rate-limits the
// client itself; AccessDenied is not retryable in the SDK, so it surfaces at once. Timeouts
// keep a hung connection from holding the step: with 8 attempts, one call gives up after
// at most 8 x 60 s plus the backoff (capped at 20 s a retry).
const MAX_ATTEMPTS = 8
const RETRY = {
  maxAttempts: MAX_ATTEMPTS,
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 }
} as const

export function createIamClient(config: AwsClientConfig): IAMClient {
  return new IAMClient({
    ...RETRY,
    retryStrategy: new SentryRetryStrategy(MAX_ATTEMPTS),
    region: config.region,
    credentials: config.credentials
  })
}

export function createStsClient(config: AwsClientConfig): STSClient {
  return new STSClient({ ...RETRY, retryMode: 'adaptive', region: config.region, credentials: config.credentials })
}

export function createSnsClient(config: AwsClientConfig): SNSClient {
  return new SNSClient({ ...RETRY, retryMode: 'adaptive', region: config.region, credentials: config.credentials })
}

export function createOrganizationsClient(config: AwsClientConfig): OrganizationsClient {
  // A global service: the SDK's endpoint rules send every region of a partition to its one endpoint.
  return new OrganizationsClient({ ...RETRY, retryMode: 'adaptive', region: config.region, credentials: config.credentials })
}
