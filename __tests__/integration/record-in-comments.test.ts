// A record too big for the issue body (DESIGN.md, Lifecycle: 5,000 keys within GitHub's limits)
// is kept in comments the action owns, which the body points to. The built action, against moto
// with 2,400 stale keys whose user names are 64 random characters (IAM's longest; they barely
// compress, so the record takes two comments), and the GitHub stand-in checked against GitHub's
// OpenAPI description: written, read back, written into the second set, then the two sets in
// turn, edited in place; rebuilt when a person deleted a part; moved back into the body when it
// fits again.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { seedKeys, type KeySpec } from './support/aws.js'
import { startFakeGitHub, type FakeGitHub } from './support/github-api.js'
import type { FakeComment, FakeIssue } from './support/github-objects.js'
import { faketimeEnv, motoAvailability, startMoto, type MotoServer } from './support/moto.js'
import { motoEnv, runAction } from './support/run-action.js'
import { decodeState } from '../../src/render/issue-state.js'
import { readRecordPointer } from '../../src/render/issue-record.js'

const { available } = motoAvailability()
const describeMoto = available ? describe : describe.skip

const USERS = 2_400
const NAME = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=.@_-'

/** 64-character user names from a fixed seed (mulberry32); half start `keep-`, half `drop-`. */
function userNames(count: number): string[] {
  let x = 2026
  const next = () => {
    x = (x + 0x6d2b79f5) >>> 0
    let t = Math.imul(x ^ (x >>> 15), 1 | x)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return Array.from({ length: count }, (_, i) => {
    const tail = Array.from({ length: 59 }, () => NAME[Math.floor(next() * NAME.length)]).join('')
    return `${i % 2 ? 'keep' : 'drop'}-${tail}`
  })
}

const dayOf = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)
const isRecordPart = (c: FakeComment) => c.body.includes('<!-- iam-key-sentry:state ')

describeMoto('a record too big for the issue body is kept in comments of ours', () => {
  let moto: MotoServer
  let github: FakeGitHub
  const run = (day: number, inputs: Record<string, string> = {}) =>
    runAction(
      // Tags are not needed here: no ListUserTags call per user keeps the run short.
      { 'create-issue': 'true', 'github-token': 'good-token', 'fail-on': 'none', 'exempt-tag': 'none', ...inputs },
      {
        ...motoEnv(moto.endpoint),
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/infra',
        GITHUB_SERVER_URL: 'https://github.example',
        ...(day ? faketimeEnv(`+${day}d`) : {})
      }
    )
  const issue = (): FakeIssue => {
    const [only, ...more] = github.issues
    if (!only || more.length) throw new Error(`expected one issue, found ${github.issues.length}`)
    return only
  }
  /** The pointer in the issue's body. */
  function pointer(of: FakeIssue) {
    const found = readRecordPointer(of.body)
    if (!found || found === 'malformed') throw new Error('the body holds no readable pointer to comments')
    return found
  }
  /** The record the issue points to, read as the action reads it: only comments of ours. */
  function record(of: FakeIssue) {
    const { ids } = pointer(of)
    const parts = of.comments.filter((c) => ids.includes(c.id) && c.user.login === 'github-actions[bot]')
    const decoded = decodeState(parts.map((c) => c.body))
    if (!decoded.ok) throw new Error(decoded.error)
    return decoded.state
  }
  const since = (before: number) => github.requests.slice(before)
  const count = (requests: string[], pattern: RegExp) => requests.filter((r) => pattern.test(r)).length

  beforeAll(async () => {
    moto = await startMoto()
    github = await startFakeGitHub()
    const specs: KeySpec[] = userNames(USERS).map((userName) => ({ userName, age: '-200d' }))
    await seedKeys(moto, specs)
  }, 300_000)

  afterAll(async () => {
    await moto?.stop()
    await github?.close()
  })

  it('day 1: opens the issue, writes the record into two comments, and the body points to them', async () => {
    const result = await run(0)
    expect(result.stdout).not.toContain('::error::')
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBe(String(USERS))
    const opened = issue()
    const parts = opened.comments.filter(isRecordPart)
    expect(parts).toHaveLength(2)
    expect(pointer(opened)).toEqual({ ids: parts.map((c) => c.id), spare: [] })
    for (const c of parts) {
      expect(c.user.login).toBe('github-actions[bot]')
      expect([...c.body].length).toBeLessThanOrEqual(65_536)
    }
    // The body holds no part of it: only the pointer.
    expect(decodeState([opened.body])).toMatchObject({ ok: false, reason: 'missing' })
    const kept = record(opened)
    expect(kept.keys).toHaveLength(USERS)
    expect(new Set(kept.keys.map((k) => k.firstSeenAt))).toEqual(new Set([dayOf(0)]))
  }, 300_000)

  it('day 2: reads it back (nothing new or resolved) and writes it into a second set, which the body then points to', async () => {
    const first = pointer(issue()).ids
    const before = github.requests.length
    const result = await run(1)
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBe('0')
    expect(result.outputs['resolved-count']).toBe('0')
    // The set the body pointed to is never rewritten: a run that fails part-way leaves it whole.
    expect(count(since(before), /^GET .*\/issues\/comments\/\d+$/)).toBe(2)
    expect(count(since(before), /^PATCH .*\/issues\/comments\/\d+$/)).toBe(0)
    expect(count(since(before), /^POST .*\/comments$/)).toBe(2)
    const now = pointer(issue())
    expect(now.spare).toEqual(first)
    expect(now.ids.some((id) => first.includes(id))).toBe(false)
    expect(record(issue()).keys.every((k) => k.firstSeenAt === dayOf(0))).toBe(true)
  }, 300_000)

  it('day 3: from then on the two sets take turns, edited in place: no new comment notifies anyone', async () => {
    const { ids, spare } = pointer(issue())
    const comments = issue().comments.length
    const before = github.requests.length
    const result = await run(2)
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBe('0')
    expect(count(since(before), /^GET .*\/issues\/comments\/\d+$/)).toBe(4)
    expect(count(since(before), /^PATCH .*\/issues\/comments\/\d+$/)).toBe(2)
    expect(count(since(before), /^POST .*\/comments$/)).toBe(0)
    expect(pointer(issue())).toEqual({ ids: spare, spare: ids })
    expect(issue().comments).toHaveLength(comments)
    expect(record(issue()).keys.every((k) => k.firstSeenAt === dayOf(0))).toBe(true)
  }, 300_000)

  it('a person deletes a part: the record is said unreadable, nothing is counted, and a whole one is written again', async () => {
    const opened = issue()
    const second = pointer(opened).ids[1]
    opened.comments = opened.comments.filter((c) => c.id !== second)
    const result = await run(3)
    expect(result.exitCode).toBe(0)
    expect(result.outputs['new-count']).toBeUndefined()
    expect(result.outputs['resolved-count']).toBeUndefined()
    expect(result.stdout).toMatch(/::warning::.*could not be read \(the state record is incomplete: 1 of its 2 parts were found\)/)
    const kept = record(issue())
    expect(kept.keys).toHaveLength(USERS)
    // With no baseline, the new record starts today.
    expect(new Set(kept.keys.map((k) => k.firstSeenAt))).toEqual(new Set([dayOf(3)]))
  }, 300_000)

  it('the record shrinks to fit the body: it moves back there, and its comments are deleted', async () => {
    const result = await run(4, { 'exempt-users': 'drop-*' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['resolved-count']).toBe(String(USERS / 2))
    const opened = issue()
    expect(readRecordPointer(opened.body)).toBeNull()
    expect(opened.comments.filter(isRecordPart)).toEqual([])
    const decoded = decodeState([opened.body])
    if (!decoded.ok) throw new Error(decoded.error)
    expect(decoded.state.keys).toHaveLength(USERS / 2)
    expect(decoded.state.keys.every((k) => k.userName.startsWith('keep-') && k.firstSeenAt === dayOf(3))).toBe(true)
  }, 300_000)
})
