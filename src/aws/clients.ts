import { IAMClient } from '@aws-sdk/client-iam'
import { SNSClient } from '@aws-sdk/client-sns'
import { STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types'

export interface AwsClientConfig {
  region: string
  /** Undefined: the SDK's default credential chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider
}

// Adaptive retry backs off on throttling and 5xx and rate-limits the client itself;
// AccessDenied is not retryable in the SDK, so it surfaces at once.
const RETRY = { retryMode: 'adaptive', maxAttempts: 8 } as const

export function createIamClient(config: AwsClientConfig): IAMClient {
  return new IAMClient({ ...RETRY, region: config.region, credentials: config.credentials })
}

export function createStsClient(config: AwsClientConfig): STSClient {
  return new STSClient({ ...RETRY, region: config.region, credentials: config.credentials })
}

export function createSnsClient(config: AwsClientConfig): SNSClient {
  return new SNSClient({ ...RETRY, region: config.region, credentials: config.credentials })
}
