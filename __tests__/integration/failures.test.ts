// The built action when it must not scan (bad input) or cannot (denied): honest failures,
// and never the outputs of a clean account. A local stub endpoint records every AWS call.
import { afterEach, describe, expect, it } from '@jest/globals'
import { callerIdentity, startStubAws, type StubAws } from './support/stub-aws.js'
import { motoEnv, runAction } from './support/run-action.js'

describe('the built action, failing', () => {
  let stub: StubAws | undefined
  afterEach(async () => {
    await stub?.close()
    stub = undefined
  })

  it('lists every bad input and makes no AWS call', async () => {
    stub = await startStubAws()
    const run = await runAction(
      {
        'max-key-age-days': 'ninety',
        'sns-topic-arn': 'arn:aws:sns:secops',
        'fail-on': 'stale,ancient',
        'data-source': 'magic'
      },
      motoEnv(stub.endpoint)
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Invalid input (4)')
    expect(run.stdout).toContain('max-key-age-days: "ninety" is not accepted; use a positive whole number of days')
    expect(run.stdout).toContain('sns-topic-arn: "arn:aws:sns:secops" is not accepted')
    expect(run.stdout).toContain('fail-on: "ancient" is not accepted')
    expect(run.stdout).toContain('data-source: "magic" is not accepted; use one of auto, credential-report, api')
    expect(stub.actions).toEqual([])
    expect(run.outputs).toEqual({})
  }, 30_000)

  it('names the missing permission and sets no counts when IAM is denied', async () => {
    stub = await startStubAws({ GetCallerIdentity: callerIdentity })
    const run = await runAction({ 'fail-on': 'none' }, motoEnv(stub.endpoint))
    expect(run.exitCode).toBe(1)
    // auto: the credential report was denied, then listing was denied too.
    expect(stub.actions).toEqual(['GetCallerIdentity', 'GenerateCredentialReport', 'ListUsers'])
    expect(run.stdout).toMatch(/::error::The scan of account 111122223333 did not complete: iam:ListUsers was denied/)
    expect(run.stdout).toContain('Grant iam:ListUsers')
    for (const count of ['stale-count', 'finding-count', 'users-scanned', 'keys-scanned']) {
      expect(run.outputs[count]).toBeUndefined()
    }
    expect(run.outputs['account-id']).toBe('111122223333')
    expect(run.summary).toContain('## IAM Key Sentry: scan failed for account 111122223333')
    expect(run.summary).toContain('the scan did not complete')
    expect(run.summary).not.toContain('within policy')
  }, 30_000)

  it('does not fall back to listing with data-source: credential-report', async () => {
    stub = await startStubAws({ GetCallerIdentity: callerIdentity })
    const run = await runAction({ 'data-source': 'credential-report' }, motoEnv(stub.endpoint))
    expect(run.exitCode).toBe(1)
    expect(stub.actions).toEqual(['GetCallerIdentity', 'GenerateCredentialReport'])
    expect(run.stdout).toContain('iam:GenerateCredentialReport was denied')
    expect(run.outputs['stale-count']).toBeUndefined()
  }, 30_000)
})
