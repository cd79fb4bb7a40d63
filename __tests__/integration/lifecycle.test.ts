// The tracking issue remembers (DESIGN.md, Lifecycle): the built action, run day after day
// under libfaketime against one moto and one stateful GitHub stand-in. Day 1 opens the issue
// with three new stale keys; day 2 one key is deleted, one user rotated, one new stale key
// appears; an incomplete day changes nothing; a clean day closes the issue. previous-report
// gives the same diff without any issue.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CreateAccessKeyCommand, DeleteAccessKeyCommand } from '@aws-sdk/client-iam'
import { seedKeys, iamDo, type SeededKey } from './support/aws.js'
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import type { FakeIssue } from './support/github-objects.js'
import { faketimeEnv, motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction, type ActionRun } from './support/run-action.js'
import { decodeState } from '../../src/render/issue-state.js'
import type { Report } from '../../src/core/report.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

/** The UTC day `n` days from now, as the action run at `+${n}d` sees it. */
const dayOf = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)
const mask = (id: string) => `${id.slice(0, 4)}…${id.slice(-4)}`

function githubEnv(github: FakeGitHub): Record<string, string> {
  return { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/infra', GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '77' }
}

function reportOf(run: ActionRun): Report {
  return JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
}

function recordOf(issue: FakeIssue) {
  const decoded = decodeState([issue.body])
  if (!decoded.ok) throw new Error(`the issue holds no readable record: ${decoded.error}`)
  return new Map(decoded.state.keys.map((k) => [k.userName, k]))
}

const deleteKey = (moto: MotoServer, key: SeededKey) =>
  iamDo(moto, (iam) => iam.send(new DeleteAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.accessKeyId })))

/** Day 2's changes: ann's key deleted, ben rotated (new key, old one deleted), dee's stale key new. */
async function day2Changes(moto: MotoServer, keys: SeededKey[]): Promise<SeededKey[]> {
  const byUser = (name: string) => keys.find((k) => k.userName === name)!
  await deleteKey(moto, byUser('ann'))
  const fresh = await iamDo(moto, (iam) => iam.send(new CreateAccessKeyCommand({ UserName: 'ben' })))
  await deleteKey(moto, byUser('ben'))
  // 99 days old now: 100 when the action runs a day later.
  const dee = await seedKeys(moto, [{ userName: 'dee', age: '-99d' }])
  return [...dee, { userName: 'ben', accessKeyId: fresh.AccessKey!.AccessKeyId!, status: 'Active' }]
}

const DAY1_KEYS = [
  { userName: 'ann', age: '-200d' },
  { userName: 'ben', age: '-150d' },
  { userName: 'cy', age: '-120d' }
]

describeMoto('the tracking issue remembers, day by day', () => {
  let moto: MotoServer
  let proxy: FaultProxy
  let github: FakeGitHub
  let keys: SeededKey[]
  let later: SeededKey[]
  const run = (day: number) =>
    runAction(
      { 'create-issue': 'true', 'github-token': 'good-token', 'fail-on': 'none' },
      { ...motoEnv(proxy.endpoint), ...githubEnv(github), ...(day ? faketimeEnv(`+${day}d`) : {}) }
    )
  const ours = () => github.issues.filter((i) => !i.pull_request)

  beforeAll(async () => {
    moto = await startMoto()
    proxy = await startFaultProxy(moto.endpoint)
    github = await startFakeGitHub()
    keys = await seedKeys(moto, DAY1_KEYS)
  }, 60_000)

  afterAll(async () => {
    await proxy?.close()
    await moto?.stop()
    await github?.close()
  })

  it('day 1: opens the issue, every stale key new and first seen today, and starts the record', async () => {
    const result = await run(0)
    expect(result.stdout).not.toContain('::error::')
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBe('3')
    expect(result.outputs['resolved-count']).toBe('0')
    const [issue] = ours()
    expect(issue.state).toBe('open')
    // Opening the issue notifies; no comment on top of it.
    expect(issue.comments).toEqual([])
    expect(issue.body).toContain('New since the last run: 3')
    const record = recordOf(issue)
    expect([...record.keys()].sort()).toEqual(['ann', 'ben', 'cy'])
    for (const k of record.values()) expect(k.firstSeenAt).toBe(dayOf(0))
    expect(record.get('ann')!.accessKeyId).toBe(keys[0].accessKeyId)
    const report = reportOf(result)
    expect(report.schemaVersion).toBe(2)
    expect(report.totals).toMatchObject({ new: 3, resolved: 0, stale: 3 })
    expect(report.findings.map((f) => [f.userName, f.new, f.firstSeenAt])).toEqual(
      expect.arrayContaining([
        ['ann', true, dayOf(0)],
        ['ben', true, dayOf(0)],
        ['cy', true, dayOf(0)]
      ])
    )
    expect(result.summary).toContain('New since the last run: 3')
  }, 90_000)

  it('day 2: one deleted, one rotated, one new: a comment names only the new key; first seen kept', async () => {
    later = await day2Changes(moto, keys)
    const dee = later.find((k) => k.userName === 'dee')!
    const result = await run(1)
    expect(result.stdout).not.toContain('::error::')
    expect(result.outputs['new-count']).toBe('1')
    expect(result.outputs['resolved-count']).toBe('2')
    const [issue] = ours()
    expect(issue.state).toBe('open')
    expect(issue.comments).toHaveLength(1)
    expect(issue.comments[0]!.body).toContain('dee')
    expect(issue.comments[0]!.body).toContain(mask(dee.accessKeyId))
    expect(issue.comments[0]!.body).not.toContain('cy')
    expect(issue.body).toContain('New since the last run: 1')
    expect(issue.body).toContain('Resolved since the last run: 2')
    const report = reportOf(result)
    expect(report.resolved.map((r) => [r.userName, r.accessKeyId, r.how, r.daysOpen, r.firstSeenAt, r.resolvedAt])).toEqual(
      expect.arrayContaining([
        ['ann', keys[0].accessKeyId, 'deleted', 1, dayOf(0), dayOf(1)],
        ['ben', keys[1].accessKeyId, 'rotated', 1, dayOf(0), dayOf(1)]
      ])
    )
    expect(report.resolved).toHaveLength(2)
    const cy = report.findings.find((f) => f.userName === 'cy')!
    expect(cy).toMatchObject({ new: false, firstSeenAt: dayOf(0), overdueDays: 121 - 90 })
    expect(report.findings.find((f) => f.userName === 'dee')).toMatchObject({ new: true, firstSeenAt: dayOf(1), overdueDays: 10 })
    const record = recordOf(issue)
    expect([...record.keys()].sort()).toEqual(['cy', 'dee'])
    expect(record.get('cy')!.firstSeenAt).toBe(dayOf(0))
    expect(record.get('dee')!.firstSeenAt).toBe(dayOf(1))
    expect(result.summary).toContain('Resolved since the last run: 2')
  }, 90_000)

  it('an incomplete day: the scan fails, the issue and its record stay as they were, no counts', async () => {
    const before = ours()[0]
    const body = before.body
    proxy.rules.push({ action: 'ListAccessKeys', fault: 'denied', times: Infinity })
    proxy.rules.push({ action: 'ListUsers', fault: 'denied', times: Infinity })
    try {
      const result = await run(2)
      expect(result.exitCode).toBe(1)
      expect(result.outputs['new-count']).toBeUndefined()
      expect(result.outputs['resolved-count']).toBeUndefined()
      expect(ours()[0].body).toBe(body)
      expect(ours()[0].comments).toHaveLength(1)
      expect(ours()[0].state).toBe('open')
    } finally {
      proxy.rules.length = 0
    }
  }, 90_000)

  it('a clean day: closes the issue with a comment that lists what was resolved and the median days open', async () => {
    await deleteKey(moto, keys.find((k) => k.userName === 'cy')!)
    await deleteKey(moto, later.find((k) => k.userName === 'dee')!)
    const result = await run(3)
    expect(result.stdout).not.toContain('::error::')
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBe('0')
    expect(result.outputs['resolved-count']).toBe('2')
    const [issue] = ours()
    expect(issue.state).toBe('closed')
    const closing = issue.comments.at(-1)!.body
    expect(closing).toContain('cy')
    expect(closing).toContain('dee')
    expect(closing).toContain('deleted')
    // cy was open 3 days (day 0 to day 3), dee 2 (day 1 to day 3): the median of 3 and 2.
    expect(closing).toMatch(/[Mm]edian days open: 2\.5/)
  }, 90_000)
})

describeMoto('previous-report: the same diff without a tracking issue', () => {
  let moto: MotoServer
  let keys: SeededKey[]
  const run = (day: number, inputs: Record<string, string> = {}) =>
    runAction({ 'fail-on': 'none', ...inputs }, { ...motoEnv(moto.endpoint), ...(day ? faketimeEnv(`+${day}d`) : {}) })

  beforeAll(async () => {
    moto = await startMoto()
    keys = await seedKeys(moto, DAY1_KEYS)
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
  })

  it('no baseline: nothing is new or resolved, and new-count and resolved-count are not set', async () => {
    const result = await run(0)
    expect(result.outputs['new-count']).toBeUndefined()
    expect(result.outputs['resolved-count']).toBeUndefined()
    const report = reportOf(result)
    expect(report.totals).toMatchObject({ new: null, resolved: null })
    expect(report.findings.every((f) => f.new === null && f.firstSeenAt === null)).toBe(true)
  }, 90_000)

  it('a missing previous-report file is said, and is no baseline', async () => {
    const result = await run(0, { 'previous-report': '/nonexistent/report.json' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBeUndefined()
    expect(result.stdout).toContain('/nonexistent/report.json does not exist')
    expect(result.summary).toContain('/nonexistent/report.json does not exist')
  }, 90_000)

  it('day 2 against day 1’s report: deleted, rotated and new as with the issue', async () => {
    const day1 = await run(0)
    await day2Changes(moto, keys)
    const result = await run(1, { 'previous-report': day1.outputs['report-file'] })
    expect(result.stdout).not.toContain('::error::')
    expect(result.outputs['new-count']).toBe('1')
    expect(result.outputs['resolved-count']).toBe('2')
    const report = reportOf(result)
    expect(report.accounts[0].baseline).toBe('previous-report')
    expect(report.resolved.map((r) => [r.userName, r.how, r.daysOpen]).sort()).toEqual([
      ['ann', 'deleted', 1],
      ['ben', 'rotated', 1]
    ])
    expect(report.findings.find((f) => f.userName === 'cy')).toMatchObject({ new: false, firstSeenAt: dayOf(0) })
    expect(report.findings.find((f) => f.userName === 'dee')).toMatchObject({ new: true, firstSeenAt: dayOf(1) })
    expect(result.summary).toContain('Resolved since the last run: 2')
  }, 90_000)
})
