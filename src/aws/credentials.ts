// The session STS hands out (AssumeRoleWithWebIdentity, AssumeRole), masked and in the shape
// the SDK clients take.
import type { Credentials } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentity } from '@aws-sdk/types'

/**
 * STS `Credentials` as an AwsCredentialIdentity, each secret part masked first so that no log
 * line can show it; null when STS left a part out.
 */
export function maskedCredentials(c: Credentials | undefined, mask: (value: string) => void): AwsCredentialIdentity | null {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) return null
  mask(c.AccessKeyId)
  mask(c.SecretAccessKey)
  mask(c.SessionToken)
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }
}
