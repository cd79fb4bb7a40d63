import { describe, expect, it } from '@jest/globals'
import { AwsCallError, describeAwsError, isAccessDenied, redactKeyIds } from '../../../src/aws/errors.js'

const error = (name: string, message: string) => Object.assign(new Error(message), { name })

describe('AWS error messages', () => {
  it('names the permission, and says to grant it when denied', () => {
    expect(describeAwsError('iam:ListUsers', error('AccessDenied', 'no'))).toBe(
      'iam:ListUsers was denied (AccessDenied: no). Grant iam:ListUsers to the credentials the action uses.'
    )
    expect(describeAwsError('iam:ListUsers', error('ServiceFailure', 'boom'))).toBe('iam:ListUsers failed (ServiceFailure: boom)')
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

  it('sees AccessDenied through an AwsCallError', () => {
    expect(isAccessDenied(new AwsCallError('iam:ListUserTags', error('AccessDenied', 'no')))).toBe(true)
    expect(isAccessDenied(new AwsCallError('iam:ListUserTags', error('Throttling', 'slow')))).toBe(false)
  })
})
