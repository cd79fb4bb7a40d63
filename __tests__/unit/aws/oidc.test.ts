import {
  AssumeRoleWithWebIdentityCommand,
  IDPCommunicationErrorException,
  InvalidIdentityTokenException,
  STSClient,
  STSServiceException
} from '@aws-sdk/client-sts'
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { RequestTimeoutError } from '../../../src/core/deadline.js'
import { assumeRoleWithOidc, OidcError, type OidcDeps, type OidcOptions } from '../../../src/aws/oidc.js'

const stsMock = mockClient(STSClient)
const sts = new STSClient({ region: 'us-east-1' })

const ROLE = 'arn:aws:iam::123456789012:role/iam-key-sentry'
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.the-runner-token.signature'
const EXPIRATION = new Date('2026-11-24T12:15:00Z')
const SESSION = {
  AccessKeyId: 'ASIASESSIONKEY000001',
  SecretAccessKey: 'session-secret-access-key',
  SessionToken: 'session-token-value',
  Expiration: EXPIRATION
}
const OPTIONS: OidcOptions = {
  roleArn: ROLE,
  audience: 'sts.amazonaws.com',
  sessionName: 'iam-key-sentry',
  durationSeconds: 900
}

/** How @actions/core's getIDToken reports a failed token request: the status only in the message. */
const coreTokenError = (status: number, message: string) =>
  new Error(`Error message: Failed to get ID Token. \n Error Code : ${status}\n Error Message: ${message}`)

function stsError(name: string, message: string, status = 403): STSServiceException {
  return new STSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode: status } })
}

const ENV_KEYS = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'GITHUB_REPOSITORY', 'GITHUB_REF'] as const
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]))

function restoreEnv() {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k]
    else process.env[k] = savedEnv[k]
  }
}

let getIdToken: jest.Mock<(audience: string) => Promise<string>>
let mask: jest.Mock<(value: string) => void>

function deps(): OidcDeps {
  return { getIdToken, mask, sts, retry: { minTimeout: 1, maxTimeout: 2 } }
}

/** The rejection of a call, for assertions on the error itself. */
async function failure(promise: Promise<unknown>): Promise<OidcError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(OidcError)
  return err as OidcError
}

beforeEach(() => {
  stsMock.reset()
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'https://token.actions.example/_apis/token?api-version=2.0'
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-bearer-token'
  process.env.GITHUB_REPOSITORY = 'octo-org/infra'
  process.env.GITHUB_REF = 'refs/heads/release'
  getIdToken = jest.fn<(audience: string) => Promise<string>>().mockResolvedValue(ID_TOKEN)
  mask = jest.fn<(value: string) => void>()
})

afterEach(restoreEnv)
afterAll(() => stsMock.restore())

describe('assumeRoleWithOidc: the runner offers no OIDC token', () => {
  it.each(['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'])(
    'without %s it asks for id-token: write and calls nothing',
    async (variable) => {
      delete process.env[variable]
      const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
      expect(err.name).toBe('OidcError')
      expect(err.message).toContain('the workflow or job lacks the permission id-token: write')
      expect(err.message).toContain('\npermissions:\n  id-token: write\n  contents: read')
      expect(getIdToken).not.toHaveBeenCalled()
      expect(stsMock.calls()).toHaveLength(0)
      expect(mask).not.toHaveBeenCalled()
    }
  )

  it('treats an empty ACTIONS_ID_TOKEN_REQUEST_URL as missing', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = ''
    const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
    expect(err.message).toContain('id-token: write')
    expect(getIdToken).not.toHaveBeenCalled()
    expect(stsMock.calls()).toHaveLength(0)
  })
})

describe('assumeRoleWithOidc: getting the ID token', () => {
  beforeEach(() => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves({ Credentials: SESSION })
  })

  it('asks for the token of the configured audience', async () => {
    await assumeRoleWithOidc({ ...OPTIONS, audience: 'https://github.com/octo-org' }, deps())
    expect(getIdToken.mock.calls).toEqual([['https://github.com/octo-org']])
  })

  it('retries a token request that failed with a 5xx, as @actions/core reports it', async () => {
    getIdToken.mockRejectedValueOnce(coreTokenError(500, 'boom')).mockResolvedValueOnce(ID_TOKEN)
    const creds = await assumeRoleWithOidc(OPTIONS, deps())
    expect(getIdToken).toHaveBeenCalledTimes(2)
    expect(creds.accessKeyId).toBe(SESSION.AccessKeyId)
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)[0].args[0].input.WebIdentityToken).toBe(ID_TOKEN)
  })

  it('retries a 429 from the token endpoint', async () => {
    getIdToken.mockRejectedValueOnce(coreTokenError(429, 'slow down')).mockResolvedValueOnce(ID_TOKEN)
    await assumeRoleWithOidc(OPTIONS, deps())
    expect(getIdToken).toHaveBeenCalledTimes(2)
  })

  it('retries a request that got no answer at all (no status in the error)', async () => {
    getIdToken.mockRejectedValueOnce(new Error('read ECONNRESET')).mockResolvedValueOnce(ID_TOKEN)
    await assumeRoleWithOidc(OPTIONS, deps())
    expect(getIdToken).toHaveBeenCalledTimes(2)
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(1)
  })

  it('does not retry a 401 and says it could not get the token', async () => {
    getIdToken.mockRejectedValue(coreTokenError(401, 'Unauthorized'))
    const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
    expect(getIdToken).toHaveBeenCalledTimes(1)
    expect(err.message).toBe(
      `Could not get the workflow's OIDC token for audience "sts.amazonaws.com": ` +
        `Error message: Failed to get ID Token. \n Error Code : 401\n Error Message: Unauthorized`
    )
    expect(err.cause).toBeInstanceOf(Error)
    expect(stsMock.calls()).toHaveLength(0)
    expect(mask).not.toHaveBeenCalled()
  })

  it('gives up after the configured number of retries on a lasting 5xx', async () => {
    getIdToken.mockRejectedValue(coreTokenError(503, 'unavailable'))
    const err = await failure(assumeRoleWithOidc(OPTIONS, { ...deps(), retry: { retries: 2, minTimeout: 1, maxTimeout: 2 } }))
    expect(getIdToken).toHaveBeenCalledTimes(3)
    expect(err.message).toContain(`Could not get the workflow's OIDC token for audience "sts.amazonaws.com"`)
    expect(err.message).toContain('Error Code : 503')
    expect(stsMock.calls()).toHaveLength(0)
  })

  // Like an AWS call: a hung token service is asked three times at most, and the message says it timed out.
  it('gives up after 3 timed-out token requests, saying so, though more retries are allowed', async () => {
    getIdToken.mockRejectedValue(new RequestTimeoutError('the OIDC token request', 30_000))
    const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
    expect(getIdToken).toHaveBeenCalledTimes(3)
    expect(err.message).toBe(
      `Could not get the workflow's OIDC token for audience "sts.amazonaws.com": the request timed out after 30 s (no answer to 3 attempts)`
    )
  })

  it('takes a token after a timed-out request', async () => {
    getIdToken.mockRejectedValueOnce(new RequestTimeoutError('the OIDC token request', 30_000))
    await assumeRoleWithOidc(OPTIONS, deps())
    expect(getIdToken).toHaveBeenCalledTimes(2)
    expect(stsMock.calls()).toHaveLength(1)
  })
})

describe('assumeRoleWithOidc: AssumeRoleWithWebIdentity', () => {
  it('sends the role, session name, ID token and duration', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves({ Credentials: SESSION })
    await assumeRoleWithOidc({ ...OPTIONS, sessionName: 'nightly-scan', durationSeconds: 1800 }, deps())
    const calls = stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)
    expect(calls).toHaveLength(1)
    expect(calls[0].args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'nightly-scan',
      WebIdentityToken: ID_TOKEN,
      DurationSeconds: 1800
    })
  })

  it('returns the session credentials', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves({ Credentials: SESSION })
    await expect(assumeRoleWithOidc(OPTIONS, deps())).resolves.toEqual({
      accessKeyId: 'ASIASESSIONKEY000001',
      secretAccessKey: 'session-secret-access-key',
      sessionToken: 'session-token-value',
      expiration: EXPIRATION
    })
  })

  it('masks the ID token and every secret part of the session', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves({ Credentials: SESSION })
    await assumeRoleWithOidc(OPTIONS, deps())
    expect(mask.mock.calls).toEqual([[ID_TOKEN], [SESSION.AccessKeyId], [SESSION.SecretAccessKey], [SESSION.SessionToken]])
  })

  it('masks the ID token before STS is called', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).callsFake(() => {
      expect(mask.mock.calls).toEqual([[ID_TOKEN]])
      return { Credentials: SESSION }
    })
    await assumeRoleWithOidc(OPTIONS, deps())
    expect(mask).toHaveBeenCalledTimes(4)
  })

  it.each([
    ['the modelled exception', () => new IDPCommunicationErrorException({ message: 'could not reach the IdP', $metadata: {} })],
    ['the bare error code', () => stsError('IDPCommunicationError', 'could not reach the IdP', 400)]
  ])('retries IDPCommunicationError (%s), then succeeds', async (_label, makeError) => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).rejectsOnce(makeError()).resolves({ Credentials: SESSION })
    const creds = await assumeRoleWithOidc(OPTIONS, deps())
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(2)
    expect(creds.sessionToken).toBe('session-token-value')
    // One ID token serves every attempt.
    expect(getIdToken).toHaveBeenCalledTimes(1)
  })

  it('does not retry AccessDenied, and names the role and the trust policy sub of this run', async () => {
    stsMock
      .on(AssumeRoleWithWebIdentityCommand)
      .rejects(stsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity'))
    const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(1)
    expect(err.message).toContain(`STS refused to let this workflow assume ${ROLE}.`)
    expect(err.message).toContain('"token.actions.githubusercontent.com:sub" must match this run, e.g. "repo:octo-org/infra:ref:refs/heads/release"')
    expect(err.message).toContain('"repo:octo-org/infra:environment:NAME"')
    expect(err.message).toContain('"repo:octo-org/infra:pull_request"')
    expect(err.message).toContain('"token.actions.githubusercontent.com:aud" must be the audience input')
    expect(err.message).toMatch(/\(AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity\)$/)
    expect((err.cause as Error).name).toBe('AccessDenied')
  })

  it('falls back to placeholders in the trust policy hint outside GitHub Actions', async () => {
    delete process.env.GITHUB_REPOSITORY
    delete process.env.GITHUB_REF
    stsMock.on(AssumeRoleWithWebIdentityCommand).rejects(stsError('AccessDenied', 'denied'))
    const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
    expect(err.message).toContain('"repo:OWNER/REPO:ref:refs/heads/main"')
  })

  it.each([
    ['InvalidIdentityTokenException', () => new InvalidIdentityTokenException({ message: 'No OpenIDConnect provider found', $metadata: {} })],
    ['InvalidIdentityToken', () => stsError('InvalidIdentityToken', 'No OpenIDConnect provider found', 400)]
  ])('does not retry %s, and points at the provider and its audience', async (name, makeError) => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).rejects(makeError())
    const err = await failure(assumeRoleWithOidc({ ...OPTIONS, audience: 'my-audience' }, deps()))
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(1)
    expect(err.message).toBe(
      `STS rejected the OIDC token for ${ROLE} (${name}: No OpenIDConnect provider found). Check that the account has the ` +
        `identity provider token.actions.githubusercontent.com and that its audience list includes "my-audience".`
    )
  })

  it('does not retry other STS errors and names the call and the role', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).rejects(stsError('ExpiredTokenException', 'Token expired', 400))
    const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
    expect(stsMock.commandCalls(AssumeRoleWithWebIdentityCommand)).toHaveLength(1)
    expect(err.message).toBe(`sts:AssumeRoleWithWebIdentity for ${ROLE} failed (ExpiredTokenException: Token expired)`)
  })

  it('fails when STS answers without credentials, masking nothing but the ID token', async () => {
    stsMock.on(AssumeRoleWithWebIdentityCommand).resolves({ Credentials: { ...SESSION, SessionToken: undefined } })
    const err = await failure(assumeRoleWithOidc(OPTIONS, deps()))
    expect(err.message).toBe('sts:AssumeRoleWithWebIdentity returned no credentials')
    expect(mask.mock.calls).toEqual([[ID_TOKEN]])
  })
})
