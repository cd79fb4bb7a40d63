import {
  GetAccountAuthorizationDetailsCommand,
  IAMClient,
  ListUserTagsCommand,
  type GetAccountAuthorizationDetailsCommandInput,
  type ListUserTagsCommandInput,
  type Tag
} from '@aws-sdk/client-iam'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { failFastPool } from '../../../src/core/concurrency.js'
import { BULK_CROSSOVER_PER_PAGE, bulkTagReadPays, readAllUserTags, readTagsOf } from '../../../src/aws/tags.js'
import { awsError } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const iam = new IAMClient({ region: 'us-east-1' })

const EXEMPT = 'key-sentry:exempt'
const OWNER = 'owner'

let bulkInputs: GetAccountAuthorizationDetailsCommandInput[] = []
let tagInputs: ListUserTagsCommandInput[] = []

/** GetAccountAuthorizationDetails in pages of users (name → tags), chained by Marker. */
function serveBulk(pages: Record<string, Tag[]>[]) {
  iamMock.on(GetAccountAuthorizationDetailsCommand).callsFake((input: GetAccountAuthorizationDetailsCommandInput) => {
    bulkInputs.push({ ...input })
    const index = input.Marker === undefined ? 0 : Number(/^page-(\d+)$/.exec(input.Marker)?.[1] ?? NaN)
    if (!(index in pages)) throw new Error(`unexpected Marker ${input.Marker}`)
    const UserDetailList = Object.entries(pages[index]).map(([UserName, Tags]) => ({ UserName, Tags }))
    return index + 1 < pages.length ? { UserDetailList, IsTruncated: true, Marker: `page-${index + 1}` } : { UserDetailList, IsTruncated: false }
  })
}

/** ListUserTags, one page per user; a user not given is an error (the test did not expect the call). */
function servePerUser(tags: Record<string, Tag[]>) {
  iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
    tagInputs.push({ ...input })
    const found = tags[input.UserName ?? '']
    if (!found) throw new Error(`ListUserTags was not expected for ${input.UserName}`)
    return { Tags: found, IsTruncated: false }
  })
}

/** `n` user names, `user-0`… */
const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `user-${i + from}`)

beforeEach(() => {
  iamMock.reset()
  bulkInputs = []
  tagInputs = []
})

afterAll(() => {
  iamMock.restore()
})

describe('bulkTagReadPays', () => {
  it('chooses bulk above the cross-over of users needing tags per 1,000-user page', () => {
    expect(BULK_CROSSOVER_PER_PAGE).toBe(100)
    expect(bulkTagReadPays(100, 1000)).toBe(false)
    expect(bulkTagReadPays(101, 1000)).toBe(true)
    // 1,500 users are two pages: twice the users needing tags before bulk pays.
    expect(bulkTagReadPays(200, 1500)).toBe(false)
    expect(bulkTagReadPays(201, 1500)).toBe(true)
    expect(bulkTagReadPays(1000, 5000)).toBe(true)
    expect(bulkTagReadPays(500, 5000)).toBe(false)
    // An account count of 0 (a report without rows) is still one page.
    expect(bulkTagReadPays(101, 0)).toBe(true)
  })
})

describe('readTagsOf', () => {
  it('reads in bulk past the cross-over: every page, Filter User, 1,000 a page, and no ListUserTags', async () => {
    const wanted = names(150)
    const page1 = Object.fromEntries(names(100).map((u) => [u, [{ Key: 'Key-Sentry:Exempt', Value: 'true' }]]))
    const page2 = Object.fromEntries(names(60, 100).map((u) => [u, [{ Key: OWNER, Value: `@${u}` }, { Key: 'team', Value: 'x' }]]))
    serveBulk([page1, page2])
    servePerUser({})

    const read = await readTagsOf(iam, wanted, [EXEMPT, OWNER], { totalUsers: 160, limit: failFastPool(4) })

    expect(read.how).toBe('bulk')
    expect(bulkInputs).toEqual([
      { Filter: ['User'], MaxItems: 1000 },
      { Filter: ['User'], MaxItems: 1000, Marker: 'page-1' }
    ])
    expect(tagInputs).toEqual([])
    expect(read.tags.get('user-0')).toEqual(new Map([[EXEMPT, 'true']]))
    expect(read.tags.get('user-120')).toEqual(new Map([[OWNER, '@user-120']]))
    // Only the users asked for: user-155 is in the listing but has no finding.
    expect(read.tags.size).toBe(150)
    expect(read.tags.has('user-155')).toBe(false)
    expect(read).toMatchObject({ denied: null, bulkFailed: null })
  })

  it('reads a user the bulk listing lacks (made since) with ListUserTags', async () => {
    serveBulk([Object.fromEntries(names(200).map((u) => [u, []]))])
    servePerUser({ 'new-user': [{ Key: EXEMPT, Value: '2027-01-31' }] })

    const read = await readTagsOf(iam, [...names(200), 'new-user'], [EXEMPT], { totalUsers: 201, limit: failFastPool(4) })

    expect(tagInputs.map((i) => i.UserName)).toEqual(['new-user'])
    expect(read.tags.get('new-user')).toEqual(new Map([[EXEMPT, '2027-01-31']]))
    expect(read.tags.get('user-3')).toEqual(new Map())
  })

  it('keeps the bulk-read tags when ListUserTags is denied for a user the listing lacks; only that user is unread', async () => {
    serveBulk([Object.fromEntries(names(200).map((u) => [u, [{ Key: EXEMPT, Value: 'true' }]]))])
    iamMock.on(ListUserTagsCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListUserTags'))

    const read = await readTagsOf(iam, [...names(200), 'new-user'], [EXEMPT], { totalUsers: 201, limit: failFastPool(4) })

    expect(read.denied).toMatch(/^iam:ListUserTags was denied/)
    expect(read.tags.size).toBe(200)
    expect(read.tags.get('user-7')).toEqual(new Map([[EXEMPT, 'true']]))
    expect(read.tags.has('new-user')).toBe(false)
  })

  it('leaves out every user read one at a time when one of them is denied: which came first is chance', async () => {
    servePerUser({ alice: [{ Key: EXEMPT, Value: 'true' }], bob: [] })
    iamMock.on(ListUserTagsCommand, { UserName: 'carol' }).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListUserTags'))

    const read = await readTagsOf(iam, ['alice', 'bob', 'carol'], [EXEMPT], { totalUsers: 3, limit: failFastPool(1) })

    expect(tagInputs.map((i) => i.UserName)).toEqual(['alice', 'bob'])
    expect(read.denied).toMatch(/^iam:ListUserTags was denied/)
    expect(read.tags.size).toBe(0)
  })

  it('reads one user at a time below the cross-over, with no bulk call', async () => {
    serveBulk([])
    servePerUser({ alice: [{ Key: EXEMPT, Value: 'true' }], bob: [] })

    const read = await readTagsOf(iam, ['alice', 'bob'], [EXEMPT], { totalUsers: 5000, limit: failFastPool(2) })

    expect(read.how).toBe('per-user')
    expect(bulkInputs).toEqual([])
    expect(tagInputs.map((i) => i.UserName).sort()).toEqual(['alice', 'bob'])
    expect(read.tags.get('alice')).toEqual(new Map([[EXEMPT, 'true']]))
  })

  it('falls back to ListUserTags when GetAccountAuthorizationDetails is denied, and says why', async () => {
    iamMock
      .on(GetAccountAuthorizationDetailsCommand)
      .rejects(awsError('AccessDenied', 'User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: iam:GetAccountAuthorizationDetails'))
    const users = names(120)
    servePerUser(Object.fromEntries(users.map((u) => [u, [{ Key: OWNER, Value: '@o' }]])))

    const read = await readTagsOf(iam, users, [OWNER], { totalUsers: 120, limit: failFastPool(8) })

    expect(read.how).toBe('per-user')
    expect(read.bulkFailed).toMatch(/^iam:GetAccountAuthorizationDetails was denied \(AccessDenied: .*\)\. Grant iam:GetAccountAuthorizationDetails/)
    expect(read.denied).toBeNull()
    expect(tagInputs).toHaveLength(120)
    expect(read.tags.get('user-7')).toEqual(new Map([[OWNER, '@o']]))
  })

  it('says ListUserTags was denied, and makes no more of them after the first denial', async () => {
    iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
      tagInputs.push({ ...input })
      throw awsError('AccessDenied', 'not authorized to perform: iam:ListUserTags')
    })

    const read = await readTagsOf(iam, ['alice', 'bob', 'carol'], [EXEMPT], { totalUsers: 3, limit: failFastPool(1) })

    expect(read.denied).toMatch(/^iam:ListUserTags was denied/)
    expect(tagInputs).toHaveLength(1)
  })

  it('makes no call when no tag is wanted or no user needs one', async () => {
    serveBulk([])
    servePerUser({})

    expect((await readTagsOf(iam, names(500), [], { totalUsers: 500, limit: failFastPool(1) })).how).toBe('none')
    expect((await readTagsOf(iam, [], [EXEMPT], { totalUsers: 500, limit: failFastPool(1) })).how).toBe('none')
    expect(iamMock.calls()).toHaveLength(0)
  })

  it('stops paging in bulk once the shared pool has failed (the account has failed)', async () => {
    const pool = failFastPool(2)
    const failed = new Promise((resolve) => pool.signal.addEventListener('abort', resolve))
    // The first page answers only after a confirmation in the pool has failed.
    iamMock.on(GetAccountAuthorizationDetailsCommand).callsFake(async (input: GetAccountAuthorizationDetailsCommandInput) => {
      bulkInputs.push({ ...input })
      await failed
      return { UserDetailList: [{ UserName: 'user-0', Tags: [] }], IsTruncated: true, Marker: 'page-1' }
    })
    servePerUser({})
    const denied = awsError('AccessDenied', 'not authorized to perform: iam:ListAccessKeys')

    const reading = readTagsOf(iam, names(150), [EXEMPT], { totalUsers: 160, limit: pool })
    await expect(pool(() => Promise.reject(denied))).rejects.toBe(denied)

    await expect(reading).rejects.toBe(denied)
    expect(bulkInputs).toHaveLength(1)
    expect(tagInputs).toEqual([])
  })
})

describe('readAllUserTags', () => {
  it('keeps only the users asked for, not every user of the listing', async () => {
    serveBulk([Object.fromEntries(names(1000).map((u) => [u, [{ Key: OWNER, Value: `@${u}` }]])), Object.fromEntries(names(500, 1000).map((u) => [u, []]))])

    const tags = await readAllUserTags(iam, [OWNER], new Set(['user-5', 'user-1200', 'gone-user']))

    expect(bulkInputs).toHaveLength(2)
    expect([...tags.keys()].sort()).toEqual(['user-1200', 'user-5'])
    expect(tags.get('user-5')).toEqual(new Map([[OWNER, '@user-5']]))
    expect(tags.get('user-1200')).toEqual(new Map())
  })
})
