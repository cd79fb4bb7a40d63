// Tags read in bulk (issue 20): past the cross-over (more than 100 users needing tags per 1,000
// users), the action reads every user's tags with GetAccountAuthorizationDetails instead of one
// ListUserTags per user, on both paths, and gets the same exemptions and owners as per-user reads,
// which it falls back to, with a warning, when the bulk call is denied.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { TagUserCommand } from '@aws-sdk/client-iam'
import { seedKeys, iamDo } from './support/aws.js'
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction } from './support/run-action.js'
import type { Report } from '../../src/core/report.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

/** Stale users: more than the cross-over for one page (100), and a few exempt by name. */
const STALE = 130
const names = Array.from({ length: STALE }, (_, i) => (i < 5 ? `svc-${i}` : `user-${String(i).padStart(3, '0')}`))

/** Each user's tags: every 10th exempt, every 7th owned (the key's case varies, as IAM allows), every 20th exempt until a past day. */
function tagsOf(i: number): { Key: string; Value: string }[] {
  const tags = []
  if (i % 10 === 0) tags.push({ Key: 'key-sentry:exempt', Value: 'true' })
  if (i % 20 === 5) tags.push({ Key: 'key-sentry:exempt', Value: '2020-01-01' })
  if (i % 7 === 0) tags.push({ Key: i % 2 ? 'Owner' : 'owner', Value: `@team-${i % 3}` })
  return tags
}

/** What a report says of each user: exempt, and owners. */
function exemptionsAndOwners(report: Report): Record<string, { exempt: boolean; owners: string[] }> {
  return Object.fromEntries(report.findings.map((f) => [f.userName, { exempt: f.exempt, owners: [...(f.owners ?? [])].sort() }]))
}

describeMoto('user tags in bulk: GetAccountAuthorizationDetails past the cross-over', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  const run = (dataSource: string) =>
    runAction(
      { 'data-source': dataSource, 'max-key-age-days': '90', 'fail-on': 'none', 'exempt-users': 'svc-*' },
      motoEnv(proxy.endpoint)
    )
  const reportOf = (outputs: Record<string, string>) => JSON.parse(readFileSync(outputs['report-file']!, 'utf8')) as Report

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
    await seedKeys(moto, [...names.map((userName) => ({ userName, age: '-200d' })), { userName: 'fresh', age: '-10d' }])
    await iamDo(moto, async (iam) => {
      for (const [i, userName] of names.entries()) {
        const Tags = tagsOf(i)
        if (Tags.length) await iam.send(new TagUserCommand({ UserName: userName, Tags }))
      }
    })
  }, 120_000)

  afterAll(async () => {
    await proxy?.close()
    await moto?.stop()
  })

  it('reads the tags in bulk on both paths, and the same exemptions and owners as one user at a time when bulk is denied', async () => {
    proxy.reset()
    const auto = await run('auto')
    expect(auto.exitCode).toBe(0)
    expect(proxy.count('GetAccountAuthorizationDetails')).toBe(1)
    expect(proxy.count('ListUserTags')).toBe(0)
    expect(proxy.count('ListAccessKeys')).toBe(STALE)
    const bulk = exemptionsAndOwners(reportOf(auto.outputs))

    // The tags are really read: exempt by tag, by a past date (not exempt), by name, and owned.
    expect(bulk['user-010']).toEqual({ exempt: true, owners: [] })
    expect(bulk['user-025']).toEqual({ exempt: false, owners: [] })
    expect(bulk['svc-0']).toEqual({ exempt: true, owners: [] })
    expect(bulk['user-014']).toEqual({ exempt: false, owners: ['@team-2'] })
    expect(bulk['user-021']).toEqual({ exempt: false, owners: ['@team-0'] })
    expect(bulk['user-070']).toEqual({ exempt: true, owners: ['@team-1'] })
    expect(Object.keys(bulk)).toHaveLength(STALE)

    proxy.reset()
    const api = await run('api')
    expect(api.exitCode).toBe(0)
    expect(proxy.count('GetAccountAuthorizationDetails')).toBe(1)
    expect(proxy.count('ListUserTags')).toBe(0)
    expect(exemptionsAndOwners(reportOf(api.outputs))).toEqual(bulk)

    proxy.reset()
    proxy.rules.push({ action: 'GetAccountAuthorizationDetails', fault: 'denied', times: Infinity })
    const denied = await run('auto')
    expect(denied.exitCode).toBe(0)
    // Users exempt by name need no tags.
    expect(proxy.count('ListUserTags')).toBe(STALE - 5)
    expect(exemptionsAndOwners(reportOf(denied.outputs))).toEqual(bulk)
    const warnings = denied.stdout.split('\n').filter((l) => l.startsWith('::warning::') && l.includes('GetAccountAuthorizationDetails'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/user tags were read one user at a time: iam:GetAccountAuthorizationDetails was denied/)
  }, 180_000)
})
