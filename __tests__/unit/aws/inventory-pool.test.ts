// The report path's per-user calls share one bounded pool (issue 20): a user's ListUserTags does
// not wait for every ListAccessKeys to finish, and no more calls are in flight than the bound.
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  type ListAccessKeysCommandInput,
  type ListUserTagsCommandInput
} from '@aws-sdk/client-iam'
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { inventoryFromCredentialReport } from '../../../src/aws/inventory.js'
import { silentLogger } from '../../../src/core/logger.js'
import { awsError, credentialReportCsv, credentialReportRow, daysAgo, DEFAULT_POLICY, NOW } from '../helpers.js'

const iamMock = mockClient(IAMClient)
const iam = new IAMClient({ region: 'us-east-1' })

const USERS = ['alice', 'bob', 'carol', 'dave']

beforeEach(() => {
  iamMock.reset()
  iamMock.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' })
  iamMock.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(credentialReportCsv(...USERS.map((u) => credentialReportRow(u, [{ active: true, created: daysAgo(200) }])))),
    GeneratedTime: NOW
  })
})

afterAll(() => {
  iamMock.restore()
})

describe('the report path: one pool for the per-user calls', () => {
  it("reads a user's tags while ListAccessKeys calls are still open, never more than the bound at once", async () => {
    let inFlight = 0
    let most = 0
    let tagsRead!: () => void
    const aTagWasRead = new Promise<void>((resolve) => (tagsRead = resolve))
    const track = async <T>(answer: () => Promise<T>): Promise<T> => {
      most = Math.max(most, ++inFlight)
      try {
        return await answer()
      } finally {
        inFlight--
      }
    }
    // dave's ListAccessKeys answers only once some ListUserTags has: with tags read as a second
    // phase, after every confirmation, this would never finish.
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) =>
      track(async () => {
        if (input.UserName === 'dave') await aTagWasRead
        return { AccessKeyMetadata: [{ UserName: input.UserName, AccessKeyId: `AKIA${input.UserName!.toUpperCase()}`, Status: 'Active', CreateDate: daysAgo(200) }] }
      })
    )
    iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) =>
      track(async () => {
        tagsRead()
        return { Tags: [{ Key: 'owner', Value: `@${input.UserName}` }] }
      })
    )

    const inv = await inventoryFromCredentialReport(iam, {
      dataSource: 'credential-report',
      policy: DEFAULT_POLICY,
      now: NOW,
      concurrency: 2,
      log: silentLogger,
      tags: { keys: ['owner'], skip: (u) => u === 'bob' }
    })

    expect(inv.keys.map((k) => k.accessKeyId)).toEqual(['AKIAALICE', 'AKIABOB', 'AKIACAROL', 'AKIADAVE'])
    expect(inv.tagRead?.how).toBe('per-user')
    expect([...inv.tagRead!.tags.keys()].sort()).toEqual(['alice', 'carol', 'dave'])
    expect(inv.tagRead!.tags.get('dave')).toEqual(new Map([['owner', '@dave']]))
    expect(most).toBe(2)
  })
})

describe('the report path: the first failure stops the pool', () => {
  it('starts no call after a confirmation is denied, beyond those already in flight', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `user-${String(i).padStart(2, '0')}`)
    iamMock.on(GetCredentialReportCommand).resolves({
      Content: new TextEncoder().encode(credentialReportCsv(...users.map((u) => credentialReportRow(u, [{ active: true, created: daysAgo(200) }])))),
      GeneratedTime: NOW
    })
    const started: string[] = []
    let startedBeforeDenial = -1
    const denied = awsError('AccessDenied', 'not authorized to perform: iam:ListAccessKeys')
    iamMock.on(ListAccessKeysCommand).callsFake((input: ListAccessKeysCommandInput) => {
      started.push(`ListAccessKeys ${input.UserName}`)
      if (input.UserName === 'user-03') {
        startedBeforeDenial = started.length
        return Promise.reject(denied)
      }
      return Promise.resolve({ AccessKeyMetadata: [{ UserName: input.UserName, AccessKeyId: `AKIA${input.UserName}`, Status: 'Active', CreateDate: daysAgo(200) }] })
    })
    iamMock.on(ListUserTagsCommand).callsFake((input: ListUserTagsCommandInput) => {
      started.push(`ListUserTags ${input.UserName}`)
      return Promise.resolve({ Tags: [] })
    })

    const scan = inventoryFromCredentialReport(iam, {
      dataSource: 'credential-report',
      policy: DEFAULT_POLICY,
      now: NOW,
      concurrency: 2,
      log: silentLogger,
      tags: { keys: ['owner'], skip: () => false }
    })
    await expect(scan).rejects.toThrow(/iam:ListAccessKeys/)
    // Let anything still queued run (or not) before counting.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))

    expect(startedBeforeDenial).toBe(4)
    // At most the one other call in flight with the denied one (concurrency 2) starts after it;
    // without stopping, the other 16 ListAccessKeys and 20 ListUserTags would.
    expect(started.length - startedBeforeDenial).toBeLessThanOrEqual(1)
    expect(started.filter((c) => c.startsWith('ListUserTags'))).toEqual([])
  })
})
