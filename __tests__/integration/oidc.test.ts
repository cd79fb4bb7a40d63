// role-to-assume: the built action exchanges the runner's OIDC token for an AWS session.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Report } from '../../src/core/report.js'
import { seedAccountKeys, type SeededKey } from './support/aws.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { runAction } from './support/run-action.js'
import { queryError, startStubAws, type StubAws } from './support/stub-aws.js'
import { startTokenServer, type TokenServer } from './support/token-server.js'

const ROLE = 'arn:aws:iam::111111111111:role/iam-key-sentry'

/** No AWS credentials at all: the only way in is the OIDC exchange. */
function noStoredKeys(endpoint: string): Record<string, string | undefined> {
  return { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }
}

const masked = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('::add-mask::'))
    .map((l) => l.slice('::add-mask::'.length).trim())

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

describeMoto('role-to-assume against moto', () => {
  let moto: MotoServer
  let tokens: TokenServer
  let keys: SeededKey[]

  beforeAll(async () => {
    moto = await startMoto()
    // The role's account (111111111111) is not the default credentials' (123456789012):
    // finding its keys proves the IAM calls ran with the assumed session.
    const role = await seedAccountKeys(moto, '111111111111', [
      { userName: 'old-dave', age: '-150d' },
      { userName: 'new-erin', age: '+0' }
    ])
    keys = role.keys
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
  })

  afterEach(async () => {
    await tokens?.close()
  })

  it('scans with no AWS secrets, only role-to-assume, retrying a failed token request', async () => {
    tokens = await startTokenServer(1)
    const run = await runAction(
      { 'role-to-assume': ROLE, 'role-session-name': 'nightly-audit', 'fail-on': 'none' },
      { ...noStoredKeys(moto.endpoint), ...tokens.env }
    )
    expect(run.stderr + run.stdout).not.toContain('Could not')
    expect(run.exitCode).toBe(0)
    expect(tokens.audiences).toEqual(['sts.amazonaws.com', 'sts.amazonaws.com']) // one 500, one retry
    expect(run.stdout).toContain(`Assumed ${ROLE} with the workflow's OIDC token`)
    expect(run.outputs['account-id']).toBe('111111111111')
    expect(run.outputs['users-scanned']).toBe('2')
    const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
    expect(report.findings.map((f) => [f.kind, f.accessKeyId])).toEqual([
      ['stale', keys.find((k) => k.userName === 'old-dave')!.accessKeyId]
    ])

    // The ID token and the session's key id, secret and token are masked, and never printed otherwise.
    const secrets = masked(run.stdout)
    expect(secrets).toContain(tokens.token)
    expect(secrets.filter((s) => /^ASIA/.test(s))).toHaveLength(1)
    expect(secrets.length).toBeGreaterThanOrEqual(4)
    const otherLines = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))
    for (const secret of secrets) {
      expect(otherLines.filter((l) => l.includes(secret))).toEqual([])
      expect(run.summary).not.toContain(secret)
    }
  }, 60_000)

  // IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS: the per-attempt deadline (30 s) shortened to 1 s for the test.
  it('cuts a hung token request at the deadline and takes the token on the retry', async () => {
    tokens = await startTokenServer(0, 1)
    const run = await runAction(
      { 'role-to-assume': ROLE, 'fail-on': 'none' },
      { ...noStoredKeys(moto.endpoint), ...tokens.env, IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS: '1000' }
    )
    expect(run.exitCode).toBe(0)
    expect(tokens.audiences).toEqual(['sts.amazonaws.com', 'sts.amazonaws.com']) // the hung one, then its retry
    expect(run.outputs['account-id']).toBe('111111111111')
  }, 60_000)

  it('fails saying the token request timed out when the token service never answers', async () => {
    tokens = await startTokenServer(0, Infinity)
    const started = Date.now()
    const run = await runAction(
      { 'role-to-assume': ROLE },
      { ...noStoredKeys(moto.endpoint), ...tokens.env, IAM_KEY_SENTRY_REQUEST_TIMEOUT_MS: '1000' }
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      `::error::The scan did not complete: Could not get the workflow's OIDC token for audience "sts.amazonaws.com": the request timed out after 1 s (no answer to 3 attempts)`
    )
    expect(tokens.audiences).toHaveLength(3)
    expect(run.outputs['stale-count']).toBeUndefined()
    // Before the deadline, core's client waited 3 minutes a request, 5 times over.
    expect(Date.now() - started).toBeLessThan(45_000)
  }, 60_000)

  it('asks for the configured audience', async () => {
    tokens = await startTokenServer()
    const run = await runAction(
      { 'role-to-assume': ROLE, audience: 'sts.example.internal', 'fail-on': 'none' },
      { ...noStoredKeys(moto.endpoint), ...tokens.env }
    )
    expect(run.exitCode).toBe(0)
    expect(tokens.audiences).toEqual(['sts.example.internal'])
  }, 60_000)
})

describe('role-to-assume failures', () => {
  let stub: StubAws | undefined
  let tokens: TokenServer | undefined
  afterEach(async () => {
    await stub?.close()
    await tokens?.close()
    stub = tokens = undefined
  })

  it('says id-token: write is missing when the runner offers no token, and calls nothing', async () => {
    stub = await startStubAws()
    const run = await runAction({ 'role-to-assume': ROLE }, noStoredKeys(stub.endpoint))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('lacks the permission id-token: write')
    expect(run.stdout).toContain('permissions:%0A  id-token: write')
    expect(stub.actions).toEqual([])
    expect(run.outputs['stale-count']).toBeUndefined()
    expect(run.summary).toContain('## IAM Key Sentry: scan failed\n')
    // The snippet to paste is a code block of its own in the job summary, not one run-on line.
    expect(run.summary).toContain('Add to the job (or the workflow):\n\n```yaml\npermissions:\n  id-token: write\n  contents: read\n```')
    expect(run.outputs['account-id']).toBeUndefined()
  }, 30_000)

  it('explains the trust policy when STS refuses, naming the role and the subject to allow', async () => {
    stub = await startStubAws({
      AssumeRoleWithWebIdentity: queryError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity')
    })
    tokens = await startTokenServer()
    const run = await runAction(
      { 'role-to-assume': ROLE },
      { ...noStoredKeys(stub.endpoint), ...tokens.env, GITHUB_REPOSITORY: 'acme/infra', GITHUB_REF: 'refs/heads/main' }
    )
    expect(run.exitCode).toBe(1)
    expect(stub.actions).toEqual(['AssumeRoleWithWebIdentity']) // AccessDenied is not retried
    expect(run.stdout).toContain(`STS refused to let this workflow assume ${ROLE}`)
    expect(run.stdout).toContain('"repo:acme/infra:ref:refs/heads/main"')
    expect(run.outputs['stale-count']).toBeUndefined()
  }, 30_000)

  it('does not retry an invalid token', async () => {
    stub = await startStubAws({
      AssumeRoleWithWebIdentity: queryError('InvalidIdentityToken', 'No OpenIDConnect provider found', 400)
    })
    tokens = await startTokenServer()
    const run = await runAction({ 'role-to-assume': ROLE }, { ...noStoredKeys(stub.endpoint), ...tokens.env })
    expect(run.exitCode).toBe(1)
    expect(stub.actions).toEqual(['AssumeRoleWithWebIdentity'])
    expect(run.stdout).toContain('STS rejected the OIDC token')
  }, 30_000)

  it('retries STS when it cannot reach the identity provider', async () => {
    let calls = 0
    stub = await startStubAws({
      get AssumeRoleWithWebIdentity() {
        calls++
        return calls === 1
          ? queryError('IDPCommunicationError', 'could not reach the provider', 400)
          : queryError('AccessDenied', 'Not authorized', 403)
      }
    })
    tokens = await startTokenServer()
    const run = await runAction({ 'role-to-assume': ROLE }, { ...noStoredKeys(stub.endpoint), ...tokens.env })
    expect(stub.actions).toEqual(['AssumeRoleWithWebIdentity', 'AssumeRoleWithWebIdentity'])
    expect(run.stdout).toContain('STS refused')
  }, 30_000)

  it('rejects a malformed role, session name and duration before any call', async () => {
    stub = await startStubAws()
    const run = await runAction(
      {
        'role-to-assume': 'arn:aws:iam::123456789012:user/alice',
        'role-session-name': 'x',
        'role-duration-seconds': '60'
      },
      noStoredKeys(stub.endpoint)
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Invalid input (3)')
    expect(run.stdout).toContain('role-to-assume: "arn:aws:iam::123456789012:user/alice" is not accepted')
    expect(run.stdout).toContain('role-session-name: "x" is not accepted')
    expect(run.stdout).toContain('role-duration-seconds: "60" is not accepted; use a whole number of seconds from 900 to 43200')
    expect(stub.actions).toEqual([])
  }, 30_000)
})

describeMoto('remediation-role-to-assume: the writes use their own role, the checks the scan role', () => {
  const WRITE_ROLE = 'arn:aws:iam::111111111111:role/iam-key-sentry-remediate'
  let moto: MotoServer
  let tokens: TokenServer
  let github: FakeGitHub
  let key: SeededKey

  beforeAll(async () => {
    moto = await startMoto()
    github = await startFakeGitHub()
    github.roles = { 'sec-lead': 'admin' }
    key = (await seedAccountKeys(moto, '111111111111', [{ userName: 'old-dave', age: '-150d' }])).keys[0]!
  }, 60_000)

  afterAll(async () => {
    await tokens?.close()
    await github?.close()
    await moto?.stop()
  })

  it('deactivates through the remediation role, with no AWS secrets at all', async () => {
    tokens = await startTokenServer()
    const env = {
      ...noStoredKeys(moto.endpoint),
      ...tokens.env,
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_SERVER_URL: 'https://github.example'
    }
    const inputs = {
      'role-to-assume': ROLE,
      'remediation-role-to-assume': WRITE_ROLE,
      remediation: 'comment',
      'create-issue': 'true',
      'github-token': 'good-token',
      'fail-on': 'none'
    }
    expect((await runAction(inputs, { ...env, GITHUB_EVENT_NAME: 'schedule' })).exitCode).toBe(0)
    const [issue] = github.issues
    const comment = github.addComment(issue!, `/deactivate ${key.accessKeyId}`, { login: 'sec-lead', type: 'User' })
    const dir = mkdtempSync(join(tmpdir(), 'oidc-remediation-'))
    const path = join(dir, 'event.json')
    writeFileSync(path, JSON.stringify({ action: 'created', comment: { id: comment.id, body: comment.body, user: { login: 'sec-lead' } }, issue: { number: issue!.number } }))
    const run = await runAction(inputs, { ...env, GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: path })
    expect(run.stdout).not.toContain('::error::')
    expect(run.stdout).toContain(`Assumed ${ROLE} with the workflow's OIDC token`)
    expect(run.stdout).toContain(`Assumed ${WRITE_ROLE} for remediation with the workflow's OIDC token`)
    expect(run.outputs.remediated).toBe(key.accessKeyId)
    // The read session, the write session, and the rescan's session: three exchanges.
    expect(tokens.audiences.length).toBeGreaterThanOrEqual(2)
  }, 90_000)
})
