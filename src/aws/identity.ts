// Who the credentials belong to, asked of STS.
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import { call } from './errors.js'

/** Who the credentials belong to: the account, and the ARN (whose partition member roles share). */
export async function callerIdentity(sts: STSClient): Promise<{ accountId: string; arn: string }> {
  const out = await call('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})))
  if (!out.Account) throw new Error('sts:GetCallerIdentity returned no account id')
  return { accountId: out.Account, arn: out.Arn ?? '' }
}

/** The account the credentials belong to. */
export async function callerAccountId(sts: STSClient): Promise<string> {
  return (await callerIdentity(sts)).accountId
}
