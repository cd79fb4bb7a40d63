// Every finding kind moto can hold, and every way to be exempt, through the built action.
// (moto's credential report has no root row: root keys are covered by the unit tests.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { IAMClient, TagUserCommand } from '@aws-sdk/client-iam'
import { readFileSync } from 'node:fs'
import type { Report } from '../../src/core/report.js'
import { seedKeys, motoClientConfig } from './support/aws.js'
import { motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction } from './support/run-action.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)

// max 90, expiring from 60, unused after 75 days without use (keys here are never used).
const POLICY = { 'max-key-age-days': '90', 'warn-key-age-days': '60', 'max-unused-days': '75', 'exempt-users': 'svc-*, Build-Bot' }

describeMoto('finding kinds and exemptions against moto', () => {
  let moto: MotoServer

  beforeAll(async () => {
    moto = await startMoto()
    await seedKeys(moto, [
      { userName: 'old-stale', age: '-200d' },
      { userName: 'idle-unused', age: '-80d' },
      { userName: 'soon-expiring', age: '-65d' },
      { userName: 'young-fine', age: '-10d' },
      { userName: 'old-inactive', age: '-300d', inactive: true },
      { userName: 'svc-deploy', age: '-200d' },
      { userName: 'build-bot', age: '-200d' },
      { userName: 'tagged-true', age: '-200d' },
      { userName: 'tagged-future', age: '-200d' },
      { userName: 'tagged-today', age: '-200d' },
      { userName: 'tagged-past', age: '-200d' },
      { userName: 'tagged-bogus', age: '-200d' }
    ])
    const iam = new IAMClient(motoClientConfig(moto.endpoint))
    const tag = (user: string, value: string) =>
      iam.send(new TagUserCommand({ UserName: user, Tags: [{ Key: 'key-sentry:exempt', Value: value }, { Key: 'team', Value: 'x' }] }))
    await tag('tagged-true', 'true')
    await tag('tagged-future', isoDay(30))
    await tag('tagged-today', isoDay(0))
    await tag('tagged-past', isoDay(-1))
    await tag('tagged-bogus', 'maybe')
    iam.destroy()
  }, 60_000)

  afterAll(async () => {
    await moto?.stop()
  })

  const kinds = (report: Report) =>
    report.findings.map((f) => `${f.kind}${f.exempt ? ' exempt' : ''} ${f.userName}`).sort()

  const EXPECTED = [
    'expiring soon-expiring',
    'inactive old-inactive',
    'stale exempt build-bot',
    'stale exempt svc-deploy',
    'stale exempt tagged-future',
    'stale exempt tagged-today',
    'stale exempt tagged-true',
    'stale old-stale',
    'stale tagged-bogus',
    'stale tagged-past',
    'unused idle-unused'
  ]

  for (const dataSource of ['auto', 'api']) {
    it(`yields exactly the expected findings and counts (data-source: ${dataSource})`, async () => {
      const run = await runAction({ ...POLICY, 'data-source': dataSource, 'fail-on': 'none' }, motoEnv(moto.endpoint))
      expect(run.exitCode).toBe(0)
      const report = JSON.parse(readFileSync(run.outputs['report-file'], 'utf8')) as Report
      expect(kinds(report)).toEqual(EXPECTED)
      expect(report.totals).toEqual({ users: 12, keys: 12, stale: 3, findings: 6, exempt: 5, new: null, resolved: null })
      expect(run.outputs['stale-count']).toBe('3')
      expect(run.outputs['finding-count']).toBe('6')
      expect(report.findings.find((f) => f.userName === 'svc-deploy')!.exemptReason).toBe('exempt-users svc-*')
      expect(report.findings.find((f) => f.userName === 'tagged-future')!.exemptReason).toBe(
        `tag key-sentry:exempt until ${isoDay(30)}`
      )
      // Grouped by kind, most severe first, exempt ones last; the bad tag is called out.
      const headings = run.summary.split('\n').filter((l) => l.startsWith('### '))
      expect(headings).toEqual([
        '### Stale keys: rotate them (high; CIS 1.14, IAM.3): 3',
        '### Unused keys: deactivate or delete them (medium; CIS 1.12, IAM.22): 1',
        '### Expiring keys: rotate them soon (low): 1',
        '### Inactive keys: delete them (low): 1',
        '### Exempt (listed, not counted): 5'
      ])
      expect(run.summary).toContain('tag key-sentry:exempt="maybe" is neither true nor a date')
      expect(run.stdout).toContain('::warning::[123456789012] user tagged-bogus: tag key-sentry:exempt="maybe" is neither true nor a date')
    }, 60_000)
  }

  it('reads tags only for users with findings', async () => {
    // young-fine has no finding; the tag calls are for the 9 users with findings not exempt by name.
    const run = await runAction({ ...POLICY, 'fail-on': 'none' }, motoEnv(moto.endpoint))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('[123456789012] user tags (key-sentry:exempt, owner) read for 9 users with findings')
  }, 60_000)

  it('reads no tag with exempt-tag: none, and warns when exempt-users is *', async () => {
    const run = await runAction({ ...POLICY, 'exempt-users': '*', 'exempt-tag': 'none', 'fail-on': 'none' }, motoEnv(moto.endpoint))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toContain('tags (')
    const warning = 'exempt-users "*" matches every user name: every user with findings is exempt (11 users)'
    expect(run.stdout).toContain(`::warning::[123456789012] ${warning}`)
    // The summary may escape the quoted pattern as Markdown: the words after it are plain.
    expect(run.summary).toContain('matches every user name: every user with findings is exempt (11 users)')
    expect(run.outputs['finding-count']).toBe('0')
  }, 60_000)

  it.each([
    ['expiring', 1, 'Failing: 1 expiring in 123456789012 (fail-on: expiring).'],
    ['inactive,unused', 1, 'Failing: 1 unused, 1 inactive in 123456789012 (fail-on: inactive,unused).'],
    ['stale', 1, 'Failing: 3 stale in 123456789012 (fail-on: stale).'],
    ['root-key', 0, null],
    ['none', 0, null]
  ])('fail-on %s fails the step only for the kinds named', async (failOn, exitCode, message) => {
    const run = await runAction({ ...POLICY, 'fail-on': failOn }, motoEnv(moto.endpoint))
    expect(run.exitCode).toBe(exitCode)
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error::'))
    expect(errors).toEqual(message ? [`::error::${message}`] : [])
  }, 60_000)

  it('rejects a warning threshold not below the cutoff, a non-numeric unused limit and a malformed glob', async () => {
    const run = await runAction(
      { 'max-key-age-days': '90', 'warn-key-age-days': '90', 'max-unused-days': 'forty-five', 'exempt-users': 'svc-[' },
      motoEnv('http://127.0.0.1:9')
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('Invalid input (3)')
    expect(run.stdout).toContain('warn-key-age-days: 90 is not accepted; it must be below max-key-age-days (90)')
    expect(run.stdout).toContain('max-unused-days: "forty-five" is not accepted')
    expect(run.stdout).toContain('exempt-users: "svc-[" is not accepted')
  }, 30_000)
})
