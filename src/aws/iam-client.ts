// IAM's client, apart from aws/clients.ts: IAM's SDK package is the costliest module to load at
// start-up (it defines every IAM operation's schema), and a run's first call is STS's. It is
// imported with the scan (scan/accounts.ts), which loads it while that first call is on the wire.
import { IAMClient } from '@aws-sdk/client-iam'
import { clientOptions, type AwsClientConfig } from './clients.js'

export function createIamClient(config: AwsClientConfig): IAMClient {
  return new IAMClient(clientOptions(config))
}
