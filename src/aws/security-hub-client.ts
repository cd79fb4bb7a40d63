// Security Hub's client, apart from aws/clients.ts: its SDK package is the biggest in the bundle
// (500 KiB), loaded only with the Security Hub sink (main.ts imports that sink on demand).
import { SecurityHubClient } from '@aws-sdk/client-securityhub'
import { clientOptions, type AwsClientConfig } from './clients.js'

export function createSecurityHubClient(config: AwsClientConfig): SecurityHubClient {
  return new SecurityHubClient(clientOptions(config))
}
