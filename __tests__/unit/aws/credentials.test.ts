import { describe, expect, it } from '@jest/globals'
import { maskedCredentials } from '../../../src/aws/credentials.js'

const EXPIRATION = new Date('2026-11-24T13:00:00Z')
const STS_CREDENTIALS = {
  AccessKeyId: 'ASIAEXAMPLE000000001',
  SecretAccessKey: 'secret-part',
  SessionToken: 'token-part',
  Expiration: EXPIRATION
}

describe('maskedCredentials', () => {
  it('masks every secret part before handing the session over in the SDK shape', () => {
    const masked: string[] = []
    expect(maskedCredentials(STS_CREDENTIALS, (v) => masked.push(v))).toEqual({
      accessKeyId: 'ASIAEXAMPLE000000001',
      secretAccessKey: 'secret-part',
      sessionToken: 'token-part',
      expiration: EXPIRATION
    })
    expect(masked).toEqual(['ASIAEXAMPLE000000001', 'secret-part', 'token-part'])
  })

  it('is null, masking nothing, when STS left a part out', () => {
    const masked: string[] = []
    expect(maskedCredentials(undefined, (v) => masked.push(v))).toBeNull()
    expect(maskedCredentials({ ...STS_CREDENTIALS, SessionToken: undefined }, (v) => masked.push(v))).toBeNull()
    expect(masked).toEqual([])
  })
})
