import { describe, expect, it } from '@jest/globals'
import { AwsCallError, NO_CREDENTIALS_HINT, describeAwsError, isAccessDenied, isExpiredToken, isLimitExceeded, isNoSuchEntity, redactKeyIds } from '../../../src/aws/errors.js'

const error = (name: string, message: string) => Object.assign(new Error(message), { name })

describe('AWS error messages', () => {
  it('names the permission, and says to grant it when denied', () => {
    expect(describeAwsError('iam:ListUsers', error('AccessDenied', 'no'))).toBe(
      'iam:ListUsers was denied (AccessDenied: no). Grant iam:ListUsers to the credentials the action uses.'
    )
    expect(describeAwsError('iam:ListUsers', error('ServiceFailure', 'boom'))).toBe('iam:ListUsers failed (ServiceFailure: boom)')
  })

  it('says what to set when the SDK finds no credentials, or an SSO session has expired', () => {
    const none = error('CredentialsProviderError', 'Could not load credentials from any providers')
    expect(describeAwsError('sts:GetCallerIdentity', none)).toBe(
      `sts:GetCallerIdentity failed (CredentialsProviderError: Could not load credentials from any providers). ${NO_CREDENTIALS_HINT}`
    )
    for (const name of ['CredentialsProviderError', 'TokenProviderError']) {
      const hint = describeAwsError('sts:GetCallerIdentity', error(name, 'The SSO session has expired'))
      for (const what of ['--profile', 'AWS_PROFILE', 'aws sso login', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'role-to-assume', 'id-token: write']) {
        expect(hint).toContain(what)
      }
    }
    // Any other failure gets no such hint: its credentials were found.
    expect(describeAwsError('sts:GetCallerIdentity', error('InvalidClientTokenId', 'bad'))).not.toContain('No usable AWS credentials')
  })

  it('never quotes a full access key id: errors reach logs and summaries', () => {
    const message = describeAwsError(
      'iam:GetAccessKeyLastUsed',
      error('NoSuchEntityException', 'The Access Key with id AKIAROTATEDAWAY00002 cannot be found')
    )
    expect(message).toBe('iam:GetAccessKeyLastUsed failed (NoSuchEntityException: The Access Key with id AKIA…0002 cannot be found)')
    expect(redactKeyIds('ASIAABCDEFGHIJKL1234 and AKIAIOSFODNN7EXAMPLE')).toBe('ASIA…1234 and AKIA…MPLE')
    expect(redactKeyIds('AKIA123 is not a key id')).toBe('AKIA123 is not a key id')
  })

  // @smithy/node-http-handler's own errors, as the SDK throws them after its retries.
  const sdkError = (message: string, code: string | undefined, attempts: number) =>
    Object.assign(new Error(message), { name: 'TimeoutError', code, $metadata: { attempts } })

  it('says a call timed out, after how long and how many attempts, rather than quoting the SDK', () => {
    const noAnswer = sdkError('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.', 'ETIMEDOUT', 3)
    expect(describeAwsError('iam:GetCredentialReport', noAnswer)).toBe('iam:GetCredentialReport timed out after 30 s (no answer to 3 attempts)')
    const stalled = sdkError('@smithy/node-http-handler - the request socket timed out after 1500 ms of inactivity (configured by client requestHandler).', undefined, 1)
    expect(describeAwsError('iam:ListUsers', stalled)).toBe('iam:ListUsers timed out after 1.5 s (no answer to 1 attempt)')
    // A black-holed endpoint never connects: that is a timeout too (3 attempts, not 8).
    const noConnection = sdkError(
      '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 5000 ms.',
      undefined,
      3
    )
    expect(describeAwsError('sns:Publish', noConnection)).toBe('sns:Publish timed out after 5 s (no answer to 3 attempts)')
  })

  it('says the connection was reset for "socket hang up" and ECONNRESET, which the SDK names TimeoutError', () => {
    for (const err of [sdkError('socket hang up', 'ECONNRESET', 8), sdkError('read ECONNRESET', 'ECONNRESET', 8)]) {
      const message = describeAwsError('sts:GetCallerIdentity', err)
      expect(message).toBe('sts:GetCallerIdentity failed: the connection was reset before AWS answered (8 attempts)')
      expect(message).not.toMatch(/TimeoutError|timed out/)
    }
    expect(new AwsCallError('iam:ListUsers', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).message).toBe(
      'iam:ListUsers failed: the connection was reset before AWS answered (1 attempt)'
    )
  })

  it('sees AccessDenied through an AwsCallError', () => {
    expect(isAccessDenied(new AwsCallError('iam:ListUserTags', error('AccessDenied', 'no')))).toBe(true)
    expect(isAccessDenied(new AwsCallError('iam:ListUserTags', error('Throttling', 'slow')))).toBe(false)
  })

  it('knows an expired session token by both names, through an AwsCallError too', () => {
    expect(isExpiredToken(error('ExpiredToken', 'The security token included in the request is expired'))).toBe(true)
    expect(isExpiredToken(error('ExpiredTokenException', 'expired'))).toBe(true)
    expect(isExpiredToken(new AwsCallError('securityhub:GetFindings', error('ExpiredTokenException', 'expired')))).toBe(true)
    expect(isExpiredToken(new AwsCallError('securityhub:GetFindings', error('AccessDeniedException', 'no')))).toBe(false)
    expect(isExpiredToken(undefined)).toBe(false)
  })

  it('knows NoSuchEntity and LimitExceeded by the names of both IAM protocols', () => {
    expect(isNoSuchEntity(error('NoSuchEntity', 'gone'))).toBe(true)
    expect(isNoSuchEntity(error('NoSuchEntityException', 'gone'))).toBe(true)
    expect(isNoSuchEntity(error('AccessDenied', 'no'))).toBe(false)
    expect(isLimitExceeded(error('LimitExceeded', 'busy'))).toBe(true)
    expect(isLimitExceeded(error('LimitExceededException', 'busy'))).toBe(true)
    expect(isLimitExceeded(error('Throttling', 'slow'))).toBe(false)
    expect(isLimitExceeded(undefined)).toBe(false)
  })
})
