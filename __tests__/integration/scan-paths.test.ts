// The credential report path through the built action: a user name with a comma is read back
// (moto does not quote it), and a confirmation that keeps failing fails the account instead of
// sending `auto` to list every user.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { Report } from '../../src/core/report.js'
import { TWO_STALE_ONE_FRESH, generateCredentialReport, seedAccountKeys, seedKeys, type SeededKey } from './support/aws.js'
import { startFaultProxy, type FaultProxy, type FaultRule } from './support/fault-proxy.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction, type ActionRun } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip
/** moto keeps one state per account: the comma user lives apart from the throttling test's users. */
const COMMA_ACCOUNT = '210987654321'

describeMoto('the credential report path of the built action', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let commaKeys: SeededKey[]

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
    await seedKeys(moto, [...TWO_STALE_ONE_FRESH])
    const comma = await seedAccountKeys(moto, COMMA_ACCOUNT, [
      { userName: 'deploy,ci', age: '-200d' },
      { userName: 'old-dan', age: '-120d' },
      { userName: 'fresh-erin', age: '+0' }
    ])
    commaKeys = comma.keys
    await generateCredentialReport(moto)
    await generateCredentialReport(moto, comma.credentials)
  }, 60_000)

  afterAll(async () => {
    await proxy?.close()
    await moto?.stop()
  })

  beforeEach(() => proxy.reset())

  const scan = (inputs: Record<string, string>, rules: FaultRule[] = []): Promise<ActionRun> => {
    proxy.rules.push(...rules)
    return runAction({ 'fail-on': 'none', ...inputs }, motoEnv(proxy.endpoint))
  }
  const reportOf = (run: ActionRun) => JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report

  it.each(['auto', 'credential-report'])('reads a user name with a comma from the report (data-source: %s)', async (dataSource) => {
    // moto writes `deploy,ci,arn:aws:iam::…:user/deploy,ci,…` unquoted: 24 fields for 22 columns.
    const run = await scan({ 'data-source': dataSource, accounts: COMMA_ACCOUNT })

    expect(run.exitCode).toBe(0)
    const report = reportOf(run)
    expect(report.accounts).toEqual([
      expect.objectContaining({ accountId: COMMA_ACCOUNT, dataSource: 'credential-report', users: 3, keys: 3, error: null, notes: [] })
    ])
    const stale = report.findings.filter((f) => f.kind === 'stale')
    expect(stale.map((f) => [f.userName, f.userArn, f.accessKeyId]).sort()).toEqual(
      commaKeys
        .filter((k) => k.userName !== 'fresh-erin')
        .map((k) => [k.userName, `arn:aws:iam::${COMMA_ACCOUNT}:user/${k.userName}`, k.accessKeyId])
        .sort()
    )
    expect(run.outputs['stale-count']).toBe('2')
    // The fast path: no listing of users, ListAccessKeys only for the two flagged users.
    expect(proxy.count('ListUsers')).toBe(0)
    expect(proxy.count('ListAccessKeys')).toBe(2)
  }, 60_000)

  // The SDK retries throttling 8 times with growing backoff: this test takes half a minute or more.
  it('fails the account naming iam:ListAccessKeys when a confirmation stays throttled, and does not list users', async () => {
    const run = await scan({ 'data-source': 'auto' }, [{ action: 'ListAccessKeys', fault: 'throttle', times: Infinity }])

    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      '::error::The scan of account 123456789012 did not complete: iam:ListAccessKeys failed (Throttling: Rate exceeded)'
    )
    expect(run.stdout).not.toContain('listing users and keys instead')
    expect(proxy.count('ListUsers')).toBe(0)
    // Two flagged users, each tried at most 8 times; listing would have tried every user.
    expect(proxy.count('ListAccessKeys')).toBeLessThanOrEqual(16)
    expect(run.outputs['stale-count']).toBeUndefined()
  }, 240_000)
})
